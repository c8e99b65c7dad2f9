import MayakSnapshot

/// Lambdas, aggregates and time windows, over runs of rows and arena lists.
extension Compiler {
    @inline(__always) static func isList(_ v: Scalar) -> Bool { v.tag == .list || v.tag == .rows }

    mutating func lambda(_ list: @escaping Fn, _ op: LambdaOp, _ slot: Int, _ bodies: [Node]) -> Fn {
        if let body = element(bodies[0], slot) {
            let weight = bodies.count > 1 ? element(bodies[1], slot) : nil
            if bodies.count == 1 || weight != nil { return elementLambda(list, op, body, weight) }
        }
        let body = argument(bodies, 0)
        /// The value of a lambda over something that is not a list (a missing value).
        let empty: Scalar
        switch op {
        case .count, .sum: empty = .int(0)
        case .any: empty = .false
        case .none, .all: empty = .true
        case .filter, .map: empty = .null  // an empty list, built per call
        default: empty = .null
        }
        switch op {
        case .filter, .map:
            let isFilter = op == .filter
            return { ctx in
                let l = list(ctx)
                let h = ctx.newList()
                guard Compiler.isList(l) else { return .list(h) }
                for i in 0..<ctx.count(l) {
                    let e = ctx.element(l, i)
                    ctx.slots[slot] = e
                    let v = body(ctx)
                    if isFilter { if v.truth { ctx.append(h, e) } } else { ctx.append(h, v) }
                }
                return .list(h)
            }
        case .any, .none, .all:
            return { ctx in
                let l = list(ctx)
                guard Compiler.isList(l) else { return empty }
                for i in 0..<ctx.count(l) {
                    ctx.slots[slot] = ctx.element(l, i)
                    let hit = body(ctx).truth
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
                guard Compiler.isList(l) else { return empty }
                let n = ctx.count(l)
                if isShare && n == 0 { return .null }
                var hits = 0
                for i in 0..<n {
                    ctx.slots[slot] = ctx.element(l, i)
                    if body(ctx).truth { hits += 1 }
                }
                return isShare ? .number(Double(hits) / Double(n)) : .int(hits)
            }
        case .sum, .mean, .min, .max:
            return { ctx in
                let l = list(ctx)
                guard Compiler.isList(l) else { return empty }
                var a = Aggregate()
                for i in 0..<ctx.count(l) {
                    ctx.slots[slot] = ctx.element(l, i)
                    a.add(body(ctx))
                }
                return a.result(op)
            }
        case .wmean:
            let weight = argument(bodies, 1)
            return { ctx in
                let l = list(ctx)
                guard Compiler.isList(l) else { return empty }
                var sum = 0.0, weights = 0.0
                for i in 0..<ctx.count(l) {
                    ctx.slots[slot] = ctx.element(l, i)
                    guard let v = body(ctx).number, let w = weight(ctx).number, w > 0 else { continue }
                    sum += v * w
                    weights += w
                }
                return weights > 0 ? .number(sum / weights) : .null
            }
        case .slope:
            // Least squares of the value against the date, in units per week, computed as the
            // reference evaluator computes it (two passes, same order).
            return { ctx in
                let l = list(ctx)
                guard Compiler.isList(l) else { return empty }
                ctx.xs.removeAll(keepingCapacity: true)
                ctx.ys.removeAll(keepingCapacity: true)
                for i in 0..<ctx.count(l) {
                    let e = ctx.element(l, i)
                    ctx.slots[slot] = e
                    guard let d = ctx.day(of: e), let v = body(ctx).number else { continue }
                    ctx.xs.append(Double(d) / 7)
                    ctx.ys.append(v)
                }
                return Compiler.slope(ctx.xs, ctx.ys)
            }
        }
    }

    mutating func listOp(_ list: @escaping Fn, _ op: ListOp, _ nodes: [Node]) -> Fn {
        let a0 = argument(nodes, 0), a1 = argument(nodes, 1)
        switch op {
        case .count: return { ctx in let l = list(ctx); return .int(Compiler.isList(l) ? ctx.count(l) : 0) }
        case .isEmpty: return { ctx in let l = list(ctx); return .bool(!Compiler.isList(l) || ctx.count(l) == 0) }
        case .first, .last:
            let first = op == .first
            return { ctx in
                let l = list(ctx)
                guard Compiler.isList(l) else { return .null }
                let n = ctx.count(l)
                return n == 0 ? .null : ctx.element(l, first ? 0 : n - 1)
            }
        case .sum, .mean, .min, .max:
            let lambdaOp: LambdaOp = op == .sum ? .sum : (op == .mean ? .mean : (op == .min ? .min : .max))
            return { ctx in
                let l = list(ctx)
                var a = Aggregate()
                if Compiler.isList(l) { for i in 0..<ctx.count(l) { a.add(ctx.element(l, i)) } }
                return a.result(lambdaOp)
            }
        case .lastDays:
            return { ctx in
                let l = list(ctx), n = a0(ctx)
                guard n.tag == .int else { return .list(ctx.newList()) }
                // Dated within (as_of − n, as_of].
                return ctx.window(l, from: ctx.asOf - Int32(n.int) + 1, to: ctx.asOf)
            }
        case .between:
            return { ctx in
                let l = list(ctx), a = a0(ctx), b = a1(ctx)
                guard a.tag == .date && b.tag == .date else { return .list(ctx.newList()) }
                return ctx.window(l, from: a.a, to: b.a)
            }
        case .during:
            return { ctx in
                let l = list(ctx), p = a0(ctx)
                guard p.tag == .period else { return .list(ctx.newList()) }
                let period = ctx.s.manifest.periods[Int(p.a)]
                return ctx.window(l, from: period.start.number, to: min(period.end.number, ctx.asOf))
            }
        case .before:
            return { ctx in
                let l = list(ctx), a = a0(ctx)
                guard a.tag == .date else { return .list(ctx.newList()) }
                return ctx.window(l, from: Int32.min, to: a.a - 1)
            }
        case .since:
            return { ctx in
                let l = list(ctx), a = a0(ctx)
                guard a.tag == .date else { return .list(ctx.newList()) }
                return ctx.window(l, from: a.a, to: Int32.max)
            }
        case .distinct, .join, .contains:
            let args = nodes.map { compile($0) }
            return { ctx in
                let l = list(ctx)
                let values = args.map { ctx.value($0(ctx)) }
                return ctx.scalar(ctx.ref.listOp(ctx.value(l), op, values))
            }
        }
    }
}

/// `sum`, `mean`, `min` and `max` of values as they come, with the reference evaluator's
/// rules: missing values skipped; a sum of integers stays an integer; sums in order.
struct Aggregate {
    var allInt = true
    var intSum = 0
    var sum = 0.0
    var numbers = 0
    var low = Double.infinity, high = -Double.infinity

    @inline(__always) mutating func add(_ v: Scalar) {
        guard !v.isNull else { return }
        if v.tag != .int { allInt = false } else { intSum &+= v.int }
        guard let d = v.number else { return }
        sum += d
        numbers += 1
        low = Swift.min(low, d)
        high = Swift.max(high, d)
    }

    func result(_ op: LambdaOp) -> Scalar {
        switch op {
        case .sum: return allInt ? .int(intSum) : .number(sum)
        case .mean: return numbers == 0 ? .null : .number(sum / Double(numbers))
        case .min: return numbers == 0 ? .null : .number(low)
        default: return numbers == 0 ? .null : .number(high)
        }
    }
}
