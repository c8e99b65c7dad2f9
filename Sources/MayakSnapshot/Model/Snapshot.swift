/// A gradebook snapshot of a district, held in columns.
///
/// Every entity has a dense index (its row number); references between tables are those
/// indexes, not the ids of the files. Strings that repeat (subjects, work types, teachers)
/// are dictionary-encoded; dates are `Day` numbers; a mark is one byte.
///
/// ```
///  pupils ──class──▶ classes ──school──▶ schools
///    ▲
///    ├── marks          (pupil, subject, day, value, work type, weight)
///    ├── periodMarks    (pupil, subject, period, value)
///    ├── attendance     (pupil, day, lesson, subject?, code)
///    ├── workResults ──▶ works ──class──▶ classes
///    └── vprResults     (pupil id kept as text: pupils who left still have history)
/// ```
public struct Snapshot: Equatable, Sendable {
    public var manifest: Manifest
    public var schools = SchoolTable()
    public var classes = ClassTable()
    public var pupils = PupilTable()
    /// Subject names, indexed by the `subject` columns of every table.
    public var subjects = Vocabulary()
    /// Work types («ответ на уроке», «контрольная работа», …), indexed by `marks.workType`.
    public var workTypes = Vocabulary()
    public var classSubjects = ClassSubjectTable()
    public var marks = MarkTable()
    public var periodMarks = PeriodMarkTable()
    public var attendance = AttendanceTable()
    public var works = WorkTable()
    public var workResults = WorkResultTable()
    public var vprResults = VPRResultTable()
    public var vprScales = VPRScaleTable()

    public init(manifest: Manifest) { self.manifest = manifest }

    public var periods: [Period] { manifest.periods }
}

/// A dictionary encoding: each distinct string gets the next index.
public struct Vocabulary: Equatable, Sendable {
    public private(set) var values: [String] = []
    private var index: [String: Int32] = [:]

    public init() {}

    /// A vocabulary with these values, in this order.
    public init(values: [String]) {
        for v in values { intern(v) }
    }

    public var count: Int { values.count }
    public subscript(i: Int32) -> String { values[Int(i)] }
    public subscript(i: UInt16) -> String { values[Int(i)] }

    public func code(of value: String) -> Int32? { index[value] }

    @discardableResult
    public mutating func intern(_ value: String) -> Int32 {
        if let code = index[value] { return code }
        let code = Int32(values.count)
        values.append(value)
        index[value] = code
        return code
    }

    public static func == (a: Vocabulary, b: Vocabulary) -> Bool { a.values == b.values }
}

public struct SchoolTable: Equatable, Sendable {
    public var id: [String] = []
    public var name: [String] = []
    public var municipality: [String] = []
    public var count: Int { id.count }
}

public struct ClassTable: Equatable, Sendable {
    public var id: [String] = []
    public var school: [Int32] = []
    public var grade: [UInt8] = []
    public var letter: [String] = []
    public var classTeacher: [String] = []
    public var count: Int { id.count }

    /// «7А», the way a class is named at school.
    public func displayName(_ i: Int) -> String { "\(grade[i])\(letter[i])" }
}

public struct PupilTable: Equatable, Sendable {
    public var id: [String] = []
    public var classIndex: [Int32] = []
    public var fullName: [String] = []
    /// Columns of pupils.csv that the format does not define, kept with their values.
    public var extraColumns: [String] = []
    /// `extraValues[c][p]`: the value of extra column `c` for pupil `p`.
    public var extraValues: [[String]] = []
    public var count: Int { id.count }
}

public struct ClassSubjectTable: Equatable, Sendable {
    public var classIndex: [Int32] = []
    public var subject: [Int32] = []
    public var teacher: [String] = []
    public var hoursPerWeek: [Float] = []  // -1 when not given
    public var count: Int { classIndex.count }
}

public struct MarkTable: Equatable, Sendable {
    /// Stored as runs: marks come pupil by pupil, so a region's 95 million rows are about
    /// 250,000 runs (2 MB, not 380).
    public var pupil = PupilRuns()
    /// Subject and work type codes in two bytes (the loader refuses a 65,537th).
    public var subject: [UInt16] = []
    /// Dates in two bytes: days since `MarkTable.firstDay` (1900-01-01), so 1900–2079; the
    /// loader refuses a mark dated outside. `date(_:)` gives the day number.
    public var day: [UInt16] = []
    public var value: [UInt8] = []
    public var workType: [UInt16] = []
    /// A byte per mark: weights repeat (1, 1,5, 2, …).
    public var weight = WeightColumn()
    public var count: Int { pupil.count }

    /// The day number of the first day a mark's date can be (1900-01-01); the last is 65,535 days later.
    public static let firstDay = Day(year: 1900, month: 1, day: 1)!.number
    /// What `day` holds for a date; nil for a date it cannot hold.
    @inlinable public static func dayOffset(_ day: Int32) -> UInt16? { UInt16(exactly: Int(day) - Int(firstDay)) }
    /// The day number of row `i`.
    @inlinable public func date(_ i: Int) -> Int32 { MarkTable.date(day[i]) }
    /// The day number of a stored `day`.
    @inlinable public static func date(_ offset: UInt16) -> Int32 { firstDay + Int32(offset) }
}

/// Weights as one-byte codes into a table of the weights seen, in order of first sight (so a
/// file read whole or in chunks numbers them alike). At most 256 distinct weights. A weight is
/// kept exactly, in hundredths (`1,5` is 150): a weighted mean is then a sum of whole numbers
/// and one division, so 2 (0,1), 2 (0,6), 3 (0,7) average exactly 2,5.
public struct WeightColumn: Equatable, Sendable {
    public internal(set) var codes: [UInt8] = []
    /// Each code's weight in hundredths.
    public private(set) var table: [UInt16] = []

    /// Hundredths in a weight of 1.
    public static let unit = 100
    /// The weights a mark may have, in hundredths (0,1…10).
    public static let range: ClosedRange<UInt16> = 10...1000

    public init() {}

    /// As stored (a cache); nil when a code has no weight or a weight is out of range.
    public init?(codes: [UInt8], table: [UInt16]) {
        guard table.count <= 256, table.allSatisfy({ WeightColumn.range.contains($0) }),
            codes.allSatisfy({ Int($0) < table.count })
        else { return nil }
        self.codes = codes
        self.table = table
    }

    public var count: Int { codes.count }
    /// Row `i`'s weight in hundredths.
    @inlinable public subscript(i: Int) -> UInt16 { table[Int(codes[i])] }
    /// Row `i`'s weight as a number (`1,5`).
    @inlinable public func value(_ i: Int) -> Double { WeightColumn.value(self[i]) }
    /// A weight written as the format writes it (`1,5`, `0.25`, `2`) in hundredths; nil when it
    /// is not a number with at most two decimal places in `range`.
    public static func hundredths(parsing text: String) -> UInt16? {
        let v = Array(text.utf8).withUnsafeBufferPointer { Row.parseFixed($0, places: 2) }
        guard let v, let h = UInt16(exactly: v), range.contains(h) else { return nil }
        return h
    }

    /// A weight in hundredths as `marks.csv` writes it, with a decimal comma (`150` is `1,5`).
    public static func text(hundredths h: UInt16) -> String {
        let whole = h / 100
        let fraction = h % 100
        if fraction == 0 { return String(whole) }
        return "\(whole),"
            + (fraction % 10 == 0 ? String(fraction / 10) : (fraction < 10 ? "0" : "") + String(fraction))
    }

    /// A weight in hundredths as a number.
    @inlinable public static func value(_ hundredths: UInt16) -> Double { Double(hundredths) / Double(unit) }

    /// The code of a weight in hundredths, numbering it if new; nil when 256 weights are
    /// numbered already.
    public mutating func code(of w: UInt16) -> UInt8? {
        if let c = table.firstIndex(of: w) { return UInt8(c) }
        guard table.count < 256 else { return nil }
        table.append(w)
        return UInt8(table.count - 1)
    }

    /// False (and nothing appended) when `w` would be a 257th distinct weight.
    @discardableResult
    public mutating func append(_ w: UInt16) -> Bool {
        guard let c = code(of: w) else { return false }
        codes.append(c)
        return true
    }

    /// Every row's weight in hundredths, written out.
    public var values: [UInt16] { codes.map { table[Int($0)] } }
}

/// A column of pupil indexes kept as runs of equal values: for each run its pupil and the
/// row after its last. Adjacent runs never have the same pupil, so equal columns are equal.
public struct PupilRuns: Equatable, Sendable {
    public private(set) var pupils: [Int32] = []
    public private(set) var ends: [Int32] = []

    public init() {}

    public init<S: Sequence>(_ rows: S) where S.Element == Int32 {
        for p in rows { append(p) }
    }

    /// Runs as stored (a cache); nil unless the ends rise and no two adjacent runs share a pupil.
    public init?(pupils: [Int32], ends: [Int32]) {
        guard pupils.count == ends.count else { return nil }
        for r in pupils.indices {
            guard ends[r] > (r == 0 ? 0 : ends[r - 1]), r == 0 || pupils[r] != pupils[r - 1] else { return nil }
        }
        self.pupils = pupils
        self.ends = ends
    }

    public var count: Int { Int(ends.last ?? 0) }
    public var isEmpty: Bool { ends.isEmpty }

    public mutating func append(_ p: Int32) {
        if let last = pupils.last, last == p {
            ends[ends.count - 1] += 1
        } else {
            pupils.append(p)
            ends.append(Int32(count + 1))
        }
    }

    public mutating func append(contentsOf other: PupilRuns) {
        let base = Int32(count)
        for r in other.pupils.indices {
            let length = other.ends[r] - (r == 0 ? 0 : other.ends[r - 1])
            if r == 0, let last = pupils.last, last == other.pupils[0] {
                ends[ends.count - 1] += length
            } else {
                pupils.append(other.pupils[r])
                ends.append(base + other.ends[r])
            }
        }
    }

    /// The pupil of row `i`.
    public subscript(i: Int) -> Int32 {
        var a = 0
        var b = ends.count
        while a < b {
            let m = (a + b) / 2
            if Int(ends[m]) <= i { a = m + 1 } else { b = m }
        }
        return pupils[a]
    }

    /// Every row's pupil, written out.
    public var rows: [Int32] {
        var out: [Int32] = []
        out.reserveCapacity(count)
        for r in pupils.indices {
            out.append(contentsOf: repeatElement(pupils[r], count: Int(ends[r] - (r == 0 ? 0 : ends[r - 1]))))
        }
        return out
    }

    /// The rows of run `r`.
    public func rows(ofRun r: Int) -> Range<Int> { Int(r == 0 ? 0 : ends[r - 1])..<Int(ends[r]) }
}

public struct PeriodMarkTable: Equatable, Sendable {
    public var pupil: [Int32] = []
    public var subject: [Int32] = []
    public var period: [UInt8] = []  // index into manifest.periods
    public var value: [UInt8] = []
    public var count: Int { pupil.count }
}

public struct AttendanceTable: Equatable, Sendable {
    public var pupil: [Int32] = []
    public var day: [Int32] = []
    public var lesson: [Int8] = []  // 0 when not given
    public var subject: [Int32] = []  // -1 when not given
    public var code: [UInt8] = []  // AttendanceCode raw value
    public var count: Int { pupil.count }
}

/// The kind of a scheduled work.
public enum WorkKind: String, Sendable, CaseIterable {
    case control, diagnostic, administrative, vpr

    /// Accepted spellings, after lower-casing: English names and the Russian words of exports.
    static let tokens: [String: WorkKind] = [
        "control": .control, "контрольная": .control, "контрольная работа": .control, "кр": .control,
        "diagnostic": .diagnostic, "диагностическая": .diagnostic, "диагностическая работа": .diagnostic,
        "диагностика": .diagnostic, "др": .diagnostic,
        "administrative": .administrative, "административная": .administrative,
        "административная контрольная": .administrative, "административная контрольная работа": .administrative,
        "акр": .administrative,
        "vpr": .vpr, "впр": .vpr,
    ]

    public static func parse(_ text: String) -> WorkKind? { tokens[Substring(text).trimmingSpaces().lowercased()] }

    public var russian: String {
        switch self {
        case .control: return "контрольная работа"
        case .diagnostic: return "диагностическая работа"
        case .administrative: return "административная контрольная работа"
        case .vpr: return "ВПР"
        }
    }
}

public struct WorkTable: Equatable, Sendable {
    public var id: [String] = []
    public var classIndex: [Int32] = []
    public var subject: [Int32] = []
    public var day: [Int32] = []
    public var kind: [WorkKind] = []
    public var title: [String] = []
    public var maxScore: [Float] = []  // -1 when not given
    public var count: Int { id.count }
}

/// Whether a pupil wrote a work.
public enum WorkStatus: String, Sendable, CaseIterable {
    case written, absent, excused

    static let tokens: [String: WorkStatus] = [
        "written": .written, "писал": .written, "писала": .written, "выполнил": .written, "выполнила": .written,
        "absent": .absent, "отсутствовал": .absent, "отсутствовала": .absent, "не писал": .absent, "не писала": .absent,
        "н": .absent,
        "excused": .excused, "уважительная": .excused, "по уважительной причине": .excused, "освобожден": .excused,
        "освобождён": .excused, "у": .excused, "б": .excused,
    ]

    public static func parse(_ text: String) -> WorkStatus? { tokens[Substring(text).trimmingSpaces().lowercased()] }
}

public struct WorkResultTable: Equatable, Sendable {
    public var work: [Int32] = []
    public var pupil: [Int32] = []
    public var status: [WorkStatus] = []
    public var score: [Float] = []  // -1 when not given
    public var mark: [UInt8] = []  // 0 when not given
    public var count: Int { work.count }
}

public struct VPRResultTable: Equatable, Sendable {
    /// The pupil's id as written; `pupilIndex` is -1 for pupils no longer in the snapshot.
    public var pupilID: [String] = []
    public var pupilIndex: [Int32] = []
    public var year: [Int16] = []
    public var grade: [UInt8] = []
    public var subject: [Int32] = []
    public var score: [Float] = []
    public var maxScore: [Float] = []
    public var mark: [UInt8] = []
    public var journalMark: [UInt8] = []  // 0 when not given
    public var count: Int { pupilID.count }
}

/// Score-to-mark conversion scales: for a year, grade and subject, the lowest primary score
/// that earns each mark.
public struct VPRScaleTable: Equatable, Sendable {
    public var year: [Int16] = []
    public var grade: [UInt8] = []
    public var subject: [Int32] = []
    public var mark: [UInt8] = []
    public var minScore: [Float] = []
    public var maxScore: [Float] = []
    public var count: Int { year.count }

    /// The mark a score earns, or nil when no scale covers that year, grade and subject.
    public func mark(forScore score: Float, year y: Int16, grade g: UInt8, subject s: Int32) -> UInt8? {
        var best: UInt8?
        for i in 0..<count where year[i] == y && grade[i] == g && subject[i] == s {
            if score >= minScore[i] && score <= maxScore[i] { best = mark[i] }
        }
        return best
    }
}
