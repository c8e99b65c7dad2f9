/// Short alert ids: staff type or paste the first characters of an alert's 16-character
/// fingerprint, as with git's commits. A prefix names an alert when exactly one tracked alert
/// starts with it.
public enum AlertID {
    /// The fewest characters a prefix may have.
    public static let minimumLength = 4

    /// The full fingerprints the ids name, in their order, or an error naming every id that
    /// names no alert or more than one (nothing is resolved then: a bulk action is all or
    /// nothing).
    public static func resolve(_ ids: [String], among fingerprints: [String]) throws(HistoryError) -> [String] {
        var out: [String] = []
        var problems: [String] = []
        for raw in ids {
            let id = raw.lowercased()
            guard id.count >= minimumLength, id.count <= 16, id.allSatisfy(\.isHexDigit) else {
                problems.append(HistoryText.notAnAlertID(raw))
                continue
            }
            let matching = fingerprints.filter { $0.hasPrefix(id) }
            switch matching.count {
            case 1: out.append(matching[0])
            case 0: problems.append(HistoryText.noAlertStarting(raw))
            default: problems.append(HistoryText.ambiguousAlertID(raw, matching))
            }
        }
        guard problems.isEmpty else { throw HistoryError(problems.joined(separator: "\n")) }
        return out
    }

    /// The shortest prefix (at least `minimumLength` characters) that names each fingerprint
    /// among these: what lists print.
    public static func shortest(_ fingerprints: [String]) -> [String: String] {
        let sorted = Array(Set(fingerprints)).sorted()
        var out: [String: String] = [:]
        for (i, f) in sorted.enumerated() {
            // The longest common prefix with the neighbours decides.
            func common(_ other: String) -> Int { zip(f, other).prefix { $0 == $1 }.count }
            let shared = max(i > 0 ? common(sorted[i - 1]) : 0, i + 1 < sorted.count ? common(sorted[i + 1]) : 0)
            out[f] = String(f.prefix(max(minimumLength, shared + 1)))
        }
        return out
    }
}
