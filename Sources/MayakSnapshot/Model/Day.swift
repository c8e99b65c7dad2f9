/// A calendar date as a day number: days since 1970-01-01 (proleptic Gregorian).
///
/// Snapshots store every date this way so that windows ("the last 14 days") are integer
/// comparisons and a date costs four bytes.
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var number: Int32

    @inlinable public init(number: Int32) { self.number = number }

    /// Builds a day from a calendar date, or returns nil when the date does not exist
    /// (2026-02-30, month 13, …).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= Day.daysInMonth(year: year, month: month),
            (1900...2200).contains(year)
        else { return nil }
        // Days from civil (Howard Hinnant's algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        number = Int32(era * 146097 + doe - 719468)
    }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The calendar date of this day number.
    public var components: (year: Int, month: Int, day: Int) {
        let z = Int(number) + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// 1 = Monday … 7 = Sunday.
    public var weekday: Int {
        // 1970-01-01 was a Thursday (4).
        let r = (Int(number) % 7 + 7) % 7
        return (r + 3) % 7 + 1
    }

    /// ISO form, `YYYY-MM-DD`.
    public var description: String {
        let (y, m, d) = components
        return Day.digits(y, "-", m, "-", d, yearFirst: true)
            ?? "\(y)-\(m < 10 ? "0" : "")\(m)-\(d < 10 ? "0" : "")\(d)"
    }

    /// Russian form, `DD.MM.YYYY`.
    public var russian: String {
        let (y, m, d) = components
        return Day.digits(y, ".", m, ".", d, yearFirst: false)
            ?? "\(d < 10 ? "0" : "")\(d).\(m < 10 ? "0" : "")\(m).\(y)"
    }

    /// `DD.MM`, as tables show a date within the school year.
    public var dayAndMonth: String {
        let (_, m, d) = components
        return String(unsafeUninitializedCapacity: 5) { b in
            b[0] = UInt8(48 + d / 10)
            b[1] = UInt8(48 + d % 10)
            b[2] = UInt8(ascii: ".")
            b[3] = UInt8(48 + m / 10)
            b[4] = UInt8(48 + m % 10)
            return 5
        }
    }

    /// The ten characters of a date with a four-digit year, written into a small string (no
    /// interpolation, no allocation: evidence and messages print dates by the million); nil
    /// for other years.
    static func digits(
        _ y: Int, _ separator1: Unicode.Scalar, _ m: Int, _ separator2: Unicode.Scalar, _ d: Int, yearFirst: Bool
    ) -> String? {
        guard (1000...9999).contains(y) else { return nil }
        return String(unsafeUninitializedCapacity: 10) { b in
            func two(_ v: Int, _ at: Int) {
                b[at] = UInt8(48 + v / 10)
                b[at + 1] = UInt8(48 + v % 10)
            }
            let year = yearFirst ? 0 : 6
            let day = yearFirst ? 8 : 0
            two(y / 100, year)
            two(y % 100, year + 2)
            two(m, yearFirst ? 5 : 3)
            two(d, day)
            b[yearFirst ? 4 : 2] = UInt8(separator1.value)
            b[yearFirst ? 7 : 5] = UInt8(separator2.value)
            return 10
        }
    }

    public static func < (a: Day, b: Day) -> Bool { a.number < b.number }
    public static func + (a: Day, n: Int) -> Day { Day(number: a.number + Int32(n)) }
    public static func - (a: Day, b: Day) -> Int { Int(a.number - b.number) }
}

extension Day {
    /// The outcome of reading a date field.
    public enum ParseResult: Equatable, Sendable {
        case day(Day)
        /// The text has the shape of a date but names a day that does not exist.
        case impossible
        /// The text is not a date in either accepted form.
        case malformed
    }

    /// Reads `YYYY-MM-DD` or `DD.MM.YYYY` (also `D.M.YYYY`) from UTF-8 bytes.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> ParseResult {
        var parts: (Int, Int, Int) = (0, 0, 0)
        var lengths: (Int, Int, Int) = (0, 0, 0)
        var index = 0
        var separator: UInt8 = 0
        for byte in bytes {
            if byte >= 0x30 && byte <= 0x39 {
                let digit = Int(byte - 0x30)
                switch index {
                case 0:
                    parts.0 = parts.0 * 10 + digit
                    lengths.0 += 1
                case 1:
                    parts.1 = parts.1 * 10 + digit
                    lengths.1 += 1
                default:
                    parts.2 = parts.2 * 10 + digit
                    lengths.2 += 1
                }
                if lengths.0 > 4 || lengths.1 > 2 || lengths.2 > 4 { return .malformed }
            } else if byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") {
                if separator == 0 { separator = byte } else if separator != byte { return .malformed }
                index += 1
                if index > 2 { return .malformed }
            } else {
                return .malformed
            }
        }
        guard index == 2 else { return .malformed }
        let year: Int
        let month: Int
        let day: Int
        if separator == UInt8(ascii: "-") {
            guard lengths.0 == 4, lengths.1 == 2, lengths.2 == 2 else { return .malformed }
            (year, month, day) = parts
        } else {
            guard (1...2).contains(lengths.0), (1...2).contains(lengths.1), lengths.2 == 4 else { return .malformed }
            (day, month, year) = parts
        }
        guard let value = Day(year: year, month: month, day: day) else { return .impossible }
        return .day(value)
    }

    /// Reads a date from a string (manifest values, command-line flags).
    public static func parse(_ text: String) -> ParseResult {
        var copy = text
        return copy.withUTF8 { parse($0) }
    }

    /// A date from a string, or nil.
    public init?(_ text: String) {
        guard case .day(let day) = Day.parse(text) else { return nil }
        self = day
    }
}
