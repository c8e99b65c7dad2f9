import MayakRules
import MayakSnapshot

/// A checked expression, ready to evaluate: names resolved to slots, fields to enum cases,
/// parameters to constants, regular expressions compiled.
public indirect enum Node: @unchecked Sendable {
    case constant(Value)
    case local(Int)
    case global(Global)
    case field(Node, Entity, Field)
    case method(Node, Entity, Method, [Node])
    /// A list operation that binds each element to `slot`.
    case lambda(Node, LambdaOp, slot: Int, [Node])
    case listOp(Node, ListOp, [Node])
    case stringOp(Node, StringOp, [Node])
    case matches(Node, Regex)
    case call(Function, [Node])
    case unary(UnaryOperator, Node)
    case binary(BinaryOperator, Node, Node)
    case conditional(Node, Node, Node)
    case list([Node])
}

public enum Global: String, Sendable {
    case asOf = "as_of"
    case thisYear = "this_year"
    case lastYear = "last_year"
}

public enum LambdaOp: String, Sendable, CaseIterable {
    case filter, map, any, all, count, sum, mean, min, max, share, wmean, slope, none
}

public enum ListOp: String, Sendable, CaseIterable {
    case count
    case isEmpty = "is_empty"
    case first, last, sum, mean, min, max, distinct, join, contains
    case lastDays = "last_days"
    case between, during, before, since
}

public enum StringOp: String, Sendable, CaseIterable {
    case contains
    case startsWith = "starts_with"
    case lower
}

public enum Function: String, Sendable, CaseIterable {
    case abs, round, min, max, fmt, date
    case daysBetween = "days_between"
    case text
    /// `plural(n, 'двойка', 'двойки', 'двоек')`: the count and the noun's form for it.
    case plural
    /// A year as text («2025», never «2 025»: a number that names, not counts). Not a name a
    /// rule can write: the checker puts it around a year written into a text (`{v.year}`,
    /// `text(last_year)`).
    case yearText = "(year)"
}

/// A rule, checked against the schema and compiled.
public final class CompiledRule: @unchecked Sendable {
    public let definition: RuleDefinition
    /// Parameter values in force (defaults, then overrides).
    public let parameters: [(name: String, value: ParameterDecl.Value)]
    let slotCount: Int
    public let each: (slot: Int, list: Node)?
    let lets: [(name: String, slot: Int, node: Node, expr: Expr)]
    let when: Node
    let key: Node?
    let escalations: [(severity: Severity, when: Node)]
    let message: [TemplatePart]
    let evidence: [(name: String, node: Node)]
    let worse: (measure: Node, text: [TemplatePart])?
    let plan: [(decl: PlanItemDecl, action: [TemplatePart], check: [TemplatePart])]
    /// Uses `pupil.alerts`: runs after every other rule.
    public let usesAlerts: Bool

    enum TemplatePart {
        case text(String)
        case node(Node)
    }

    init(
        definition: RuleDefinition, parameters: [(String, ParameterDecl.Value)], slotCount: Int, each: (Int, Node)?,
        lets: [(String, Int, Node, Expr)], when: Node, key: Node?, escalations: [(Severity, Node)],
        message: [TemplatePart],
        evidence: [(String, Node)], worse: (measure: Node, text: [TemplatePart])? = nil,
        plan: [(PlanItemDecl, [TemplatePart], [TemplatePart])], usesAlerts: Bool
    ) {
        self.definition = definition
        self.parameters = parameters.map { (name: $0.0, value: $0.1) }
        self.slotCount = slotCount
        self.each = each.map { (slot: $0.0, list: $0.1) }
        self.lets = lets.map { (name: $0.0, slot: $0.1, node: $0.2, expr: $0.3) }
        self.when = when
        self.key = key
        self.escalations = escalations.map { (severity: $0.0, when: $0.1) }
        self.message = message
        self.evidence = evidence.map { (name: $0.0, node: $0.1) }
        self.worse = worse
        self.plan = plan.map { (decl: $0.0, action: $0.1, check: $0.2) }
        self.usesAlerts = usesAlerts
    }

    public var id: String { definition.id }
}
