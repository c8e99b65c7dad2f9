import Foundation
import MayakSnapshot

/// A scan on the compiled engine: entities in chunks spread over every core, each chunk
/// on a context of its own. The result is in the reference scan's order: pupils' findings,
/// class and school rules' findings rule by rule, then the rules that look at other rules'
/// alerts.
struct CompiledScan {
    let pack: RulePack
    let index: SnapshotIndex
    let scope: ScanScope
    let engine: CompiledEngine
    let contexts: ContextPool

    init(pack: RulePack, index: SnapshotIndex, scope: ScanScope) {
        self.pack = pack
        self.index = index
        self.scope = scope
        engine = CompiledEngine(index: index, rules: pack.rules)
        contexts = ContextPool(engine)
    }

    func run() -> ScanOutcome {
        let (schools, classes, pupils) = Scanner.entities(index, scope)
        let plain = pack.rules.filter { !$0.usesAlerts }
        let late = pack.rules.filter(\.usesAlerts)
        var findings = phase(plain, schools: schools, classes: classes, pupils: pupils, alerts: nil)
        if !late.isEmpty {
            findings += phase(
                late, schools: schools, classes: classes, pupils: pupils, alerts: Scanner.alertsByPupil(findings))
        }
        let hits = contexts.takeLimitHits().map { (regex: engine.regexes[$0.key], texts: $0.value) }
        return ScanOutcome(findings: findings, faults: contexts.takeFaults(), warnings: Scanner.limitWarnings(hits))
    }

    /// One phase: pupil rules pupil by pupil, then class and school rules rule by rule.
    func phase(
        _ rules: [CompiledRule], schools: [Int], classes: [Int], pupils: [Int32],
        alerts: [Int32: [AlertSummary]]?
    ) -> [Finding] {
        let pupilRules = rules.filter { $0.definition.scope == .pupil }.map { engine.program($0)! }
        // Each chunk's findings, joined at the end by moving them (`joined(moving:)`).
        var findings: [[Finding]] = []
        if !pupilRules.isEmpty {
            let programs = pupilRules.map { Unmanaged.passUnretained($0) }
            findings += parallel(pupils.count) { range, ctx in
                if let alerts { ctx.ref.alertsByPupil = alerts }
                var out: [Finding] = []
                for i in range {
                    let p = pupils[i]
                    if i + 1 < range.upperBound { ctx.prefetch(pupil: pupils[i + 1]) }
                    ctx.reset()
                    // Unretained: the programs are shared by the threads, and counting
                    // references to one object from every core is slow (they outlive the scan).
                    for program in programs {
                        program._withUnsafeGuaranteedRef { ctx.findings($0, .entity(.pupil, p), into: &out) }
                    }
                }
                return out
            }
        }
        for rule in rules where rule.definition.scope != .pupil {
            let program = engine.program(rule)!
            let isClass = rule.definition.scope == .class
            let list = isClass ? classes : schools
            findings += parallel(list.count) { range, ctx in
                if let alerts { ctx.ref.alertsByPupil = alerts }
                var out: [Finding] = []
                for i in list[range] {
                    ctx.reset()
                    ctx.findings(program, .entity(isClass ? .klass : .school, Int32(i)), into: &out)
                }
                return out
            }
        }
        return CompiledScan.joined(moving: &findings)
    }

    /// Runs `body` over chunks of `0..<n` on every core, each on a context of its own;
    /// each chunk's results, in chunk order.
    func parallel(_ n: Int, _ body: (Range<Int>, CompiledEngine.Context) -> [Finding]) -> [[Finding]] {
        let ranges = Parallel.chunks(n, minimum: 32)
        return Parallel.collect(ranges.count) { k in
            let ctx = contexts.take()
            defer { contexts.put(ctx) }
            return body(ranges[k], ctx)
        }
    }

    /// The lists end to end, their elements moved, not copied: a copy of a finding retains
    /// each of its texts (from both cores at once), and the lists' release then lets each go.
    /// `parts` is left with empty lists.
    static func joined<T>(moving parts: inout [[T]]) -> [T] {
        let total = parts.reduce(0) { $0 + $1.count }
        return [T](filling: total) { buffer in
            // Taken from the back, so that each element is moved out (`popLast`) into its place.
            var end = total
            for k in parts.indices.reversed() {
                while let last = parts[k].popLast() {
                    end -= 1
                    (buffer.baseAddress! + end).initialize(to: last)
                }
            }
        }
    }
}

/// Contexts for the threads of a scan, reused from chunk to chunk.
final class ContextPool: @unchecked Sendable {
    private let engine: CompiledEngine
    private var free: [CompiledEngine.Context] = []
    private let lock = NSLock()

    init(_ engine: CompiledEngine) { self.engine = engine }

    func take() -> CompiledEngine.Context {
        lock.lock()
        defer { lock.unlock() }
        return free.popLast() ?? engine.makeContext()
    }

    /// The faults every context recorded (in no particular order), taken from them.
    func takeFaults() -> [RuleFault] {
        lock.lock()
        defer { lock.unlock() }
        var out: [RuleFault] = []
        for ctx in free {
            out += ctx.faults
            ctx.faults.removeAll()
        }
        return out
    }

    /// By pattern (its table), the texts it gave up on in any context, taken from them.
    func takeLimitHits() -> [Int: Set<String>] {
        lock.lock()
        defer { lock.unlock() }
        var out: [Int: Set<String>] = [:]
        for ctx in free {
            for (table, texts) in ctx.limitHits { out[table, default: []].formUnion(texts) }
            ctx.limitHits.removeAll()
        }
        return out
    }

    func put(_ ctx: CompiledEngine.Context) {
        lock.lock()
        free.append(ctx)
        lock.unlock()
    }
}
