import ArgumentParser
import Foundation
import MayakFiles
import MayakGenerator
import MayakSnapshot

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a deterministic synthetic district in the snapshot format.")

    @Option(
        help: "district (8 schools, ~3,000 pupils), city (~60,000) or region (~250,000 pupils, ~100 million marks).")
    var preset: Preset = .district

    @Option(help: "Seed: the same seed gives identical files.")
    var seed: UInt64 = 1

    @Option(
        name: .customLong("as-of"), help: "The snapshot's date (YYYY-MM-DD); the school year is the one containing it.")
    var asOf: String = GeneratorOptions.defaultAsOf.description

    @Option(help: "Also write the conditions the generator planted (CSV) to this file.")
    var truth: String?

    @Option(help: "The folder to write.")
    var out: String

    @Flag(help: "Replace the output folder if it is a snapshot Mayak generated earlier.")
    var force = false

    @Flag(
        help:
            "Also make rare situations (period marks «1», uneven weights, ВПР falls in successive springs), for tests.")
    var edgeCases = false

    func validate() throws {
        guard Day(asOf) != nil else { throw ValidationError("--as-of: expected a date as YYYY-MM-DD, found '\(asOf)'") }
    }

    func run() throws {
        let options = GeneratorOptions(
            preset: preset, seed: seed, asOf: Day(asOf)!, output: out, truth: truth, force: force, edgeCases: edgeCases)
        let report: GenerationReport
        do {
            report = try DistrictGenerator(options: options).run()
        } catch {
            Terminal.error("error: \(error)")
            throw ExitCode.failure
        }
        let mb = Double(report.totalBytes) / 1_000_000
        Terminal.say(
            "Снимок записан в \(out): \(Russian.counted(report.schools, "школа", "школы", "школ")), \(Russian.counted(report.classes, "класс", "класса", "классов")), \(Russian.counted(report.pupils, "ученик", "ученика", "учеников")), \(Russian.counted(report.marks, "отметка", "отметки", "отметок"))"
        )
        Terminal.say(
            "\(Russian.fixed(mb, places: 1)) МБ за \(Russian.fixed(report.seconds, places: 2)) с (\(Russian.fixed(mb / max(report.seconds, 0.001), places: 1)) МБ/с)"
        )
    }
}

extension Preset: ExpressibleByArgument {}
