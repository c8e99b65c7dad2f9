import Foundation
import MayakSnapshot

/// A loaded snapshot written out as СГО («Сетевой город. Образование») would export it, for
/// the importer's round trip: per school, one class-journal page per class, subject and
/// period (HTML under an `.xls` name, as СГО saves it), and one сводная ведомость per class.
///
/// A journal page has the school's name as its first line, then «Учебный год: 2025/2026»,
/// «Период: с 12.01.2026 по 13.03.2026» (the period, cut at the as-of date), «Класс: 7А» and
/// «Предмет: Алгебра» above the table; month names over day numbers, a column for every day
/// with a mark or an absence in that class and subject; a row per pupil of the class with
/// journal cells (`4 5`, `5/Н`, `Н Н`, `Б`); «Итог.» the pupil's period mark for that period.
/// The сводная ведомость has a group of rows per pupil (the name merged down them), one per
/// finished period («1 четверть», «2 четверть», «1 полугодие», «Годовая»), a column per subject.
///
/// What the snapshot has and a journal does not show is not written: work types and weights,
/// lesson numbers, works and their results, ВПР, teachers and hours, birth dates.
public enum SGOExport {
    /// The files written, per school, in the order written.
    public struct Written: Sendable {
        public var journals: [String] = []
        public var summaries: [String] = []
        public var all: [String] { journals + summaries }
    }

    /// Writes into `folder` (created if absent) the pages of the classes in `only`: a class is
    /// written when its id or its school's id is in it (nil: every class).
    public static func write(_ s: Snapshot, only: Set<String>? = nil, to folder: String) throws -> Written {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let asOf = s.manifest.asOf
        let yearName = s.manifest.schoolYear.name
        // Rows of each pupil, and each pupil's class.
        var pupilsOfClass = [[Int]](repeating: [], count: s.classes.count)
        for p in 0..<s.pupils.count { pupilsOfClass[Int(s.pupils.classIndex[p])].append(p) }
        // (pupil, subject, day) → marks' texts and attendance codes.
        struct Key: Hashable {
            var pupil: Int32
            var subject: Int32
            var day: Int32
        }
        var marks: [Key: [String]] = [:]
        let markPupils = s.marks.pupil.rows
        for i in 0..<s.marks.count {
            let v = MarkValue(raw: s.marks.value[i])
            // A mark handed in on a day missed (`4/Н`) is the mark; its absence is attendance's row.
            let text = v.grade.map { MarkValue(grade: $0).description } ?? v.description
            marks[Key(pupil: markPupils[i], subject: Int32(s.marks.subject[i]), day: s.marks.date(i)), default: []]
                .append(text)
        }
        var codes: [Key: [String]] = [:]
        for i in 0..<s.attendance.count where s.attendance.subject[i] >= 0 {
            let code = AttendanceCode(rawValue: s.attendance.code[i])?.description ?? "Н"
            codes[
                Key(pupil: s.attendance.pupil[i], subject: s.attendance.subject[i], day: s.attendance.day[i]),
                default: []
            ].append(code)
        }
        var periodMarks: [[Int32]: String] = [:]
        for i in 0..<s.periodMarks.count {
            periodMarks[[s.periodMarks.pupil[i], s.periodMarks.subject[i], Int32(s.periodMarks.period[i])]] =
                MarkValue(raw: s.periodMarks.value[i]).description
        }
        var subjectsOfClass = [[Int32]](repeating: [], count: s.classes.count)
        for i in 0..<s.classSubjects.count {
            subjectsOfClass[Int(s.classSubjects.classIndex[i])].append(s.classSubjects.subject[i])
        }
        // Days with something in them, per (class, subject).
        var daysOf: [[Int32]: Set<Int32>] = [:]
        for k in Set(marks.keys).union(codes.keys) {
            daysOf[[s.pupils.classIndex[Int(k.pupil)], k.subject], default: []].insert(k.day)
        }

        var written = Written()
        for c in 0..<s.classes.count {
            let schoolIndex = Int(s.classes.school[c])
            let schoolID = s.schools.id[schoolIndex]
            if let only, !only.contains(schoolID), !only.contains(s.classes.id[c]) { continue }
            let schoolName = s.schools.name[schoolIndex]
            let label = s.classes.displayName(c)
            let grade = Int(s.classes.grade[c])
            let pupils = pupilsOfClass[c]
            // The periods of the grade; a grade the calendar gives none (grade 1 in the
            // generator's calendar) keeps the quarters its journal still has.
            var periods = s.manifest.assessmentPeriods(grade: grade)
            if periods.isEmpty { periods = s.periods.filter { $0.kind == .quarter } }
            for (si, subject) in subjectsOfClass[c].enumerated() {
                let allDays = daysOf[[Int32(c), subject]] ?? []
                for period in periods where period.start <= asOf {
                    let to = min(period.end, asOf)
                    let days = allDays.filter { $0 >= period.start.number && $0 <= to.number }.sorted()
                    guard let pi = s.periods.firstIndex(of: period) else { continue }
                    let finals = pupils.map { periodMarks[[Int32($0), subject, Int32(pi)]] ?? "" }
                    // A journal with no day in it is no table СГО would give.
                    guard !days.isEmpty else { continue }
                    var rows: [(name: String, cells: [String], final: String)] = []
                    for (n, p) in pupils.enumerated() {
                        let cells = days.map { d -> String in
                            let k = Key(pupil: Int32(p), subject: subject, day: d)
                            let m = marks[k] ?? []
                            let a = codes[k] ?? []
                            if m.count == 1 && a.count == 1 { return m[0] + "/" + a[0] }
                            return (m + a).joined(separator: " ")
                        }
                        rows.append((s.pupils.fullName[p], cells, finals[n]))
                    }
                    let page = journal(
                        school: schoolName, year: yearName, from: period.start, to: to, klass: label,
                        subject: s.subjects[subject], days: days.map { Day(number: $0) }, pupils: rows)
                    let path = "\(folder)/\(schoolID)-\(label)-\(si + 1)-\(period.id).xls"
                    try Data(page.utf8).write(to: URL(fileURLWithPath: path))
                    written.journals.append(path)
                }
            }
            // The сводная ведомость: the finished periods of the grade, and the year once it is over.
            let finished = (s.manifest.assessmentPeriods(grade: grade) + s.periods.filter { $0.kind == .year })
                .filter { $0.grades.contains(grade) && $0.end <= asOf }
            guard !finished.isEmpty, !pupils.isEmpty else { continue }
            let subjects = subjectsOfClass[c]
            var table: [(name: String, rows: [(period: String, cells: [String])])] = []
            for p in pupils {
                let rows = finished.map { period -> (String, [String]) in
                    let pi = Int32(s.periods.firstIndex(of: period)!)
                    return (summaryName(period), subjects.map { periodMarks[[Int32(p), $0, pi]] ?? "" })
                }
                table.append((s.pupils.fullName[p], rows))
            }
            let page = summary(
                school: schoolName, year: yearName, klass: label, subjects: subjects.map { s.subjects[$0] },
                pupils: table)
            let path = "\(folder)/\(schoolID)-\(label)-svod.xls"
            try Data(page.utf8).write(to: URL(fileURLWithPath: path))
            written.summaries.append(path)
        }
        return written
    }

    /// A period as a сводная ведомость names its row.
    static func summaryName(_ p: Period) -> String {
        let n = p.id.dropFirst()
        switch p.kind {
        case .quarter: return p.id.hasPrefix("T") ? "\(n) триместр" : "\(n) четверть"
        case .halfYear: return "\(n) полугодие"
        case .year: return "Годовая"
        }
    }

    static let months = [
        "Январь", "Февраль", "Март", "Апрель", "Май", "Июнь", "Июль", "Август", "Сентябрь", "Октябрь", "Ноябрь",
        "Декабрь",
    ]

    static func escaped(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    /// A class-journal page.
    public static func journal(
        school: String, year: String, from: Day, to: Day, klass: String, subject: String, days: [Day],
        pupils: [(name: String, cells: [String], final: String)]
    ) -> String {
        var html = """
            <html><head><meta charset="utf-8"></head><body>
            <div>\(escaped(school))</div>
            <p>Учебный год: \(year)<br>Период: с \(from.russian) по \(to.russian)</p>
            <div><b>Класс:</b> \(escaped(klass))</div><div><b>Предмет:</b> \(escaped(subject))</div>
            <table border="1"><tr><th rowspan="2">№</th><th rowspan="2">Ученик</th>
            """
        // Months in the order of the days, each over its days.
        var runs: [(month: Int, count: Int)] = []
        for d in days {
            let m = d.components.month
            if let last = runs.last, last.month == m { runs[runs.count - 1].count += 1 } else { runs.append((m, 1)) }
        }
        for r in runs { html += "<th colspan=\"\(r.count)\">\(months[r.month - 1])</th>" }
        html += "<th rowspan=\"2\">Средн.</th><th rowspan=\"2\">Итог.</th></tr>\n<tr>"
        for d in days { html += "<th>\(d.components.day)</th>" }
        html += "</tr>\n"
        for (i, p) in pupils.enumerated() {
            html += "<tr><td>\(i + 1)</td><td>\(escaped(p.name))</td>"
            for c in p.cells { html += "<td>\(c)</td>" }
            html += "<td></td><td>\(p.final)</td></tr>\n"
        }
        return html + "</table></body></html>\n"
    }

    /// A сводная ведомость page.
    public static func summary(
        school: String, year: String, klass: String, subjects: [String],
        pupils: [(name: String, rows: [(period: String, cells: [String])])]
    ) -> String {
        var html = """
            <html><head><meta charset="utf-8"></head><body>
            <div>\(escaped(school))</div><p>Сводная ведомость учёта успеваемости</p>
            <p>Учебный год: \(year)</p><p>Класс: \(escaped(klass))</p>
            <table border="1"><tr><th>Ученик</th><th>Период</th>
            """
        for s in subjects { html += "<th>\(escaped(s))</th>" }
        html += "<th>Решение педагогического совета</th></tr>\n"
        for p in pupils {
            for (i, row) in p.rows.enumerated() {
                html += "<tr>" + (i == 0 ? "<td rowspan=\"\(p.rows.count)\">\(escaped(p.name))</td>" : "")
                html += "<td>\(row.period)</td>"
                for c in row.cells { html += "<td>\(c)</td>" }
                html += i == 0 ? "<td rowspan=\"\(p.rows.count)\"></td></tr>\n" : "</tr>\n"
            }
        }
        return html + "</table></body></html>\n"
    }
}
