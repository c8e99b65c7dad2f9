import ArgumentParser
import Foundation
import MayakAlerts
import MayakEngine
import MayakFiles
import MayakGenerator
import MayakRules
import MayakSnapshot

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: Help.Demo.abstract)

    @Option(help: Help.Demo.seed)
    var seed: UInt64 = 1

    @OptionGroup var rules: RuleOptions

    @Flag(help: Help.Demo.keep)
    var keep = false

    func run() throws {
        let pack = try rules.load()
        // A fresh folder of our own (mkdtemp), removed at the end and on a signal.
        var template = Array((FileManager.default.temporaryDirectory.path + "/mayak-demo-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            Terminal.error(Messages.cannotCreateTemporaryFolder(errno))
            throw ExitCode.failure
        }
        let temporary = String(cString: made)
        let folder = temporary + "/district"
        if !keep { TemporaryFiles.register(temporary, folder: true) }
        defer { if !keep { TemporaryFiles.discard(temporary) } }
        let report = try DistrictGenerator(options: GeneratorOptions(seed: seed, output: folder)).run()
        Terminal.say(
            Messages.demoDistrict(
                schools: report.schools, pupils: report.pupils, marks: report.marks, seconds: report.seconds))
        let snapshot: Snapshot
        do {
            snapshot = try SnapshotLoader(folder: folder).load().snapshot
        } catch {
            Terminal.error(error.log.rendered())
            throw ExitCode.failure
        }
        Terminal.say(SnapshotSummary(snapshot).rendered())
        let started = Date()
        let findings = try Scanning.scan(pack, index: SnapshotIndex(snapshot))
        let result = ScanResult(findings: findings, snapshot: snapshot, pack: pack)
        Terminal.say(
            Messages.demoScan(
                rules: pack.rules.count, seconds: Date().timeIntervalSince(started), alerts: result.alerts.count))
        for severity in Severity.allCases.reversed() {
            Terminal.say(Messages.demoSeverity(severity, result.count(severity)))
        }
        Terminal.say(Messages.demoByRule)
        var byRule: [String: Int] = [:]
        for a in result.alerts { byRule[a.ruleID, default: 0] += 1 }
        for rule in pack.rules where byRule[rule.id] != nil {
            Terminal.say(Messages.demoRule(rule.id, byRule[rule.id]!, rule.definition.title))
        }
        Terminal.say(Messages.demoBySchool)
        for (i, name) in snapshot.schools.name.enumerated() {
            let list = result.alerts.filter { $0.subject.schoolIndex == i }
            let pupils = Set(list.compactMap(\.subject.pupilIndex)).count
            Terminal.say(
                Messages.demoSchool(
                    name, alerts: list.count, pupils: pupils, critical: list.filter { $0.severity == .critical }.count))
        }
        // Sample plans: the pupils with the most serious and most numerous alerts.
        let ranked = result.plans.sorted { a, b in
            let x = result.alerts.filter { $0.subject.pupilIndex == a.pupilIndex }
            let y = result.alerts.filter { $0.subject.pupilIndex == b.pupilIndex }
            let sx = x.map(\.severity.rank).max() ?? 0
            let sy = y.map(\.severity.rank).max() ?? 0
            return (sx, x.count, b.pupilIndex) > (sy, y.count, a.pupilIndex)
        }
        Terminal.say(Messages.demoPlans(result.plans.count))
        for plan in ranked.prefix(3) { Terminal.say(plan.text) }
        Terminal.say(Messages.demoNext)
        if keep { Terminal.say(Messages.demoKept(folder)) }
    }
}
