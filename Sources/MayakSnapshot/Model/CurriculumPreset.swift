/// Weekly hours of the usual subjects by grade, after the federal basic curricula (ФООП
/// 2023: НОО, ООО, СОО; the five-day week). The importer fills `hours_per_week` from it when
/// an export has no timetable; the generator's curriculum has the same hours (a test holds
/// them equal).
public enum CurriculumPreset {
    /// A subject's hours in grades 1…11 (0: not taught in that grade).
    static let table: [String: [Int]] = [
        "Русский язык": [5, 5, 5, 5, 5, 6, 4, 3, 3, 2, 2],
        "Литературное чтение": [4, 4, 4, 3, 0, 0, 0, 0, 0, 0, 0],
        "Литература": [0, 0, 0, 0, 3, 3, 2, 2, 3, 3, 3],
        "Иностранный язык (английский)": [0, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3],
        "Математика": [4, 4, 4, 4, 5, 5, 0, 0, 0, 0, 0],
        "Алгебра": [0, 0, 0, 0, 0, 0, 3, 3, 3, 3, 3],
        "Геометрия": [0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2],
        "Вероятность и статистика": [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1],
        "Информатика": [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1],
        "Окружающий мир": [2, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0],
        "История": [0, 0, 0, 0, 2, 2, 2, 2, 2, 2, 2],
        "Обществознание": [0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2],
        "География": [0, 0, 0, 0, 1, 1, 2, 2, 2, 1, 1],
        "Биология": [0, 0, 0, 0, 1, 1, 1, 2, 2, 1, 1],
        "Физика": [0, 0, 0, 0, 0, 0, 2, 2, 3, 2, 2],
        "Химия": [0, 0, 0, 0, 0, 0, 0, 2, 2, 1, 1],
        "Основы безопасности и защиты Родины": [0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1],
        "Изобразительное искусство": [1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0],
        "Музыка": [1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0],
        "Труд (технология)": [1, 1, 1, 1, 2, 2, 2, 1, 1, 0, 0],
        "Физическая культура": [2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2],
        "Основы религиозных культур и светской этики": [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0],
        "Индивидуальный проект": [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1],
    ]

    /// The subject's weekly hours in the grade; nil when the preset does not know the subject
    /// or does not teach it in that grade.
    public static func hours(_ subject: String, grade: Int) -> Int? {
        guard (1...11).contains(grade), let h = table[subject]?[grade - 1], h > 0 else { return nil }
        return h
    }
}
