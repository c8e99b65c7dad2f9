import ArgumentParser
import Foundation
import MayakAlerts
import MayakEngine
import MayakGenerator
import MayakRules
import MayakSnapshot

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate the built-in demo district, scan it with the rules, and print the alert summary and sample plans.")

    @Option(help: "Seed of the demo district.")
    var seed: UInt64 = 1

    @OptionGroup var rules: RuleOptions

    @Flag(help: "Keep the generated snapshot and print where it is.")
    var keep = false

    func run() throws {
        let pack = try rules.load()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mayak-demo-\(ProcessInfo.processInfo.processIdentifier)").path
        defer { if !keep { try? FileManager.default.removeItem(atPath: folder) } }
        let report = try DistrictGenerator(options: GeneratorOptions(seed: seed, output: folder)).run()
        print("Демо-округ: \(report.schools) школ, \(report.pupils) учеников, \(report.marks) отметок (сгенерировано за \(String(format: "%.1f", report.seconds)) с)\n")
        let snapshot: Snapshot
        do {
            snapshot = try SnapshotLoader(folder: folder).load().snapshot
        } catch {
            Terminal.error(error.log.rendered())
            throw ExitCode.failure
        }
        print(SnapshotSummary(snapshot).rendered())
        let started = Date()
        let findings = try Scanning.scan(pack, index: SnapshotIndex(snapshot))
        let result = ScanResult(findings: findings, snapshot: snapshot, pack: pack)
        print("Проверка правилами (\(pack.rules.count) правил, \(String(format: "%.2f", Date().timeIntervalSince(started))) с): предупреждений \(result.alerts.count)")
        for severity in Severity.allCases.reversed() { print("  \(severity.russian): \(result.count(severity))") }
        print("\nПо правилам:")
        var byRule: [String: Int] = [:]
        for a in result.alerts { byRule[a.ruleID, default: 0] += 1 }
        for rule in pack.rules where byRule[rule.id] != nil {
            print("  \(rule.id): \(byRule[rule.id]!) — \(rule.definition.title)")
        }
        print("\nПо школам:")
        for (i, name) in snapshot.schools.name.enumerated() {
            let list = result.alerts.filter { $0.subject.schoolIndex == i }
            let pupils = Set(list.compactMap(\.subject.pupilIndex)).count
            print("  \(name): предупреждений \(list.count), учеников в списке \(pupils), критических \(list.filter { $0.severity == .critical }.count)")
        }
        // Sample plans: the pupils with the most serious and most numerous alerts.
        let ranked = result.plans.sorted { a, b in
            let x = result.alerts.filter { $0.subject.pupilIndex == a.pupilIndex }, y = result.alerts.filter { $0.subject.pupilIndex == b.pupilIndex }
            let sx = x.map(\.severity.rank).max() ?? 0, sy = y.map(\.severity.rank).max() ?? 0
            return (sx, x.count, b.pupilIndex) > (sy, y.count, a.pupilIndex)
        }
        print("\nИндивидуальных планов предложено: \(result.plans.count). Примеры:\n")
        for plan in ranked.prefix(3) { print(plan.text) }
        print("Полный список: mayak scan SNAPSHOT (--format json|csv|ndjson, --school, --class, --plans).")
        if keep { print("\nСнимок сохранён: \(folder)") }
    }
}
