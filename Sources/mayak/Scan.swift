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
        abstract: Help.Scan.abstract, discussion: Help.Scan.discussion)

    @OptionGroup var input: SnapshotOptions
    @OptionGroup var rules: RuleOptions

    @Option(help: Help.Common.school)
    var school: String?

    @Option(name: .customLong("class"), help: Help.Common.scopeClass)
    var classID: String?

    @Option(help: Help.Scan.minSeverity)
    var minSeverity: Severity = .info

    @Option(help: Help.Scan.format)
    var format: AlertFormat = .table

    @Option(help: Help.Scan.out)
    var out: String?

    @Flag(help: Help.Scan.plans)
    var plans = false

    @Option(help: Help.Scan.failOn)
    var failOn: Severity?

    @Option(help: Help.Scan.db)
    var db: String?

    @Flag(help: Help.Scan.record)
    var record = false

    @Flag(help: Help.Scan.timings)
    var timings = false

    @Option(help: Help.Scan.engine)
    var engine: ScanEngine = .compiled

    func run() throws {
        let started = Date()
        let output = try Output.open(out)
        let settings = try RuleOptions.settings(in: db ?? (record ? "mayak.sqlite" : nil))
        let pack = try rules.load(settings: settings)
        let snapshot = try input.load()
        let loaded = Date()
        if let school, !snapshot.schools.id.contains(school) {
            Terminal.error(Messages.noSchool(school))
            throw ExitCode.failure
        }
        if let classID, !snapshot.classes.id.contains(classID) {
            Terminal.error(Messages.noClass(classID))
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
                try emit(Messages.plansHeading(result.plans.count) + result.plans.map(\.text).joined(separator: "\n"))
            }
        }
        if timings {
            Terminal.error(
                Messages.timings(
                    load: loaded.timeIntervalSince(started), index: indexed.timeIntervalSince(loaded),
                    rules: evaluated.timeIntervalSince(indexed), alerts: scanned.timeIntervalSince(evaluated),
                    output: Date().timeIntervalSince(scanned), total: Date().timeIntervalSince(started)))
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
            Terminal.error(Messages.store(error, path))
            throw ExitCode.failure
        }
        let (alerts, duplicates) = RunAlert.recordable(result.alerts)
        for (rule, count) in duplicates.sorted(by: { $0.key < $1.key }) {
            Terminal.error(Messages.sharedFingerprints(rule: rule, extra: count))
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
                Messages.recorded(run: id, path: path, alerts: alerts.count, new: new, resolved: resolved))
        } catch {
            Terminal.error(Messages.cannotRecord(path, error))
            throw ExitCode.failure
        }
    }
}

extension AlertFormat: ExpressibleByArgument {}

extension ScanEngine: ExpressibleByArgument {}
