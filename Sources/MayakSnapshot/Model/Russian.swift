import Foundation

/// Numbers and counted nouns as Russian text writes them.
public enum Russian {
    /// A whole number with its thousands set off by a narrow no-break space: `12 345`.
    public static func number(_ v: Int) -> String { grouped(String(v.magnitude), negative: v < 0) }

    /// The digits of a whole part (`1351`) with their thousands set off by a narrow no-break
    /// space, after a real minus sign when `negative`: «−1 351». The one place that does it.
    public static func grouped(_ digits: some StringProtocol, negative: Bool) -> String {
        var out = negative ? "−" : ""
        let count = digits.count
        for (i, c) in digits.enumerated() {
            if i > 0 && (count - i) % 3 == 0 { out.append("\u{202F}") }
            out.append(c)
        }
        return out
    }

    /// A number with a fixed count of decimals and a decimal comma, rounded half away from zero
    /// as a school rounds (47,25 is «47,3» and 2,675 «2,68»; printf would give «47,2» and
    /// «2,67», from their binary values): `fixed(83.333, places: 1)` is «83,3», `fixed(50, places: 1)` «50,0»;
    /// thousands set off and a real minus as `number` («1 234,5», «−0,51»).
    public static func fixed(_ v: Double, places: Int) -> String {
        let scale = pow(10, Double(places))
        // A mean of marks such as 10,7 / 4 = 2,675 is 2,67499… in binary: settle the last
        // place's millionths first, so that the half a person sees rounds up.
        let settled = ((v * scale) * 1e6).rounded() / 1e6
        let value = settled.rounded() / scale
        let text = String(format: "%.\(places)f", Swift.abs(value))
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let whole = grouped(parts[0], negative: value < 0)
        return parts.count > 1 ? whole + "," + parts[1] : whole
    }

    /// The noun's form for a count: `plural(1, "ученик", "ученика", "учеников")` is «ученик»,
    /// 3 «ученика», 11 and 25 «учеников», 21 «ученик».
    public static func plural(_ n: Int, _ one: String, _ few: String, _ many: String) -> String {
        let m = n.magnitude
        if (11...14).contains(m % 100) { return many }
        switch m % 10 {
        case 1: return one
        case 2...4: return few
        default: return many
        }
    }

    /// A count with its noun: `counted(3, "двойка", "двойки", "двоек")` is «3 двойки»,
    /// `counted(1250, …)` «1 250 двоек».
    public static func counted(_ n: Int, _ one: String, _ few: String, _ many: String) -> String {
        number(n) + " " + plural(n, one, few, many)
    }

    /// A moment the history recorded (ISO 8601, `2026-03-16T09:05:00Z`) as staff read it:
    /// `16.03.2026 12:05` in the zone given (by default the machine's, or `TZ`). A date alone
    /// (`2026-03-16`) is `16.03.2026`; a text that is neither is shown as it is.
    public static func moment(_ iso: String, in zone: TimeZone = .current) -> String {
        if let day = Day(iso) { return day.russian }
        let parser = ISO8601DateFormatter()
        parser.formatOptions = [.withInternetDateTime]
        guard let date = parser.date(from: iso) else { return iso }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        guard let y = c.year, let m = c.month, let d = c.day, let h = c.hour, let min = c.minute else { return iso }
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(two(d)).\(two(m)).\(y) \(two(h)):\(two(min))"
    }
}
