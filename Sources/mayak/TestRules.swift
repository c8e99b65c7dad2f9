import ArgumentParser
import MayakBuiltIn
import MayakEngine
import MayakFiles
import MayakRules
import MayakSnapshot

struct TestRules: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test-rules",
        abstract: Help.TestRules.abstract)

    @Argument(help: Help.TestRules.paths)
    var paths: [String] = []

    @Flag(help: Help.TestRules.quiet)
    var quiet = false

    @Flag(help: Help.TestRules.mutate)
    var mutate = false

    @Option(help: Help.TestRules.format)
    var format: MutationFormat?

    func validate() throws {
        if format != nil && !mutate { throw ValidationError(Messages.formatWithoutMutate) }
    }

    func run() throws {
        let folders = paths.isEmpty ? [BuiltIn.scheme] : paths
        var log = DiagnosticLog(cap: 500)
        // The whole pack must check before its tests mean anything.
        let pack = RulePack.load(paths: folders, log: &log)
        if !log.diagnostics.isEmpty { Terminal.error(log.rendered(byPosition: true)) }
        guard let pack, !log.hasErrors else { throw ExitCode.failure }
        let definitions = pack.rules.map(\.definition)
        let outcomes = RuleTester.run(definitions)
        var failed = 0
        for o in outcomes {
            if o.passed {
                if !quiet && !mutate { Terminal.say(Messages.casePassed(rule: o.rule, name: o.name)) }
            } else {
                failed += 1
                Terminal.say(Messages.caseFailed(rule: o.rule, name: o.name, file: o.file, line: o.line))
                for d in o.details { Terminal.say(Messages.caseDetail(d)) }
            }
        }
        let untested = definitions.filter { $0.tests.isEmpty }.map(\.id)
        for id in untested { Terminal.say(Messages.untested(id)) }
        if !mutate || failed + untested.count > 0 {
            Terminal.say(Messages.testSummary(passed: outcomes.count - failed, failed: failed + untested.count))
        }
        if failed + untested.count > 0 { throw ExitCode.failure }
        if mutate { try runMutants(definitions) }
    }
}
