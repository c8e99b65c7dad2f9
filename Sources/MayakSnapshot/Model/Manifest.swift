/// The snapshot's `manifest.yaml`: what district, which school year, as of which day, and
/// the period calendar.
public struct Manifest: Hashable, Sendable {
    public var formatVersion: Int
    public var district: String
    public var schoolYear: SchoolYear
    public var asOf: Day
    public var periods: [Period]
    /// What generated the snapshot, when `mayak generate` did (`generated:` in the file).
    public var generated: Generated?

    /// The generator's settings a generated snapshot follows from.
    public struct Generated: Hashable, Sendable {
        public var preset: String
        public var seed: UInt64
        public var edgeCases: Bool
        public init(preset: String, seed: UInt64, edgeCases: Bool = false) {
            self.preset = preset
            self.seed = seed
            self.edgeCases = edgeCases
        }
    }

    public init(
        formatVersion: Int = 1, district: String, schoolYear: SchoolYear, asOf: Day, periods: [Period],
        generated: Generated? = nil
    ) {
        self.formatVersion = formatVersion
        self.district = district
        self.schoolYear = schoolYear
        self.asOf = asOf
        self.periods = periods
        self.generated = generated
    }

    public func period(id: String) -> Period? { periods.first { $0.id == id } }

    /// The period of `kind` containing `day` for `grade`, if any.
    public func period(containing day: Day, grade: Int, kind: Period.Kind) -> Period? {
        periods.first { $0.kind == kind && $0.grades.contains(grade) && $0.start <= day && day <= $0.end }
    }

    /// The assessment periods (quarters or half-years, not the year) that apply to `grade`.
    public func assessmentPeriods(grade: Int) -> [Period] {
        periods.filter { $0.kind != .year && $0.grades.contains(grade) }.sorted { $0.start < $1.start }
    }

    /// The latest assessment period for `grade` that ended on or before the as-of date.
    public func latestFinishedPeriod(grade: Int) -> Period? {
        assessmentPeriods(grade: grade).last { $0.end <= asOf }
    }
}

/// A school year such as 2025/2026.
public struct SchoolYear: Hashable, Sendable {
    public var name: String
    public var start: Day
    public var end: Day

    public init(name: String, start: Day, end: Day) {
        self.name = name
        self.start = start
        self.end = end
    }

    public func contains(_ day: Day) -> Bool { start <= day && day <= end }

    /// The calendar year in which the school year's spring falls (2026 for 2025/2026): ВПР
    /// results are keyed by it.
    public var springYear: Int { end.components.year }
}

/// A quarter, half-year or the year, for a range of grades.
public struct Period: Hashable, Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case quarter
        case halfYear = "half-year"
        case year
    }

    public var id: String
    public var name: String
    public var kind: Kind
    public var grades: ClosedRange<Int>
    public var start: Day
    public var end: Day

    public init(id: String, name: String, kind: Kind, grades: ClosedRange<Int>, start: Day, end: Day) {
        self.id = id
        self.name = name
        self.kind = kind
        self.grades = grades
        self.start = start
        self.end = end
    }

    public func contains(_ day: Day) -> Bool { start <= day && day <= end }
}
