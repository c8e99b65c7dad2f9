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
