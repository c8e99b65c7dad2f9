import Foundation
import HTTPTypes
import Hummingbird
import MayakAlerts
import MayakHistory
import MayakRules
import MayakSnapshot
import NIOCore

/// The JSON API under `/api/` (docs/openapi.yaml): the same data and actions as the pages,
/// behind the same guard — sessions, scopes (out of scope is 404), and for every change the
/// session's CSRF token in the `X-CSRF-Token` header. Keys are stable English words; texts
/// for people (messages, evidence, errors) are Russian, as the pages show them.
enum API {
    struct Session: Encodable {
        var login: String
        var name: String
        var role: String
        var csrf: String
    }

    struct Subject: Encodable {
        var kind: String
        var id: String
        var name: String
        var classID: String?
        var className: String?
        var schoolID: String
        var schoolName: String
    }

    struct Event: Encodable {
        var at: String
        var actor: String
        var kind: String
        var detail: String
    }

    struct Alert: Encodable {
        var id: String
        var rule: String
        var ruleTitle: String
        var severity: String
        var status: String
        var triage: String
        var weeksOpen: Int
        var newThisWeek: Bool
        var subject: Subject
        var message: String
        var evidence: String
        var assignee: String?
        var plan: Int64?
        var history: [Event]?
    }

    struct Step: Encodable {
        var position: Int
        var action: String
        var role: String
        var responsible: String
        var due: String
        var check: String
        var origin: String
        var doneOn: String?
        var doneBy: String?
        var overdue: Bool
    }

    struct Plan: Encodable {
        var id: Int64
        var pupilID: String
        var pupilName: String
        var adoptedAt: String
        var adoptedBy: String
        var closedAt: String?
        var dropped: [String]
        var steps: [Step]
        var alerts: [String]
    }

    struct SuggestedStep: Encodable {
        var index: Int
        var action: String
        var role: String
        var due: String
        var check: String
    }

    struct Pupil: Encodable {
        var id: String
        var name: String
        var classID: String
        var className: String
        var schoolID: String
        var schoolName: String
        var alerts: [Alert]
        var plans: [Plan]
        /// The rules' suggested plan, deadlines counted from today (what `POST /api/plans`
        /// refers to by `suggested`).
        var suggestion: [SuggestedStep]
    }

    struct TriageRequest: Decodable {
        var ids: [String]
        var action: String
        var detail: String?
    }

    struct TriageDone: Encodable {
        var done: Int
        var action: String
    }

    struct StepRequest: Decodable {
        /// A step of the suggestion (its index), kept and perhaps edited by the other fields;
        /// absent for a step of the school's own.
        var suggested: Int?
        var action: String?
        var role: String?
        var responsible: String?
        var due: String?
        var check: String?
    }

    struct AdoptRequest: Decodable {
        var pupil: String
        /// The plan's steps: the suggestion's kept ones (in its order; those not named are
        /// left out), then the school's own in the order given.
        var steps: [StepRequest]
    }

    struct DoneRequest: Decodable {
        var on: String?
    }

    struct List<T: Encodable>: Encodable {
        var count: Int
        var items: [T]
    }

    static func encode<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func decode<T: Decodable>(_ type: T.Type, _ context: WebContext) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(context.body.utf8))
        } catch {
            throw WebError.invalid("Тело запроса — не JSON нужного вида (см. docs/openapi.yaml).")
        }
    }
}

extension WebApp {
    func addAPIRoutes(to router: Router<WebContext>) {
        router.get("/api/session") { _, context in
            let user = try self.requireUser(context)
            return API.encode(
                API.Session(
                    login: user.account.login, name: user.account.name, role: user.account.role.rawValue,
                    csrf: user.session.csrf))
        }
        router.get("/api/alerts") { request, context in try await self.apiAlerts(request, context) }
        router.get("/api/alerts/{id}") { _, context in
            try await self.apiAlert(context, try WebApp.segment(context, "id"))
        }
        router.get("/api/pupils/{id}") { _, context in
            try await self.apiPupil(context, try WebApp.segment(context, "id"))
        }
        router.post("/api/triage") { _, context in
            let user = try self.requireUser(context)
            let r = try API.decode(API.TriageRequest.self, context)
            let (done, kind) = try await self.applyTriage(user, ids: r.ids, action: r.action, detail: r.detail ?? "")
            return API.encode(API.TriageDone(done: done, action: kind.rawValue))
        }
        router.get("/api/plans") { request, context in try await self.apiPlans(request, context) }
        router.post("/api/plans") { _, context in try await self.apiAdopt(context) }
        router.get("/api/plans/{id}") { _, context in
            let user = try self.requireUser(context)
            return API.encode(self.apiPlan(try await self.plan(try WebApp.segment(context, "id"), user)))
        }
        router.post("/api/plans/{id}/steps/{step}/done") { _, context in
            let user = try self.requireUser(context)
            let on = context.body.isEmpty ? nil : try API.decode(API.DoneRequest.self, context).on
            let (plan, _) = try await self.markDone(
                user, plan: try WebApp.segment(context, "id"), step: try WebApp.segment(context, "step"), on: on)
            return API.encode(self.apiPlan(try await self.plan(String(plan.id), user)))
        }
        router.post("/api/plans/{id}/close") { _, context in
            let user = try self.requireUser(context)
            let plan = try await self.close(user, plan: try WebApp.segment(context, "id"))
            return API.encode(self.apiPlan(try await self.plan(String(plan.id), user)))
        }
    }

    func apiAlert(_ a: TrackedAlert, history: [TriageEvent]?) -> API.Alert {
        let l = a.latest
        return API.Alert(
            id: l.fingerprint, rule: l.ruleID, ruleTitle: l.ruleTitle, severity: l.severity.rawValue,
            status: a.state.status.rawValue, triage: a.state.triage.rawValue, weeksOpen: a.state.weeksOpen,
            newThisWeek: AlertLifecycle.isNewThisWeek(a.state),
            subject: API.Subject(
                kind: l.subjectKind, id: l.subjectID, name: l.subjectName, classID: l.classID.isEmpty ? nil : l.classID,
                className: l.className.isEmpty ? nil : l.className, schoolID: l.schoolID, schoolName: l.schoolName),
            message: l.message, evidence: l.evidence, assignee: a.assignee, plan: a.state.coveredByPlan,
            history: history?.map {
                API.Event(at: $0.at, actor: $0.actor, kind: $0.kind.rawValue, detail: $0.detail)
            })
    }

    func apiPlan(_ p: AdoptedPlan) -> API.Plan {
        let today = today()
        return API.Plan(
            id: p.id, pupilID: p.pupilID, pupilName: p.pupilName, adoptedAt: p.adoptedAt, adoptedBy: p.adoptedBy,
            closedAt: p.closedAt, dropped: p.dropped,
            steps: p.items.map { i in
                API.Step(
                    position: i.position, action: i.action, role: i.role, responsible: i.responsible, due: i.due,
                    check: i.check, origin: i.origin.rawValue, doneOn: i.doneOn, doneBy: i.doneBy,
                    overdue: isOverdue(i, of: p, today: today))
            }, alerts: p.fingerprints)
    }

    /// The alerts in the user's scope, in force unless `status=resolved`, narrowed by the
    /// same filters as the week's list (`school`, `class`, `rule`, `severity` as a minimum,
    /// `status`, `triage`, `mine=1`, `new=1`).
    func apiAlerts(_ request: Request, _ context: WebContext) async throws -> Response {
        let user = try requireUser(context)
        let q = query(request)
        let minimum = q.text("severity").flatMap(Severity.init(rawValue:))
        let status = q.text("status").flatMap(LifecycleStatus.init(rawValue:))
        let triage = q.text("triage").flatMap(TriageState.init(rawValue:))
        for (name, parsed) in [("severity", minimum != nil), ("status", status != nil), ("triage", triage != nil)]
        where q.text(name) != nil && !parsed {
            throw WebError.invalid("Параметр \(name): значение «\(q.text(name) ?? "")» неизвестно.")
        }
        // A deputy head's alerts are their school's: read only those.
        var school = q.text("school")
        if case .school(let id) = user.scope.reach { school = id }
        let only = school
        let tracked = try await blocking { [store] in try store.trackedAlerts(schoolID: only, subjectID: nil) }
        var filter = WeekList.Filter()
        filter.classID = q.text("class")
        filter.ruleID = q.text("rule")
        filter.minSeverity = minimum
        filter.status = status
        filter.triage = triage
        filter.mine = q["mine"] == "1"
        filter.newThisWeek = q["new"] == "1"
        filter.hidesClosed = false
        let scope = user.scope
        let me = user.actor
        let selected = tracked.filter { a in
            scope.sees(a.latest) && (q.text("school").map { a.latest.schoolID == $0 } ?? true)
                && filter.matches(a, me: me)
        }
        .sorted { ($1.latest.severity, $0.latest.fingerprint) < ($0.latest.severity, $1.latest.fingerprint) }
        return API.encode(API.List(count: selected.count, items: selected.map { apiAlert($0, history: nil) }))
    }

    func apiAlert(_ context: WebContext, _ id: String) async throws -> Response {
        let user = try requireUser(context)
        let found = try await blocking { [store] () -> (TrackedAlert, [TriageEvent])? in
            guard let a = try store.tracked(id.lowercased()) else { return nil }
            return (a, try store.events(a.latest.fingerprint))
        }
        guard let (a, events) = found, user.scope.sees(a.latest) else { throw WebError.notFound }
        return API.encode(apiAlert(a, history: events))
    }

    func apiPupil(_ context: WebContext, _ pupilID: String) async throws -> Response {
        let user = try requireUser(context)
        guard let at = place(ofPupil: pupilID),
            user.scope.sees(schoolID: snapshot.schools.id[at.school], classID: snapshot.classes.id[at.klass])
        else { throw WebError.notFound }
        let (alerts, plans) = try await blocking { [store] in
            let mine = try store.trackedAlerts(schoolID: nil, subjectID: pupilID).filter {
                WebApp.inForce($0, ofPupil: pupilID)
            }
            return (try mine.map { ($0, try store.events($0.latest.fingerprint)) }, try store.plans(pupilID: pupilID))
        }
        let suggested = PlanDraft.suggested(
            suggestions.plan(pupilID: pupilID, classID: snapshot.classes.id[at.klass]), asOf: snapshot.manifest.asOf,
            today: today())
        return API.encode(
            API.Pupil(
                id: pupilID, name: snapshot.pupils.fullName[at.pupil], classID: snapshot.classes.id[at.klass],
                className: snapshot.classes.displayName(at.klass), schoolID: snapshot.schools.id[at.school],
                schoolName: snapshot.schools.name[at.school], alerts: alerts.map { apiAlert($0.0, history: $0.1) },
                plans: plans.map(apiPlan),
                suggestion: suggested.enumerated().map { k, s in
                    API.SuggestedStep(index: k, action: s.action, role: s.role, due: s.due.description, check: s.check)
                }))
    }

    /// Plans in the user's reach: in force, or every one with `closed=1`; `school` narrows.
    func apiPlans(_ request: Request, _ context: WebContext) async throws -> Response {
        let user = try requireUser(context)
        guard user.scope.reach != .accounts else { throw WebError.forbidden }
        let q = query(request)
        let all = try await blocking { [store] in try store.plans(pupilID: nil) }
        let selected = all.filter { p in
            guard sees(p, user.scope), p.isActive || q["closed"] == "1" else { return false }
            if let school = q.text("school") {
                return place(ofPupil: p.pupilID).map { snapshot.schools.id[$0.school] == school } ?? false
            }
            return true
        }
        return API.encode(API.List(count: selected.count, items: selected.map(apiPlan)))
    }

    /// Adopts a plan: `steps` name the suggestion's steps to keep (by `suggested`, with any
    /// field changed) and steps of the school's own; 201 with the plan.
    func apiAdopt(_ context: WebContext) async throws -> Response {
        let user = try requireUser(context)
        let r = try API.decode(API.AdoptRequest.self, context)
        guard r.steps.count <= PlanDraft.maximumRows else {
            throw WebError.invalid("В плане больше \(PlanDraft.maximumRows) мероприятий.")
        }
        if let at = place(ofPupil: r.pupil),
            user.scope.sees(schoolID: snapshot.schools.id[at.school], classID: snapshot.classes.id[at.klass])
        {
            let count = suggestions.plan(pupilID: r.pupil, classID: snapshot.classes.id[at.klass])?.items.count ?? 0
            if let k = r.steps.compactMap(\.suggested).first(where: { !(0..<count).contains($0) }) {
                throw WebError.invalid("Шага предложения №\(k) нет: у предложения шагов \(count).")
            }
        }
        let id: Int64
        do {
            id = try await adopt(user, pupilID: r.pupil) { suggestion, asOf, today in
                var draft = PlanDraft(suggestion: suggestion, asOf: asOf, today: today)
                draft.rows.removeAll { $0.suggested == nil }
                for k in draft.rows.indices { draft.rows[k].keep = false }
                for step in r.steps {
                    var row = step.suggested.map { draft.rows[$0] } ?? PlanDraft.Row()
                    row.keep = true
                    row.action = step.action ?? row.action
                    row.role = step.role ?? row.role
                    row.who = step.responsible ?? row.who
                    row.due = step.due ?? row.due
                    row.check = step.check ?? row.check
                    if let k = step.suggested { draft.rows[k] = row } else { draft.rows.append(row) }
                }
                return draft
            }
        } catch let mistake as DraftMistake {
            throw WebError.invalid(mistake.text)
        }
        let plan = try await plan(String(id), user)
        var response = API.encode(apiPlan(plan), status: .created)
        response.headers[.location] = "/api/plans/\(id)"
        return response
    }
}
