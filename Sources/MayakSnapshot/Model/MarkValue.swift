/// What a journal cell says, in one byte.
///
/// ```
///  bit 7   6 5 4        3 2 1 0
///  ┌───┬─────────┬────────────────┐
///  │ 0 │ absence │ grade          │
///  └───┴─────────┴────────────────┘
///  grade: 0 none, 1…5 marks, 6 «н/а», 7 «осв», 8 «зач», 9 «незач»
///  absence: 0 none, then Н, Б, У, П, О (see AttendanceCode)
/// ```
/// A cell like `5/Н` (a mark given on a day the pupil was absent) keeps both.
public struct MarkValue: Hashable, Sendable, CustomStringConvertible {
    public var raw: UInt8

    @inlinable public init(raw: UInt8) { self.raw = raw }

    public init(grade: Grade, absence: AttendanceCode? = nil) {
        raw = grade.rawValue | ((absence?.rawValue ?? 0) << 4)
    }

    @inlinable public var gradeCode: UInt8 { raw & 0x0F }
    public var grade: Grade? { Grade(rawValue: raw & 0x0F) }
    public var absence: AttendanceCode? { AttendanceCode(rawValue: (raw >> 4) & 0x07) }

    /// The numeric mark 1…5, or nil for «н/а», «осв», «зач», «незач».
    @inlinable public var numeric: Int? {
        let g = raw & 0x0F
        return g >= 1 && g <= 5 ? Int(g) : nil
    }

    /// «2», «1», «н/а» and «незач» count as failing (domain.md).
    public var isFailing: Bool { grade?.isFailing ?? false }

    public var description: String {
        let text = grade?.description ?? ""
        if let absence { return text.isEmpty ? absence.description : "\(text)/\(absence)" }
        return text
    }

    /// A grade that a journal cell can hold.
    public enum Grade: UInt8, Sendable, CaseIterable, CustomStringConvertible {
        case one = 1
        case two, three, four, five
        case notAssessed = 6  // «н/а», не аттестован
        case exempt = 7  // «осв», освобождён
        case passed = 8  // «зач»
        case failed = 9  // «незач»

        public var isFailing: Bool {
            switch self {
            case .one, .two, .notAssessed, .failed: return true
            default: return false
            }
        }

        public var description: String {
            switch self {
            case .one: return "1"
            case .two: return "2"
            case .three: return "3"
            case .four: return "4"
            case .five: return "5"
            case .notAssessed: return "н/а"
            case .exempt: return "осв"
            case .passed: return "зач"
            case .failed: return "незач"
            }
        }
    }
}

/// Attendance codes of a lesson cell (domain.md).
public enum AttendanceCode: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case absent = 1  // Н, отсутствовал
    case ill = 2  // Б, болел
    case excused = 3  // У, уважительная причина
    case truancy = 4  // П, прогул
    case late = 5  // О, опоздал

    /// Absent from the lesson (a late arrival is present).
    public var isAbsence: Bool { self != .late }
    /// Absent with no valid reason.
    public var isUnexcused: Bool { self == .absent || self == .truancy }

    public var description: String {
        switch self {
        case .absent: return "Н"
        case .ill: return "Б"
        case .excused: return "У"
        case .truancy: return "П"
        case .late: return "О"
        }
    }

    /// Reads a code, ignoring case and surrounding spaces.
    public static func parse(_ text: Substring) -> AttendanceCode? {
        switch text.trimmingSpaces().lowercased() {
        case "н": return .absent
        case "б": return .ill
        case "у": return .excused
        case "п": return .truancy
        case "о": return .late
        default: return nil
        }
    }
}

extension MarkValue {
    /// Why a cell could not be read as a mark.
    public enum ParseFailure: Error, Equatable, Sendable {
        case unknownToken
        case absenceWithoutMark
        case empty
    }

    /// Tokens accepted for grades, after trimming and lower-casing.
    static let gradeTokens: [String: Grade] = [
        "1": .one, "2": .two, "3": .three, "4": .four, "5": .five,
        "н/а": .notAssessed, "н/a": .notAssessed, "на": .notAssessed, "н\\а": .notAssessed, "н.а": .notAssessed,
        "осв": .exempt, "осв.": .exempt, "освоб": .exempt, "освобожден": .exempt, "освобождён": .exempt,
        "зач": .passed, "зач.": .passed, "зачет": .passed, "зачёт": .passed, "зачтено": .passed,
        "незач": .failed, "незач.": .failed, "незачет": .failed, "незачёт": .failed, "не зач": .failed,
        "не зачтено": .failed,
    ]

    /// Reads a journal cell from UTF-8 bytes: `5`, ` Н/А`, `зач`, `5/Н`, `4 / б`.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<MarkValue, ParseFailure> {
        // Fast path: the overwhelming majority of cells are one digit.
        if bytes.count == 1, bytes[0] >= 0x31, bytes[0] <= 0x35 {
            return .success(MarkValue(raw: bytes[0] - 0x30))
        }
        return parse(String(decoding: bytes, as: UTF8.self))
    }

    public static func parse(_ text: String) -> Result<MarkValue, ParseFailure> {
        let token = Substring(text).trimmingSpaces().lowercased()
        if token.isEmpty { return .failure(.empty) }
        if let grade = gradeTokens[token] { return .success(MarkValue(grade: grade)) }
        // A combined cell: mark, slash, attendance code.
        if let slash = token.lastIndex(of: "/") {
            let left = token[..<slash].trimmingSpaces()
            let right = token[token.index(after: slash)...]
            if let grade = gradeTokens[String(left)], let code = AttendanceCode.parse(right) {
                return .success(MarkValue(grade: grade, absence: code))
            }
        }
        if AttendanceCode.parse(Substring(token)) != nil { return .failure(.absenceWithoutMark) }
        return .failure(.unknownToken)
    }
}

extension Substring {
    /// Trims ASCII spaces, tabs and non-breaking spaces, which e-journal exports are full of.
    func trimmingSpaces() -> Substring {
        var s = self
        while let c = s.first, c == " " || c == "\t" || c == "\u{00A0}" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" || c == "\u{00A0}" { s.removeLast() }
        return s
    }
}
