/// The rule language's syntax tree. It knows nothing about gradebooks: names are bound and
/// typed by the checker (MayakEngine).
public final class Expr: @unchecked Sendable, CustomStringConvertible {
    public enum Kind {
        case integer(Int)
        case number(Double)
        case string(String)
        case bool(Bool)
        case null
        case name(String)
        /// `target.name`
        case member(Expr, String)
        /// `name(args)`
        case call(String, [Expr])
        /// `target.name(args)`; for list methods like `filter(m, m.value < 3)` the first
        /// argument is a bare name the checker binds to each element.
        case method(Expr, String, [Expr])
        case unary(UnaryOperator, Expr)
        case binary(BinaryOperator, Expr, Expr)
        /// `condition ? then : else`
        case conditional(Expr, Expr, Expr)
        case list([Expr])
    }

    public let kind: Kind
    /// Character offsets of the expression in its source text.
    public let start: Int
    public let end: Int
    /// Where the member or method name starts (for `target.name`), else `start`.
    public let nameStart: Int

    /// Levels of the tree from here down (1 for a leaf). The parser keeps it within
    /// `Parser.maxDepth`, so that what walks the tree recursively (the checker, the compilers,
    /// the evaluator, `description`, even the release of a tree) has a bounded stack.
    public let depth: Int

    public init(_ kind: Kind, start: Int, end: Int, nameStart: Int? = nil) {
        self.kind = kind
        self.start = start
        self.end = end
        self.nameStart = nameStart ?? start
        var below = 0
        switch kind {
        case .integer, .number, .string, .bool, .null, .name: break
        case .member(let t, _): below = t.depth
        case .call(_, let args): below = args.lazy.map(\.depth).max() ?? 0
        case .method(let t, _, let args): below = max(t.depth, args.lazy.map(\.depth).max() ?? 0)
        case .unary(_, let x): below = x.depth
        case .binary(_, let a, let b): below = max(a.depth, b.depth)
        case .conditional(let c, let a, let b): below = max(c.depth, a.depth, b.depth)
        case .list(let items): below = items.lazy.map(\.depth).max() ?? 0
        }
        depth = below + 1
    }

    public var description: String {
        switch kind {
        case .integer(let v): return String(v)
        case .number(let v): return String(v)
        case .string(let s): return "\"\(s)\""
        case .bool(let b): return String(b)
        case .null: return "null"
        case .name(let n): return n
        case .member(let t, let n): return "\(t).\(n)"
        case .call(let f, let args): return "\(f)(\(args.map(\.description).joined(separator: ", ")))"
        case .method(let t, let f, let args): return "\(t).\(f)(\(args.map(\.description).joined(separator: ", ")))"
        case .unary(let op, let e): return "\(op.rawValue)\(op == .not ? " " : "")\(e)"
        case .binary(let op, let a, let b): return "(\(a) \(op.rawValue) \(b))"
        case .conditional(let c, let a, let b): return "(\(c) ? \(a) : \(b))"
        case .list(let items): return "[\(items.map(\.description).joined(separator: ", "))]"
        }
    }
}

public enum UnaryOperator: String, Sendable {
    case negate = "-"
    case not = "not"
}

public enum BinaryOperator: String, Sendable {
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
    case remainder = "%"
    case equal = "=="
    case notEqual = "!="
    case less = "<"
    case lessEqual = "<="
    case greater = ">"
    case greaterEqual = ">="
    case and = "and"
    case or = "or"
    case `in` = "in"
    case coalesce = "??"
}

/// A text with `{expression}` holes: messages, plan items. `{{` and `}}` stand for braces.
public struct Template: Sendable {
    public enum Segment: @unchecked Sendable {
        case text(String)
        case expr(Expr)
    }
    public var segments: [Segment]
    public var source: ExpressionSource

    public init(segments: [Segment], source: ExpressionSource) {
        self.segments = segments
        self.source = source
    }

    public var expressions: [Expr] {
        segments.compactMap { if case .expr(let e) = $0 { return e } else { return nil } }
    }
}
