import ArgumentParser
import Foundation
import MayakFiles
import MayakGenerator
import MayakSnapshot

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: Help.Generate.abstract)

    @Option(help: Help.Generate.preset)
    var preset: Preset = .district

    @Option(help: Help.Generate.seed)
    var seed: UInt64 = 1

    @Option(name: .customLong("as-of"), help: Help.Generate.asOf)
    var asOf: String = GeneratorOptions.defaultAsOf.description

    @Option(help: Help.Generate.truth)
    var truth: String?

    @Option(help: Help.Generate.out)
    var out: String

    @Flag(help: Help.Generate.force)
    var force = false

    @Flag(help: Help.Generate.edgeCases)
    var edgeCases = false

    func validate() throws {
        guard Day(asOf) != nil else { throw ValidationError(Messages.badDate(flag: "--as-of", found: asOf)) }
    }

    func run() throws {
        let options = GeneratorOptions(
            preset: preset, seed: seed, asOf: Day(asOf)!, output: out, truth: truth, force: force, edgeCases: edgeCases)
        let report: GenerationReport
        do {
            report = try DistrictGenerator(options: options).run()
        } catch {
            Terminal.error(Messages.error("\(error)"))
            throw ExitCode.failure
        }
        let mb = Double(report.totalBytes) / 1_000_000
        Terminal.say(
            Messages.generated(
                folder: out, schools: report.schools, classes: report.classes, pupils: report.pupils,
                marks: report.marks))
        Terminal.say(Messages.generatedSize(megabytes: mb, seconds: report.seconds))
    }
}

extension Preset: ExpressibleByArgument {}
