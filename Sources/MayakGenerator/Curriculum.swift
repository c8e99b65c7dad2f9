/// What a class is taught: subjects and weekly hours by grade (after the federal basic curricula).
struct SubjectPlan {
    enum Assessment { case marks, passFail }
    var name: String
    var hours: Int
    var assessment: Assessment = .marks
    /// Added to a pupil's ability: harder subjects have lower marks.
    var difficulty: Double
    /// Probability that a present pupil gets a mark in one lesson.
    var markRate: Double
    /// Control works (контрольные) are scheduled and recorded in works.csv.
    var hasControlWorks: Bool
    /// Extra work types this subject uses, with their share of lesson marks.
    var extraWorkTypes: [(type: Int, share: Double)] = []
}

enum Curriculum {
    static let main = 0.65, other = 0.55, arts = 0.42

    static func plan(grade: Int) -> [SubjectPlan] {
        func s(
            _ name: String, _ hours: Int, _ difficulty: Double, _ rate: Double, control: Bool = false,
            _ extra: [(Int, Double)] = [], passFail: Bool = false
        ) -> SubjectPlan {
            SubjectPlan(
                name: name, hours: hours, assessment: passFail ? .passFail : .marks, difficulty: difficulty,
                markRate: rate, hasControlWorks: control, extraWorkTypes: extra)
        }
        let dictation = [(WorkTypes.dictation, 0.06)]
        let essay = [(WorkTypes.essay, 0.06)]
        let practical = [(WorkTypes.practical, 0.10)]
        let lab = [(WorkTypes.laboratory, 0.08), (WorkTypes.practical, 0.05)]
        switch grade {
        case 1...4:
            var list = [
                s("Русский язык", grade == 1 ? 5 : 5, -0.10, main, control: true, dictation),
                s("Литературное чтение", grade == 4 ? 3 : 4, 0.10, main),
                s("Математика", 4, -0.10, main, control: true),
                s("Окружающий мир", 2, 0.15, other, practical),
                s("Изобразительное искусство", 1, 0.60, arts),
                s("Музыка", 1, 0.60, arts),
                s("Труд (технология)", 1, 0.55, arts),
                s("Физическая культура", 2, 0.60, arts),
            ]
            if grade >= 2 { list.insert(s("Иностранный язык (английский)", 2, -0.05, main, control: false), at: 2) }
            if grade == 4 { list.append(s("Основы религиозных культур и светской этики", 1, 0, 0, passFail: true)) }
            return list
        case 5...9:
            var list = [
                s("Русский язык", [5: 5, 6: 6, 7: 4, 8: 3, 9: 3][grade]!, -0.15, main, control: true, dictation),
                s("Литература", [5: 3, 6: 3, 7: 2, 8: 2, 9: 3][grade]!, 0.05, main, control: false, essay),
                s("Иностранный язык (английский)", 3, -0.10, main),
                s("История", 2, 0.05, other),
                s("География", [5: 1, 6: 1, 7: 2, 8: 2, 9: 2][grade]!, 0.10, other, practical),
                s("Биология", [5: 1, 6: 1, 7: 1, 8: 2, 9: 2][grade]!, 0.05, other, lab),
                s("Труд (технология)", grade <= 7 ? 2 : 1, 0.55, arts),
                s("Физическая культура", 2, 0.60, arts),
            ]
            if grade <= 6 {
                list.insert(s("Математика", 5, -0.20, main, control: true), at: 1)
            } else {
                list.insert(
                    contentsOf: [
                        s("Алгебра", 3, -0.25, main, control: true),
                        s("Геометрия", 2, -0.30, main, control: true),
                        s("Вероятность и статистика", 1, -0.10, other),
                        s("Информатика", 1, 0.05, other, practical),
                        s("Физика", grade == 9 ? 3 : 2, -0.20, other, control: true, lab),
                    ], at: 1)
            }
            if grade >= 6 { list.append(s("Обществознание", 1, 0.05, other)) }
            if grade >= 8 {
                list.append(s("Химия", 2, -0.20, other, control: true, lab))
                list.append(s("Основы безопасности и защиты Родины", 1, 0.35, other))
            }
            if grade <= 7 { list.append(s("Изобразительное искусство", 1, 0.55, arts)) }
            if grade <= 8 { list.append(s("Музыка", 1, 0.55, arts)) }
            return list
        default:
            return [
                s("Русский язык", 2, -0.10, main, control: true, essay),
                s("Литература", 3, 0.05, main, control: false, essay),
                s("Иностранный язык (английский)", 3, -0.05, main),
                s("Алгебра", 3, -0.25, main, control: true),
                s("Геометрия", 2, -0.30, main, control: true),
                s("Вероятность и статистика", 1, -0.10, other),
                s("Информатика", 1, 0.05, other, practical),
                s("История", 2, 0.05, other),
                s("Обществознание", 2, 0.05, other),
                s("География", 1, 0.10, other),
                s("Биология", 1, 0.05, other, lab),
                s("Физика", 2, -0.20, other, control: true, lab),
                s("Химия", 1, -0.20, other, lab),
                s("Основы безопасности и защиты Родины", 1, 0.35, other),
                s("Физическая культура", 2, 0.60, arts),
                s("Индивидуальный проект", 1, 0, 0, passFail: true),
            ]
        }
    }
}

/// Work types with their usual weights (as e-journals set them).
enum WorkTypes {
    static let oral = 0, independent = 1, homework = 2, control = 3, diagnostic = 4, administrative = 5
    static let dictation = 6, essay = 7, practical = 8, laboratory = 9, test = 10
    /// Work types with uneven weights, used only with edge cases: means such as 2·0,1 + 2·0,6 +
    /// 3·0,7 over 1,4 = 2,5 exactly, which binary fractions do not keep.
    static let uneven = [11, 12, 13]
    static let names = [
        "ответ на уроке", "самостоятельная работа", "домашнее задание", "контрольная работа",
        "диагностическая работа", "административная контрольная работа", "диктант", "сочинение",
        "практическая работа", "лабораторная работа", "тест",
        "устный опрос", "работа на уроке", "проверочная работа",
    ]
    static let weights = ["1", "1,5", "1", "2", "2", "2", "2", "2", "1,5", "1,5", "1,5", "0,1", "0,6", "0,7"]
    static let weightValues: [Double] = [1, 1.5, 1, 2, 2, 2, 2, 2, 1.5, 1.5, 1.5, 0.1, 0.6, 0.7]
}
