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
        abstract: Help.Diff.abstract, discussion: Help.Diff.discussion)

    @Argument(help: Help.Diff.snapshot) var snapshot: String?
    @Option(name: .customLong("run"), help: Help.Diff.run) var runs: [Int64] = []
    @OptionGroup var store: StoreOptions
    @OptionGroup var rules: RuleOptions
    @Option(help: Help.Diff.format) var format: String = "table"
    @Option(help: Help.Snapshot.encoding) var encoding: TextEncoding = .auto

    func validate() throws {
        guard format == "table" || format == "json" else { throw ValidationError(Messages.diffFormat) }
        if snapshot == nil && runs.count != 2 { throw ValidationError(Messages.diffNeedsTwo) }
        if snapshot != nil && rules.rules.count != 2 && rules.assignments.isEmpty && rules.overrides == nil {
            throw ValidationError(Messages.diffNeedsVersions)
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
            let two = rules.rules.count == 2
            title = Messages.diffRules(
                snapshot: snapshot, asOf: data.manifest.asOf.russian, old: two ? rules.rules[0] : nil,
                new: two ? rules.rules[1] : nil, assignments: rules.assignments, overrides: rules.overrides)
        } else {
            let s = try store.open(.read)
            let known = Set(try s.runs().map(\.id))
            for r in runs where !known.contains(r) {
                Terminal.error(Messages.noRun(r, in: store.db))
                throw ExitCode.failure
            }
            diff = AlertDiff(before: try s.runAlerts(runs[0]), after: try s.runAlerts(runs[1]))
            title = Messages.diffRuns(runs[0], runs[1])
        }
        Terminal.say(format == "json" ? diff.json(title: title) : diff.table(title: title), terminator: "")
    }
}
