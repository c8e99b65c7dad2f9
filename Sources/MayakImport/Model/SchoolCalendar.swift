import MayakSnapshot

/// The periods of a school year, made from a preset so that nobody writes a manifest by hand.
///
/// Dates are the usual Russian calendar's (documented in docs/import.md): the year runs from
/// 1 September to 31 August, lessons end on 26 May; quarters I 1.09–27.10, II 5.11–28.12,
/// III 9.01–22.03, IV 1.04–26.05; half-years I 1.09–28.12, II 9.01–26.05; trimesters
/// I 1.09–30.11, II 1.12–28.02 (29.02), III 1.03–26.05. Quarters are for grades 1–9 and
/// half-years for 10–11 (`quarters`, the default); `trimesters` replaces the quarters;
/// `half-years` gives every grade half-years. A year period `Y` covers every grade.
public enum SchoolCalendar: String, Sendable, CaseIterable {
    case quarters
    case trimesters
    case halfYears = "half-years"

    /// The school year named like `2025/2026`: its first calendar year, or nil.
    public static func startYear(_ name: String) -> Int? {
        let parts = name.split(whereSeparator: { $0 == "/" || $0 == "-" || $0 == "–" })
        guard parts.count == 2, let a = Int(String(parts[0]).trimmingSpaces()),
            let b = Int(String(parts[1]).trimmingSpaces()),
            b == a + 1, (1950...2199).contains(a)
        else { return nil }
        return a
    }

    /// The school year that holds `day` (from 1 September).
    public static func startYear(of day: Day) -> Int {
        let (y, m, _) = day.components
        return m >= 9 ? y : y - 1
    }

    /// A preset as the command line names it: `quarters`, `trimesters`, `half-years`, or one
    /// with the grades that use its quarters or trimesters, `trimesters/1-11` (the other
    /// grades have half-years).
    public static func parse(_ text: String) -> (SchoolCalendar, ClosedRange<Int>)? {
        let parts = text.split(separator: "/", maxSplits: 1)
        guard let first = parts.first, let preset = SchoolCalendar(rawValue: String(first)) else { return nil }
        guard parts.count == 2 else { return (preset, preset == .halfYears ? 1...11 : 1...9) }
        let bounds = parts[1].split(separator: "-").compactMap { Int($0) }
        guard bounds.count == 2, 1 <= bounds[0], bounds[0] <= bounds[1], bounds[1] <= 11, preset != .halfYears else {
            return nil
        }
        return (preset, bounds[0]...bounds[1])
    }

    /// The manifest's periods for the school year starting in September of `year`; `lower`
    /// are the grades with quarters or trimesters, the rest have half-years.
    public func periods(startYear year: Int, grades lower: ClosedRange<Int>? = nil) -> [Period] {
        let n = year + 1
        func d(_ y: Int, _ m: Int, _ day: Int) -> Day { Day(year: y, month: m, day: day)! }
        let endOfFebruary = Day.daysInMonth(year: n, month: 2)
        var list: [Period] = []
        func add(_ id: String, _ name: String, _ kind: Period.Kind, _ grades: ClosedRange<Int>, _ a: Day, _ b: Day) {
            list.append(Period(id: id, name: name, kind: kind, grades: grades, start: a, end: b))
        }
        let lower: ClosedRange<Int> = self == .halfYears ? 1...11 : (lower ?? 1...9)
        switch self {
        case .quarters:
            add("Q1", "I четверть", .quarter, lower, d(year, 9, 1), d(year, 10, 27))
            add("Q2", "II четверть", .quarter, lower, d(year, 11, 5), d(year, 12, 28))
            add("Q3", "III четверть", .quarter, lower, d(n, 1, 9), d(n, 3, 22))
            add("Q4", "IV четверть", .quarter, lower, d(n, 4, 1), d(n, 5, 26))
        case .trimesters:
            add("T1", "I триместр", .quarter, lower, d(year, 9, 1), d(year, 11, 30))
            add("T2", "II триместр", .quarter, lower, d(year, 12, 1), d(n, 2, endOfFebruary))
            add("T3", "III триместр", .quarter, lower, d(n, 3, 1), d(n, 5, 26))
        case .halfYears:
            break
        }
        let upper: ClosedRange<Int>? =
            self == .halfYears ? 1...11 : (lower.upperBound < 11 ? (lower.upperBound + 1)...11 : nil)
        if let upper {
            add("H1", "I полугодие", .halfYear, upper, d(year, 9, 1), d(year, 12, 28))
            add("H2", "II полугодие", .halfYear, upper, d(n, 1, 9), d(n, 5, 26))
        }
        add("Y", "Год", .year, 1...11, d(year, 9, 1), d(n, 5, 26))
        return list
    }
}
