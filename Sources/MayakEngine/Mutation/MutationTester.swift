import MayakRules
import MayakSnapshot

/// Mutation testing of rule files (`mayak test-rules --mutate`): every mutant of a rule
/// (`RuleMutator`) is checked like the rule itself and run on the rule's own test cases. A
/// case that fails kills it; a mutant no case tells apart from the rule survived — the rule
/// lacks a boundary or a negative case — unless the rule marks it as equivalent.
public enum MutationTester {
    public enum Verdict: Sendable, Equatable {
        /// A test case (named) fails on the mutant.
        case killed(by: String)
        case survived
        /// Marked in the rule's `equivalent_mutants:`, with its reason.
        case equivalent(reason: String)
        /// The mutant does not load or check (the first diagnostic): it is no rule at all.
        case invalid(String)
    }

    public struct Result: Sendable {
        public var mutant: Mutant
        public var verdict: Verdict
    }

    public struct Report: Sendable {
        public var results: [Result]
        /// Markings in `equivalent_mutants:` that match no mutant, or a mutant the tests kill.
        public var problems: [Diagnostic]

        public var killed: Int { results.count { if case .killed = $0.verdict { true } else { false } } }
        public var equivalent: Int { results.count { if case .equivalent = $0.verdict { true } else { false } } }
        public var invalid: Int { results.count { if case .invalid = $0.verdict { true } else { false } } }
        public var survivors: [Mutant] { results.filter { $0.verdict == .survived }.map(\.mutant) }

        /// `N mutants: K killed, S survived, E equivalent (I invalid)`.
        public var summary: String {
            "\(results.count) mutant\(results.count == 1 ? "" : "s"): \(killed) killed, \(survivors.count) survived, "
                + "\(equivalent) equivalent (\(invalid) invalid)"
        }
    }

    public static func run(_ definitions: [RuleDefinition]) -> Report {
        let mutants = definitions.map(RuleMutator.mutants)
        let flat = Array(mutants.joined())
        // Mutants are independent: each compiles its own rule and builds its cases' snapshots.
        var verdicts = Parallel.collect(flat.count) { verdict(flat[$0]) }
        var problems: [Diagnostic] = []
        var base = 0
        for (rule, own) in zip(definitions, mutants) {
            defer { base += own.count }
            for mark in rule.equivalentMutants {
                let matching = own.indices.filter {
                    own[$0].at == mark.at && normalized(own[$0].mutation) == normalized(mark.mutation)
                }
                guard !matching.isEmpty else {
                    problems.append(stale(rule, mark, own))
                    continue
                }
                for i in matching {
                    if case .killed(let name) = verdicts[base + i] {
                        problems.append(
                            diagnostic(
                                rule, mark, "this mutant is killed by the test case «\(name)»; it is not equivalent",
                                hint: "remove the marking"))
                    } else if case .survived = verdicts[base + i] {
                        verdicts[base + i] = .equivalent(reason: mark.reason)
                    }
                }
            }
        }
        return Report(
            results: zip(flat, verdicts).map { Result(mutant: $0.0, verdict: $0.1) },
            problems: problems.sorted { ($0.file, $0.line, $0.column) < ($1.file, $1.line, $1.column) })
    }

    /// Checks the mutant as a pack checks a rule, then runs the rule's cases until one fails.
    static func verdict(_ mutant: Mutant) -> Verdict {
        guard var rule = mutant.definition else { return .invalid(mutant.problem ?? "the mutant is no rule") }
        // A parameter whose only use the mutant removed is still the rule's parameter: kept
        // in use by evidence, so that the mutant is not refused as having an unused parameter.
        for p in rule.params {
            let source = ExpressionSource.singleLine(
                file: rule.file, text: p.name, line: p.line, column: p.column, fileLines: rule.when.source.fileLines)
            let use = SourcedExpr(expr: Expr(.name(p.name), start: 0, end: p.name.count), source: source)
            rule.evidence.append(
                Binding.made(name: "mutant_keeps_\(p.name)", value: use, line: p.line, column: p.column))
        }
        var log = DiagnosticLog(cap: 1)
        guard Checker.compile(rule, log: &log) != nil else {
            return .invalid(log.diagnostics.first?.message ?? "the mutant does not check")
        }
        for test in rule.tests where !RuleTester.run(rule, test, overrides: ParameterOverrides()).passed {
            return .killed(by: test.name)
        }
        return .survived
    }

    static func normalized(_ s: String) -> String { s.split(whereSeparator: \.isWhitespace).joined(separator: " ") }

    static func stale(_ rule: RuleDefinition, _ mark: EquivalentMutantDecl, _ own: [Mutant]) -> Diagnostic {
        let there = own.filter { $0.at == mark.at }.map(\.mutation)
        if there.isEmpty {
            let parts = Array(Set(own.map(\.at))).sorted()
            return diagnostic(
                rule, mark, "no mutant at '\(mark.at)'",
                hint: "mutants are at " + parts.map { "'\($0)'" }.joined(separator: ", "))
        }
        let hint =
            Suggest.closest(mark.mutation, in: there).map { "did you mean '\($0)'?" }
            ?? "the mutants at '\(mark.at)': " + there.joined(separator: "; ")
        return diagnostic(rule, mark, "no mutant '\(mark.mutation)' at '\(mark.at)'; the marking is stale", hint: hint)
    }

    static func diagnostic(_ rule: RuleDefinition, _ mark: EquivalentMutantDecl, _ message: String, hint: String)
        -> Diagnostic
    {
        Diagnostic(
            .error, "equivalent-mutant", file: rule.file, line: mark.line, column: mark.column, message,
            excerpt: RuleMutator.line(rule.when.source.fileLines, mark.line), length: mark.mutation.count + 2,
            hint: hint)
    }
}
