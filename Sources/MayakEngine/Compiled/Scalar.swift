import MayakSnapshot

/// A value of the compiled engine: sixteen bytes and no references, so copying one costs
/// nothing and no list, string or record is ever allocated for it.
///
/// ```
///  tag      sub     a (Int32)          b (Int64)
///  number   –       –                  Double bit pattern
///  string   –       id in StringPool   –
///  subject  –       pupil              subject code
///  work     –       work row           pupil (-1 for a class's work)
///  rows     kind    pupil / class      lo | hi << 32  (positions in an index order)
///  list     –       arena handle       –
/// ```
/// `rows` is a run of a pupil's marks, absences, ВПР or period marks, or of a class's works,
/// straight out of `SnapshotIndex`: a subject's marks in a time window are two binary
/// searches, not a copy. `list` is a list built by the rule (a filter, a map) in the
/// context's arena, reused from one pupil to the next.
struct Scalar: Equatable {
    enum Tag: UInt8 {
        case null, bool, int, number, date, string
        case pupil, klass, school, subject, mark, absence, work, vpr, periodMark, period, figures, alert
        case list, rows
    }

    /// What a `rows` value runs over.
    enum Rows: UInt8 {
        /// Rows of `marks`: a pupil's marks (by subject, then date) or one subject's (by date).
        case marks, subjectMarks
        /// Positions in `absenceOrder` (by date).
        case absences
        /// Positions in `classWorks[class]` (by date), seen from pupil `b >> 32`… see `work`.
        case works
        /// Positions in `vprOrder`, `periodMarkOrder`.
        case vpr, periodMarks
        /// Whether the run is in date order, so that time windows are binary searches.
        var byDate: Bool { self == .subjectMarks || self == .absences || self == .works }
    }

    var tag: Tag
    var sub: UInt8 = 0
    var a: Int32 = 0
    var b: Int64 = 0

    static let null = Scalar(tag: .null)
    static let `true` = Scalar(tag: .bool, a: 1)
    static let `false` = Scalar(tag: .bool, a: 0)
    @inline(__always) static func bool(_ v: Bool) -> Scalar { Scalar(tag: .bool, a: v ? 1 : 0) }
    @inline(__always) static func int(_ v: Int) -> Scalar { Scalar(tag: .int, b: Int64(v)) }
    @inline(__always) static func number(_ v: Double) -> Scalar {
        Scalar(tag: .number, b: Int64(bitPattern: v.bitPattern))
    }
    @inline(__always) static func date(_ d: Int32) -> Scalar { Scalar(tag: .date, a: d) }
    @inline(__always) static func string(_ id: Int32) -> Scalar { Scalar(tag: .string, a: id) }
    @inline(__always) static func entity(_ tag: Tag, _ row: Int32) -> Scalar { Scalar(tag: tag, a: row) }
    @inline(__always) static func subject(pupil: Int32, subject: Int32) -> Scalar {
        Scalar(tag: .subject, a: pupil, b: Int64(subject))
    }
    @inline(__always) static func work(_ w: Int32, pupil: Int32) -> Scalar { Scalar(tag: .work, a: w, b: Int64(pupil)) }
    @inline(__always) static func list(_ handle: Int) -> Scalar { Scalar(tag: .list, a: Int32(handle)) }
    @inline(__always) static func rows(_ kind: Rows, owner: Int32, _ lo: Int, _ hi: Int) -> Scalar {
        Scalar(tag: .rows, sub: kind.rawValue, a: owner, b: Int64(lo) | Int64(hi) << 32)
    }

    @inline(__always) var isNull: Bool { tag == .null }
    /// True only for the boolean true: `null` and everything else count as false.
    @inline(__always) var truth: Bool { tag == .bool && a != 0 }
    @inline(__always) var int: Int { Int(b) }
    @inline(__always) var double: Double { Double(bitPattern: UInt64(bitPattern: b)) }
    /// Numbers of either kind as a Double.
    @inline(__always) var number: Double? {
        switch tag {
        case .int: return Double(b)
        case .number: return double
        default: return nil
        }
    }
    @inline(__always) var rowsKind: Rows { Rows(rawValue: sub)! }
    @inline(__always) var lo: Int { Int(b & 0xFFFF_FFFF) }
    @inline(__always) var hi: Int { Int(b >> 32) }
    /// The subject code of a `subject`, the pupil of a `work`.
    @inline(__always) var second: Int32 { Int32(truncatingIfNeeded: b) }
}
