import CPrefetch
import Foundation
import MayakRules
import MayakSnapshot

/// The fast path of a scan: rules compiled into closures over `Scalar`s that read the
/// snapshot's columns directly.
///
/// The compiled engine decides *whether* a rule fires for an entity; the reference
/// `Evaluator` then renders the finding (message, evidence, plan) for the few that do, so
/// both engines give the same alerts by construction wherever they agree on the decision —
/// and the differential tests check that they do. Anything the compiled engine does not do
/// natively (rare fields, text formatting, figures) it hands to the reference evaluator,
/// converting values at the boundary.
final class CompiledEngine: @unchecked Sendable {
    let index: SnapshotIndex
    let s: Snapshot
    let pool: StringPool
    /// For each regular expression in the rules: what it gives on each pooled string.
    private(set) var matchTables: [[Regex.Outcome]] = []
    private(set) var regexes: [Regex] = []
    private(set) var programs: [ObjectIdentifier: Program] = [:]
    /// The most slots any rule uses.
    let slotCount: Int
    /// By grade, by period: the assessment period just before it (-1 when none).
    let periodBefore: [[Int]]
    /// Each period's first and last day (read per pupil: a `Period` is copied with its texts).
    let periodStart: [Int32], periodEnd: [Int32]
    /// Tests and functions of a mark's value byte, 256 entries each (see `Compiler+Marks`).
    private(set) var markTests: [Bool] = [], markValues: [Scalar] = []
    /// Test 0 passes every mark, test 1 the marks with a grade; values 0 are `m.value`.
    static let everyMark: Int32 = 0, gradedMarks: Int32 = 1, gradeValues: Int32 = 0

    /// A rule compiled whole: its `each` list, its condition (which evaluates the lets it
    /// reads as it reads them), and what a finding shows.
    /// A class, not a struct: handed from rule to rule for every pupil, it costs one
    /// reference count, not one per closure.
    final class Program {
        enum Part {
            case text(String)
            case value(Fn)
        }
        let rule: CompiledRule
        let slotCount: Int
        /// The `each` list and its slot (slot 0 when the rule has none). Kept apart, not as
        /// an optional pair: reading the pair copied it, retaining the closure shared by every
        /// thread, for every pupil.
        let eachSlot: Int
        let eachList: Fn?
        let when: Fn
        let escalations: [(severity: Severity, when: Fn)]
        let key: Fn?
        let message: [Part]
        let evidence: [(name: String, value: Fn)]
        /// The `worse_when` measure and text; kept apart like `each`.
        let worseMeasure: Fn?
        let worseText: [Part]
        /// Each plan item: only what a step needs (reading a field of the whole declaration
        /// copied it, and all its texts, per finding).
        let plan: [(role: String, dueDays: Int, priority: Int, action: [Part], check: [Part])]

        init(
            rule: CompiledRule, slotCount: Int, each: (slot: Int, list: Fn)?, when: @escaping Fn,
            escalations: [(severity: Severity, when: Fn)],
            key: Fn?, message: [Part], evidence: [(name: String, value: Fn)],
            worse: (measure: Fn, text: [Part])?,
            plan: [(role: String, dueDays: Int, priority: Int, action: [Part], check: [Part])]
        ) {
            self.rule = rule
            self.slotCount = slotCount
            eachSlot = each?.slot ?? 0
            eachList = each?.list
            self.when = when
            self.escalations = escalations
            self.key = key
            self.message = message
            self.evidence = evidence
            worseMeasure = worse?.measure
            worseText = worse?.text ?? []
            self.plan = plan
        }
    }

    init(index: SnapshotIndex, rules: [CompiledRule]) {
        self.index = index
        s = index.snapshot
        pool = StringPool(index.snapshot)
        let m = index.snapshot.manifest
        periodBefore = (0...11).map { grade in
            let list = m.periods.indices.filter { m.periods[$0].kind != .year && m.periods[$0].grades.contains(grade) }
                .sorted { m.periods[$0].start < m.periods[$1].start }
            return m.periods.indices.map { p in list.firstIndex(of: p).map { $0 > 0 ? list[$0 - 1] : -1 } ?? -1 }
        }
        periodStart = m.periods.map(\.start.number)
        periodEnd = m.periods.map(\.end.number)
        slotCount = (rules.map(\.slotCount).max() ?? 0) + 2
        let grades = (0...255).map { Compiler.markValue(UInt8($0)) }
        _ = register(test: [Bool](repeating: true, count: 256))
        _ = register(test: grades.map { !$0.isNull })
        _ = register(values: grades)
        var compiler = Compiler(engine: self)
        for rule in rules { programs[ObjectIdentifier(rule)] = compiler.program(rule) }
        matchTables = regexes.map { r in pool.strings.map { r.outcome($0) } }
    }

    /// Registers a rule's regular expression; its table is filled once the pool is complete.
    func table(for regex: Regex) -> Int {
        if let i = regexes.firstIndex(where: { $0 === regex }) { return i }
        regexes.append(regex)
        return regexes.count - 1
    }

    /// The number of a test table, the same for the same table from any rule.
    func register(test: [Bool]) -> Int32 { CompiledEngine.number(test, in: &markTests) }

    /// The number of a table of values, the same for the same table from any rule.
    func register(values: [Scalar]) -> Int32 { CompiledEngine.number(values, in: &markValues) }

    /// The number of a 256-entry table among those laid end to end in `tables`, added if new.
    private static func number<T: Equatable>(_ table: [T], in tables: inout [T]) -> Int32 {
        precondition(table.count == 256)
        for id in 0..<tables.count / 256 where tables[id * 256..<(id + 1) * 256].elementsEqual(table) {
            return Int32(id)
        }
        tables += table
        return Int32(tables.count / 256 - 1)
    }

    /// Lets shared across rules, numbered by their text (`Compiler.program`).
    private(set) var sharedLets: [String: Int] = [:]

    func sharedLet(_ text: String) -> Int {
        if let id = sharedLets[text] { return id }
        sharedLets[text] = sharedLets.count
        return sharedLets.count - 1
    }

    func program(_ rule: CompiledRule) -> Program? { programs[ObjectIdentifier(rule)] }

    func makeContext() -> Context { Context(engine: self) }
}

typealias Fn = (CompiledEngine.Context) -> Scalar

extension CompiledEngine {
    /// One thread's working state: slots, the list arena, strings made during evaluation,
    /// the per-entity memo, and a reference evaluator for the boundary and for rendering.
    final class Context {
        let engine: CompiledEngine
        let index: SnapshotIndex
        let s: Snapshot
        let pool: StringPool
        let ref: Evaluator
        /// Slots of the rule being evaluated; `stamps[slot] == generation` when a let's slot
        /// holds its value for the current entity or element.
        let slots: UnsafeMutablePointer<Scalar>
        let stamps: UnsafeMutablePointer<UInt32>
        private(set) var generation: UInt32 = 1
        private let capacity: Int
        private(set) var arena: [[Scalar]] = []
        private var used = 0
        var figures: [PeriodFigures] = []
        private var made: [String] = []
        /// Summaries of selections of marks, by run, days, test and values (`summary`): a
        /// direct-mapped table, never cleared — runs are positions in the snapshot, so a key
        /// names one selection of one pupil for the engine's life.
        static let summaryBits = 10
        let summaryKeys: UnsafeMutablePointer<SIMD8<Int32>>
        let summaryValues: UnsafeMutablePointer<MarkSummary>
        /// Lets shared across rules: their values for the entity of `entityGeneration`.
        let sharedValues: UnsafeMutablePointer<Scalar>, sharedStamps: UnsafeMutablePointer<UInt32>
        private(set) var entityGeneration: UInt32 = 1
        private let sharedCount: Int
        /// The engine's tables and the marks' columns, held for the summaries' pass.
        let markTests: [Bool], markValues: [Scalar]
        let markBytes: [UInt8], markDays: [UInt16], markSubjects: [UInt16], weightCodes: [UInt8], weightTable: [UInt16]
        /// The pupil's subjects, built once per pupil.
        var subjects: Scalar?
        var subjectsOf: Int32 = -1
        /// Where each subject's run of marks starts and ends for pupil `runsOf`
        /// (`runStamp[subject] == runsOf` when the subject has marks).
        private(set) var runsOf: Int32 = -1
        private(set) var runStart: [Int32] = [], runEnd: [Int32] = [], runStamp: [Int32] = []
        /// Scratch for `slope`.
        var xs: [Double] = [], ys: [Double] = []
        /// The first fault of the rule and entity under way (as the reference evaluator's).
        var fault: String?
        /// Every rule and entity of this context's chunks that could not be evaluated.
        var faults: [RuleFault] = []
        /// By pattern (its table): the texts it gave up on, taken as not matching.
        var limitHits: [Int: Set<String>] = [:]

        /// Notes a text a pattern gave up on (rare: off the hot path).
        @inline(never) func limited(_ table: Int, _ text: Int32) {
            limitHits[table, default: []].insert(self.text(text))
        }
        let asOf: Int32
        let markStart: [Int32], absenceOrder: [Int32], absenceStart: [Int32]

        init(engine: CompiledEngine) {
            self.engine = engine
            index = engine.index
            s = engine.s
            pool = engine.pool
            ref = Evaluator(index: engine.index)
            asOf = engine.index.asOf.number
            markStart = index.markStart
            absenceOrder = index.absenceOrder
            absenceStart = index.absenceStart
            capacity = engine.slotCount
            slots = .allocate(capacity: capacity)
            slots.initialize(repeating: .null, count: capacity)
            stamps = .allocate(capacity: capacity)
            stamps.initialize(repeating: 0, count: capacity)
            let summaries = 1 << Context.summaryBits
            summaryKeys = .allocate(capacity: summaries)
            summaryKeys.initialize(repeating: SIMD8(repeating: -1), count: summaries)
            summaryValues = .allocate(capacity: summaries)
            summaryValues.initialize(repeating: MarkSummary(), count: summaries)
            sharedCount = max(1, engine.sharedLets.count)
            sharedValues = .allocate(capacity: sharedCount)
            sharedValues.initialize(repeating: .null, count: sharedCount)
            sharedStamps = .allocate(capacity: sharedCount)
            sharedStamps.initialize(repeating: 0, count: sharedCount)
            markTests = engine.markTests
            markValues = engine.markValues
            markBytes = s.marks.value
            markDays = s.marks.day
            markSubjects = s.marks.subject
            weightCodes = s.marks.weight.codes
            weightTable = s.marks.weight.table
        }

        deinit {
            slots.deallocate()
            stamps.deallocate()
            summaryKeys.deallocate()
            summaryValues.deallocate()
            sharedValues.deallocate()
            sharedStamps.deallocate()
        }

        /// Forgets everything about the previous entity.
        func reset() {
            newEntity()
            used = 0
            if !figures.isEmpty { figures.removeAll(keepingCapacity: true) }
            if !made.isEmpty { made.removeAll(keepingCapacity: true) }
            // Other rules' alerts seen through `pupil.alerts` are numbered per entity.
            if !ref.alertTable.isEmpty { ref.alertTable.removeAll(keepingCapacity: true) }
            subjects = nil
        }

        /// The rule's findings for `entity` (one per element of its `each` list where the
        /// condition holds), as the reference evaluator renders them.
        func findings(_ p: Program, _ entity: Scalar) -> [Finding] {
            var out: [Finding] = []
            findings(p, entity, into: &out)
            return out
        }

        /// The same, appended to `out` (a scan's findings are not copied from list to list).
        func findings(_ p: Program, _ entity: Scalar, into out: inout [Finding]) {
            let before = out.count
            fault = nil
            ref.fault = nil
            decide(p, entity, into: &out)
            // Checked once per rule and entity, not in the inner loops: a fault gives `null`
            // where it happens, and the entity's findings of the rule are dropped for it.
            if let message = fault ?? ref.fault {
                out.removeLast(out.count - before)
                faults.append(RuleFault(rule: p.rule.id, entity: ref.describeEntity(value(entity)), message: message))
                fault = nil
                ref.fault = nil
            }
        }

        /// Records a fault (the first of an evaluation is kept) and gives `null`.
        @inline(never) func fail(_ message: String) -> Scalar {
            if fault == nil { fault = message }
            return .null
        }

        private func decide(_ p: Program, _ entity: Scalar, into out: inout [Finding]) {
            precondition(p.slotCount <= capacity)
            slots[0] = entity
            advance()
            guard p.eachList != nil else {
                if p.when(self).truth { out.append(finding(p, entity, nil)) }
                return
            }
            let list = p.eachList!(self)
            guard list.tag == .list || list.tag == .rows else { return }
            for i in 0..<count(list) {
                let item = element(list, i)
                slots[0] = entity
                slots[p.eachSlot] = item
                advance()
                if p.when(self).truth { out.append(finding(p, entity, item)) }
            }
        }

        /// Renders a finding with the slots as the condition left them.
        private func finding(_ p: Program, _ entity: Scalar, _ item: Scalar?) -> Finding {
            // The program's parts are read in place: shared by every thread, a copy of one
            // (a closure, a declaration's texts) would count references from every core.
            let rule = p.rule
            var severity = rule.definition.severity
            p.escalations.withUnsafeBufferPointer { escalations in
                for i in escalations.indices where escalations[i].when(self).truth {
                    severity = escalations[i].severity
                }
            }
            let key = p.key.map { ref.text(value($0(self))) } ?? item.map { ref.text(value($0)) } ?? ""
            let evidence = p.evidence.withUnsafeBufferPointer { evidence in
                evidence.indices.map { i in
                    (name: evidence[i].name, value: ref.describe(value(evidence[i].value(self))))
                }
            }
            let plan = p.plan.withUnsafeBufferPointer { plan in
                plan.indices.map { i in
                    PlanStep(
                        action: render(plan[i].action), role: plan[i].role, due: index.asOf + plan[i].dueDays,
                        check: render(plan[i].check), priority: plan[i].priority)
                }
            }
            let worse = p.worseMeasure.map { measure in
                Finding.Worse(measure: Finding.Worse.number(value(measure(self))), text: render(p.worseText))
            }
            return Finding(
                ruleID: rule.id, rule: rule, entity: value(entity), key: key, severity: severity,
                message: render(p.message), evidence: evidence, worse: worse, plan: plan)
        }

        private func render(_ parts: [Program.Part]) -> String {
            parts.withUnsafeBufferPointer { parts in
                var out = ""
                for i in parts.indices {
                    switch parts[i] {
                    case .text(let t): out += t
                    case .value(let fn): out += ref.text(value(fn(self)))
                    }
                }
                return out
            }
        }

        func findRuns(of p: Int32) {
            if runStamp.count != s.subjects.count {
                runStart = Array(repeating: 0, count: s.subjects.count)
                runEnd = runStart
                runStamp = Array(repeating: -1, count: s.subjects.count)
            }
            markSubjects.withUnsafeBufferPointer { subjects in
                var pos = Int(markStart[Int(p)])
                let end = Int(markStart[Int(p) + 1])
                while pos < end {
                    let subject = subjects[pos]
                    var next = pos + 1
                    while next < end && subjects[next] == subject { next += 1 }
                    runStart[Int(subject)] = Int32(pos)
                    runEnd[Int(subject)] = Int32(next)
                    runStamp[Int(subject)] = p
                    pos = next
                }
            }
            runsOf = p
        }

        /// Asks for pupil `p`'s marks to be brought into the cache while the scan evaluates
        /// the pupil before: a pupil's marks are a few cache lines in each column, first read
        /// by binary searches (time windows) that would otherwise wait on memory each time.
        func prefetch(pupil p: Int32) {
            let lo = Int(markStart[Int(p)])
            let hi = Int(markStart[Int(p) + 1])
            guard lo < hi else { return }
            Context.prefetch(markDays, lo, hi)
            Context.prefetch(markSubjects, lo, hi)
            Context.prefetch(markBytes, lo, hi)
            Context.prefetch(weightCodes, lo, hi)
        }

        @inline(__always) static func prefetch<T>(_ column: [T], _ lo: Int, _ hi: Int) {
            column.withUnsafeBytes { raw in
                let stride = MemoryLayout<T>.stride
                var offset = (lo * stride) & ~63
                let end = hi * stride
                while offset < end {
                    mayak_prefetch(raw.baseAddress! + offset)
                    offset += 64
                }
            }
        }

        /// A new entity (`reset`, which also empties the arena their lists live in): every
        /// shared let is to be evaluated again.
        private func newEntity() {
            entityGeneration &+= 1
            if entityGeneration == 0 {
                sharedStamps.update(repeating: 0, count: sharedCount)
                entityGeneration = 1
            }
        }

        /// A new entity or element: every let is to be evaluated again.
        @inline(__always) func advance() {
            generation &+= 1
            if generation == 0 {
                stamps.update(repeating: 0, count: capacity)
                generation = 1
            }
        }

        // MARK: Lists

        /// A new, empty list in the arena.
        @inline(__always) func newList() -> Int {
            if used == arena.count { arena.append([]) } else { arena[used].removeAll(keepingCapacity: true) }
            used += 1
            return used - 1
        }

        @inline(__always) func append(_ h: Int, _ v: Scalar) { arena[h].append(v) }

        @inline(__always) func count(_ l: Scalar) -> Int {
            l.tag == .list ? arena[Int(l.a)].count : l.hi - l.lo
        }

        @inline(__always) func element(_ l: Scalar, _ i: Int) -> Scalar {
            if l.tag == .list { return arena[Int(l.a)][i] }
            let pos = l.lo + i
            switch l.rowsKind {
            case .marks, .subjectMarks: return .entity(.mark, Int32(pos))
            case .absences: return .entity(.absence, absenceOrder[pos])
            case .works: return .work(index.classWorks[Int(s.pupils.classIndex[Int(l.a)])][pos], pupil: l.a)
            case .vpr: return .entity(.vpr, index.vprOrder[pos])
            case .periodMarks: return .entity(.periodMark, index.periodMarkOrder[pos])
            }
        }

        /// The date of a dated element (mark, absence, work).
        @inline(__always) func day(of v: Scalar) -> Int32? {
            switch v.tag {
            case .mark: return s.marks.date(Int(v.a))
            case .absence: return s.attendance.day[Int(v.a)]
            case .work: return s.works.day[Int(v.a)]
            default: return nil
            }
        }

        /// The date at a position of a date-ordered run.
        @inline(__always) func day(_ l: Scalar, at pos: Int) -> Int32 {
            switch l.rowsKind {
            case .subjectMarks: return s.marks.date(pos)
            case .absences: return s.attendance.day[Int(absenceOrder[pos])]
            default: return s.works.day[Int(index.classWorks[Int(s.pupils.classIndex[Int(l.a)])][pos])]
            }
        }

        /// The rows of `lo..<hi` of the marks (one subject's, by date) dated within `from…to`.
        @inline(__always) func markRange(_ lo: Int, _ hi: Int, from: Int32, to: Int32) -> (Int, Int) {
            // In the column's terms (days since `MarkTable.firstDay`), wide enough for any bound.
            let first = Int(from) - Int(MarkTable.firstDay)
            let last = Int(to) - Int(MarkTable.firstDay)
            return markDays.withUnsafeBufferPointer { day in
                let start = Context.lowerBound(lo, hi) { Int(day[$0]) < first }
                return (start, Context.lowerBound(start, hi) { Int(day[$0]) <= last })
            }
        }

        /// The first position in `lo..<hi` where `before` no longer holds (it holds for a
        /// prefix); branch-free, for short runs read in no predictable pattern.
        @inline(__always) static func lowerBound(_ lo: Int, _ hi: Int, _ before: (Int) -> Bool) -> Int {
            var base = lo
            var n = hi - lo
            guard n > 0 else { return lo }
            while n > 1 {
                let half = n >> 1
                base = before(base + half) ? base + half : base
                n -= half
            }
            return before(base) ? base + 1 : base
        }

        /// The elements dated within `lo…hi` (inclusive), in their order.
        func window(_ l: Scalar, from lo: Int32, to hi: Int32) -> Scalar {
            if l.tag == .rows && l.sub == Scalar.Rows.subjectMarks.rawValue {
                // The common case, a subject's marks: two binary searches in the days column.
                let (first, end) = markRange(l.lo, l.hi, from: lo, to: hi)
                return .rows(.subjectMarks, owner: l.a, first, end)
            }
            guard l.tag == .list || l.tag == .rows else { return .list(newList()) }
            if l.tag == .rows && l.rowsKind.byDate {
                let first = Context.lowerBound(l.lo, l.hi) { day(l, at: $0) < lo }
                return .rows(l.rowsKind, owner: l.a, first, Context.lowerBound(first, l.hi) { day(l, at: $0) <= hi })
            }
            let h = newList()
            for i in 0..<count(l) {
                let e = element(l, i)
                if let d = day(of: e), d >= lo, d <= hi { append(h, e) }
            }
            return .list(h)
        }

        // MARK: Strings

        func text(_ id: Int32) -> String {
            let i = Int(id)
            return i < pool.count ? pool.strings[i] : made[i - pool.count]
        }

        /// A number for a text made during evaluation (not looked up: comparing a made text
        /// compares the texts, see `equal`).
        func intern(_ t: String) -> Int32 {
            let id = Int32(pool.count + made.count)
            made.append(t)
            return id
        }

        // MARK: The boundary with the reference evaluator

        func value(_ v: Scalar) -> Value {
            switch v.tag {
            case .null: return .null
            case .bool: return .bool(v.truth)
            case .int: return .int(v.int)
            case .number: return .number(v.double)
            case .date: return .date(v.a)
            case .string: return .string(text(v.a))
            case .pupil: return .pupil(v.a)
            case .klass: return .class(v.a)
            case .school: return .school(v.a)
            case .subject: return .subject(pupil: v.a, subject: v.second)
            case .mark: return .mark(v.a)
            case .absence: return .absence(v.a)
            case .work: return .work(work: v.a, pupil: v.second)
            case .vpr: return .vpr(v.a)
            case .periodMark: return .periodMark(v.a)
            case .period: return .period(Int16(v.a))
            case .figures: return .figures(figures[Int(v.a)])
            case .alert: return .alert(v.a)
            case .list, .rows: return .list((0..<count(v)).map { value(element(v, $0)) })
            }
        }

        func scalar(_ v: Value) -> Scalar {
            switch v {
            case .null: return .null
            case .bool(let b): return .bool(b)
            case .int(let i): return .int(i)
            case .number(let d): return .number(d)
            case .string(let t): return .string(intern(t))
            case .date(let d): return .date(d)
            case .list(let items):
                let converted = items.map(scalar)
                let h = newList()
                for c in converted { append(h, c) }
                return .list(h)
            case .pupil(let p): return .entity(.pupil, p)
            case .class(let c): return .entity(.klass, c)
            case .school(let sc): return .entity(.school, sc)
            case .subject(let p, let subj): return .subject(pupil: p, subject: subj)
            case .mark(let i): return .entity(.mark, i)
            case .absence(let i): return .entity(.absence, i)
            case .work(let w, let p): return .work(w, pupil: p)
            case .vpr(let i): return .entity(.vpr, i)
            case .periodMark(let i): return .entity(.periodMark, i)
            case .period(let p): return .entity(.period, Int32(p))
            case .figures(let f):
                figures.append(f)
                return .entity(.figures, Int32(figures.count - 1))
            case .alert(let i): return .entity(.alert, i)
            }
        }

        // MARK: Comparison, as the reference evaluator compares

        func equal(_ x: Scalar, _ y: Scalar) -> Bool {
            if let p = x.number, let q = y.number { return NumberOrder.same(p, q) }
            guard x.tag == y.tag else {
                if (x.tag == .list || x.tag == .rows) && (y.tag == .list || y.tag == .rows) {
                    return value(x) == value(y)
                }
                return false
            }
            switch x.tag {
            case .list, .rows, .figures: return value(x) == value(y)
            case .string:
                // Pooled texts are numbered once each; a made one may equal any text.
                return x.a == y.a || ((Int(x.a) >= pool.count || Int(y.a) >= pool.count) && text(x.a) == text(y.a))
            default: return x.a == y.a && x.b == y.b
            }
        }

        func compare(_ x: Scalar, _ y: Scalar) -> Int? {
            if let p = x.number, let q = y.number { return NumberOrder.order(p, q) }
            if x.tag == .string && y.tag == .string {
                if x.a == y.a { return 0 }
                let p = text(x.a)
                let q = text(y.a)
                return p < q ? -1 : (p > q ? 1 : 0)
            }
            if x.tag == .date && y.tag == .date { return x.a < y.a ? -1 : (x.a > y.a ? 1 : 0) }
            return nil
        }
    }
}

extension CompiledEngine {
    /// The value of one of a rule's lets for an entity, on the compiled engine (tests compare
    /// it with the reference evaluator's).
    func value(of rule: CompiledRule, letNamed name: String, for entity: Value) -> Value? {
        guard let slot = rule.lets.first(where: { $0.name == name })?.slot else { return nil }
        var compiler = Compiler(engine: self)
        compiler.letNodes = Dictionary(uniqueKeysWithValues: rule.lets.map { ($0.slot, $0.node) })
        for l in rule.lets { compiler.lets[l.slot] = Compiler.Code(run: compiler.compile(l.node)) }
        let fn = compiler.compile(.local(slot))
        let ctx = makeContext()
        let v = ctx.scalar(entity)
        ctx.slots[0] = v
        ctx.advance()
        return ctx.value(fn(ctx))
    }
}
