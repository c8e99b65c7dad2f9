import ArgumentParser
import Foundation
import MayakAlerts
import MayakEngine
import MayakFiles
import MayakHistory
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

    @Option(
        name: .customLong("class"), help: "Only this class (class_id): its pupils and the class, no school's alerts.")
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

    @Option(help: "Record the run and its alerts in this history database (SQLite).")
    var db: String?

    @Flag(help: "Record the run in mayak.sqlite in the working folder (same as --db mayak.sqlite).")
    var record = false

    @Flag(help: "Print how long loading and the rules took, to standard error.")
    var timings = false

    @Option(help: "compiled (default: every core) or reference (the plain interpreter, to cross-check).")
    var engine: ScanEngine = .compiled

    func run() throws {
        let started = Date()
        let output = try Output.open(out)
        let settings = try RuleOptions.settings(in: db ?? (record ? "mayak.sqlite" : nil))
        let pack = try rules.load(settings: settings)
        let snapshot = try input.load()
        let loaded = Date()
        if let school, !snapshot.schools.id.contains(school) {
            Terminal.error("error: no school '\(school)' in the snapshot")
            throw ExitCode.failure
        }
        if let classID, !snapshot.classes.id.contains(classID) {
            Terminal.error("error: no class '\(classID)' in the snapshot")
            throw ExitCode.failure
        }
        let index = SnapshotIndex(snapshot)
        let indexed = Date()
        let findings = try Scanning.scan(
            pack, index: index, scope: ScanScope(schoolID: school, classID: classID), engine: engine)
        let evaluated = Date()
        let result = ScanResult(findings: findings, snapshot: snapshot, pack: pack, minSeverity: minSeverity)
        let scanned = Date()
        if let path = db ?? (record ? "mayak.sqlite" : nil) {
            try recordRun(
                path: path, snapshot: snapshot, pack: pack, settings: settings,
                result: minSeverity == .info ? result : ScanResult(findings: findings, snapshot: snapshot, pack: pack),
                load: loaded.timeIntervalSince(started), scan: scanned.timeIntervalSince(loaded))
        }
        try Output.write(to: output) { emit in
            try result.write(format, color: (out == nil || out == "-") && isatty(1) != 0, to: emit)
            if format == .table && plans {
                try emit(
                    "\nИндивидуальные планы (\(result.plans.count)):\n\n"
                        + result.plans.map(\.text).joined(separator: "\n"))
            }
        }
        if timings {
            Terminal.error(
                String(
                    format:
                        "timings: load %.3f s, index %.3f s, rules %.3f s, alerts and plans %.3f s, output %.3f s, total %.3f s",
                    loaded.timeIntervalSince(started), indexed.timeIntervalSince(loaded),
                    evaluated.timeIntervalSince(indexed),
                    scanned.timeIntervalSince(evaluated), Date().timeIntervalSince(scanned),
                    Date().timeIntervalSince(started)))
        }
        // A region's findings, alerts and snapshot are millions of small objects: freeing them
        // one by one takes longer than the process takes to end. They are left to the exit.
        ProcessLifetime.keep(findings, result, index)
        if let failOn, result.alerts.contains(where: { $0.severity >= failOn }) { throw ExitCode(2) }
    }
}

/// What a command leaves for the end of the process instead of freeing it piece by piece.
enum ProcessLifetime {
    nonisolated(unsafe) private static var kept: [Any] = []
    static func keep(_ objects: Any...) { kept.append(contentsOf: objects) }
}

extension Scan {
    /// Records the run: every alert of the scan (all severities, so the lifecycle sees them
    /// all), in one transaction.
    func recordRun(
        path: String, snapshot: Snapshot, pack: RulePack, settings: RuleSettings?, result: ScanResult,
        load: TimeInterval, scan: TimeInterval
    ) throws {
        let store: SQLiteHistoryStore
        do { store = try SQLiteHistoryStore(path: path) } catch {
            Terminal.error(StoreOptions.message(error, path))
            throw ExitCode.failure
        }
        let (alerts, duplicates) = RunAlert.recordable(result.alerts)
        for (rule, count) in duplicates.sorted(by: { $0.key < $1.key }) {
            Terminal.error(
                "warning: rule '\(rule)' raised alerts that share one fingerprint (\(count) beyond the first; its key does not tell them apart: a defect of the rule); only the first of each is recorded"
            )
        }
        let scopeText = [school.map { "school=\($0)" }, classID.map { "class=\($0)" }].compactMap { $0 }.joined(
            separator: "; ")
        let run = RunInfo(
            recordedAt: Clock.now(), asOf: snapshot.manifest.asOf.description, district: snapshot.manifest.district,
            snapshotFingerprint: SnapshotFingerprint.of(input.snapshot), rulesHash: pack.hash,
            rulesVersion: pack.version, ruleCount: pack.rules.count,
            overrides: ((settings.map { ["settings=\($0.id)"] } ?? []) + rules.assignments).joined(separator: "; ")
                + (rules.overrides.map { " overrides=\($0)" } ?? ""),
            scope: scopeText, loadMilliseconds: Int(load * 1000), scanMilliseconds: Int(scan * 1000),
            alertCount: alerts.count)
        if ProcessInfo.processInfo.environment["MAYAK_TEST_PAUSE_BEFORE_COMMIT"] == "1" {
            // For the crash test: say we are inside the transaction, then wait to be killed.
            store.beforeCommit = {
                FileHandle.standardOutput.write(Data("in-transaction\n".utf8))
                _ = FileHandle.standardInput.readDataToEndOfFile()
            }
        }
        do {
            let id = try store.record(run, alerts: alerts, scope: (school, classID))
            let (new, resolved) = try store.outcome(ofRun: id)
            Terminal.error(
                "Прогон №\(id) записан в \(path): предупреждений \(alerts.count), новых \(new), снято \(resolved)")
        } catch {
            Terminal.error("error: cannot record the run in \(path): \(error)")
            throw ExitCode.failure
        }
    }
}

extension AlertFormat: ExpressibleByArgument {}

extension ScanEngine: ExpressibleByArgument {}
