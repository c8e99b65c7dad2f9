import Foundation

/// What `mayak check` prints: the size of the snapshot and the period figures per school
/// and for the district.
public struct SnapshotSummary: Sendable {
    public struct Counts: Sendable, Equatable {
        public var schools = 0, classes = 0, pupils = 0, marks = 0, periodMarks = 0
        public var attendance = 0, works = 0, workResults = 0, vprResults = 0
    }

    public struct Line: Sendable {
        public var id: String
        public var name: String
        public var figures: PeriodFigures
    }

    public var district: String
    public var schoolYear: String
    public var asOf: Day
    public var counts: Counts
    /// The periods the figures are for («II четверть» for grades 2–9, «I полугодие» for 10–11).
    public var periodNames: [String]
    public var schools: [Line]
    public var total: PeriodFigures

    public init(_ s: Snapshot) {
        district = s.manifest.district
        schoolYear = s.manifest.schoolYear.name
        asOf = s.manifest.asOf
        counts = Counts(
            schools: s.schools.count, classes: s.classes.count, pupils: s.pupils.count, marks: s.marks.count,
            periodMarks: s.periodMarks.count, attendance: s.attendance.count, works: s.works.count,
            workResults: s.workResults.count, vprResults: s.vprResults.count)
        let latest = s.latestFinishedPeriodByPupil()
        periodNames = Set(latest.filter { $0 >= 0 }).sorted().map { s.manifest.periods[$0].name }
        let perPupil = s.pupilFigures()
        var bySchool = [PeriodFigures](repeating: PeriodFigures(), count: s.schools.count)
        for p in 0..<s.pupils.count {
            bySchool[Int(s.classes.school[Int(s.pupils.classIndex[p])])] += perPupil[p]
        }
        schools = (0..<s.schools.count).map {
            Line(id: s.schools.id[$0], name: s.schools.name[$0], figures: bySchool[$0])
        }
        total = bySchool.reduce(into: PeriodFigures()) { $0 += $1 }
    }

    /// The summary as a terminal report, in Russian.
    public func rendered() -> String {
        func n(_ v: Int) -> String { Russian.number(v) }
        func pct(_ v: Double?) -> String { v.map { Russian.fixed($0, places: 1) } ?? "—" }
        var out = "\(district), \(schoolYear) учебный год, данные на \(asOf.russian)\n\n"
        out += "Школ: \(n(counts.schools)); классов: \(n(counts.classes)); учеников: \(n(counts.pupils))\n"
        out +=
            "Отметок: \(n(counts.marks)); отметок за периоды: \(n(counts.periodMarks)); пропусков: \(n(counts.attendance))\n"
        out +=
            "Работ: \(n(counts.works)); результатов работ: \(n(counts.workResults)); результатов ВПР: \(n(counts.vprResults))\n\n"
        if periodNames.isEmpty {
            out += "Ни один учебный период ещё не завершён: показателей успеваемости нет.\n"
            return out
        }
        out += "Итоги периода: \(periodNames.joined(separator: ", "))\n"
        let nameWidth = max(24, min(60, schools.map(\.name.count).max() ?? 0))
        func pad(_ s: String, _ w: Int, left: Bool = false) -> String {
            let fill = String(repeating: " ", count: max(0, w - s.count))
            return left ? s + fill : fill + s
        }
        out +=
            pad("Школа", nameWidth, left: true) + pad("Учеников", 10) + pad("Аттест.", 9) + pad("Успев., %", 11)
            + pad("Качество, %", 13) + pad("СОУ, %", 8) + pad("Неусп.", 8) + "\n"
        func row(_ name: String, _ f: PeriodFigures) -> String {
            pad(name, nameWidth, left: true) + pad(n(f.pupils), 10) + pad(n(f.assessed), 9)
                + pad(pct(f.successRate), 11)
                + pad(pct(f.qualityRate), 13) + pad(pct(f.degreeOfLearning), 8) + pad(n(f.failing), 8) + "\n"
        }
        for line in schools { out += row(String(line.name.prefix(nameWidth)), line.figures) }
        out += row("Итого по округу", total)
        return out
    }
}
