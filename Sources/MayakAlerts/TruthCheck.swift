import Foundation
import MayakSnapshot

/// Compares a scan with what the generator planted (`mayak generate --truth`): for each
/// planted condition, how many of its pupils the matching rules found (recall), and how many
/// of the pupils those rules flagged are not in the truth at all (false alarms).
public struct TruthCheck: Sendable {
    public struct Line: Sendable {
        public var condition: String
        public var rules: [String]
        /// Pupils the generator planted the condition on.
        public var planted: Int
        /// Of those, flagged by one of the rules.
        public var found: Int
        /// Pupils flagged by the rules.
        public var flagged: Int
        /// Flagged pupils with no truth row of the condition (planted or measured).
        public var falseAlarms: Int

        public var recall: Double { planted == 0 ? 0 : Double(found) / Double(planted) }
        public var falseAlarmRate: Double { flagged == 0 ? 0 : Double(falseAlarms) / Double(flagged) }
    }

    /// Which rules answer which planted condition.
    public static let conditions: [(condition: String, rules: [String])] = [
        ("failing", ["failing-two-subjects", "single-failing-subject"]),
        ("chronic-absence", ["chronic-absence"]),
        ("truancy", ["truancy"]),
        ("missed-work", ["missed-diagnostic-work"]),
        ("vpr-drop", ["vpr-score-drop"]),
        ("falling-trend", ["falling-trend"]),
    ]

    public var lines: [Line] = []

    /// `truth` rows: pupil_id, condition, subject, period, detail, planted.
    public init(result: ScanResult, truth: [[String: String]]) {
        for (condition, rules) in TruthCheck.conditions {
            let rows = truth.filter { $0["condition"] == condition }
            let planted = Set(rows.filter { $0["planted"] == "yes" }.compactMap { $0["pupil_id"] })
            let any = Set(rows.compactMap { $0["pupil_id"] })
            let flagged = Set(
                result.alerts.filter { rules.contains($0.ruleID) && $0.subject.kind == .pupil }.map(\.subject.id))
            lines.append(
                Line(
                    condition: condition, rules: rules, planted: planted.count,
                    found: planted.intersection(flagged).count,
                    flagged: flagged.count, falseAlarms: flagged.subtracting(any).count))
        }
    }

    /// The table `mayak validate` prints: per condition, the pupils planted, found, the recall,
    /// the pupils flagged and the false alarms (see `AlertsText`).
    public var rendered: String {
        func row(_ cells: [String]) -> String {
            zip(cells, AlertsText.truthColumns).map { cell, column in
                cell + String(repeating: " ", count: max(1, column.width - cell.count))
            }.joined().replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) + "\n"
        }
        var out = row(AlertsText.truthColumns.map(\.title))
        for l in lines {
            out += row([
                AlertsText.condition(l.condition), l.rules.joined(separator: ", "), Russian.number(l.planted),
                Russian.number(l.found), AlertsText.percent(l.recall), Russian.number(l.flagged),
                AlertsText.falseAlarms(l.falseAlarms, share: l.falseAlarmRate),
            ])
        }
        return out
    }
}
