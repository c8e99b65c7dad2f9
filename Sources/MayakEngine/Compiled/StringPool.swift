import MayakSnapshot

/// Every string the compiled engine can meet in a scan's hot path, numbered once when the
/// engine is built: subject names, work types, mark and attendance codes as journals write
/// them, work kinds and statuses, periods, and the rules' own constants. A field
/// that yields text yields its number, so comparing two texts compares two integers and a
/// regular expression runs once per distinct value (`matchTable`), never once per row.
final class StringPool: @unchecked Sendable {
    /// Strings numbered in order of first appearance.
    struct Numbering {
        var strings: [String] = []
        var ids: [String: Int32] = [:]

        mutating func intern(_ text: String) -> Int32 {
            if let id = ids[text] { return id }
            let id = Int32(strings.count)
            strings.append(text)
            ids[text] = id
            return id
        }
    }
    private var numbering: Numbering
    var strings: [String] { numbering.strings }

    let subjectName: [Int32]
    let workTypeName: [Int32]
    /// By the mark's byte: its text («5», «н/а», «Н», «5/Н»), failing, absent.
    let markText: [Int32]
    let markFailing: [Bool]
    let markAbsent: [Bool]
    /// By attendance code byte: its letter (-1 when the byte is not a code), and the three flags.
    let absenceCode: [Int32]
    let absenceExcused: [Bool], absenceUnexcused: [Bool], absenceLate: [Bool]
    let workKind: [Int32]
    let periodID: [Int32], periodName: [Int32], periodKind: [Int32]
    let written: Int32, absent: Int32, excused: Int32, missing: Int32, scheduled: Int32
    /// «2» … «5», as forecasts give them.
    let forecastText: [Int32]

    init(_ s: Snapshot) {
        var n = Numbering()
        func intern(_ t: String) -> Int32 { n.intern(t) }
        subjectName = s.subjects.values.map(intern)
        workTypeName = s.workTypes.values.map(intern)
        markText = (0...255).map { intern(MarkValue(raw: UInt8($0)).description) }
        markFailing = (0...255).map { MarkValue(raw: UInt8($0)).isFailing }
        markAbsent = (0...255).map { MarkValue(raw: UInt8($0)).absence?.isAbsence ?? false }
        let codes = (0...255).map { AttendanceCode(rawValue: UInt8($0)) }
        absenceCode = codes.map { $0.map { intern($0.description) } ?? -1 }
        absenceExcused = codes.map { $0 == .ill || $0 == .excused }
        absenceUnexcused = codes.map { $0?.isUnexcused ?? false }
        absenceLate = codes.map { $0 == .late }
        let kinds = Dictionary(uniqueKeysWithValues: WorkKind.allCases.map { ($0, intern($0.rawValue)) })
        workKind = s.works.kind.map { kinds[$0]! }
        periodID = s.manifest.periods.map { intern($0.id) }
        periodName = s.manifest.periods.map { intern($0.name) }
        periodKind = s.manifest.periods.map { intern($0.kind.rawValue) }
        written = intern("written")
        absent = intern("absent")
        excused = intern("excused")
        missing = intern("missing")
        scheduled = intern("scheduled")
        forecastText = ["2", "3", "4", "5"].map(intern)
        numbering = n
    }

    var count: Int { numbering.strings.count }

    func id(of text: String) -> Int32? { numbering.ids[text] }

    /// Adds a rule's constant while rules compile (the pool is read-only during a scan).
    func intern(_ text: String) -> Int32 { numbering.intern(text) }
}
