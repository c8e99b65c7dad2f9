import ArgumentParser
import Foundation
import MayakAlerts
import MayakEngine
import MayakFiles
import MayakHistory
import MayakRules
import MayakSnapshot

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "What changed: between two recorded runs, or between two rule versions on one snapshot.",
        discussion: """
            mayak diff --run 3 --run 4                         two runs of the history
            mayak diff SNAPSHOT --rules old/ --rules new/      the department's tune-and-rerun
            mayak diff SNAPSHOT --set failing-two-subjects.threshold=2.6
            """)

    @Argument(help: "A snapshot, to compare rule versions on it.") var snapshot: String?
    @Option(name: .customLong("run"), help: "A run number (twice: before and after).") var runs: [Int64] = []
    @OptionGroup var store: StoreOptions
    @OptionGroup var rules: RuleOptions
    @Option(help: "table or json.") var format: String = "table"
    @Option(help: "Text encoding of the CSV files: auto, utf8 or cp1251.") var encoding: TextEncoding = .auto

    func validate() throws {
        guard format == "table" || format == "json" else { throw ValidationError("--format: table or json") }
        if snapshot == nil && runs.count != 2 {
            throw ValidationError("give two runs (--run A --run B) or a snapshot with two rule versions")
        }
        if snapshot != nil && rules.rules.count != 2 && rules.assignments.isEmpty && rules.overrides == nil {
            throw ValidationError(
                "with a snapshot, give two rule folders (--rules OLD --rules NEW) or overrides (--set, --overrides) to compare"
            )
        }
    }

    func run() throws {
        let diff: AlertDiff
        let title: String
        if let snapshot {
            let data = try SnapshotOptions.load(snapshot, encoding: encoding)
            let index = SnapshotIndex(data)
            var old = rules
            var new = rules
            if rules.rules.count == 2 {
                old.rules = [rules.rules[0]]
                new.rules = [rules.rules[1]]
                old.assignments = []
                old.overrides = nil
            } else {
                old.assignments = []
                old.overrides = nil
            }
            let before = try old.load()
            let after = try new.load()
            func alerts(_ pack: RulePack) throws -> [RunAlert] {
                ScanResult(findings: try Scanning.scan(pack, index: index), snapshot: data, pack: pack).alerts.map(
                    RunAlert.init)
            }
            diff = AlertDiff(before: try alerts(before), after: try alerts(after))
            title =
                "Сравнение правил на снимке \(snapshot) (\(data.manifest.asOf.russian)): \(rules.rules.count == 2 ? "\(rules.rules[0]) → \(rules.rules[1])" : "без изменений параметров → \(rules.assignments.joined(separator: ", "))\(rules.overrides.map { " \($0)" } ?? "")")"
        } else {
            let s = try store.open(.read)
            let known = Set(try s.runs().map(\.id))
            for r in runs where !known.contains(r) {
                Terminal.error("error: no run \(r) in \(store.db)")
                throw ExitCode.failure
            }
            diff = AlertDiff(before: try s.runAlerts(runs[0]), after: try s.runAlerts(runs[1]))
            title = "Прогон №\(runs[0]) → №\(runs[1])"
        }
        Terminal.say(format == "json" ? diff.json(title: title) : diff.table(title: title), terminator: "")
    }
}
