import Foundation
import MayakRules
import MayakSnapshot

/// Where runs, alert states, triage events and plans are kept. Two implementations — SQLite
/// (`SQLiteHistoryStore`) and memory (`MemoryHistoryStore`) — pass the same contract tests.
public protocol HistoryStore: AnyObject {
    /// Records a run and its alerts in one transaction and moves every alert in the run's
    /// scope through the lifecycle. Returns the run's id.
    func record(_ run: RunInfo, alerts: [RunAlert], scope: (schoolID: String?, classID: String?)) throws -> Int64
    func runs() throws -> [RunInfo]
    func runAlerts(_ runID: Int64) throws -> [RunAlert]
    func trackedAlerts() throws -> [TrackedAlert]
    /// The tracked alerts of one school, or about one subject (a pupil's id), or both; what a
    /// page of the web app reads (indexed in the SQLite store).
    func trackedAlerts(schoolID: String?, subjectID: String?) throws -> [TrackedAlert]
    func tracked(_ fingerprint: String) throws -> TrackedAlert?
    func events(_ fingerprint: String) throws -> [TriageEvent]
    /// Appends a triage event and applies it to the alert's state.
    func triage(_ event: TriageEvent, observation: Observation?) throws
    /// Adopts a plan (refused while the pupil has one in force) and records «принят план» in
    /// the history of each alert it addresses, in one transaction.
    func adoptPlan(_ plan: AdoptedPlan) throws -> Int64
    func plans(pupilID: String?) throws -> [AdoptedPlan]
    /// Marks a step done on the day `on` (once; not on a closed plan) and records it, at the
    /// moment `at`, in the history of the plan's alerts.
    func markDone(planID: Int64, position: Int, on: String, by: String, at: String) throws
    /// Closes a plan: its alerts are no longer covered; recorded in their history.
    func closePlan(planID: Int64, at: String, by: String) throws
}

/// The part of recording that is the same in every store: given the tracked states before the
/// run and the run's alerts, the states after.
enum RunRecording {
    static func apply(
        previous: [String: TrackedAlert], alerts: [RunAlert], runID: Int64, asOf: String,
        scope: (schoolID: String?, classID: String?), planOf: [String: Int64]
    ) -> [TrackedAlert] {
        var out: [TrackedAlert] = []
        var fired: [String: RunAlert] = [:]
        for a in alerts { fired[a.fingerprint] = a }
        // Alerts that fired.
        for a in alerts {
            let before = previous[a.fingerprint]
            guard var state = AlertLifecycle.next(before?.state, firing: a.observation, asOf: asOf) else { continue }
            state.coveredByPlan = planOf[a.fingerprint]
            out.append(
                TrackedAlert(
                    latest: a, state: state, firstRun: before?.firstRun ?? runID, lastRun: runID,
                    seenInRun: runID, assignee: before?.assignee))
        }
        // Alerts in scope that did not fire: resolved.
        for (fingerprint, t) in previous where fired[fingerprint] == nil {
            if let s = scope.schoolID, t.latest.schoolID != s { continue }
            if let c = scope.classID, t.latest.classID != c { continue }
            guard let state = AlertLifecycle.next(t.state, firing: nil, asOf: asOf), state != t.state else { continue }
            var u = t
            u.state = state
            u.seenInRun = runID
            out.append(u)
        }
        return out
    }

    /// The state after a triage event.
    static func apply(_ event: TriageEvent, to state: TrackedState, observation: Observation?) -> (
        TrackedState, assignee: String??
    ) {
        var s = state
        var assignee: String?? = .none
        switch event.kind {
        case .acknowledge:
            s.triage = .acknowledged
            s.reopenedBecause = nil
        case .assign:
            s.triage = s.triage == .open ? .acknowledged : s.triage
            assignee = .some(event.detail)
        case .comment, .planAdopted, .planStepDone, .planClosed: break
        case .dismiss:
            s.triage = .dismissed
            s.dismissedSeverity = observation?.severity
            s.dismissedMagnitude = observation?.magnitude
            s.reopenedBecause = nil
        case .resolve:
            s.triage = .resolved
            s.reopenedBecause = nil
        case .reopen:
            s.triage = .open
            s.dismissedSeverity = nil
            s.dismissedMagnitude = nil
            s.reopenedBecause = nil
        }
        return (s, assignee)
    }
}

/// The in-memory twin of the SQLite store: the same behaviour, for tests and dry runs.
public final class MemoryHistoryStore: HistoryStore {
    private var runList: [RunInfo] = []
    private var runAlertsByRun: [Int64: [RunAlert]] = [:]
    private var trackedByFingerprint: [String: TrackedAlert] = [:]
    private var eventList: [TriageEvent] = []
    private var planList: [AdoptedPlan] = []
    var accountsByLogin: [String: Account] = [:]
    var accountEventList: [AccountEvent] = []
    var sessionsByID: [String: WebSession] = [:]

    public init() {}

    public func record(_ run: RunInfo, alerts: [RunAlert], scope: (schoolID: String?, classID: String?)) throws -> Int64
    {
        var r = run
        r.id = Int64(runList.count + 1)
        let updates = RunRecording.apply(
            previous: trackedByFingerprint, alerts: alerts, runID: r.id, asOf: run.asOf, scope: scope,
            planOf: activePlanOf())
        runList.append(r)
        runAlertsByRun[r.id] = alerts
        for u in updates { trackedByFingerprint[u.latest.fingerprint] = u }
        return r.id
    }

    func activePlanOf() -> [String: Int64] {
        var out: [String: Int64] = [:]
        for p in planList where p.isActive { for f in p.fingerprints { out[f] = p.id } }
        return out
    }

    public func runs() throws -> [RunInfo] { runList }
    public func runAlerts(_ runID: Int64) throws -> [RunAlert] { runAlertsByRun[runID] ?? [] }
    public func trackedAlerts() throws -> [TrackedAlert] {
        trackedByFingerprint.values.sorted { $0.latest.fingerprint < $1.latest.fingerprint }
    }
    public func trackedAlerts(schoolID: String?, subjectID: String?) throws -> [TrackedAlert] {
        try trackedAlerts().filter {
            (schoolID == nil || $0.latest.schoolID == schoolID)
                && (subjectID == nil || $0.latest.subjectID == subjectID)
        }
    }
    public func tracked(_ fingerprint: String) throws -> TrackedAlert? { trackedByFingerprint[fingerprint] }
    public func events(_ fingerprint: String) throws -> [TriageEvent] {
        eventList.filter { $0.fingerprint == fingerprint }
    }

    public func triage(_ event: TriageEvent, observation: Observation?) throws {
        guard var t = trackedByFingerprint[event.fingerprint] else {
            throw HistoryError(HistoryText.noAlert(fingerprint: event.fingerprint))
        }
        var e = event
        e.id = Int64(eventList.count + 1)
        eventList.append(e)
        let (state, assignee) = RunRecording.apply(event, to: t.state, observation: observation ?? t.latest.observation)
        t.state = state
        if case .some(let a) = assignee { t.assignee = a }
        trackedByFingerprint[event.fingerprint] = t
    }

    public func adoptPlan(_ plan: AdoptedPlan) throws -> Int64 {
        if let open = planList.first(where: { $0.pupilID == plan.pupilID && $0.closedAt == nil }) {
            throw PlanRules.alreadyInForce(plan.pupilID, open.id)
        }
        if let missing = plan.fingerprints.first(where: { trackedByFingerprint[$0] == nil }) {
            throw HistoryError(HistoryText.noAlert(fingerprint: missing))
        }
        var p = plan
        p.id = Int64(planList.count + 1)
        planList.append(p)
        for f in p.fingerprints { trackedByFingerprint[f]?.state.coveredByPlan = p.id }
        for e in PlanEvents.adopted(p) { append(e) }
        return p.id
    }

    private func append(_ event: TriageEvent) {
        var e = event
        e.id = Int64(eventList.count + 1)
        eventList.append(e)
    }

    public func plans(pupilID: String?) throws -> [AdoptedPlan] {
        planList.filter { pupilID == nil || $0.pupilID == pupilID }
    }

    public func markDone(planID: Int64, position: Int, on: String, by: String, at: String) throws {
        guard let i = planList.firstIndex(where: { $0.id == planID }),
            let k = planList[i].items.firstIndex(where: { $0.position == position })
        else {
            throw PlanRules.noItem(planID, position)
        }
        if let closed = planList[i].closedAt { throw PlanRules.closed(planID, closed) }
        if let done = planList[i].items[k].doneOn {
            throw PlanRules.alreadyDone(planID, position, on: done, by: planList[i].items[k].doneBy ?? "")
        }
        planList[i].items[k].doneOn = on
        planList[i].items[k].doneBy = by
        for e in PlanEvents.stepDone(planList[i], planList[i].items[k], at: at, by: by) { append(e) }
    }

    public func closePlan(planID: Int64, at: String, by: String) throws {
        guard let i = planList.firstIndex(where: { $0.id == planID && $0.closedAt == nil }) else {
            throw HistoryError(HistoryText.noOpenPlan(planID))
        }
        planList[i].closedAt = at
        for f in planList[i].fingerprints where trackedByFingerprint[f]?.state.coveredByPlan == planID {
            trackedByFingerprint[f]?.state.coveredByPlan = nil
        }
        for e in PlanEvents.closed(planList[i], at: at, by: by) { append(e) }
    }
}

/// What a plan's changes write into the history of the alerts it addresses, in every store.
enum PlanEvents {
    static func adopted(_ p: AdoptedPlan) -> [TriageEvent] {
        let detail = HistoryText.planAdopted(
            p.id, dropped: p.dropped.count, changed: p.items.filter { $0.origin == .changed }.count,
            added: p.items.filter { $0.origin == .added }.count)
        return p.fingerprints.map {
            TriageEvent(fingerprint: $0, at: p.adoptedAt, actor: p.adoptedBy, kind: .planAdopted, detail: detail)
        }
    }

    static func stepDone(_ p: AdoptedPlan, _ item: AdoptedPlan.Item, at: String, by: String) -> [TriageEvent] {
        p.fingerprints.map {
            TriageEvent(
                fingerprint: $0, at: at, actor: by, kind: .planStepDone,
                detail: HistoryText.planStepDone(p.id, position: item.position, action: item.action))
        }
    }

    static func closed(_ p: AdoptedPlan, at: String, by: String) -> [TriageEvent] {
        p.fingerprints.map {
            TriageEvent(
                fingerprint: $0, at: at, actor: by, kind: .planClosed, detail: HistoryText.planClosedDetail(p.id))
        }
    }
}

/// What a plan's changes must respect, in every store: one plan in force per pupil, an item
/// done once (a second «done» would silently move its date), nothing done on a closed plan.
enum PlanRules {
    static func alreadyInForce(_ pupil: String, _ plan: Int64) -> HistoryError {
        HistoryError(HistoryText.alreadyInForce(pupil: pupil, plan: plan))
    }
    static func noItem(_ plan: Int64, _ position: Int) -> HistoryError {
        HistoryError(HistoryText.noItem(plan: plan, position: position))
    }
    static func closed(_ plan: Int64, _ at: String) -> HistoryError {
        HistoryError(HistoryText.planClosed(plan, at: at))
    }
    static func alreadyDone(_ plan: Int64, _ position: Int, on: String, by: String) -> HistoryError {
        HistoryError(HistoryText.alreadyDone(plan: plan, position: position, on: on, by: by))
    }
}

extension MemoryHistoryStore: AccountStore {
    public func addAccount(_ a: Account, by actor: String) throws {
        guard accountsByLogin[a.login] == nil else { throw HistoryError(HistoryText.accountExists(a.login)) }
        accountsByLogin[a.login] = a
        appendAccountEvent(.created(a, by: actor))
    }
    public func accounts() throws -> [Account] { accountsByLogin.values.sorted { $0.login < $1.login } }
    public func account(_ login: String) throws -> Account? { accountsByLogin[login] }
    public func setDisabled(_ login: String, _ disabled: Bool, by actor: String, at: String) throws {
        guard accountsByLogin[login] != nil else { throw HistoryError(HistoryText.noAccount(login)) }
        accountsByLogin[login]?.disabled = disabled
        appendAccountEvent(AccountEvent(login: login, at: at, actor: actor, kind: disabled ? .disabled : .enabled))
    }
    public func setPasswordHash(_ login: String, _ hash: String, by actor: String, at: String) throws {
        guard accountsByLogin[login] != nil else { throw HistoryError(HistoryText.noAccount(login)) }
        accountsByLogin[login]?.passwordHash = hash
        appendAccountEvent(AccountEvent(login: login, at: at, actor: actor, kind: .passwordChanged))
    }
    public func accountEvents(login: String?) throws -> [AccountEvent] {
        accountEventList.filter { login == nil || $0.login == login }
    }
    private func appendAccountEvent(_ e: AccountEvent) {
        var e = e
        e.id = Int64(accountEventList.count + 1)
        accountEventList.append(e)
    }
}

extension HistoryStore {
    /// A recorded run's news: the alerts new this week and those it resolved.
    public func outcome(ofRun id: Int64) throws -> (new: Int, resolved: Int) {
        let tracked = try trackedAlerts().filter { $0.seenInRun == id }
        return (
            tracked.filter { AlertLifecycle.isNewThisWeek($0.state) }.count,
            tracked.filter { $0.state.status == .resolved }.count
        )
    }
}
