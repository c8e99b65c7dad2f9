import ArgumentParser
import MayakAlerts
import MayakEngine
import MayakFiles
import MayakRules

enum MutationFormat: String, CaseIterable, ExpressibleByArgument { case table, json }

extension TestRules {
    /// `--mutate`: the mutants no test case kills, like a compiler's diagnostics, then the
    /// counts; exit 1 when one survives that is not marked equivalent, or a marking is stale.
    func runMutants(_ definitions: [RuleDefinition]) throws {
        let report = MutationTester.run(definitions)
        if !report.problems.isEmpty { Terminal.error(report.problems.map(\.description).joined(separator: "\n")) }
        switch format ?? .table {
        case .table:
            for m in report.survivors { Terminal.say(m.rendered(Messages.survived) + Messages.survivorAt(m.at)) }
            Terminal.say(report.summary)
        case .json: Terminal.say(Self.json(report))
        }
        if !report.survivors.isEmpty || !report.problems.isEmpty { throw ExitCode.failure }
    }

    static func json(_ report: MutationTester.Report) -> String {
        let survivors = report.survivors.map { m in
            let fields = [
                ("rule", JSON.string(m.rule)), ("file", JSON.string(m.file)), ("line", String(m.line)),
                ("column", String(m.column)), ("at", JSON.string(m.at)), ("kind", JSON.string(m.kind.rawValue)),
                ("mutation", JSON.string(m.mutation)), ("source", JSON.string(m.excerpt ?? "")),
            ]
            return "    {" + fields.map { "\(JSON.string($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
        }
        let counts = [
            ("mutants", report.results.count), ("killed", report.killed), ("survived", report.survivors.count),
            ("equivalent", report.equivalent), ("invalid", report.invalid),
        ]
        return "{\n" + counts.map { "  \(JSON.string($0.0)): \($0.1),\n" }.joined() + "  \"survivors\": ["
            + (survivors.isEmpty ? "" : "\n" + survivors.joined(separator: ",\n") + "\n  ") + "]\n}"
    }
}
