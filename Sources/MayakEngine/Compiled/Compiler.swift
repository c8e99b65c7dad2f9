import Foundation
import MayakRules
import MayakSnapshot

/// Turns checked expressions (`Node`) into closures over `Scalar`s. Each closure mirrors
/// the reference evaluator's semantics for its node, missing values included; what has no
/// native form here goes through the reference evaluator at the boundary.
struct Compiler {
    let engine: CompiledEngine
    var pool: StringPool { engine.pool }
    /// The lets of the rule being compiled, by slot: evaluated on first use, at most once
    /// per entity (or `each` element), so a condition that fails early skips the rest.
    var lets: [Int: Code] = [:]
    /// A compiled expression kept in a collection. Wrapped: a bare closure stored in a
    /// generic container is kept in the most general calling convention and called through
    /// thunks that convert it (two extra calls per evaluation of every let).
    struct Code { let run: Fn }
    /// The same lets' nodes, for what reads through them (`markSelection`).
    var letNodes: [Int: Node] = [:]
    /// A context for evaluating tables of a mark's value byte while rules compile.
    lazy var scratch = engine.makeContext()

    /// By let slot: the number of the let shared with other rules that compute the same value.
    var shared: [Int: Int] = [:]

    init(engine: CompiledEngine) { self.engine = engine }

    /// A rule's program: its condition, with the lets it reads evaluated lazily.
    mutating func program(_ rule: CompiledRule) -> CompiledEngine.Program {
        lets = [:]
        letNodes = Dictionary(uniqueKeysWithValues: rule.lets.map { ($0.slot, $0.node) })
        // A let that reads nothing but the entity (no element of `each`, no other let) is the
        // same value in every rule that writes it the same way — failing-two-subjects and
        // single-failing-subject both build the pupil's `failing` list: computed once per entity.
        shared = [:]
        for l in rule.lets where Compiler.readsOnlyTheEntity(l.node, bound: []) {
            shared[l.slot] = engine.sharedLet(String(reflecting: l.node))
        }
        defer {
            lets = [:]
            letNodes = [:]
            shared = [:]
        }
        for l in rule.lets { lets[l.slot] = Code(run: compile(l.node)) }
        return CompiledEngine.Program(
            rule: rule, slotCount: rule.slotCount + 1,
            each: rule.each.map { (slot: $0.slot, list: compile($0.list)) },
            when: compile(rule.when),
            escalations: rule.escalations.map { (severity: $0.severity, when: compile($0.when)) },
            key: rule.key.map { compile($0) },
            message: template(rule.message),
            evidence: rule.evidence.map { (name: $0.name, value: compile($0.node)) },
            worse: rule.worse.map { (measure: compile($0.measure), text: template($0.text)) },
            plan: rule.plan.map {
                (
                    role: $0.decl.role, dueDays: $0.decl.dueDays, priority: $0.decl.priority,
                    action: template($0.action), check: template($0.check)
                )
            })
    }

    mutating func template(_ parts: [CompiledRule.TemplatePart]) -> [CompiledEngine.Program.Part] {
        parts.map { part in
            switch part {
            case .text(let t): return .text(t)
            case .node(let n): return .value(compile(n))
            }
        }
    }

    /// Whether `node` reads no variable but the entity (slot 0) and its own lambdas' elements.
    static func readsOnlyTheEntity(_ node: Node, bound: Set<Int>) -> Bool {
        func all(_ nodes: [Node]) -> Bool { nodes.allSatisfy { readsOnlyTheEntity($0, bound: bound) } }
        switch node {
        case .constant, .global: return true
        case .local(let s): return s == 0 || bound.contains(s)
        case .field(let t, _, _), .matches(let t, _), .unary(_, let t): return readsOnlyTheEntity(t, bound: bound)
        case .method(let t, _, _, let args), .listOp(let t, _, let args), .stringOp(let t, _, let args):
            return all([t] + args)
        case .lambda(let list, _, let slot, let bodies):
            return readsOnlyTheEntity(list, bound: bound)
                && bodies.allSatisfy { readsOnlyTheEntity($0, bound: bound.union([slot])) }
        case .call(_, let args), .list(let args): return all(args)
        case .binary(_, let a, let b): return all([a, b])
        case .conditional(let c, let a, let b): return all([c, a, b])
        }
    }

    func global(_ g: Global) -> Scalar {
        let m = engine.s.manifest
        switch g {
        case .asOf: return .date(m.asOf.number)
        case .thisYear: return .int(m.schoolYear.springYear)
        case .lastYear: return .int(m.schoolYear.springYear - 1)
        }
    }

    /// A constant known when rules compile (lists are built per use).
    func constant(_ v: Value) -> Scalar? {
        switch v {
        case .string(let t): return .string(pool.intern(t))
        case .list, .figures: return nil
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .number(let d): return .number(d)
        case .date(let d): return .date(d)
        case .period(let p): return .entity(.period, Int32(p))
        default: return nil
        }
    }

    mutating func compile(_ node: Node) -> Fn {
        switch node {
        case .constant(let v):
            if let c = constant(v) { return { _ in c } }
            return { ctx in ctx.scalar(v) }
        case .local(let slot):
            if let value = lets[slot]?.run, let id = shared[slot] {
                return { ctx in
                    if ctx.stamps[slot] == ctx.generation { return ctx.slots[slot] }
                    let v: Scalar
                    if ctx.sharedStamps[id] == ctx.entityGeneration {
                        v = ctx.sharedValues[id]
                    } else {
                        v = value(ctx)
                        // A value that faulted is not shared: each rule that reads it faults.
                        if ctx.fault == nil && ctx.ref.fault == nil {
                            ctx.sharedValues[id] = v
                            ctx.sharedStamps[id] = ctx.entityGeneration
                        }
                    }
                    ctx.slots[slot] = v
                    ctx.stamps[slot] = ctx.generation
                    return v
                }
            }
            if let value = lets[slot]?.run {
                return { ctx in
                    if ctx.stamps[slot] == ctx.generation { return ctx.slots[slot] }
                    let v = value(ctx)
                    ctx.slots[slot] = v
                    ctx.stamps[slot] = ctx.generation
                    return v
                }
            }
            return { ctx in ctx.slots[slot] }
        case .global(let g):
            let c = global(g)
            return { _ in c }
        case .field(let target, let entity, let f):
            return field(compile(target), entity, f)
        case .method(let target, let entity, let m, let args):
            return method(compile(target), entity, m, args)
        case .lambda(let list, let op, let slot, let bodies):
            // Not `??`: a closure through a generic function comes back wrapped in thunks
            // that convert its calling convention, two extra calls each time it runs.
            if let pass = markAggregate(node) { return pass }
            return lambda(compile(list), op, slot, bodies)
        case .listOp(let list, let op, let args):
            if let pass = markAggregate(node) { return pass }
            return listOp(compile(list), op, args)
        case .stringOp(let target, let op, let args):
            let t = compile(target)
            let a = args.map { compile($0) }
            return { ctx in
                let v = t(ctx)
                guard v.tag == .string else { return op == .lower ? .null : .false }
                let text = ctx.text(v.a)
                switch op {
                case .lower: return .string(ctx.intern(text.lowercased()))
                case .contains, .startsWith:
                    let x = a[0](ctx)
                    guard x.tag == .string else { return .false }
                    let needle = ctx.text(x.a).lowercased()
                    return .bool(
                        op == .contains ? text.lowercased().contains(needle) : text.lowercased().hasPrefix(needle))
                }
            }
        case .matches(let target, let regex):
            let t = compile(target)
            let table = engine.table(for: regex)
            return { ctx in Compiler.matches(ctx, t(ctx), table, regex) }
        case .call(let f, let args):
            return call(f, args)
        case .unary(let op, let operand):
            let x = compile(operand)
            switch op {
            case .negate: return { ctx in Compiler.negate(ctx, x(ctx)) }
            case .not: return { ctx in .bool(!x(ctx).truth) }
            }
        case .binary(let op, let a, let b):
            return binary(op, a, b)
        case .conditional(let c, let a, let b):
            let cf = compile(c)
            let af = compile(a)
            let bf = compile(b)
            return { ctx in cf(ctx).truth ? af(ctx) : bf(ctx) }
        case .list(let items):
            let fs = items.map { compile($0) }
            return { ctx in
                var values: [Scalar] = []
                values.reserveCapacity(fs.count)
                for f in fs { values.append(f(ctx)) }
                let h = ctx.newList()
                for v in values { ctx.append(h, v) }
                return .list(h)
            }
        }
    }

    mutating func binary(_ op: BinaryOperator, _ a: Node, _ b: Node) -> Fn {
        let x = compile(a)
        if let decide = leftOnly(op, b) { return { ctx in decide(ctx, x(ctx)) } }
        let y = compile(b)
        switch op {
        case .and: return { ctx in .bool(x(ctx).truth && y(ctx).truth) }
        case .or: return { ctx in .bool(x(ctx).truth || y(ctx).truth) }
        case .coalesce:
            return { ctx in
                let v = x(ctx)
                return v.isNull ? y(ctx) : v
            }
        default:
            if Compiler.comparesNumbers(op) {
                // Comparisons of numbers (most of a condition) made in place, without the
                // general operation's call; anything else goes the general way.
                let general = Compiler.operation(op)
                if case .constant(let v) = b, let k = constant(v), let c = k.number {
                    return { ctx in
                        let p = x(ctx)
                        if let n = p.number { return .bool(Compiler.holds(op, n, c)) }
                        return general(ctx, p, k)
                    }
                }
                return { ctx in
                    let p = x(ctx)
                    let q = y(ctx)
                    if let m = p.number, let n = q.number { return .bool(Compiler.holds(op, m, n)) }
                    return general(ctx, p, q)
                }
            }
            let apply = Compiler.operation(op)
            return { ctx in apply(ctx, x(ctx), y(ctx)) }
        }
    }

    static func comparesNumbers(_ op: BinaryOperator) -> Bool {
        [.less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual].contains(op)
    }

    /// A comparison of two numbers as `operation` makes it (within `NumberOrder`'s tolerance).
    @inline(__always) static func holds(_ op: BinaryOperator, _ a: Double, _ b: Double) -> Bool {
        switch op {
        case .less: return NumberOrder.order(a, b) < 0
        case .lessEqual: return NumberOrder.order(a, b) <= 0
        case .greater: return NumberOrder.order(a, b) > 0
        case .greaterEqual: return NumberOrder.order(a, b) >= 0
        case .equal: return NumberOrder.same(a, b)
        default: return !NumberOrder.same(a, b)
        }
    }

    /// Whether a text matches: a pooled text by the expression's table, another by PCRE2.
    @inline(__always) static func matches(_ ctx: CompiledEngine.Context, _ v: Scalar, _ table: Int, _ regex: Regex)
        -> Scalar
    {
        guard v.tag == .string else { return .false }
        let id = Int(v.a)
        let outcome = id < ctx.pool.count ? ctx.engine.matchTables[table][id] : regex.outcome(ctx.text(v.a))
        if outcome == .limit { ctx.limited(table, v.a) }
        return .bool(outcome == .match)
    }

    typealias Operation = (CompiledEngine.Context, Scalar, Scalar) -> Scalar

    @inline(__always) static func negate(_ ctx: CompiledEngine.Context, _ v: Scalar) -> Scalar {
        switch v.tag {
        case .int: return Checked.negate(v.int).map { .int($0) } ?? ctx.fail(Checked.describeNegation(v.int))
        case .number: return .number(-v.double)
        default: return .null
        }
    }

    /// `x in [constants]` and `x == null`, `x != null`: decided from the left value alone
    /// (no list is built, no comparison made); nil for anything else.
    func leftOnly(_ op: BinaryOperator, _ b: Node) -> ((CompiledEngine.Context, Scalar) -> Scalar)? {
        if op == .in, case .list(let items) = b {
            let constants = items.compactMap { item -> Scalar? in
                if case .constant(let v) = item { return constant(v) }
                return nil
            }
            guard constants.count == items.count else { return nil }
            return { ctx, v in
                guard !v.isNull else { return .false }
                for c in constants where ctx.equal(c, v) { return .true }
                return .false
            }
        }
        if op == .equal || op == .notEqual, case .constant(.null) = b {
            let equal = op == .equal
            return { _, v in .bool(v.isNull == equal) }
        }
        return nil
    }

    /// What an operator that evaluates both sides does with the two values (every operator
    /// but `and`, `or` and `??`), as the reference evaluator does it.
    static func operation(_ op: BinaryOperator) -> Operation {
        switch op {
        case .equal: return { ctx, p, q in .bool(ctx.equal(p, q)) }
        case .notEqual: return { ctx, p, q in .bool(!ctx.equal(p, q)) }
        case .in:
            return { ctx, v, list in
                guard list.tag == .list || list.tag == .rows, !v.isNull else { return .false }
                for i in 0..<ctx.count(list) where ctx.equal(ctx.element(list, i), v) { return .true }
                return .false
            }
        case .less: return { ctx, p, q in ctx.compare(p, q).map { .bool($0 < 0) } ?? .false }
        case .lessEqual: return { ctx, p, q in ctx.compare(p, q).map { .bool($0 <= 0) } ?? .false }
        case .greater: return { ctx, p, q in ctx.compare(p, q).map { .bool($0 > 0) } ?? .false }
        case .greaterEqual: return { ctx, p, q in ctx.compare(p, q).map { .bool($0 >= 0) } ?? .false }
        case .add:
            return { ctx, p, q in
                if p.tag == .string && q.tag == .string { return .string(ctx.intern(ctx.text(p.a) + ctx.text(q.a))) }
                if p.tag == .date, let n = q.number {
                    return Checked.shift(p.a, by: n).map { .date($0) } ?? ctx.fail(Checked.describeDays(p.a, "+", n))
                }
                return Compiler.arithmetic(ctx, p, q, "+", Checked.add, +)
            }
        case .subtract:
            return { ctx, p, q in
                if p.tag == .date && q.tag == .date { return .int(Int(p.a) - Int(q.a)) }
                if p.tag == .date, let n = q.number {
                    return Checked.shift(p.a, by: -n).map { .date($0) } ?? ctx.fail(Checked.describeDays(p.a, "-", n))
                }
                return Compiler.arithmetic(ctx, p, q, "-", Checked.subtract, -)
            }
        case .multiply: return { ctx, p, q in Compiler.arithmetic(ctx, p, q, "*", Checked.multiply, *) }
        case .remainder:
            return { ctx, p, q in
                if p.tag == .int && q.tag == .int {
                    return q.int == 0
                        ? .null
                        : Checked.remainder(p.int, q.int).map { .int($0) }
                            ?? ctx.fail(Checked.describe("%", p.int, q.int))
                }
                guard let u = p.number, let v = q.number, v != 0 else { return .null }
                return .number(u.truncatingRemainder(dividingBy: v))
            }
        case .divide:
            return { ctx, p, q in
                guard let u = p.number, let v = q.number, v != 0 else { return .null }
                return Checked.real(u / v).map { .number($0) } ?? ctx.fail(Checked.describeReal("/", u, v))
            }
        case .and, .or, .coalesce:
            preconditionFailure("'\(op.rawValue)' evaluates its right side only when needed")
        }
    }

    @inline(__always) static func arithmetic(
        _ ctx: CompiledEngine.Context, _ x: Scalar, _ y: Scalar, _ op: String,
        _ i: (Int, Int) -> Int?, _ d: (Double, Double) -> Double
    ) -> Scalar {
        if x.tag == .int && y.tag == .int {
            return i(x.int, y.int).map { .int($0) } ?? ctx.fail(Checked.describe(op, x.int, y.int))
        }
        guard let p = x.number, let q = y.number else { return .null }
        return Checked.real(d(p, q)).map { .number($0) } ?? ctx.fail(Checked.describeReal(op, p, q))
    }

    /// Arguments compiled one by one into closures of their own (never kept in an array,
    /// where a closure is stored generically and every call goes through a thunk).
    mutating func argument(_ args: [Node], _ i: Int) -> Fn {
        i < args.count ? compile(args[i]) : { _ in .null }
    }

    mutating func call(_ f: Function, _ nodes: [Node]) -> Fn {
        let a0 = argument(nodes, 0)
        let a1 = argument(nodes, 1)
        let arity = nodes.count
        switch f {
        case .abs: return { ctx in a0(ctx).number.map { .number(Swift.abs($0)) } ?? .null }
        case .round:
            return { ctx in
                guard let v = a0(ctx).number else { return .null }
                if arity == 1 { return Checked.round(v).map { .int($0) } ?? ctx.fail(Checked.describeRound(v)) }
                let d = a1(ctx)
                guard d.tag == .int else { return .null }
                let scale = pow(10, Double(min(max(d.int, -Evaluator.maxDigits), Evaluator.maxDigits)))
                return .number((v * scale).rounded() / scale)
            }
        case .min, .max:
            let isMin = f == .min
            return { ctx in
                guard let a = a0(ctx).number, let b = a1(ctx).number else { return .null }
                return .number(isMin ? Swift.min(a, b) : Swift.max(a, b))
            }
        case .date: return a0
        case .daysBetween:
            return { ctx in
                let a = a0(ctx)
                let b = a1(ctx)
                guard a.tag == .date && b.tag == .date else { return .null }
                return .int(Int(b.a) - Int(a.a))
            }
        case .fmt:
            // As the reference's: a number and a count of digits, else missing.
            return { ctx in
                let v = a0(ctx)
                let digits = a1(ctx)
                guard let x = v.number, digits.tag == .int else { return .null }
                return .string(ctx.intern(Evaluator.format(x, digits: digits.int)))
            }
        case .text, .plural, .yearText:
            let args = nodes.map { compile($0) }
            return { ctx in
                let values = args.map { ctx.value($0(ctx)) }
                return ctx.scalar(ctx.ref.call(f, values))
            }
        }
    }
}
