import MayakSnapshot

/// The periods of a school year, made from a preset so that nobody writes a manifest by hand.
///
/// `quarters` (the default) is the standard calendar Mayak's generator and rule fixtures use
/// (`StandardCalendar`): the year runs from 1 September to 31 August, lessons end on 26 May;
/// quarters I 1.09–24.10, II 5.11–28.12, III 12.01–20.03, IV 30.03–26.05 for grades 2–9,
/// half-years I 1.09–28.12 and II 12.01–26.05 for grades 10–11, the year for grades 2–11
/// (grade 1 is taught without marks). `trimesters` replaces the quarters with I 1.09–30.11,
/// II 1.12–28.02 (29.02), III 1.03–26.05; `half-years` gives grades 2–11 half-years. A grade
/// range (`trimesters/1-11`) names the grades with quarters or trimesters; the grades above
/// have half-years.
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
        guard parts.count == 2 else { return (preset, preset == .halfYears ? 2...11 : 2...9) }
        let bounds = parts[1].split(separator: "-").compactMap { Int($0) }
        guard bounds.count == 2, 1 <= bounds[0], bounds[0] <= bounds[1], bounds[1] <= 11, preset != .halfYears else {
            return nil
        }
        return (preset, bounds[0]...bounds[1])
    }

    /// The manifest's periods for the school year starting in September of `year`; `lower`
    /// are the grades with quarters or trimesters (2–9 unless given), the rest have half-years.
    public func periods(startYear year: Int, grades lower: ClosedRange<Int>? = nil) -> [Period] {
        let standard = StandardCalendar(containing: Day(year: year, month: 9, day: 1)!).periods
        let n = year + 1
        func d(_ y: Int, _ m: Int, _ day: Int) -> Day { Day(year: y, month: m, day: day)! }
        let lower: ClosedRange<Int> = self == .halfYears ? (lower ?? 2...11) : (lower ?? 2...9)
        var list: [Period] = []
        switch self {
        case .quarters:
            for var p in standard where p.kind == .quarter {
                p.grades = lower
                list.append(p)
            }
        case .trimesters:
            list += [
                Period(
                    id: "T1", name: "I триместр", kind: .quarter, grades: lower, start: d(year, 9, 1),
                    end: d(year, 11, 30)),
                Period(
                    id: "T2", name: "II триместр", kind: .quarter, grades: lower, start: d(year, 12, 1),
                    end: d(n, 2, Day.daysInMonth(year: n, month: 2))),
                Period(
                    id: "T3", name: "III триместр", kind: .quarter, grades: lower, start: d(n, 3, 1), end: d(n, 5, 26)),
            ]
        case .halfYears:
            break
        }
        let upper: ClosedRange<Int>? =
            self == .halfYears ? lower : (lower.upperBound < 11 ? (lower.upperBound + 1)...11 : nil)
        if let upper {
            for var p in standard where p.kind == .halfYear {
                p.grades = upper
                list.append(p)
            }
        }
        for var p in standard where p.kind == .year {
            p.grades = min(lower.lowerBound, upper?.lowerBound ?? 11)...11
            list.append(p)
        }
        return list
    }
}
