import MayakSnapshot

/// The scheduled works of one class (control, diagnostic, administrative, ВПР) and their results.
struct ClassWorks {
    struct Work {
        var index: Int
        var id: String
        var subject: Int
        var dayIndex: Int
        var kind: WorkKind
        var title: String
        var maxScore: Int
    }

    enum Result {
        case written(score: Int, mark: UInt8)
        case absent
        case excused
        /// Not written and not recorded at all: the row is missing from work_results.csv.
        case missing
    }

    let classID: String
    let classIDBytes: [UInt8]
    let grade: Int
    let subjects: [SubjectPlan]
    let subjectBytes: [[UInt8]]
    var works: [Work] = []
    /// (subject << 16 | day) → work index, for control works held in a lesson.
    var controlByLesson: [Int: Int] = [:]
    var results: [[Int: Result]] = []
    /// (pupil, work) pairs missed: planted, or an unexcused absence on the day.
    var misses: [(pupil: Int, work: Int, planted: Bool)] = []

    init(classID: String, classIDBytes: [UInt8], grade: Int, subjects: [SubjectPlan], subjectBytes: [[UInt8]]) {
        self.classID = classID
        self.classIDBytes = classIDBytes
        self.grade = grade
        self.subjects = subjects
        self.subjectBytes = subjectBytes
    }

    var nonLessonWorks: [Work] { works.filter { $0.kind != .control && $0.kind != .vpr } }

    func controlWork(subject: Int, day: Int) -> Int? { controlByLesson[subject << 16 | day] }

    /// Lays out the year's works: two control works a period in subjects that have them, an
    /// entry diagnostic in September, an administrative work in December, a ВПР-format
    /// diagnostic in February, ВПР in April and a final administrative work in May.
    mutating func schedule(
        calendar: SchoolCalendar, timetable: [[Int]], rng: inout SeededRandom, ctx: inout GenerationContext
    ) {
        guard grade >= 2 else { return }
        let days = calendar.lessonDays
        func add(_ subject: Int, _ day: Int, _ kind: WorkKind, _ title: String, _ max: Int) {
            let id = format2("W", ctx.nextWork, width: 7)
            ctx.nextWork += 1
            works.append(
                Work(
                    index: works.count, id: id, subject: subject, dayIndex: day, kind: kind, title: title, maxScore: max
                ))
            results.append([:])
        }
        for (s, subject) in subjects.enumerated() where subject.hasControlWorks {
            for period in calendar.assessmentPeriods(grade: grade) {
                let candidates = days.indices.filter {
                    period.contains(days[$0]) && timetable[days[$0].weekday - 1].contains(s)
                }
                guard candidates.count >= 4 else { continue }
                var number = 1
                for fraction in period.kind == .halfYear ? [0.3, 0.6, 0.9] : [0.45, 0.9] {
                    let d = candidates[
                        min(candidates.count - 1, Int(Double(candidates.count) * fraction) + rng.int(-1...0))]
                    if controlByLesson[s << 16 | d] != nil { continue }
                    controlByLesson[s << 16 | d] = works.count
                    add(s, d, .control, "Контрольная работа № \(number) (\(period.name))", 20)
                    number += 1
                }
            }
        }
        let russian = subjects.firstIndex { $0.name == "Русский язык" }
        let math = subjects.firstIndex { $0.name == "Математика" || $0.name == "Алгебра" }
        func day(month: Int, from: Int, to: Int) -> Int? {
            let window = days.indices.filter {
                let c = days[$0].components
                return c.month == month && c.day >= from && c.day <= to
            }
            return window.isEmpty ? nil : window[rng.int(0...(window.count - 1))]
        }
        for s in [russian, math].compactMap({ $0 }) {
            let name = subjects[s].name
            if let d = day(month: 9, from: 8, to: 19) {
                add(s, d, .diagnostic, "Входная диагностическая работа: \(name.lowercased())", 25)
            }
            if let d = day(month: 12, from: 8, to: 19) {
                add(
                    s, d, .administrative, "Административная контрольная работа за I полугодие: \(name.lowercased())",
                    30)
            }
            if [4, 5, 6, 7, 8, 10, 11].contains(grade), let d = day(month: 2, from: 2, to: 20) {
                add(s, d, .diagnostic, "Диагностическая работа в формате ВПР: \(name.lowercased())", 25)
            }
            if let d = day(month: 5, from: 12, to: 20) {
                add(s, d, .administrative, "Итоговая административная контрольная работа: \(name.lowercased())", 30)
            }
        }
        if [4, 5, 6, 7, 8, 10, 11].contains(grade) {
            for (k, s) in [russian, math].compactMap({ $0 }).enumerated() {
                if let d = day(month: 4, from: 7 + k * 7, to: 12 + k * 7) {
                    add(
                        s, d, .vpr,
                        "ВПР: \(subjects[s].name == "Алгебра" ? "математика" : subjects[s].name.lowercased())", 38)
                }
            }
        }
    }

    /// A pupil absent on a work's day: unexcused codes make the work missed.
    mutating func absent(work: Int, pupil: Int, code: UInt8) {
        let c = AttendanceCode(rawValue: code)
        if c?.isUnexcused == true {
            results[work][pupil] = .absent
            if works[work].kind != .control { misses.append((pupil, work, false)) }
        } else {
            results[work][pupil] = .excused
        }
    }

    /// For a pupil planted to miss works: whether this one is missed (and recorded so).
    mutating func planMiss(work: Int, pupil: Int, rng: inout SeededRandom) -> Bool {
        guard rng.chance(0.45) else { return false }
        results[work][pupil] = rng.chance(0.7) ? .absent : .missing
        misses.append((pupil, work, true))
        return true
    }

    /// A written work: the score follows the pupil's mean mark; returns the mark.
    mutating func write(work: Int, pupil: Int, mean: Double, rng: inout SeededRandom) -> UInt8 {
        let max = works[work].maxScore
        let share = min(1, Swift.max(0, (mean - 1.5) / 3.6 + rng.normal(0, 0.09)))
        let score = Int((share * Double(max)).rounded())
        let f = Double(score) / Double(max)
        let mark: UInt8 = f < 0.3 ? 2 : (f < 0.55 ? 3 : (f < 0.8 ? 4 : 5))
        results[work][pupil] = .written(score: score, mark: mark)
        return mark
    }

    func missed(pupil: Int) -> [(String, String, Bool)] {
        misses.filter { $0.pupil == pupil }.map {
            (works[$0.work].id, subjects[works[$0.work].subject].name, $0.planted)
        }
    }

    func writeResults(pupils: [LatentPupil], ctx: GenerationContext) throws {
        let t = ctx.tables
        for w in works {
            t.works.text(w.id)
            t.works.comma()
            t.works.bytes(classIDBytes)
            t.works.comma()
            t.works.bytes(subjectBytes[w.subject])
            t.works.comma()
            t.works.bytes(ctx.dates[w.dayIndex])
            t.works.comma()
            t.works.text(w.kind.rawValue)
            t.works.comma()
            t.works.text(w.title)
            t.works.comma()
            t.works.int(w.maxScore)
            try t.works.endRow()
            guard w.dayIndex < ctx.pastDays else { continue }
            for (pi, p) in pupils.enumerated() {
                let r = t.workResults
                let result = results[w.index][pi]
                if case .missing = result { continue }
                r.text(w.id)
                r.comma()
                r.bytes(p.idBytes)
                r.comma()
                switch result {
                case .written(let score, let mark)?:
                    r.text("written")
                    r.comma()
                    r.int(score)
                    r.comma()
                    r.int(Int(mark))
                case .absent?:
                    r.text("absent")
                    r.comma()
                    r.comma()
                case .excused?:
                    r.text("excused")
                    r.comma()
                    r.comma()
                case .missing?, nil:
                    // Grade-1 pupils and control works held on a day the pupil was not marked.
                    r.text("excused")
                    r.comma()
                    r.comma()
                }
                try r.endRow()
            }
        }
    }
}
