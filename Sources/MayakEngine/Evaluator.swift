import Foundation
import MayakRules
import MayakSnapshot

/// Evaluates compiled rules over a snapshot, one entity at a time.
///
/// Missing values: a field that is not there (no ВПР last year, no marks in a subject, a
/// score not written) is `null`. Arithmetic with `null` gives `null`; a comparison with
/// `null` is false (`x == null` is true); `and`/`or`/`not`/`if` treat `null` as false;
/// aggregates skip `null` elements, and those with nothing to aggregate (`mean`, `min`,
/// `max`, `share`, `slope`, `wmean` of an empty list) give `null`, while `count` and `sum`
/// give 0, `any` false and `all` true. `a ?? b` gives `b` when `a` is `null`. A rule whose
/// condition is `null` does not fire. In messages `null` prints as «—».
public final class Evaluator {
    public let index: SnapshotIndex
    var slots: [Value] = []
    /// For rules that look at other rules' alerts: pupil → (rule id, indicator, severity).
    public var alertsByPupil: [Int32: [AlertSummary]] = [:]
    var alertTable: [AlertSummary] = []
    let s: Snapshot
    /// The first fault of the evaluation under way (an overflow, a date past the calendar):
    /// the operation gives `null` and `evaluate` reports the rule and the entity.
    public internal(set) var fault: String?
    /// Every rule and entity that could not be evaluated, in order.
    public internal(set) var faults: [RuleFault] = []
    /// The texts each pattern gave up on (PCRE2's limits), taken as not matching.
    var limitHits: [ObjectIdentifier: (regex: Regex, texts: Set<String>)] = [:]

    public init(index: SnapshotIndex) {
        self.index = index
        s = index.snapshot
    }

    // MARK: - Shared work

    /// Values that several rules ask for about the same pupil — its lists of marks and
    /// absences, a subject's marks, forecasts and means — computed once per pupil. The scan
    /// evaluates all pupil rules for one pupil before the next, and clears this between pupils.
    enum MemoKey: Hashable {
        case field(Value, Field)
        case method(Value, Method, [Value])
    }
    var memo: [MemoKey: Value] = [:]

    /// Forgets the shared values (a new pupil is about to be evaluated).
    public func forget() { memo.removeAll(keepingCapacity: true) }

    @inline(__always) func memoizedField(_ target: Value, _ f: Field) -> Value {
        switch (target, f) {
        case (.pupil, .marks), (.pupil, .absences), (.pupil, .subjects), (.pupil, .works), (.pupil, .vpr),
            (.pupil, .periodMarks),
            (.subject, .marks), (.subject, .absences), (.subject, .periodMarks):
            let key = MemoKey.field(target, f)
            if let v = memo[key] { return v }
            let v = field(target, f)
            memo[key] = v
            return v
        default:
            return field(target, f)
        }
    }

    @inline(__always) func memoizedMethod(_ target: Value, _ m: Method, _ args: [Value]) -> Value {
        switch m {
        case .forecast, .mean, .periodMark:
            let key = MemoKey.method(target, m, args)
            if let v = memo[key] { return v }
            let v = method(target, m, args)
            memo[key] = v
            return v
        default:
            return method(target, m, args)
        }
    }

    // MARK: - Rules

    /// Evaluates a rule for one entity (pupil, class or school); returns what fired.
    public func evaluate(_ rule: CompiledRule, on entity: Value) -> [Finding] {
        fault = nil
        let found = findings(rule, on: entity)
        guard let fault else { return found }
        faults.append(RuleFault(rule: rule.id, entity: describeEntity(entity), message: fault))
        self.fault = nil
        return []
    }

    /// `pupil P01`, `class C5A`, `school SCH1`: an entity as a fault names it.
    public func describeEntity(_ entity: Value) -> String {
        switch entity {
        case .pupil(let p): return "pupil \(s.pupils.id[Int(p)])"
        case .class(let c): return "class \(s.classes.id[Int(c)])"
        case .school(let sc): return "school \(s.schools.id[Int(sc)])"
        default: return text(entity)
        }
    }

    /// Records a fault (the first of an evaluation is kept) and gives `null`.
    @inline(never) func fail(_ message: String) -> Value {
        if fault == nil { fault = message }
        return .null
    }

    func findings(_ rule: CompiledRule, on entity: Value) -> [Finding] {
        if slots.count < rule.slotCount { slots = Array(repeating: .null, count: rule.slotCount) }
        slots[0] = entity
        guard let each = rule.each else {
            return fire(rule, entity: entity, item: nil).map { [$0] } ?? []
        }
        guard case .list(let items) = eval(each.list) else { return [] }
        var out: [Finding] = []
        for item in items {
            slots[0] = entity
            slots[each.slot] = item
            if let f = fire(rule, entity: entity, item: item) { out.append(f) }
        }
        return out
    }

    /// Binds the lets, then evaluates the condition; on a hit, renders the finding.
    func fire(_ rule: CompiledRule, entity: Value, item: Value?) -> Finding? {
        for l in rule.lets { slots[l.slot] = eval(l.node) }
        guard eval(rule.when).bool else { return nil }
        var severity = rule.definition.severity
        for e in rule.escalations where eval(e.when).bool { severity = e.severity }
        let key = rule.key.map { text(eval($0)) } ?? item.map { text($0) } ?? ""
        let evidence = rule.evidence.map { (name: $0.name, value: describe(eval($0.node))) }
        let plan = rule.plan.map { p in
            PlanStep(
                action: render(p.action), role: p.decl.role, due: index.asOf + p.decl.dueDays,
                check: render(p.check), priority: p.decl.priority)
        }
        let worse = rule.worse.map { w in
            Finding.Worse(measure: Finding.Worse.number(eval(w.measure)), text: render(w.text))
        }
        return Finding(
            ruleID: rule.id, rule: rule, entity: entity, key: key, severity: severity,
            message: render(rule.message), evidence: evidence, worse: worse, plan: plan)
    }

    func render(_ parts: [CompiledRule.TemplatePart]) -> String {
        var out = ""
        for part in parts {
            switch part {
            case .text(let t): out += t
            case .node(let n): out += text(eval(n))
            }
        }
        return out
    }

    /// Evaluates one expression with the rule's slots as they are (explain uses this).
    public func value(of node: Node) -> Value { eval(node) }

    public func prepare(_ rule: CompiledRule, entity: Value, item: Value? = nil) {
        if slots.count < rule.slotCount + 64 { slots = Array(repeating: .null, count: rule.slotCount + 64) }
        slots[0] = entity
        if let each = rule.each, let item { slots[each.slot] = item }
        for l in rule.lets { slots[l.slot] = eval(l.node) }
    }

    // MARK: - Expressions

    func eval(_ node: Node) -> Value {
        switch node {
        case .constant(let v): return v
        case .local(let slot): return slots[slot]
        case .global(let g):
            switch g {
            case .asOf: return .date(index.asOf.number)
            case .thisYear: return .int(s.manifest.schoolYear.springYear)
            case .lastYear: return .int(s.manifest.schoolYear.springYear - 1)
            }
        case .field(let target, _, let f): return memoizedField(eval(target), f)
        case .method(let target, _, let m, let args): return memoizedMethod(eval(target), m, args.map(eval))
        case .lambda(let list, let op, let slot, let bodies): return lambda(eval(list), op, slot, bodies)
        case .listOp(let list, let op, let args): return listOp(eval(list), op, args.map(eval))
        case .stringOp(let target, let op, let args):
            guard case .string(let t) = eval(target) else { return op == .lower ? .null : .bool(false) }
            switch op {
            case .lower: return .string(t.lowercased())
            case .contains:
                if case .string(let x) = eval(args[0]) { return .bool(t.lowercased().contains(x.lowercased())) }
                return .bool(false)
            case .startsWith:
                if case .string(let x) = eval(args[0]) { return .bool(t.lowercased().hasPrefix(x.lowercased())) }
                return .bool(false)
            }
        case .matches(let target, let regex):
            guard case .string(let t) = eval(target) else { return .bool(false) }
            let outcome = regex.outcome(t)
            if outcome == .limit { limitHits[ObjectIdentifier(regex), default: (regex, [])].texts.insert(t) }
            return .bool(outcome == .match)
        case .call(let f, let args): return call(f, args.map(eval))
        case .unary(let op, let operand):
            let v = eval(operand)
            switch op {
            case .negate:
                if case .int(let i) = v {
                    return Checked.negate(i).map { .int($0) } ?? fail(Checked.describeNegation(i))
                }
                if case .number(let d) = v { return .number(-d) }
                return .null
            case .not: return .bool(!v.bool)
            }
        case .binary(let op, let a, let b): return binary(op, a, b)
        case .conditional(let c, let a, let b): return eval(c).bool ? eval(a) : eval(b)
        case .list(let items): return .list(items.map(eval))
        }
    }

    func binary(_ op: BinaryOperator, _ a: Node, _ b: Node) -> Value {
        switch op {
        case .and: return .bool(eval(a).bool && eval(b).bool)
        case .or: return .bool(eval(a).bool || eval(b).bool)
        case .coalesce:
            let x = eval(a)
            return x.isNull ? eval(b) : x
        default: break
        }
        let x = eval(a)
        let y = eval(b)
        switch op {
        case .equal: return .bool(equal(x, y))
        case .notEqual: return .bool(!equal(x, y))
        case .in:
            guard case .list(let items) = y, !x.isNull else { return .bool(false) }
            return .bool(items.contains { equal($0, x) })
        case .less, .lessEqual, .greater, .greaterEqual:
            guard let c = compare(x, y) else { return .bool(false) }
            switch op {
            case .less: return .bool(c < 0)
            case .lessEqual: return .bool(c <= 0)
            case .greater: return .bool(c > 0)
            default: return .bool(c >= 0)
            }
        case .add:
            if case .string(let p) = x, case .string(let q) = y { return .string(p + q) }
            if case .date(let d) = x, let n = y.number {
                return Checked.shift(d, by: n).map { .date($0) } ?? fail(Checked.describeDays(d, "+", n))
            }
            return arithmetic(x, y, "+", Checked.add, +)
        case .subtract:
            if case .date(let d) = x, case .date(let e) = y { return .int(Int(d) - Int(e)) }
            if case .date(let d) = x, let n = y.number {
                return Checked.shift(d, by: -n).map { .date($0) } ?? fail(Checked.describeDays(d, "-", n))
            }
            return arithmetic(x, y, "-", Checked.subtract, -)
        case .multiply: return arithmetic(x, y, "*", Checked.multiply, *)
        case .remainder:
            if case .int(let p) = x, case .int(let q) = y {
                return q == 0 ? .null : Checked.remainder(p, q).map { .int($0) } ?? fail(Checked.describe("%", p, q))
            }
            guard let p = x.number, let q = y.number, q != 0 else { return .null }
            return .number(p.truncatingRemainder(dividingBy: q))
        case .divide:
            guard let p = x.number, let q = y.number, q != 0 else { return .null }
            return Checked.real(p / q).map { .number($0) } ?? fail(Checked.describeReal("/", p, q))
        default: return .null
        }
    }

    func arithmetic(_ x: Value, _ y: Value, _ op: String, _ i: (Int, Int) -> Int?, _ d: (Double, Double) -> Double)
        -> Value
    {
        if case .int(let p) = x, case .int(let q) = y {
            return i(p, q).map { .int($0) } ?? fail(Checked.describe(op, p, q))
        }
        guard let p = x.number, let q = y.number else { return .null }
        return Checked.real(d(p, q)).map { .number($0) } ?? fail(Checked.describeReal(op, p, q))
    }

    func equal(_ x: Value, _ y: Value) -> Bool {
        if let p = x.number, let q = y.number { return NumberOrder.same(p, q) }
        return x == y
    }

    /// -1, 0, 1; nil when either side is missing or they do not compare.
    func compare(_ x: Value, _ y: Value) -> Int? {
        if let p = x.number, let q = y.number { return NumberOrder.order(p, q) }
        if case .string(let p) = x, case .string(let q) = y { return p < q ? -1 : (p > q ? 1 : 0) }
        if case .date(let p) = x, case .date(let q) = y { return p < q ? -1 : (p > q ? 1 : 0) }
        return nil
    }

    func call(_ f: Function, _ args: [Value]) -> Value {
        switch f {
        case .abs: return args[0].number.map { .number(Swift.abs($0)) } ?? .null
        case .round:
            guard let v = args[0].number else { return .null }
            if args.count == 1 { return Checked.round(v).map { .int($0) } ?? fail(Checked.describeRound(v)) }
            guard case .int(let digits) = args[1] else { return .null }
            let scale = pow(10, Double(min(max(digits, -Evaluator.maxDigits), Evaluator.maxDigits)))
            return .number((v * scale).rounded() / scale)
        case .min:
            guard let a = args[0].number, let b = args[1].number else { return .null }
            return .number(Swift.min(a, b))
        case .max:
            guard let a = args[0].number, let b = args[1].number else { return .null }
            return .number(Swift.max(a, b))
        case .fmt:
            guard let v = args[0].number, case .int(let digits) = args[1] else { return .null }
            return .string(Evaluator.format(v, digits: digits))
        case .date: return args[0]
        case .daysBetween:
            guard case .date(let a) = args[0], case .date(let b) = args[1] else { return .null }
            return .int(Int(b) - Int(a))
        case .text: return .string(text(args[0]))
        case .yearText:
            if case .int(let y) = args[0] { return .string(y < 0 ? "−\(y.magnitude)" : String(y)) }
            return .string(text(args[0]))
        case .plural:
            guard case .string(let one) = args[1], case .string(let few) = args[2], case .string(let many) = args[3]
            else { return .null }
            switch args[0] {
            case .int(let n): return .string(Russian.counted(n, one, few, many))
            case .number(let v): return .string(Evaluator.counted(v, one, few, many))
            default: return .null
            }
        }
    }
}

/// What a rule found for one entity.
public struct Finding: @unchecked Sendable {
    public var ruleID: String
    public var rule: CompiledRule
    /// `.pupil`, `.class` or `.school`.
    public var entity: Value
    public var key: String
    public var severity: Severity
    public var message: String
    public var evidence: [(name: String, value: EvidenceValue)]
    /// The rule's measure of how bad the alert is (`worse_when`), and what it says.
    public var worse: Worse?
    public var plan: [PlanStep]

    public struct Worse: Sendable, Equatable {
        /// The measure, in thousandths (so that history compares whole numbers); 0 for null.
        public var measure: Int
        public var text: String

        public init(measure: Int, text: String) {
            self.measure = measure
            self.text = text
        }

        /// A measure's value in thousandths, rounded half away from zero and clamped.
        static func number(_ v: Value) -> Int {
            let d: Double
            switch v {
            case .int(let i):
                return i.multipliedReportingOverflow(by: 1000).overflow ? (i < 0 ? Int.min : Int.max) : i * 1000
            case .number(let x): d = x
            default: return 0
            }
            guard d.isFinite else { return d.isNaN ? 0 : (d < 0 ? Int.min : Int.max) }
            let scaled = (d * 1000).rounded(.toNearestOrAwayFromZero)
            if scaled >= 9.2e18 { return Int.max }
            if scaled <= -9.2e18 { return Int.min }
            return Int(scaled)
        }
    }
}

/// One suggested step of an individual plan, rendered.
public struct PlanStep: Sendable, Equatable, Codable {
    public var action: String
    public var role: String
    public var due: Day
    public var check: String
    public var priority: Int

    public init(action: String, role: String, due: Day, check: String, priority: Int) {
        self.action = action
        self.role = role
        self.due = due
        self.check = check
        self.priority = priority
    }
}

extension Day: Codable {
    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let d = Day(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not a date: \(text)"))
        }
        self = d
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// Evidence as plain data: what JSON and tables show.
public enum EvidenceValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case list([EvidenceValue])
    case object([(String, EvidenceValue)])
    /// A mark: what findings list most (dozens to a finding), kept as its facts rather than
    /// as an object of five fields; it reads as that object (`fields`).
    case mark(MarkEvidence)
    /// An absence, likewise.
    case absence(AbsenceEvidence)

    /// A record's fields, in order: an object's own, a mark's or an absence's as the object
    /// it stands for; nil for anything else.
    public var fields: [(String, EvidenceValue)]? {
        if case .object(let fields) = self { return fields }
        var out: [(String, EvidenceValue)] = []
        return forEachField { out.append(($0, $1)) } ? out : nil
    }

    /// Hands a record's fields to `body` in order, without making their list (JSON writes
    /// a region's million marks of evidence so); false for anything but a record.
    public func forEachField(_ body: (String, EvidenceValue) -> Void) -> Bool {
        switch self {
        case .object(let fields): for (k, v) in fields { body(k, v) }
        case .mark(let m):
            body("subject", .string(m.subject))
            body("date", .string(m.day.description))
            body("value", .string(m.value.description))
            body("work_type", .string(m.workType))
            body("weight", .number(m.weight))
        case .absence(let a):
            body("date", .string(a.day.description))
            body("lesson", a.lesson > 0 ? .number(Double(a.lesson)) : .null)
            body("subject", a.subject.map { .string($0) } ?? .null)
            body("code", .string(a.code))
        default: return false
        }
        return true
    }

    public static func == (a: EvidenceValue, b: EvidenceValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.list(let x), .list(let y)): return x == y
        case (.mark(let x), .mark(let y)): return x == y
        case (.absence(let x), .absence(let y)): return x == y
        default:
            // A record equals the object it reads as.
            guard let x = a.fields, let y = b.fields else { return false }
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        }
    }
}

/// A mark as evidence: `{subject, date, value, work_type, weight}`.
public struct MarkEvidence: Sendable, Equatable {
    public var subject: String
    public var workType: String
    public var day: Day
    public var weight: Double
    public var value: MarkValue

    public init(subject: String, workType: String, day: Day, weight: Double, value: MarkValue) {
        self.subject = subject
        self.workType = workType
        self.day = day
        self.weight = weight
        self.value = value
    }
}

/// An absence as evidence: `{date, lesson, subject, code}` (lesson 0: not known).
public struct AbsenceEvidence: Sendable, Equatable {
    public var subject: String?
    public var code: String
    public var day: Day
    public var lesson: Int16

    public init(subject: String?, code: String, day: Day, lesson: Int16) {
        self.subject = subject
        self.code = code
        self.day = day
        self.lesson = lesson
    }
}

/// Another rule's alert on a pupil, as rules that count indicators see it.
public struct AlertSummary: Sendable {
    public var rule: String
    public var title: String
    public var indicator: String
    public var severity: Severity

    public init(rule: String, title: String, indicator: String, severity: Severity) {
        self.rule = rule
        self.title = title
        self.indicator = indicator
        self.severity = severity
    }

    public init(_ f: borrowing Finding) {
        self.init(
            rule: f.ruleID, title: f.rule.definition.title, indicator: f.rule.definition.indicator ?? f.ruleID,
            severity: f.severity)
    }
}
