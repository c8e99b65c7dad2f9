import ArgumentParser
import Foundation
import MayakAlerts
import MayakEngine
import MayakRules
import MayakSnapshot

struct Scan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the rules over a snapshot: alerts with evidence, and individual plans.",
        discussion: """
        Exit codes: 0 — done (alerts are not an error); 1 — the snapshot or the rules have errors; \
        2 — --fail-on was given and an alert at or above that severity fired.
        """)

    @OptionGroup var input: SnapshotOptions
    @OptionGroup var rules: RuleOptions

    @Option(help: "Only this school (school_id).")
    var school: String?

    @Option(name: .customLong("class"), help: "Only this class (class_id).")
    var classID: String?

    @Option(help: "Leave out alerts below this severity: info, low, medium, high, critical.")
    var minSeverity: Severity = .info

    @Option(help: "table, json, csv (for Excel: UTF-8 with BOM, ';') or ndjson.")
    var format: AlertFormat = .table

    @Option(help: "Write to this file (atomically) instead of standard output.")
    var out: String?

    @Flag(help: "In the table, also print the individual plans.")
    var plans = false

    @Option(help: "Exit with 2 if any alert is at or above this severity.")
    var failOn: Severity?

    func run() throws {
        let pack = try rules.load()
        let snapshot = try input.load()
        if let school, !snapshot.schools.id.contains(school) {
            Terminal.error("error: no school '\(school)' in the snapshot")
            throw ExitCode.failure
        }
        if let classID, !snapshot.classes.id.contains(classID) {
            Terminal.error("error: no class '\(classID)' in the snapshot")
            throw ExitCode.failure
        }
        let index = SnapshotIndex(snapshot)
        let findings = Scanner.scan(pack, index: index, scope: ScanScope(schoolID: school, classID: classID))
        let result = ScanResult(findings: findings, snapshot: snapshot, pack: pack, minSeverity: minSeverity)
        var text = result.render(format, color: out == nil && isatty(1) != 0)
        if format == .table && plans {
            text += "\nИндивидуальные планы (\(result.plans.count)):\n\n" + result.plans.map(\.text).joined(separator: "\n")
        }
        try Output.write(text, to: out)
        if let failOn, result.alerts.contains(where: { $0.severity >= failOn }) { throw ExitCode(2) }
    }
}

extension AlertFormat: ExpressibleByArgument {}
