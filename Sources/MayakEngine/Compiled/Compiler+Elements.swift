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
            if case .local(let s) = target, s == slot { return { ctx, e in Compiler.field(ctx, e, tag, read, f) } }
            guard let t = element(target, slot) else { return nil }
            return { ctx, e in Compiler.field(ctx, t(ctx, e), tag, read, f) }
        case .unary(.not, let x):
            guard let x = element(x, slot) else { return nil }
            return { ctx, e in .bool(!x(ctx, e).truth) }
        case .matches(let target, let regex):
            guard let t = element(target, slot) else { return nil }
            let table = engine.table(for: regex)
            return { ctx, e in Compiler.matches(ctx, t(ctx, e), table, regex) }
        case .binary(let op, let a, let b):
            return binaryElement(op, a, b, slot)
        default:
            return nil
        }
    }

    func binaryElement(_ op: BinaryOperator, _ a: Node, _ b: Node, _ slot: Int) -> ElementFn? {
        guard let x = element(a, slot) else { return nil }
        if let decide = leftOnly(op, b) { return { ctx, e in decide(ctx, x(ctx, e)) } }
        guard let y = element(b, slot) else { return nil }
        switch op {
        case .and: return { ctx, e in .bool(x(ctx, e).truth && y(ctx, e).truth) }
        case .or: return { ctx, e in .bool(x(ctx, e).truth || y(ctx, e).truth) }
        case .coalesce:
            return { ctx, e in
                let v = x(ctx, e)
                return v.isNull ? y(ctx, e) : v
            }
        default:
            let apply = Compiler.operation(op)
            return { ctx, e in apply(ctx, x(ctx, e), y(ctx, e)) }
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
                return a.result(op, ctx)
            }
        case .wmean:
            guard let weight else { fatalError("wmean without a weight") }
            return { ctx in
                let l = list(ctx)
                guard Compiler.isList(l) else { return .null }
                var sum = 0.0
                var weights = 0.0
                for i in 0..<ctx.count(l) {
                    let e = ctx.element(l, i)
                    guard let v = body(ctx, e).number, let w = weight(ctx, e).number, w > 0 else { continue }
                    let h = Weighting.scaled(w)
                    sum += v * h
                    weights += h
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
                return Evaluator.slope(ctx.xs, ctx.ys).map { .number($0) } ?? .null
            }
        }
    }
}
