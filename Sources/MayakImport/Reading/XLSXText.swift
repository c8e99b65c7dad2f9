import Foundation

/// How XLSX values print as a person reads them in Russian Excel: integers without «,0»,
/// decimals with a decimal comma (`4,5`), dates as `01.09.2025`, times as `08:30`.
enum XLSXText {
    /// What a cell format's number format shows.
    enum FormatKind: Sendable, Equatable {
        case number
        case date
        case time
        case dateTime
    }

    /// Excel's built-in formats 14–22 and 45–47 (the rest are numbers or text).
    static func kind(ofBuiltIn id: Int) -> FormatKind {
        switch id {
        case 14...17: return .date
        case 18...21, 45...47: return .time
        case 22: return .dateTime
        default: return .number
        }
    }

    /// A custom format code's kind, from its first section with quoted text, bracketed
    /// parts (`[Red]`, `[$-419]`, `[h]`) and escaped characters left out: `d` or `y` is a
    /// date; `h` or `s` a time; `m` alone (`mmmm`) a month, so a date.
    static func kind(ofFormat code: String) -> FormatKind {
        var date = false
        var time = false
        var month = false
        var quoted = false
        var bracket = false
        var escaped = false
        for u in code.utf8 {
            if escaped {
                escaped = false
                continue
            }
            if quoted {
                if u == UInt8(ascii: "\"") { quoted = false }
                continue
            }
            if bracket {
                if u == UInt8(ascii: "]") { bracket = false }
                continue
            }
            switch u | 0x20 {
            case UInt8(ascii: "d"), UInt8(ascii: "y"): date = true
            case UInt8(ascii: "h"), UInt8(ascii: "s"): time = true
            case UInt8(ascii: "m"): month = true
            default:
                switch u {
                case UInt8(ascii: "\""): quoted = true
                case UInt8(ascii: "["): bracket = true
                case UInt8(ascii: "\\"), UInt8(ascii: "_"), UInt8(ascii: "*"): escaped = true
                case UInt8(ascii: ";"): return kind(date: date, time: time, month: month)
                default: break
                }
            }
        }
        return kind(date: date, time: time, month: month)
    }

    private static func kind(date: Bool, time: Bool, month: Bool) -> FormatKind {
        if date { return time ? .dateTime : .date }
        if time { return .time }
        return month ? .date : .number
    }

    /// A number as stored in `<v>` (`4.5`, `45901`, `1.0E-3`) as a person reads it; nil
    /// when it is not a number.
    static func number(_ v: String) -> String? {
        guard let x = Double(v), x.isFinite else { return nil }
        return number(x)
    }

    static func number(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        // The shortest form that reads back as x, when it is short and plain (`4.5`, `3.75`).
        let short = x.description
        if short.utf8.count <= 16, !short.utf8.contains(UInt8(ascii: "e")) {
            return String(decoding: short.utf8.map { $0 == UInt8(ascii: ".") ? UInt8(ascii: ",") : $0 }, as: UTF8.self)
        }
        // 15 significant digits, as Excel keeps them: 0.1 + 0.2 is 0,3, not 0,30000000000000004.
        var s = String(format: "%.15g", x)
        if s.contains("e") {
            if abs(x) >= 1e15 || abs(x) < 1e-15 { return s.replacingOccurrences(of: ".", with: ",") }
            let magnitude = Int(floor(log10(abs(x))))
            s = String(format: "%.\(max(0, 14 - magnitude))f", x)
        }
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s.replacingOccurrences(of: ".", with: ",")
    }

    /// A serial date (days since 1900-01-00 with Lotus's 29.02.1900, or since 1904-01-01)
    /// as the format shows it; nil outside the dates Excel can show (before 0, after 9999).
    static func date(serial: Double, kind: FormatKind, date1904: Bool) -> String? {
        guard serial.isFinite, serial >= 0, serial < 2_958_466 else { return nil }
        var days = Int(serial.rounded(.down))
        let seconds = Int(((serial - Double(days)) * 86_400).rounded())
        var clock = ""
        if kind == .time || kind == .dateTime {
            var s = seconds
            var h = s / 3600
            if kind == .time { h += days * 24 }
            s %= 3600
            clock = two(h) + ":" + two(s / 60) + (s % 60 != 0 ? ":" + two(s % 60) : "")
            if kind == .time { return clock }
            if seconds == 0 { clock = "" }
        }
        if seconds >= 86_400 { days += 1 }
        let text: String
        if !date1904 && days == 0 {
            text = "00.01.1900"
        } else if !date1904 && days == 60 {
            text = "29.02.1900"
        } else {
            // Days since 1899-12-30: the 1904 system starts 1462 days later; the 1900 system's
            // serials before its fictitious 29 February are one day short.
            let since1899 = date1904 ? days + 1462 : (days < 60 ? days + 1 : days)
            let (y, m, d) = civil(daysSince1970: since1899 - 25_569)
            text = two(d) + "." + two(m) + "." + String(y)
        }
        return clock.isEmpty ? text : text + " " + clock
    }

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }

    /// The proleptic Gregorian date of a day count (Howard Hinnant's `civil_from_days`).
    static func civil(daysSince1970 z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// An ISO 8601 date (`t="d"`: `2025-09-01` or `2025-09-01T08:30:00`) as `01.09.2025`;
    /// anything else as it is.
    static func isoDate(_ v: String) -> String {
        let u = Array(v.utf8)
        guard u.count >= 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-"),
            [0, 1, 2, 3, 5, 6, 8, 9].allSatisfy({ u[$0] >= 48 && u[$0] <= 57 })
        else { return v }
        let s = Substring(v)
        let d = s.dropFirst(8).prefix(2)
        let m = s.dropFirst(5).prefix(2)
        return "\(d).\(m).\(s.prefix(4))"
    }

    /// A cell's text without surrounding whitespace (quick when there is none to remove).
    @inline(__always) static func trimmed(_ s: String) -> String {
        guard let first = s.utf8.first, let last = s.utf8.last else { return s }
        if first > 32 && first < 128 && last > 32 && last < 128 { return s }
        // Beyond ASCII, only a character led by C2 (U+0085, U+00A0) or E1–E3 (U+1680, U+2000…,
        // U+3000) can be a space: a Cyrillic letter (D0, D1) at either end is not.
        if first >= 128 && last >= 128, !mayBeSpace(lead: first),
            let lastLead = s.utf8.reversed().first(where: { $0 & 0xC0 != 0x80 }), !mayBeSpace(lead: lastLead)
        {
            return s
        }
        return s.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @inline(__always) static func mayBeSpace(lead: UInt8) -> Bool { lead == 0xC2 || (lead >= 0xE1 && lead <= 0xE3) }

    /// OOXML's escapes of characters XML cannot hold (`_x000D_` for a carriage return).
    static func unescape(_ s: String) -> String {
        guard s.contains("_x") else { return s }
        var out = ""
        var rest = Substring(s)
        while let r = rest.range(of: "_x") {
            out += rest[..<r.lowerBound]
            let hex = rest[r.upperBound...].prefix(5)
            if hex.count == 5, hex.last == "_", let code = UInt32(hex.prefix(4), radix: 16),
                let scalar = Unicode.Scalar(code)
            {
                out.unicodeScalars.append(scalar)
                rest = rest[rest.index(r.upperBound, offsetBy: 5)...]
            } else {
                out += "_x"
                rest = rest[r.upperBound...]
            }
        }
        return out + rest
    }
}
