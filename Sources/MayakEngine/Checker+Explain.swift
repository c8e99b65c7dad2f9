import MayakRules
import MayakSnapshot

/// What `mayak explain` shows of a rule: its lets and the parts of its condition, each
/// compiled on its own so that its value can be printed. This is a separate path from the
/// scan: the scan's compiled rule carries no tracing.
public struct ExplainedRule {
    public struct Part {
        public var text: String
        public var depth: Int
        public var node: Node
    }
    public var rule: CompiledRule
    public var parts: [Part]
}

extension Checker {
    public static func explain(_ definition: RuleDefinition, overrides: [String: (text: String, origin: String)] = [:])
        -> ExplainedRule?
    {
        var checker = Checker(log: DiagnosticLog(cap: 1000), rule: definition, source: definition.when.source)
        guard let compiled = checker.run(overrides: overrides) else { return nil }
        var parts: [ExplainedRule.Part] = []
        for l in compiled.lets { parts.append(.init(text: l.name, depth: 0, node: .local(l.slot))) }
        checker.source = definition.when.source
        checker.collect(definition.when.expr, depth: 0, into: &parts)
        return ExplainedRule(rule: compiled, parts: parts)
    }

    /// The condition and its operands, down through and/or/not, comparisons and arithmetic
    /// (not into the bodies of list methods, whose names exist only per element).
    mutating func collect(_ e: Expr, depth: Int, into parts: inout [ExplainedRule.Part]) {
        let chars = Array(source.text)
        let text = String(chars[max(0, min(e.start, chars.count))..<max(0, min(e.end, chars.count))])
        if case .integer = e.kind { return }
        if case .number = e.kind { return }
        if case .string = e.kind { return }
        if case .bool = e.kind { return }
        guard let (node, _) = check(e) else { return }
        parts.append(.init(text: text, depth: depth, node: node))
        switch e.kind {
        case .binary(_, let a, let b):
            collect(a, depth: depth + 1, into: &parts)
            collect(b, depth: depth + 1, into: &parts)
        case .unary(_, let a): collect(a, depth: depth + 1, into: &parts)
        case .conditional(let c, let a, let b):
            for x in [c, a, b] { collect(x, depth: depth + 1, into: &parts) }
        case .method(let target, _, _), .member(let target, _):
            if case .name = target.kind { return }
            collect(target, depth: depth + 1, into: &parts)
        default: break
        }
    }
}
