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
    var lets: [Int: Fn] = [:]

    init(engine: CompiledEngine) { self.engine = engine }

    /// A rule's program: its condition, with the lets it reads evaluated lazily.
    mutating func program(_ rule: CompiledRule) -> CompiledEngine.Program {
        lets = [:]
        defer { lets = [:] }
        for l in rule.lets { lets[l.slot] = compile(l.node) }
        return CompiledEngine.Program(
            rule: rule, slotCount: rule.slotCount + 1,
            each: rule.each.map { (slot: $0.slot, list: compile($0.list)) },
            when: compile(rule.when),
            escalations: rule.escalations.map { (severity: $0.severity, when: compile($0.when)) },
            key: rule.key.map { compile($0) },
            message: template(rule.message),
            evidence: rule.evidence.map { (name: $0.name, value: compile($0.node)) },
            plan: rule.plan.map { (decl: $0.decl, action: template($0.action), check: template($0.check)) })
    }

    mutating func template(_ parts: [CompiledRule.TemplatePart]) -> [CompiledEngine.Program.Part] {
        parts.map { part in
            switch part {
            case .text(let t): return .text(t)
            case .node(let n): return .value(compile(n))
            }
        }
    }

    /// The slots an expression reads.
    static func locals(_ node: Node, into set: inout Set<Int>) {
        switch node {
        case .constant, .global: break
        case .local(let slot): set.insert(slot)
        case .field(let t, _, _): locals(t, into: &set)
        case .method(let t, _, _, let args): locals(t, into: &set); args.forEach { locals($0, into: &set) }
        case .lambda(let l, _, _, let bodies): locals(l, into: &set); bodies.forEach { locals($0, into: &set) }
        case .listOp(let l, _, let args): locals(l, into: &set); args.forEach { locals($0, into: &set) }
        case .stringOp(let t, _, let args): locals(t, into: &set); args.forEach { locals($0, into: &set) }
        case .matches(let t, _): locals(t, into: &set)
        case .call(_, let args): args.forEach { locals($0, into: &set) }
        case .unary(_, let x): locals(x, into: &set)
        case .binary(_, let a, let b): locals(a, into: &set); locals(b, into: &set)
        case .conditional(let c, let a, let b): locals(c, into: &set); locals(a, into: &set); locals(b, into: &set)
        case .list(let items): items.forEach { locals($0, into: &set) }
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
            if let value = lets[slot] {
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
            return lambda(compile(list), op, slot, bodies)
        case .listOp(let list, let op, let args):
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
                    return .bool(op == .contains ? text.lowercased().contains(needle) : text.lowercased().hasPrefix(needle))
                }
            }
        case .matches(let target, let regex):
            let t = compile(target)
            let table = engine.table(for: regex)
            return { ctx in
                let v = t(ctx)
                guard v.tag == .string else { return .false }
                let id = Int(v.a)
                if id < ctx.pool.count { return .bool(ctx.engine.matchTables[table][id]) }
                return .bool(regex.matches(ctx.text(v.a)))
            }
        case .call(let f, let args):
            return call(f, args)
        case .unary(let op, let operand):
            let x = compile(operand)
            switch op {
            case .negate:
                return { ctx in
                    let v = x(ctx)
                    switch v.tag {
                    case .int: return .int(-v.int)
                    case .number: return .number(-v.double)
                    default: return .null
                    }
                }
            case .not: return { ctx in .bool(!x(ctx).truth) }
            }
        case .binary(let op, let a, let b):
            return binary(op, a, b)
        case .conditional(let c, let a, let b):
            let cf = compile(c), af = compile(a), bf = compile(b)
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
        // `x in [constants]`: compared against constants, no list built.
        if op == .in, case .list(let items) = b {
            let constants = items.compactMap { item -> Scalar? in
                if case .constant(let v) = item { return constant(v) }
                return nil
            }
            if constants.count == items.count {
                return { ctx in
                    let v = x(ctx)
                    guard !v.isNull else { return .false }
                    for c in constants where ctx.equal(c, v) { return .true }
                    return .false
                }
            }
        }
        let y = compile(b)
        switch op {
        case .and: return { ctx in .bool(x(ctx).truth && y(ctx).truth) }
        case .or: return { ctx in .bool(x(ctx).truth || y(ctx).truth) }
        case .coalesce: return { ctx in let v = x(ctx); return v.isNull ? y(ctx) : v }
        case .equal: return { ctx in .bool(ctx.equal(x(ctx), y(ctx))) }
        case .notEqual: return { ctx in .bool(!ctx.equal(x(ctx), y(ctx))) }
        case .in:
            return { ctx in
                let v = x(ctx), list = y(ctx)
                guard list.tag == .list || list.tag == .rows, !v.isNull else { return .false }
                for i in 0..<ctx.count(list) where ctx.equal(ctx.element(list, i), v) { return .true }
                return .false
            }
        case .less: return { ctx in ctx.compare(x(ctx), y(ctx)).map { .bool($0 < 0) } ?? .false }
        case .lessEqual: return { ctx in ctx.compare(x(ctx), y(ctx)).map { .bool($0 <= 0) } ?? .false }
        case .greater: return { ctx in ctx.compare(x(ctx), y(ctx)).map { .bool($0 > 0) } ?? .false }
        case .greaterEqual: return { ctx in ctx.compare(x(ctx), y(ctx)).map { .bool($0 >= 0) } ?? .false }
        case .add:
            return { ctx in
                let p = x(ctx), q = y(ctx)
                if p.tag == .string && q.tag == .string { return .string(ctx.intern(ctx.text(p.a) + ctx.text(q.a))) }
                if p.tag == .date, let n = q.number { return .date(p.a + Int32(n)) }
                return Compiler.arithmetic(p, q, +, +)
            }
        case .subtract:
            return { ctx in
                let p = x(ctx), q = y(ctx)
                if p.tag == .date && q.tag == .date { return .int(Int(p.a - q.a)) }
                if p.tag == .date, let n = q.number { return .date(p.a - Int32(n)) }
                return Compiler.arithmetic(p, q, -, -)
            }
        case .multiply: return { ctx in Compiler.arithmetic(x(ctx), y(ctx), *, *) }
        case .remainder:
            return { ctx in
                let p = x(ctx), q = y(ctx)
                if p.tag == .int && q.tag == .int { return q.int == 0 ? .null : .int(p.int % q.int) }
                guard let u = p.number, let v = q.number, v != 0 else { return .null }
                return .number(u.truncatingRemainder(dividingBy: v))
            }
        case .divide:
            return { ctx in
                guard let u = x(ctx).number, let v = y(ctx).number, v != 0 else { return .null }
                return .number(u / v)
            }
        }
    }

    @inline(__always) static func arithmetic(_ x: Scalar, _ y: Scalar, _ i: (Int, Int) -> Int, _ d: (Double, Double) -> Double) -> Scalar {
        if x.tag == .int && y.tag == .int { return .int(i(x.int, y.int)) }
        guard let p = x.number, let q = y.number else { return .null }
        return .number(d(p, q))
    }

    /// Arguments compiled one by one into closures of their own (never kept in an array,
    /// where a closure is stored generically and every call goes through a thunk).
    mutating func argument(_ args: [Node], _ i: Int) -> Fn {
        i < args.count ? compile(args[i]) : { _ in .null }
    }

    mutating func call(_ f: Function, _ nodes: [Node]) -> Fn {
        let a0 = argument(nodes, 0), a1 = argument(nodes, 1), arity = nodes.count
        switch f {
        case .abs: return { ctx in a0(ctx).number.map { .number(Swift.abs($0)) } ?? .null }
        case .round:
            return { ctx in
                guard let v = a0(ctx).number else { return .null }
                if arity == 1 { return .int(Int(v.rounded())) }
                let d = a1(ctx)
                guard d.tag == .int else { return .null }
                let scale = pow(10, Double(d.int))
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
                let a = a0(ctx), b = a1(ctx)
                guard a.tag == .date && b.tag == .date else { return .null }
                return .int(Int(b.a - a.a))
            }
        case .fmt, .text:
            let args = nodes.map { compile($0) }
            return { ctx in
                let values = args.map { ctx.value($0(ctx)) }
                return ctx.scalar(ctx.ref.call(f, values))
            }
        }
    }
}
