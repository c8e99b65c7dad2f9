import ArgumentParser
import MayakBuiltIn
import MayakEngine
import MayakFiles
import MayakRules
import MayakSnapshot

struct TestRules: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test-rules",
        abstract: "Run every rule's own test cases; print pass or fail per case.")

    @Argument(help: "Папки или файлы правил (по умолчанию встроенный набор, builtin:).")
    var paths: [String] = []

    @Flag(help: "Print failures only.")
    var quiet = false

    @Flag(
        help:
            "Mutation testing: change each rule a little, one change at a time, and report the changes no test case notices."
    )
    var mutate = false

    @Option(help: "With --mutate: the report as table or json.")
    var format: MutationFormat?

    func validate() throws {
        if format != nil && !mutate { throw ValidationError("--format is for the report of --mutate") }
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
                if !quiet && !mutate { Terminal.say("PASS \(o.rule): \(o.name)") }
            } else {
                failed += 1
                Terminal.say("FAIL \(o.rule): \(o.name) (\(o.file):\(o.line))")
                for d in o.details { Terminal.say("     \(d)") }
            }
        }
        let untested = definitions.filter { $0.tests.isEmpty }.map(\.id)
        for id in untested { Terminal.say("FAIL \(id): the rule has no test cases") }
        if !mutate || failed + untested.count > 0 {
            Terminal.say("\(outcomes.count - failed + 0) passed, \(failed + untested.count) failed")
        }
        if failed + untested.count > 0 { throw ExitCode.failure }
        if mutate { try runMutants(definitions) }
    }
}
