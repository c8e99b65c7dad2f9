import Yams

/// A mutant of the rule that `mayak test-rules --mutate` is told not to count as a survivor:
/// one whose change cannot alter what the rule decides, with the reason why.
///
/// ```yaml
/// equivalent_mutants:
///   - at: when
///     mutation: "conjunct removed: rate != null"
///     reason: "rate >= threshold_percent is false for a missing rate anyway"
/// ```
///
/// `at` names the part of the rule (`when`, `let.rate`, `escalate[1]`, `key`, `each`,
/// `params.threshold`) and `mutation` the change, both as the mutation report prints them.
public struct EquivalentMutantDecl: Sendable, Equatable {
    public var at: String
    public var mutation: String
    public var reason: String
    /// Where the marking is written (its `mutation:` value), for the error when it matches
    /// no mutant.
    public var line: Int, column: Int

    public init(at: String, mutation: String, reason: String, line: Int, column: Int) {
        self.at = at
        self.mutation = mutation
        self.reason = reason
        self.line = line
        self.column = column
    }
}

extension RuleFileReader {
    /// The top-level keys of a rule file that mutation testing adds.
    static let mutationKeys = ["equivalent_mutants"]

    mutating func equivalentMutants(_ node: Node) -> [EquivalentMutantDecl] {
        guard case .sequence(let seq) = node else {
            error(node, "expected 'equivalent_mutants' as a list of { at, mutation, reason }")
            return []
        }
        var out: [EquivalentMutantDecl] = []
        for item in seq {
            guard let f = mapping(item, "an equivalent mutant", keys: ["at", "mutation", "reason"]) else { continue }
            let at = string(f, "at", at: item)
            let mutation = string(f, "mutation", at: item)
            let reason = string(f, "reason", at: item)
            guard let at, let mutation, let reason, let mark = f["mutation"]?.value.mark else { continue }
            out.append(
                EquivalentMutantDecl(at: at, mutation: mutation, reason: reason, line: mark.line, column: mark.column))
        }
        return out
    }
}

extension Binding {
    /// A binding made outside the loader (a mutant of a rule keeps its parameters in use).
    public static func made(name: String, value: SourcedExpr, line: Int, column: Int) -> Binding {
        Binding(name: name, value: value, line: line, column: column)
    }
}
