import ArgumentParser
import Foundation
import MayakAlerts
import MayakEngine
import MayakFiles
import MayakGenerator
import MayakRules
import MayakSnapshot

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Generate the built-in demo district, scan it with the rules, and print the alert summary and sample plans."
    )

    @Option(help: "Seed of the demo district.")
    var seed: UInt64 = 1

    @OptionGroup var rules: RuleOptions

    @Flag(help: "Keep the generated snapshot and print where it is.")
    var keep = false

    func run() throws {
        let pack = try rules.load()
        // A fresh folder of our own (mkdtemp), removed at the end and on a signal.
        var template = Array((FileManager.default.temporaryDirectory.path + "/mayak-demo-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            Terminal.error("error: cannot create a temporary folder: \(String(cString: strerror(errno)))")
            throw ExitCode.failure
        }
        let temporary = String(cString: made)
        let folder = temporary + "/district"
        if !keep { TemporaryFiles.register(temporary, folder: true) }
        defer { if !keep { TemporaryFiles.discard(temporary) } }
        let report = try DistrictGenerator(options: GeneratorOptions(seed: seed, output: folder)).run()
        Terminal.say(
            "Демо-округ: \(Russian.counted(report.schools, "школа", "школы", "школ")), \(Russian.counted(report.pupils, "ученик", "ученика", "учеников")), \(Russian.counted(report.marks, "отметка", "отметки", "отметок")) (сгенерировано за \(Russian.fixed(report.seconds, places: 1)) с)\n"
        )
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
            "Проверка правилами (\(Russian.counted(pack.rules.count, "правило", "правила", "правил")), \(Russian.fixed(Date().timeIntervalSince(started), places: 2)) с): предупреждений \(Russian.number(result.alerts.count))"
        )
        for severity in Severity.allCases.reversed() {
            Terminal.say("  \(severity.russian): \(Russian.number(result.count(severity)))")
        }
        Terminal.say("\nПо правилам:")
        var byRule: [String: Int] = [:]
        for a in result.alerts { byRule[a.ruleID, default: 0] += 1 }
        for rule in pack.rules where byRule[rule.id] != nil {
            Terminal.say("  \(rule.id): \(Russian.number(byRule[rule.id]!)) — \(rule.definition.title)")
        }
        Terminal.say("\nПо школам:")
        for (i, name) in snapshot.schools.name.enumerated() {
            let list = result.alerts.filter { $0.subject.schoolIndex == i }
            let pupils = Set(list.compactMap(\.subject.pupilIndex)).count
            Terminal.say(
                "  \(name): предупреждений \(Russian.number(list.count)), учеников в списке \(Russian.number(pupils)), критических \(Russian.number(list.filter { $0.severity == .critical }.count))"
            )
        }
        // Sample plans: the pupils with the most serious and most numerous alerts.
        let ranked = result.plans.sorted { a, b in
            let x = result.alerts.filter { $0.subject.pupilIndex == a.pupilIndex }
            let y = result.alerts.filter { $0.subject.pupilIndex == b.pupilIndex }
            let sx = x.map(\.severity.rank).max() ?? 0
            let sy = y.map(\.severity.rank).max() ?? 0
            return (sx, x.count, b.pupilIndex) > (sy, y.count, a.pupilIndex)
        }
        Terminal.say("\nИндивидуальных планов предложено: \(Russian.number(result.plans.count)). Примеры:\n")
        for plan in ranked.prefix(3) { Terminal.say(plan.text) }
        Terminal.say("Полный список: mayak scan SNAPSHOT (--format json|csv|ndjson, --school, --class, --plans).")
        if keep { Terminal.say("\nСнимок сохранён: \(folder)") }
    }
}
