import ArgumentParser
import Foundation
import MayakGenerator
import MayakSnapshot

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate the built-in demo district in a temporary folder and print its summary.")

    @Option(help: "Seed of the demo district.")
    var seed: UInt64 = 1

    @Flag(help: "Keep the generated snapshot and print where it is.")
    var keep = false

    func run() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mayak-demo-\(ProcessInfo.processInfo.processIdentifier)").path
        defer { if !keep { try? FileManager.default.removeItem(atPath: folder) } }
        let report = try DistrictGenerator(options: GeneratorOptions(seed: seed, output: folder)).run()
        print("Демо-округ: \(report.schools) школ, \(report.pupils) учеников, \(report.marks) отметок (сгенерировано за \(String(format: "%.1f", report.seconds)) с)\n")
        let loader = SnapshotLoader(folder: folder)
        do {
            let (snapshot, _) = try loader.load()
            print(SnapshotSummary(snapshot).rendered(), terminator: "")
        } catch {
            Terminal.error(error.log.rendered())
            throw ExitCode.failure
        }
        if keep { print("\nСнимок сохранён: \(folder)") }
    }
}
