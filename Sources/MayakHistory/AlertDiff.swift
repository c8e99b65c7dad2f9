import Foundation
import MayakAlerts
import MayakRules

/// What changed between two sets of alerts (two runs, or two rule versions on one snapshot),
/// by fingerprint.
public struct AlertDiff: Sendable {
    public var gained: [RunAlert] = []
    public var lost: [RunAlert] = []
    /// Same fingerprint, different severity: (before, after).
    public var changed: [(before: RunAlert, after: RunAlert)] = []
    /// Same fingerprint and severity, the message's figures moved (another week's numbers).
    public var updated = 0
    public var unchanged = 0

    public init(before: [RunAlert], after: [RunAlert]) {
        let old = Dictionary(before.map { ($0.fingerprint, $0) }, uniquingKeysWith: { a, _ in a })
        let new = Dictionary(after.map { ($0.fingerprint, $0) }, uniquingKeysWith: { a, _ in a })
        for a in after.sorted(by: AlertDiff.order) {
            if let b = old[a.fingerprint] {
                if b.severity != a.severity {
                    changed.append((b, a))
                } else if b.message != a.message {
                    updated += 1
                } else {
                    unchanged += 1
                }
            } else {
                gained.append(a)
            }
        }
        lost = before.filter { new[$0.fingerprint] == nil }.sorted(by: AlertDiff.order)
    }

    static func order(_ a: RunAlert, _ b: RunAlert) -> Bool {
        (a.schoolID, a.classID, a.subjectID, a.ruleID, a.key) < (b.schoolID, b.classID, b.subjectID, b.ruleID, b.key)
    }

    public struct Count: Sendable {
        public var name: String
        public var gained: Int
        public var lost: Int
        public var changed: Int
    }

    /// Counts grouped by a key (rule, school or class), largest first.
    public func counts(by key: (RunAlert) -> String) -> [Count] {
        var table: [String: Count] = [:]
        for a in gained { table[key(a), default: Count(name: key(a), gained: 0, lost: 0, changed: 0)].gained += 1 }
        for a in lost { table[key(a), default: Count(name: key(a), gained: 0, lost: 0, changed: 0)].lost += 1 }
        for c in changed {
            table[key(c.after), default: Count(name: key(c.after), gained: 0, lost: 0, changed: 0)].changed += 1
        }
        return table.values.sorted {
            ($0.gained + $0.lost + $0.changed, $1.name) > ($1.gained + $1.lost + $1.changed, $0.name)
        }
    }

    /// A terminal report: totals, by rule, by school, by class, and examples.
    public func table(title: String, examples: Int = 3) -> String {
        var out =
            "\(title)\n"
            + HistoryText.diffTotals(
                gained: gained.count, lost: lost.count, changed: changed.count, updated: updated, unchanged: unchanged)
            + "\n"
        func section(_ name: String, _ rows: [Count]) {
            guard !rows.isEmpty else { return }
            out += "\n\(name):\n"
            for r in rows { out += "  \(r.name): +\(r.gained) −\(r.lost)\(r.changed > 0 ? " ~\(r.changed)" : "")\n" }
        }
        section(HistoryText.diffByRule, counts { $0.ruleID })
        section(HistoryText.diffBySchool, counts { $0.schoolName })
        section(
            HistoryText.diffByClass, counts { HistoryText.diffClass(school: $0.schoolName, className: $0.className) })
        var byRule: [String: (gained: [RunAlert], lost: [RunAlert])] = [:]
        for a in gained { byRule[a.ruleID, default: ([], [])].gained.append(a) }
        for a in lost { byRule[a.ruleID, default: ([], [])].lost.append(a) }
        if !byRule.isEmpty { out += "\n\(HistoryText.diffExamples)\n" }
        for rule in byRule.keys.sorted() {
            let e = byRule[rule]!
            for a in e.gained.prefix(examples) {
                out += "  + \(rule): \(a.subjectName), \(a.className): \(a.message)\n"
            }
            for a in e.lost.prefix(examples) { out += "  − \(rule): \(a.subjectName), \(a.className): \(a.message)\n" }
        }
        return out
    }

    public func json(title: String) -> String {
        let esc = JSON.string
        func alert(_ a: RunAlert) -> String {
            "{\"fingerprint\":\(esc(a.fingerprint)),\"rule\":\(esc(a.ruleID)),\"severity\":\(esc(a.severity.rawValue)),\"subject_id\":\(esc(a.subjectID)),\"school_id\":\(esc(a.schoolID)),\"class_id\":\(esc(a.classID)),\"message\":\(esc(a.message))}"
        }
        func counts(_ rows: [Count]) -> String {
            "["
                + rows.map {
                    "{\"name\":\(esc($0.name)),\"gained\":\($0.gained),\"lost\":\($0.lost),\"changed\":\($0.changed)}"
                }.joined(separator: ",") + "]"
        }
        return
            "{\"title\":\(esc(title)),\"gained\":[\(gained.map(alert).joined(separator: ","))],\"lost\":[\(lost.map(alert).joined(separator: ","))],"
            + "\"changed\":[\(changed.map { "{\"before\":\(alert($0.before)),\"after\":\(alert($0.after))}" }.joined(separator: ","))],"
            + "\"updated\":\(updated),\"unchanged\":\(unchanged),\"by_rule\":\(counts(self.counts { $0.ruleID })),\"by_school\":\(counts(self.counts { $0.schoolID })),"
            + "\"by_class\":\(counts(self.counts { $0.classID }))}\n"
    }
}
