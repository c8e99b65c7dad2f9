import MayakRules
import MayakSnapshot

/// Aggregates over selections of marks — `s.marks.last_days(21).filter(m, m.value != null)
/// .count()`, `recent.mean(m, m.value)`, `s.marks.any(m, m.text == "осв")` — compiled into
/// one pass over a run of mark rows, shared by every rule that asks for the same thing.
///
/// A selection is a run of rows (a subject's marks, narrowed by time windows to a
/// contiguous range by binary search, or a pupil's marks) and a test on each mark. A test
/// or a lambda body that reads nothing of the mark but its value byte (`value`, `text`,
/// `failing`, `absent`) and constants is evaluated once per possible byte when the rules
/// compile, into a table of 256 values (`CompiledEngine.markTests`, `markValues`): the pass
/// is then a table lookup per mark. Its result, a `MarkSummary`, is kept in the context by
/// what was asked (run, days, test, values), so `recent.count()` and `recent.mean(m, m.value)`
/// in one rule, or the current period's graded marks in `forecast` of two rules and in
/// `na-risk`, read one pass and one binary search. Selections the pass cannot do (a list
/// built by the rule, a window over a pupil's marks of every subject, a test on the date)
/// go the general way, decided when the rules compile or, for values of another kind, at
/// run time.
extension Compiler {
    /// A selection of marks: the node that gives its run of rows, the time windows that
    /// narrow it (a subject's marks only: they are by date), and the tests its filters add.
    struct MarkSelection {
        var rows: Node
        var windows: [(op: ListOp, args: [Node])] = []
        var test: [Bool]?
        var bySubject: Bool
    }

    /// `node` as a selection of marks; nil when it is not one (or not one the pass can do).
    mutating func markSelection(_ node: Node, depth: Int = 0) -> MarkSelection? {
        guard depth < 32 else { return nil }
        switch node {
        case .field(_, .subject, .marks): return MarkSelection(rows: node, bySubject: true)
        case .field(_, .pupil, .marks): return MarkSelection(rows: node, bySubject: false)
        case .local(let slot):
            // A let is pure: its node, evaluated where it is read, gives its value.
            guard let node = letNodes[slot] else { return nil }
            return markSelection(node, depth: depth + 1)
        case .listOp(let inner, let op, let args) where [.lastDays, .between, .during, .before, .since].contains(op):
            guard var selection = markSelection(inner, depth: depth + 1), selection.bySubject else { return nil }
            selection.windows.append((op, args))
            return selection
        case .lambda(let inner, .filter, let slot, let bodies):
            guard var selection = markSelection(inner, depth: depth + 1), let t = truthTable(bodies[0], slot) else {
                return nil
            }
            selection.test = Compiler.both(selection.test, t)
            return selection
        default:
            return nil
        }
    }

    typealias Days = (CompiledEngine.Context) -> (from: Int32, to: Int32)?

    /// The days a selection's windows keep together (their intersection); nil when one keeps nothing.
    mutating func days(_ windows: [(op: ListOp, args: [Node])]) -> Days {
        var days: Days = { _ in (Int32.min, Int32.max) }
        for (op, args) in windows {
            let inner = days
            let a0 = argument(args, 0)
            let a1 = argument(args, 1)
            days = { ctx in
                guard let outer = inner(ctx), let w = Compiler.windowDays(ctx, op, a0(ctx), a1(ctx)) else { return nil }
                return (max(outer.from, w.from), min(outer.to, w.to))
            }
        }
        return days
    }

    static func both(_ a: [Bool]?, _ b: [Bool]) -> [Bool] {
        guard let a else { return b }
        return zip(a, b).map { $0 && $1 }
    }

    /// What an aggregate of a selection makes of its summary (or summaries).
    enum MarkAggregate {
        case count, isEmpty
        /// `count(m, p)`, `any`, `none`, `all`, `share`: the selection narrowed by the lambda's test.
        case narrowed(LambdaOp)
        /// `sum`, `mean`, `min`, `max` of a function of the mark's value byte.
        case values(LambdaOp)
        /// `wmean(m, f(m), m.weight)`.
        case weighted
    }

    /// An aggregate of a selection of marks, as one pass (see above); nil when `node` is not one.
    mutating func markAggregate(_ node: Node) -> Fn? {
        let list: Node
        let kind: MarkAggregate
        var predicate: [Bool]?
        var body: [Scalar]?
        switch node {
        case .listOp(let l, let op, let args) where (op == .count || op == .isEmpty) && args.isEmpty:
            list = l
            kind = op == .count ? .count : .isEmpty
        case .lambda(let l, let op, let slot, let bodies):
            list = l
            switch op {
            case .count, .any, .none, .all, .share:
                guard bodies.count == 1, let t = truthTable(bodies[0], slot) else { return nil }
                predicate = t
                kind = .narrowed(op)
            case .sum, .mean, .min, .max:
                guard bodies.count == 1, let b = valueTable(bodies[0], slot) else { return nil }
                body = b
                kind = .values(op)
            case .wmean:
                guard bodies.count == 2, case .field(.local(slot), .mark, .weight) = bodies[1],
                    let b = valueTable(bodies[0], slot)
                else { return nil }
                body = b
                kind = .weighted
            default:
                return nil
            }
        default:
            return nil
        }
        guard let selection = markSelection(list) else { return nil }
        // The general way, for values the pass cannot take.
        let general: Fn
        switch node {
        case .lambda(let l, let op, let slot, let bodies): general = lambda(compile(l), op, slot, bodies)
        case .listOp(let l, let op, let args): general = listOp(compile(l), op, args)
        default: return nil
        }
        let rows = compile(selection.rows)
        let days = days(selection.windows)
        let byDate = !selection.windows.isEmpty
        let test = selection.test.map { engine.register(test: $0) } ?? CompiledEngine.everyMark
        let narrowed = predicate.map { engine.register(test: Compiler.both(selection.test, $0)) } ?? test
        // Counts read the summary with the marks' grades, which means of the same selection share.
        let values = body.map { engine.register(values: $0) } ?? CompiledEngine.gradeValues
        return { ctx in
            let r = rows(ctx)
            guard r.tag == .rows, r.rowsKind == .subjectMarks || (r.rowsKind == .marks && !byDate) else {
                return general(ctx)
            }
            let window = days(ctx)
            let all =
                window.map { ctx.summary(r, from: $0.from, to: $0.to, test: test, values: values) } ?? MarkSummary()
            switch kind {
            case .count: return .int(all.count)
            case .isEmpty: return .bool(all.count == 0)
            case .values(let op): return all.aggregate.result(op, ctx)
            case .weighted: return all.weights > 0 ? .number(all.weighted / all.weights) : .null
            case .narrowed(let op):
                let hits =
                    narrowed == test
                    ? all.count
                    : (window.map { ctx.summary(r, from: $0.from, to: $0.to, test: narrowed, values: values).count }
                        ?? 0)
                switch op {
                case .any: return .bool(hits > 0)
                case .none: return .bool(hits == 0)
                case .all: return .bool(hits == all.count)
                case .share: return all.count == 0 ? .null : .number(Double(hits) / Double(all.count))
                default: return .int(hits)
                }
            }
        }
    }

    // MARK: Functions of a mark's value byte

    /// `node`'s truth for every value byte of the mark bound to `slot`; nil when it reads more.
    mutating func truthTable(_ node: Node, _ slot: Int) -> [Bool]? {
        valueTable(node, slot)?.map(\.truth)
    }

    /// `node`'s value for every value byte of the mark bound to `slot`; nil when it reads
    /// more than the byte and constants, or gives a list or a text made on the way.
    mutating func valueTable(_ node: Node, _ slot: Int) -> [Scalar]? {
        let ctx = scratch
        var out: [Scalar] = []
        out.reserveCapacity(256)
        for b in 0...255 {
            guard let v = byValue(node, slot, UInt8(b), ctx), v.tag != .list, v.tag != .rows,
                v.tag != .string || Int(v.a) < pool.count
            else { return nil }
            out.append(v)
        }
        return out
    }

    /// `node` for a mark of value byte `b`, as the compiled engine evaluates it.
    func byValue(_ node: Node, _ slot: Int, _ b: UInt8, _ ctx: CompiledEngine.Context) -> Scalar? {
        switch node {
        case .constant(let v): return constant(v)
        case .global(let g): return global(g)
        case .field(.local(let s), .mark, let f) where s == slot:
            switch f {
            case .value: return Compiler.markValue(b)
            case .text: return .string(pool.markText[Int(b)])
            case .failing: return .bool(pool.markFailing[Int(b)])
            case .absent: return .bool(pool.markAbsent[Int(b)])
            default: return nil
            }
        case .unary(let op, let x):
            guard let v = byValue(x, slot, b, ctx) else { return nil }
            return op == .not ? .bool(!v.truth) : Compiler.negate(ctx, v)
        case .binary(let op, let x, let y):
            guard let p = byValue(x, slot, b, ctx) else { return nil }
            if let decide = leftOnly(op, y) { return decide(ctx, p) }
            guard let q = byValue(y, slot, b, ctx) else { return nil }
            switch op {
            case .and: return .bool(p.truth && q.truth)
            case .or: return .bool(p.truth || q.truth)
            case .coalesce: return p.isNull ? q : p
            default: return Compiler.operation(op)(ctx, p, q)
            }
        case .conditional(let c, let x, let y):
            guard let v = byValue(c, slot, b, ctx) else { return nil }
            return byValue(v.truth ? x : y, slot, b, ctx)
        case .matches(let target, let regex):
            guard let v = byValue(target, slot, b, ctx) else { return nil }
            guard v.tag == .string else { return .false }
            // A text the pattern gives up on is left to the general path, which reports it.
            let outcome = regex.outcome(ctx.text(v.a))
            return outcome == .limit ? nil : .bool(outcome == .match)
        default:
            return nil
        }
    }

    /// A mark's `value`: its grade 1…5, or missing for a code («Н», «н/а», …).
    @inline(__always) static func markValue(_ b: UInt8) -> Scalar {
        let g = b & 0x0F
        return g >= 1 && g <= 5 ? .number(Double(g)) : .null
    }
}

/// A run of marks under one test: how many pass it, and the aggregate of one function of
/// the value byte over those (with its weighted sum, for weighted means: weights in
/// hundredths, as stored, so both sums of marks are whole numbers, exact).
struct MarkSummary {
    var count = 0
    var aggregate = Aggregate()
    var weighted = 0.0, weights = 0.0
}

extension CompiledEngine.Context {
    /// The summary of the marks of `run` (rows of the marks) dated within `from…to` under
    /// test `test`, with the aggregate of the table of values `values`. Kept by what is
    /// asked — the run, the days, the test and the values — so the same selection is read
    /// once however many rules ask, and a second ask needs no binary search either.
    @inline(__always) func summary(_ run: Scalar, from: Int32, to: Int32, test: Int32, values: Int32) -> MarkSummary {
        let lo = run.lo
        let hi = run.hi
        if lo >= hi { return MarkSummary() }
        let key = SIMD8<Int32>(Int32(lo), Int32(hi), from, to, test, values, 0, 0)
        var h = UInt32(truncatingIfNeeded: lo) &* 0x9E37_79B1
        h = (h ^ UInt32(bitPattern: from)) &* 0x85EB_CA6B
        h = (h ^ UInt32(bitPattern: to)) &* 0xC2B2_AE35
        h = (h ^ UInt32(bitPattern: test << 8 | values)) &* 0x27D4_EB2F
        let slot = Int(h >> (32 - CompiledEngine.Context.summaryBits))
        if summaryKeys[slot] == key { return summaryValues[slot] }
        let (first, end) = from == Int32.min && to == Int32.max ? (lo, hi) : markRange(lo, hi, from: from, to: to)
        let s = summarize(first, end, test: Int(test), values: Int(values))
        summaryKeys[slot] = key
        summaryValues[slot] = s
        return s
    }

    private func summarize(_ lo: Int, _ hi: Int, test: Int, values: Int) -> MarkSummary {
        var out = MarkSummary()
        markTests.withUnsafeBufferPointer { tests in
            markBytes.withUnsafeBufferPointer { bytes in
                let t = tests.baseAddress! + test << 8
                markValues.withUnsafeBufferPointer { table in
                    weightCodes.withUnsafeBufferPointer { codes in
                        weightTable.withUnsafeBufferPointer { weight in
                            let v = table.baseAddress! + values << 8
                            for i in lo..<hi {
                                let b = Int(bytes[i])
                                guard t[b] else { continue }
                                out.count += 1
                                let x = v[b]
                                out.aggregate.add(x)
                                if let d = x.number {
                                    let w = Double(weight[Int(codes[i])])  // hundredths
                                    out.weighted += d * w
                                    out.weights += w
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}
