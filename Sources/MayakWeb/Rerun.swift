import Foundation
import Hummingbird
import MayakAlerts
import MayakEngine
import MayakHistory
import MayakRules
import MayakSnapshot
import Synchronization

/// The rules the server works with, replaced as a whole when the department applies new
/// parameters: the pack, the settings version it was loaded with, the plans it suggests and
/// the alerts previews compare against.
final class RulesInForce: Sendable {
    struct Current: Sendable {
        var pack: RulePack
        var settings: RuleSettings?
        var suggestions: Suggestions
        var baseline = Baseline()

        init(pack: RulePack, settings: RuleSettings?, snapshot: Snapshot, index: SnapshotIndex) {
            self.pack = pack
            self.settings = settings
            self.suggestions = Suggestions(pack: pack, snapshot: snapshot, index: index)
        }
    }

    private let value: Mutex<Current>
    init(_ current: Current) { value = Mutex(current) }
    var current: Current { value.withLock { $0 } }
    func replace(_ current: Current) { value.withLock { $0 = current } }
}

/// The district's scan rerun from the browser: one at a time, school after school, so that
/// the page can say how far it has got; then recorded in the history like `mayak scan --db`.
final class Reruns: Sendable {
    struct Finished: Sendable {
        var run: Int64
        var alerts: Int
        var new: Int
        var resolved: Int
        var seconds: Double
    }

    enum State: Sendable {
        case idle
        case running(done: Int, of: Int)
        case finished(Finished)
        case failed(String)
    }

    struct Status: Sendable {
        var state = State.idle
        /// Who started the last one, and when (seconds since 1970).
        var by = ""
        var startedAt: Int64 = 0
    }

    private let status = Mutex(Status())
    private let waiting = Mutex<[CheckedContinuation<Void, Never>]>([])

    var current: Status { status.withLock { $0 } }

    /// Starts one unless one is running; whether it started.
    func start(by actor: String, at now: Int64, schools: Int) -> Bool {
        status.withLock { s in
            if case .running = s.state { return false }
            s = Status(state: .running(done: 0, of: schools), by: actor, startedAt: now)
            return true
        }
    }

    func progress(done: Int, of total: Int) { status.withLock { $0.state = .running(done: done, of: total) } }

    func end(_ state: State) {
        status.withLock { $0.state = state }
        for w in waiting.withLock({ w in
            defer { w = [] }
            return w
        }) { w.resume() }
    }

    /// Returns once no rerun is running (for the tests: no sleeping, no polling).
    func finished() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let running = status.withLock { s -> Bool in
                guard case .running = s.state else { return false }
                // Registered under the status lock, so that an end in between is not missed.
                waiting.withLock { $0.append(c) }
                return true
            }
            if !running { c.resume() }
        }
    }
}

extension WebApp {
    // MARK: - Applying parameters

    /// The parameters the form changes, checked against each rule's declaration: the
    /// assignments (`rule.parameter=value`) and the changes in words, or what is wrong.
    func parameterChanges(_ form: Form) -> (assignments: [String], changes: [String], error: String?) {
        let fixed = ruleSource?.overrides.values ?? [:]
        var assignments: [String] = []
        var changes: [String] = []
        for rule in pack.rules {
            let values = Dictionary(rule.parameters.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
            for p in rule.definition.params {
                let field = "p.\(rule.definition.id).\(p.name)"
                guard let text = form.text(field) else { continue }
                let current = values[p.name] ?? p.defaultValue
                let name = "\(rule.definition.id).\(p.name)"
                // What was typed, said back no longer than a field shows.
                let shown = text.count > 40 ? text.prefix(40) + "…" : text
                guard let value = p.value(from: text) else {
                    return ([], [], "\(name): «\(shown)» — не значение нужного вида (\(p.kind.rawValue)).")
                }
                guard p.inRange(value) else { return ([], [], "\(name): \(shown) вне допустимого (\(p.rangeText)).") }
                guard value != current else { continue }
                if fixed[rule.definition.id]?[p.name] != nil {
                    return ([], [], "\(name) задан при запуске сервера (--set или --overrides): здесь его не изменить.")
                }
                assignments.append("\(name)=\(text)")
                changes.append("\(name): \(current) → \(value)")
            }
        }
        return (assignments, changes, changes.isEmpty ? "Ни один параметр не изменён." : nil)
    }

    /// The settings in force with these assignments put over them (a parameter named again
    /// takes its new value).
    func settings(with assignments: [String]) -> [String] {
        func key(_ a: String) -> Substring { a.prefix { $0 != "=" } }
        let changed = Set(assignments.map(key))
        return ((rules.current.settings?.assignments ?? []).filter { !changed.contains(key($0)) } + assignments)
            .sorted()
    }

    /// The pack with these settings, or the problems in words.
    func pack(settings: [String], origin: String) -> (RulePack?, String) {
        guard let source = ruleSource else { return (nil, "Сервер запущен без папки правил.") }
        var log = DiagnosticLog(cap: 50)
        let pack = RulePack.load(
            paths: source.paths, settings: settings, origin: origin, overrides: source.overrides, log: &log)
        guard let pack, !log.hasErrors else { return (nil, log.rendered(byPosition: true)) }
        return (pack, "")
    }

    /// «Применить»: the previewed parameters become a new version of the district's settings,
    /// with the department's comment, in force at once for the server (its previews, its
    /// suggested plans, the next rerun) and for every later `mayak scan --db` of this history.
    /// The alerts change when the scan is run again.
    func applyRules(_ context: WebContext) async throws -> Response {
        let user = try requireDepartment(context)
        let form = context.form
        let (assignments, changes, problem) = parameterChanges(form)
        if let problem { return try await rulesPage(context, typed: form, error: problem) }
        let comment = String((form.text("comment") ?? "").prefix(500))
        guard !comment.isEmpty else {
            return try await rulesPage(
                context, typed: form, error: "Напишите, почему меняются параметры: комментарий сохранится в истории.")
        }
        let all = settings(with: assignments)
        let (loaded, error) = pack(settings: all, origin: "веб: применение")
        guard let loaded else {
            return try await rulesPage(
                context, typed: form, error: "Правила с такими параметрами не проходят проверку: \(error)")
        }
        let record = RuleSettings(
            at: moment(), actor: user.actor, comment: "\(comment) (\(changes.joined(separator: "; ")))",
            assignments: all)
        let id = try await blocking { [store] in try store.addRuleSettings(record) }
        var applied = record
        applied.id = id
        rules.replace(RulesInForce.Current(pack: loaded, settings: applied, snapshot: snapshot, index: index))
        generation.advance()
        return Response.redirect(to: "/district/rules?applied=\(id)", type: .normal)
    }

    /// «Параметры применены …» after an application (its number comes back in the address).
    func appliedNotice(_ q: Form) -> String? {
        guard let id = q["applied"].flatMap(Int.init) else { return nil }
        return "Параметры применены: версия №\(Russian.number(id)). Предупреждения пересчитаются при следующей "
            + "проверке округа."
    }

    // MARK: - Rerunning the scan

    /// «Проверка»: the state of the rerun (refreshing itself while it runs, no script needed)
    /// and the button that starts one.
    func rerunPage(_ context: WebContext) throws -> Response {
        let user = try requireDepartment(context)
        let status = reruns.current
        var data: [String: Any] = [
            "csrf": user.session.csrf, "asOf": snapshot.manifest.asOf.russian,
            "settings": rules.current.settings.map { "№\($0.id) от \(Russian.moment($0.at))" } ?? "как в файлах правил",
        ]
        var refresh: Int?
        switch status.state {
        case .idle: break
        case .running(let done, let total):
            refresh = 2
            let seconds = Double(max(0, now() - status.startedAt))
            data["running"] = [
                "done": Russian.number(done), "total": Russian.number(total), "value": done, "max": max(total, 1),
                "percent": Russian.number(total == 0 ? 0 : done * 100 / total), "by": status.by,
                "seconds": Russian.number(Int(seconds)),
            ]
        case .finished(let f):
            data["finished"] = [
                "run": Russian.number(Int(f.run)), "alerts": Russian.number(f.alerts), "new": Russian.number(f.new),
                "resolved": Russian.number(f.resolved), "seconds": Russian.fixed(f.seconds, places: 1), "by": status.by,
            ]
        case .failed(let why): data["failed"] = ["why": why, "by": status.by]
        }
        return page("rerun", data, title: "Проверка округа", context: context, refresh: refresh)
    }

    /// Starts the rerun (unless one runs) and shows its progress.
    func startRerun(_ context: WebContext) throws -> Response {
        let user = try requireDepartment(context)
        let schools = snapshot.schools.count
        if reruns.start(by: user.actor, at: now(), schools: schools) {
            // The page of the rerun now shows it running (a kept page of it would not).
            generation.advance()
            let current = rules.current
            let startedAt = moment()
            Task.detached { [self] in
                let state: Reruns.State
                do {
                    state = .finished(
                        try await blocking { [self] in try rerun(current, recordedAt: startedAt, by: user.actor) })
                } catch let e as WebError {
                    if case .invalid(let why) = e {
                        state = .failed(why)
                    } else {
                        state = .failed("Проверка не удалась.")
                    }
                } catch {
                    state = .failed("Проверка не удалась: \(error)")
                }
                reruns.end(state)
                generation.advance()
            }
        }
        return Response.redirect(to: "/district/scan", type: .normal)
    }

    /// The scan of every school with these rules, recorded as a run of the history.
    func rerun(_ rules: RulesInForce.Current, recordedAt: String, by actor: String) throws -> Reruns.Finished {
        let started = Date()
        let pack = rules.pack
        var findings: [Finding] = []
        let schools = snapshot.schools.count
        for sc in 0..<schools {
            let outcome = Scanner.run(pack, index: index, scope: ScanScope(schoolID: snapshot.schools.id[sc]))
            guard outcome.faults.isEmpty else {
                throw WebError.invalid(
                    "Правила не удалось применить к данным школы «\(snapshot.schools.name[sc])»: "
                        + "\(Russian.number(outcome.faults.count)) ошибок вычисления (подробности — mayak scan).")
            }
            findings += outcome.findings
            reruns.progress(done: sc + 1, of: schools)
        }
        let alerts = RunAlert.recordable(ScanResult(findings: findings, snapshot: snapshot, pack: pack).alerts).alerts
        let scanned = Date().timeIntervalSince(started)
        let run = RunInfo(
            recordedAt: recordedAt, asOf: snapshot.manifest.asOf.description, district: snapshot.manifest.district,
            snapshotFingerprint: snapshotFingerprint, rulesHash: pack.hash, rulesVersion: pack.version,
            ruleCount: pack.rules.count,
            overrides: ((rules.settings.map { ["settings=\($0.id)"] } ?? []) + ["web: \(actor)"]).joined(
                separator: "; "),
            scope: "", loadMilliseconds: 0, scanMilliseconds: Int(scanned * 1000), alertCount: alerts.count)
        let id = try store.record(run, alerts: alerts, scope: (nil, nil))
        let (new, resolved) = try store.outcome(ofRun: id)
        return Reruns.Finished(
            run: id, alerts: alerts.count, new: new, resolved: resolved, seconds: Date().timeIntervalSince(started))
    }
}
