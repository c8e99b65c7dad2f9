/// The usual Russian school calendar: four quarters for grades 2–9, two half-years for
/// 10–11, and the year; Monday–Friday lessons outside the holidays. The generator and the
/// rules' test fixtures use it; real snapshots bring their own in the manifest.
public struct StandardCalendar: Sendable {
    public let schoolYear: SchoolYear
    public let periods: [Period]
    /// Lesson days from the first of September to the end of May.
    public let lessonDays: [Day]

    /// The calendar of the school year containing `day`.
    public init(containing day: Day) {
        let (y, m, _) = day.components
        let s = m >= 9 ? y : y - 1
        let e = s + 1
        func d(_ year: Int, _ month: Int, _ day: Int) -> Day { Day(year: year, month: month, day: day)! }
        schoolYear = SchoolYear(name: "\(s)/\(e)", start: d(s, 9, 1), end: d(e, 8, 31))
        periods = [
            Period(id: "Q1", name: "I четверть", kind: .quarter, grades: 2...9, start: d(s, 9, 1), end: d(s, 10, 24)),
            Period(id: "Q2", name: "II четверть", kind: .quarter, grades: 2...9, start: d(s, 11, 5), end: d(s, 12, 28)),
            Period(id: "Q3", name: "III четверть", kind: .quarter, grades: 2...9, start: d(e, 1, 12), end: d(e, 3, 20)),
            Period(id: "Q4", name: "IV четверть", kind: .quarter, grades: 2...9, start: d(e, 3, 30), end: d(e, 5, 26)),
            Period(
                id: "H1", name: "I полугодие", kind: .halfYear, grades: 10...11, start: d(s, 9, 1), end: d(s, 12, 28)),
            Period(
                id: "H2", name: "II полугодие", kind: .halfYear, grades: 10...11, start: d(e, 1, 12), end: d(e, 5, 26)),
            Period(id: "Y", name: "Год", kind: .year, grades: 2...11, start: d(s, 9, 1), end: d(e, 5, 26)),
        ]
        let holidays: Set<Day> = [d(s, 11, 4), d(e, 2, 23), d(e, 3, 9), d(e, 5, 1), d(e, 5, 11)]
        var days: [Day] = []
        for q in periods where q.kind == .quarter {
            var day = q.start
            while day <= q.end {
                if day.weekday <= 5 && !holidays.contains(day) { days.append(day) }
                day = day + 1
            }
        }
        lessonDays = days
    }

    public func manifest(district: String, asOf: Day) -> Manifest {
        Manifest(district: district, schoolYear: schoolYear, asOf: asOf, periods: periods)
    }

    /// The assessment periods (quarters or half-years) of a grade.
    public func assessmentPeriods(grade: Int) -> [Period] {
        periods.filter { $0.kind != .year && $0.grades.contains(grade) }
    }
}
