import MayakRules

/// A small change to one rule — a comparison made strict or loose, a constant or a parameter's
/// default moved by a step, a condition dropped — that its own test cases should notice
/// (`mayak test-rules --mutate`, docs/rule-language.md).
public struct Mutant: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        /// `>=` ↔ `>`, `<=` ↔ `<`, `==` ↔ `!=`.
        case comparison
        /// A number in an expression, or a parameter's default, one step up or down.
        case constant
        /// The length of a time window (`last_days(n)`, or the parameter it takes), one step.
        case window
        /// One operand of `and` / `or` left out.
        case conjunct, disjunct
        /// `not x` → `x`.
        case negation
        /// One `escalate` entry left out.
        case escalation
    }

    public var rule: String
    public var file: String
    /// The part of the rule changed: `when`, `let.rate`, `escalate[1]`, `key`, `each`,
    /// `params.threshold` (what `equivalent_mutants:` names in `at`).
    public var at: String
    public var kind: Kind
    /// What changed, as the report prints it and `equivalent_mutants:` names it:
    /// `>= → > in rate >= threshold_percent`, `conjunct removed: rate != null`, `default 2.5 → 2.4`.
    public var mutation: String
    /// Where the change is in the rule file (1-based), and how many characters it covers.
    public var line: Int, column: Int, length: Int
    /// The line of the rule file the change is in.
    public var excerpt: String?
    /// The changed rule; nil when it is no rule (`problem` says why).
    public var definition: RuleDefinition?
    /// Why the change gives no rule: its text does not parse, a default is outside its range.
    public var problem: String?

    /// `file:line:col: survived: mutation`, the source line and a caret under the change.
    public func rendered(_ verdict: String) -> String {
        var text = "\(file):\(line):\(column): \(verdict): \(mutation)"
        if let excerpt {
            let shown = excerpt.replacingOccurrences(of: "\t", with: " ")
            let width = max(1, min(length, shown.count - column + 1))
            text += "\n    \(shown)\n    " + String(repeating: " ", count: max(0, column - 1)) + "^"
            text += String(repeating: "~", count: width - 1)
        }
        return text
    }
}
