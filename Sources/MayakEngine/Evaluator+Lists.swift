import MayakSnapshot

/// List operations: aggregates, filters, time windows.
extension Evaluator {
    /// The date of a dated element (mark, absence, work), as a day number.
    func date(of v: Value) -> Int32? {
        switch v {
        case .mark(let i): return s.marks.date(Int(i))
        case .absence(let i): return s.attendance.day[Int(i)]
        case .work(let w, _): return s.works.day[Int(w)]
        default: return nil
        }
    }

    func lambda(_ list: Value, _ op: LambdaOp, _ slot: Int, _ bodies: [Node]) -> Value {
        guard case .list(let items) = list else {
            switch op {
            case .count, .sum: return .int(0)
            case .any, .none: return .bool(op == .none)
            case .all: return .bool(true)
            case .filter, .map: return .list([])
            default: return .null
            }
        }
        let body = bodies[0]
        switch op {
        case .filter:
            return .list(
                items.filter {
                    slots[slot] = $0
                    return eval(body).bool
                })
        case .map:
            return .list(
                items.map {
                    slots[slot] = $0
                    return eval(body)
                })
        case .any:
            for item in items {
                slots[slot] = item
                if eval(body).bool { return .bool(true) }
            }
            return .bool(false)
        case .none:
            for item in items {
                slots[slot] = item
                if eval(body).bool { return .bool(false) }
            }
            return .bool(true)
        case .all:
            for item in items {
                slots[slot] = item
                if !eval(body).bool { return .bool(false) }
            }
            return .bool(true)
        case .count:
            var n = 0
            for item in items {
                slots[slot] = item
                if eval(body).bool { n += 1 }
            }
            return .int(n)
        case .share:
            guard !items.isEmpty else { return .null }
            var n = 0
            for item in items {
                slots[slot] = item
                if eval(body).bool { n += 1 }
            }
            return .number(Double(n) / Double(items.count))
        case .sum, .mean, .min, .max:
            return aggregate(
                items.map {
                    slots[slot] = $0
                    return eval(body)
                }, op)
        case .wmean:
            var sum = 0.0
            var weights = 0.0
            for item in items {
                slots[slot] = item
                guard let v = eval(body).number, let w = eval(bodies[1]).number, w > 0 else { continue }
                let h = Weighting.scaled(w)
                sum += v * h
                weights += h
            }
            return weights > 0 ? .number(sum / weights) : .null
        case .slope:
            // Least squares of the value against the date, in units per week.
            var xs: [Double] = []
            var ys: [Double] = []
            for item in items {
                slots[slot] = item
                guard let d = date(of: item), let v = eval(body).number else { continue }
                xs.append(Double(d) / 7)
                ys.append(v)
            }
            return Evaluator.slope(xs, ys).map { .number($0) } ?? .null
        }
    }

    /// Least squares slope of y against x; nil with fewer than two points or no spread in x.
    static func slope(_ xs: [Double], _ ys: [Double]) -> Double? {
        guard xs.count >= 2 else { return nil }
        let mx = xs.reduce(0, +) / Double(xs.count)
        let my = ys.reduce(0, +) / Double(ys.count)
        var sxy = 0.0
        var sxx = 0.0
        for (x, y) in zip(xs, ys) {
            sxy += (x - mx) * (y - my)
            sxx += (x - mx) * (x - mx)
        }
        return sxx > 0 ? sxy / sxx : nil
    }

    func aggregate(_ values: [Value], _ op: LambdaOp) -> Value {
        let present = values.filter { !$0.isNull }
        switch op {
        case .sum:
            if present.allSatisfy({ if case .int = $0 { return true } else { return false } }) {
                var total = 0
                for case .int(let v) in present {
                    guard let t = Checked.add(total, v) else {
                        return fail("whole-number overflow in sum(): the total passes ±9223372036854775807")
                    }
                    total = t
                }
                return .int(total)
            }
            return .number(present.compactMap(\.number).reduce(0, +))
        case .mean:
            let numbers = present.compactMap(\.number)
            return numbers.isEmpty ? .null : .number(numbers.reduce(0, +) / Double(numbers.count))
        case .min: return present.compactMap(\.number).min().map { .number($0) } ?? .null
        case .max: return present.compactMap(\.number).max().map { .number($0) } ?? .null
        default: return .null
        }
    }

    func listOp(_ list: Value, _ op: ListOp, _ args: [Value]) -> Value {
        let items: [Value]
        if case .list(let l) = list { items = l } else { items = [] }
        switch op {
        case .count: return .int(items.count)
        case .isEmpty: return .bool(items.isEmpty)
        case .first: return items.first ?? .null
        case .last: return items.last ?? .null
        case .sum: return aggregate(items, .sum)
        case .mean: return aggregate(items, .mean)
        case .min: return aggregate(items, .min)
        case .max: return aggregate(items, .max)
        case .distinct:
            var out: [Value] = []
            for item in items where !out.contains(item) { out.append(item) }
            return .list(out)
        case .join:
            guard case .string(let separator) = args[0] else { return .null }
            return .string(items.map { text($0) }.joined(separator: separator))
        case .contains: return .bool(items.contains { equal($0, args[0]) })
        case .lastDays:
            guard case .int(let n) = args[0] else { return .list([]) }
            let (start, end) = Checked.lastDays(index.asOf.number, n)
            return .list(
                items.filter {
                    guard let d = date(of: $0) else { return false }
                    return d >= start && d <= end
                })
        case .between:
            guard case .date(let a) = args[0], case .date(let b) = args[1] else { return .list([]) }
            return .list(
                items.filter {
                    guard let d = date(of: $0) else { return false }
                    return d >= a && d <= b
                })
        case .during:
            guard case .period(let p) = args[0] else { return .list([]) }
            let period = s.manifest.periods[Int(p)]
            let a = period.start.number
            let b = min(period.end, index.asOf).number
            return .list(
                items.filter {
                    guard let d = date(of: $0) else { return false }
                    return d >= a && d <= b
                })
        case .before:
            guard case .date(let a) = args[0] else { return .list([]) }
            return .list(
                items.filter {
                    guard let d = date(of: $0) else { return false }
                    return d < a
                })
        case .since:
            guard case .date(let a) = args[0] else { return .list([]) }
            return .list(
                items.filter {
                    guard let d = date(of: $0) else { return false }
                    return d >= a
                })
        }
    }
}
