import MayakSnapshot

/// Lambdas, aggregates and time windows, over runs of rows and arena lists.
extension Compiler {
    @inline(__always) static func isList(_ v: Scalar) -> Bool { v.tag == .list || v.tag == .rows }

    /// A lambda: over a function of the element when the body is one (see
    /// `Compiler+Elements`), else over the body with the element bound to its slot.
    mutating func lambda(_ list: @escaping Fn, _ op: LambdaOp, _ slot: Int, _ bodies: [Node]) -> Fn {
        if let body = element(bodies[0], slot) {
            let weight = bodies.count > 1 ? element(bodies[1], slot) : nil
            if bodies.count == 1 || weight != nil { return elementLambda(list, op, body, weight) }
        }
        func bound(_ fn: @escaping Fn) -> ElementFn {
            { ctx, e in
                ctx.slots[slot] = e
                return fn(ctx)
            }
        }
        let body = bound(argument(bodies, 0))
        return elementLambda(list, op, body, bodies.count > 1 ? bound(argument(bodies, 1)) : nil)
    }

    mutating func listOp(_ list: @escaping Fn, _ op: ListOp, _ nodes: [Node]) -> Fn {
        let a0 = argument(nodes, 0)
        let a1 = argument(nodes, 1)
        switch op {
        case .count:
            return { ctx in
                let l = list(ctx)
                return .int(Compiler.isList(l) ? ctx.count(l) : 0)
            }
        case .isEmpty:
            return { ctx in
                let l = list(ctx)
                return .bool(!Compiler.isList(l) || ctx.count(l) == 0)
            }
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
                return a.result(lambdaOp, ctx)
            }
        case .lastDays, .between, .during, .before, .since:
            return { ctx in
                let l = list(ctx)
                guard let days = Compiler.windowDays(ctx, op, a0(ctx), a1(ctx)) else { return .list(ctx.newList()) }
                return ctx.window(l, from: days.from, to: days.to)
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

extension Compiler {
    /// The days a time window keeps (inclusive), from its arguments; nil when they are not
    /// of its kind, and the window keeps nothing.
    @inline(__always) static func windowDays(_ ctx: CompiledEngine.Context, _ op: ListOp, _ a: Scalar, _ b: Scalar) -> (
        from: Int32, to: Int32
    )? {
        switch op {
        case .lastDays:
            // Dated within (as_of − n, as_of].
            guard a.tag == .int else { return nil }
            return Checked.lastDays(ctx.asOf, a.int)
        case .between:
            guard a.tag == .date && b.tag == .date else { return nil }
            return (a.a, b.a)
        case .during:
            guard a.tag == .period else { return nil }
            return (ctx.engine.periodStart[Int(a.a)], min(ctx.engine.periodEnd[Int(a.a)], ctx.asOf))
        case .before:
            guard a.tag == .date else { return nil }
            return (Int32.min, a.a - 1)
        case .since:
            guard a.tag == .date else { return nil }
            return (a.a, Int32.max)
        default:
            preconditionFailure("'\(op.rawValue)' is not a time window")
        }
    }
}

/// `sum`, `mean`, `min` and `max` of values as they come, with the reference evaluator's
/// rules: missing values skipped; a sum of integers stays an integer; sums in order.
struct Aggregate {
    var allInt = true
    var intSum = 0
    /// The sum of whole numbers overflowed.
    var overflow = false
    var sum = 0.0
    var numbers = 0
    var low = Double.infinity, high = -Double.infinity

    @inline(__always) mutating func add(_ v: Scalar) {
        guard !v.isNull else { return }
        if v.tag != .int {
            allInt = false
        } else {
            let (s, o) = intSum.addingReportingOverflow(v.int)
            intSum = s
            overflow = overflow || o
        }
        guard let d = v.number else { return }
        sum += d
        numbers += 1
        low = Swift.min(low, d)
        high = Swift.max(high, d)
    }

    func result(_ op: LambdaOp, _ ctx: CompiledEngine.Context) -> Scalar {
        switch op {
        case .sum:
            guard allInt else { return .number(sum) }
            return overflow
                ? ctx.fail("whole-number overflow in sum(): the total passes ±9223372036854775807") : .int(intSum)
        case .mean: return numbers == 0 ? .null : .number(sum / Double(numbers))
        case .min: return numbers == 0 ? .null : .number(low)
        default: return numbers == 0 ? .null : .number(high)
        }
    }
}
