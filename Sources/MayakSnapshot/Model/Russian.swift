import Foundation

/// Numbers and counted nouns as Russian text writes them.
public enum Russian {
    /// A whole number with its thousands set off by a narrow no-break space: `12 345`.
    public static func number(_ v: Int) -> String {
        let digits = String(v.magnitude)
        var out = v < 0 ? "−" : ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append("\u{202F}") }
            out.append(c)
        }
        return out
    }

    /// A number with a fixed count of decimals and a decimal comma, rounded half away from zero
    /// as a school rounds (47,25 is «47,3»; printf would give «47,2», its binary value's
    /// half-to-even): `fixed(83.333, places: 1)` is «83,3», `fixed(50, places: 1)` «50,0».
    public static func fixed(_ v: Double, places: Int) -> String {
        let scale = pow(10, Double(places))
        return String(format: "%.\(places)f", (v * scale).rounded() / scale).replacingOccurrences(of: ".", with: ",")
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
}
