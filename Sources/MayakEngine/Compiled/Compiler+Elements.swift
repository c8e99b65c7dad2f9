import MayakRules
import MayakSnapshot

/// Lambda bodies that look only at the element and constants — `m.value != null and
/// m.value <= 2`, `not a.late`, `w.title.matches(p)` — compiled into functions of the
/// element itself. A lambda over such a body runs a tight loop: no slot is written, and a
/// field is one call that reads a column.
extension Compiler {
    typealias ElementFn = (CompiledEngine.Context, Scalar) -> Scalar

    /// The body as a function of the element bound to `slot`; nil when it reads anything else
    /// (another variable, a let) or uses an operation with no form here.
    func element(_ node: Node, _ slot: Int) -> ElementFn? {
        switch node {
        case .local(let s):
            return s == slot ? { _, e in e } : nil
        case .constant(let v):
            guard let c = constant(v) else { return nil }
            return { _, _ in c }
        case .global(let g):
            let c = global(g)
            return { _, _ in c }
        case .field(let target, let entity, let f):
            guard let (tag, read) = reader(entity, f) else { return nil }
            if case .local(let s) = target, s == slot {
                return { ctx, e in e.tag == tag ? read(ctx, e) : (e.isNull ? .null : ctx.scalar(ctx.ref.field(ctx.value(e), f))) }
            }
            guard let t = element(target, slot) else { return nil }
            return { ctx, e in
                let v = t(ctx, e)
                return v.tag == tag ? read(ctx, v) : (v.isNull ? .null : ctx.scalar(ctx.ref.field(ctx.value(v), f)))
            }
        case .unary(.not, let x):
            guard let x = element(x, slot) else { return nil }
            return { ctx, e in .bool(!x(ctx, e).truth) }
        case .matches(let target, let regex):
            guard let t = element(target, slot) else { return nil }
            let table = engine.table(for: regex)
            return { ctx, e in
                let v = t(ctx, e)
                guard v.tag == .string else { return .false }
                let id = Int(v.a)
                if id < ctx.pool.count { return .bool(ctx.engine.matchTables[table][id]) }
                return .bool(regex.matches(ctx.text(v.a)))
            }
        case .binary(let op, let a, let b):
            return binaryElement(op, a, b, slot)
        default:
            return nil
        }
    }

    func binaryElement(_ op: BinaryOperator, _ a: Node, _ b: Node, _ slot: Int) -> ElementFn? {
        guard let x = element(a, slot) else { return nil }
        if op == .in, case .list(let items) = b {
            let constants = items.compactMap { item -> Scalar? in
                if case .constant(let v) = item { return constant(v) }
                return nil
            }
            guard constants.count == items.count else { return nil }
            return { ctx, e in
                let v = x(ctx, e)
                guard !v.isNull else { return .false }
                for c in constants where ctx.equal(c, v) { return .true }
                return .false
            }
        }
        // `x == null`, `x != null`: no comparison needed.
        if op == .equal || op == .notEqual, case .constant(.null) = b {
            let equal = op == .equal
            return { ctx, e in .bool(x(ctx, e).isNull == equal) }
        }
        guard let y = element(b, slot) else { return nil }
        switch op {
        case .and: return { ctx, e in .bool(x(ctx, e).truth && y(ctx, e).truth) }
        case .or: return { ctx, e in .bool(x(ctx, e).truth || y(ctx, e).truth) }
        case .coalesce: return { ctx, e in let v = x(ctx, e); return v.isNull ? y(ctx, e) : v }
        case .equal: return { ctx, e in .bool(ctx.equal(x(ctx, e), y(ctx, e))) }
        case .notEqual: return { ctx, e in .bool(!ctx.equal(x(ctx, e), y(ctx, e))) }
        case .less: return { ctx, e in ctx.compare(x(ctx, e), y(ctx, e)).map { .bool($0 < 0) } ?? .false }
        case .lessEqual: return { ctx, e in ctx.compare(x(ctx, e), y(ctx, e)).map { .bool($0 <= 0) } ?? .false }
        case .greater: return { ctx, e in ctx.compare(x(ctx, e), y(ctx, e)).map { .bool($0 > 0) } ?? .false }
        case .greaterEqual: return { ctx, e in ctx.compare(x(ctx, e), y(ctx, e)).map { .bool($0 >= 0) } ?? .false }
        default: return nil
        }
    }

    /// A lambda whose bodies are functions of the element: the same results as `lambda`,
    /// without slots.
    func elementLambda(_ list: @escaping Fn, _ op: LambdaOp, _ body: @escaping ElementFn, _ weight: ElementFn?) -> Fn {
        switch op {
        case .filter, .map:
            let isFilter = op == .filter
            return { ctx in
                let l = list(ctx)
                let h = ctx.newList()
                guard Compiler.isList(l) else { return .list(h) }
                for i in 0..<ctx.count(l) {
                    let e = ctx.element(l, i)
                    let v = body(ctx, e)
                    if isFilter { if v.truth { ctx.append(h, e) } } else { ctx.append(h, v) }
                }
                return .list(h)
            }
        case .any, .none, .all:
            return { ctx in
                let l = list(ctx)
                guard Compiler.isList(l) else { return .bool(op != .any) }
                for i in 0..<ctx.count(l) {
                    let hit = body(ctx, ctx.element(l, i)).truth
                    switch op {
                    case .any: if hit { return .true }
                    case .none: if hit { return .false }
                    default: if !hit { return .false }
                    }
                }
                return .bool(op != .any)
            }
        case .count, .share:
            let isShare = op == .share
            return { ctx in
                let l = list(ctx)
                guard Compiler.isList(l) else { return isShare ? .null : .int(0) }
                let n = ctx.count(l)
                if isShare && n == 0 { return .null }
                var hits = 0
                for i in 0..<n where body(ctx, ctx.element(l, i)).truth { hits += 1 }
                return isShare ? .number(Double(hits) / Double(n)) : .int(hits)
            }
        case .sum, .mean, .min, .max:
            return { ctx in
                let l = list(ctx)
                guard Compiler.isList(l) else { return op == .sum ? .int(0) : .null }
                var a = Aggregate()
                for i in 0..<ctx.count(l) { a.add(body(ctx, ctx.element(l, i))) }
                return a.result(op)
            }
        case .wmean:
            guard let weight else { fatalError("wmean without a weight") }
            return { ctx in
                let l = list(ctx)
                guard Compiler.isList(l) else { return .null }
                var sum = 0.0, weights = 0.0
                for i in 0..<ctx.count(l) {
                    let e = ctx.element(l, i)
                    guard let v = body(ctx, e).number, let w = weight(ctx, e).number, w > 0 else { continue }
                    sum += v * w
                    weights += w
                }
                return weights > 0 ? .number(sum / weights) : .null
            }
        case .slope:
            return { ctx in
                let l = list(ctx)
                guard Compiler.isList(l) else { return .null }
                ctx.xs.removeAll(keepingCapacity: true)
                ctx.ys.removeAll(keepingCapacity: true)
                for i in 0..<ctx.count(l) {
                    let e = ctx.element(l, i)
                    guard let d = ctx.day(of: e), let v = body(ctx, e).number else { continue }
                    ctx.xs.append(Double(d) / 7)
                    ctx.ys.append(v)
                }
                return Compiler.slope(ctx.xs, ctx.ys)
            }
        }
    }

    /// Least squares of y against x, as the reference evaluator computes it (two passes, same order).
    static func slope(_ xs: [Double], _ ys: [Double]) -> Scalar {
        let n = xs.count
        guard n >= 2 else { return .null }
        let mx = xs.reduce(0, +) / Double(n), my = ys.reduce(0, +) / Double(n)
        var sxy = 0.0, sxx = 0.0
        for k in 0..<n {
            let x = xs[k], y = ys[k]
            sxy += (x - mx) * (y - my)
            sxx += (x - mx) * (x - mx)
        }
        return sxx > 0 ? .number(sxy / sxx) : .null
    }
}
