import Foundation
import Hummingbird
import MayakAlerts
import MayakHistory
import MayakReports
import MayakSnapshot

extension WebApp {
    // MARK: - Where a plan belongs

    /// The school and class of a plan's pupil, as the scope asks; nil when the snapshot no
    /// longer holds the pupil (then only the department reaches the plan).
    func place(ofPupil pupilID: String) -> (pupil: Int, klass: Int, school: Int)? {
        guard let p = directory.pupilByID[pupilID] else { return nil }
        let c = Int(snapshot.pupils.classIndex[p])
        return (p, c, Int(snapshot.classes.school[c]))
    }

    func sees(_ plan: AdoptedPlan, _ scope: Scope) -> Bool {
        guard let at = place(ofPupil: plan.pupilID) else { return scope.reach == .district }
        return scope.sees(schoolID: snapshot.schools.id[at.school], classID: snapshot.classes.id[at.klass])
    }

    /// Today in the server's zone: what «overdue» and «done today» mean.
    func today() -> Day {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .current
        let c = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: TimeInterval(now())))
        return Day(year: c.year ?? 1970, month: c.month ?? 1, day: c.day ?? 1) ?? snapshot.manifest.asOf
    }

    func moment() -> String {
        ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(now())))
    }

    func isOverdue(_ item: AdoptedPlan.Item, of plan: AdoptedPlan, today: Day) -> Bool {
        item.doneOn == nil && plan.isActive && (Day(item.due).map { $0 < today } ?? false)
    }

    /// «учитель математики, Петров П. П.»: the role, and the person once named.
    static func responsible(_ item: AdoptedPlan.Item) -> String {
        [item.role, item.responsible].filter { !$0.isEmpty }.joined(separator: ", ")
    }

    // MARK: - The pupil page's plan section

    /// The plan in force (steps, «выполнено» per step, printing, closing), or the adoption
    /// form over the suggestion when none is; earlier plans as links.
    func planSection(pupil p: Int, plans: [AdoptedPlan], alerts: Int, draft: PlanDraft?, error: String?) -> [String:
        Any]
    {
        let today = today()
        var data: [String: Any] = [:]
        if let plan = plans.last(where: \.isActive) {
            data["plan"] = planData(plan, today: today)
        } else if alerts > 0 {
            let pupilID = snapshot.pupils.id[p]
            let c = Int(snapshot.pupils.classIndex[p])
            let draft =
                draft
                ?? PlanDraft(
                    suggestion: suggestions.plan(pupilID: pupilID, classID: snapshot.classes.id[c]),
                    asOf: snapshot.manifest.asOf, today: today)
            let suggestedCount = draft.rows.filter { $0.suggested != nil }.count
            data["adopt"] = [
                "rowCount": draft.rows.count, "hasSuggestion": suggestedCount > 0,
                "error": error ?? false,
                "rows": draft.rows.enumerated().map { k, row -> [String: Any] in
                    [
                        "k": k, "n": k + 1, "added": row.suggested == nil, "keep": row.keep, "action": row.action,
                        "role": row.role, "who": row.who, "due": row.due, "check": row.check,
                    ]
                },
            ]
        }
        let earlier = plans.filter { !$0.isActive }.reversed().map {
            ["id": $0.id, "closedAt": Russian.moment($0.closedAt ?? "")] as [String: Any]
        }
        data["hasEarlier"] = !earlier.isEmpty
        data["earlier"] = earlier
        return data
    }

    func planData(_ plan: AdoptedPlan, today: Day) -> [String: Any] {
        let done = plan.items.filter { $0.doneOn != nil }.count
        return [
            "id": plan.id, "adoptedAt": Russian.moment(plan.adoptedAt), "adoptedBy": plan.adoptedBy,
            "active": plan.isActive, "closedAt": plan.closedAt.map { Russian.moment($0) } ?? false,
            "progress": "выполнено \(Russian.number(done)) из \(Russian.number(plan.items.count))",
            "hasDropped": !plan.dropped.isEmpty, "dropped": plan.dropped, "today": today.description,
            "items": plan.items.map { i -> [String: Any] in
                [
                    "position": i.position, "action": i.action, "responsible": WebApp.responsible(i),
                    "due": Russian.moment(i.due), "check": i.check,
                    "origin": i.origin == .suggested ? false : (i.origin == .added ? "добавлен" : "изменён"),
                    "done": i.doneOn.map { "выполнено \(Russian.moment($0)), \(i.doneBy ?? "")" } ?? false,
                    "open": i.doneOn == nil && plan.isActive, "overdue": isOverdue(i, of: plan, today: today),
                ]
            },
        ]
    }

    // MARK: - Adopting, marking done, closing

    /// A mistake in a plan as sent (a step without a deadline, …): the form comes back with it.
    struct DraftMistake: Error {
        let draft: PlanDraft
        let text: String
    }

    /// Adopts a plan over the pupil's alerts in force: `draft` builds the steps from the
    /// suggestion (the form's or the API's way). The plan's number.
    func adopt(
        _ user: SignedIn, pupilID: String, draft makeDraft: (IndividualPlan?, _ asOf: Day, _ today: Day) -> PlanDraft
    ) async throws -> Int64 {
        guard let at = place(ofPupil: pupilID),
            user.scope.sees(schoolID: snapshot.schools.id[at.school], classID: snapshot.classes.id[at.klass])
        else { throw WebError.notFound }
        let today = today()
        let suggestion = suggestions.plan(pupilID: pupilID, classID: snapshot.classes.id[at.klass])
        let draft = makeDraft(suggestion, snapshot.manifest.asOf, today)
        let (alerts, plans) = try await blocking { [store] in
            (
                try store.trackedAlerts(schoolID: nil, subjectID: pupilID).filter {
                    WebApp.inForce($0, ofPupil: pupilID)
                },
                try store.plans(pupilID: pupilID)
            )
        }
        if let open = plans.first(where: \.isActive) {
            throw WebError.invalid(
                "У ученика уже есть действующий план №\(open.id): новый можно принять, когда он закрыт.")
        }
        guard !alerts.isEmpty else {
            throw WebError.invalid("У ученика нет действующих предупреждений: плану не на что отвечать.")
        }
        let (items, dropped): ([AdoptedPlan.Item], [String])
        switch draft.items(today: today) {
        case .success(let v): (items, dropped) = v
        case .failure(let e): throw DraftMistake(draft: draft, text: e.text)
        }
        let plan = AdoptedPlan(
            id: 0, pupilID: pupilID, pupilName: snapshot.pupils.fullName[at.pupil], adoptedAt: moment(),
            adoptedBy: user.actor, closedAt: nil, items: items, fingerprints: alerts.map(\.latest.fingerprint).sorted(),
            dropped: dropped)
        do {
            return try await blocking { [store] in try store.adoptPlan(plan) }
        } catch is HistoryError {
            // Another adoption got there first (the store refuses a second plan in force).
            throw WebError.invalid("План не принят: у ученика только что появился действующий план. Обновите страницу.")
        }
    }

    /// Adopts the plan as the form has it. A form with a mistake comes back as sent, with what
    /// to correct.
    func adoptPlan(_ request: Request, _ context: WebContext) async throws -> Response {
        let user = try requireUser(context)
        let pupilID = context.form.text("pupil") ?? ""
        do {
            let id = try await adopt(user, pupilID: pupilID) { suggestion, asOf, today in
                PlanDraft(form: context.form, suggestion: suggestion, asOf: asOf, today: today)
            }
            return Response.redirect(
                to: "/pupils/\(WebApp.encoded(pupilID))?saved=adopted&plan=\(id)", type: .normal)
        } catch let mistake as DraftMistake {
            return try await pupilPage(
                request, context, pupilID, draft: mistake.draft, error: mistake.text, status: .badRequest)
        }
    }

    static func inForce(_ a: TrackedAlert, ofPupil pupilID: String) -> Bool {
        a.latest.subjectKind == "pupil" && a.latest.subjectID == pupilID && a.state.status != .resolved
    }

    /// The plan of an address, when the user's scope reaches it.
    func plan(_ idText: String, _ user: SignedIn) async throws -> AdoptedPlan {
        guard let id = Int64(idText), id > 0,
            let plan = try await blocking({ [store] in try store.plan(id: id) }),
            sees(plan, user.scope)
        else { throw WebError.notFound }
        return plan
    }

    /// Marks a step done on `onText` (default today; not in the future), once, on a plan in
    /// force. The plan and the step's number.
    func markDone(_ user: SignedIn, plan idText: String, step stepText: String, on onText: String?) async throws -> (
        AdoptedPlan, Int
    ) {
        let plan = try await plan(idText, user)
        guard let position = Int(stepText), let item = plan.items.first(where: { $0.position == position }) else {
            throw WebError.notFound
        }
        let today = today()
        var on = today
        if let text = onText {
            guard let d = Day(text) else { throw WebError.invalid("Дата выполнения «\(text)» — не дата (ДД.ММ.ГГГГ).") }
            guard d <= today else { throw WebError.invalid("Дата выполнения \(d.russian) ещё не наступила.") }
            on = d
        }
        guard plan.isActive else { throw WebError.invalid("План №\(plan.id) закрыт: его пункты больше не меняются.") }
        if let done = item.doneOn {
            throw WebError.invalid(
                "Пункт \(position) плана №\(plan.id) уже отмечен выполненным \(Russian.moment(done))\(item.doneBy.map { ", \($0)" } ?? "")."
            )
        }
        let (actor, at, day) = (user.actor, moment(), on.description)
        do {
            try await blocking { [store] in
                try store.markDone(planID: plan.id, position: position, on: day, by: actor, at: at)
            }
        } catch is HistoryError {
            throw WebError.invalid("Пункт не отмечен: план только что изменился. Обновите страницу.")
        }
        return (plan, position)
    }

    func markStepDone(_ context: WebContext, plan idText: String, step stepText: String) async throws -> Response {
        let (plan, position) = try await markDone(
            try requireUser(context), plan: idText, step: stepText, on: context.form.text("on"))
        return Response.redirect(
            to: "/pupils/\(WebApp.encoded(plan.pupilID))?saved=step&plan=\(plan.id)&step=\(position)", type: .normal)
    }

    /// Closes a plan in force.
    func close(_ user: SignedIn, plan idText: String) async throws -> AdoptedPlan {
        let plan = try await plan(idText, user)
        guard plan.isActive else { throw WebError.invalid("План №\(plan.id) уже закрыт.") }
        let (actor, at) = (user.actor, moment())
        do {
            try await blocking { [store] in try store.closePlan(planID: plan.id, at: at, by: actor) }
        } catch is HistoryError {
            throw WebError.invalid("План №\(plan.id) уже закрыт.")
        }
        return plan
    }

    func closePlan(_ context: WebContext, plan idText: String) async throws -> Response {
        let plan = try await close(try requireUser(context), plan: idText)
        return Response.redirect(
            to: "/pupils/\(WebApp.encoded(plan.pupilID))?saved=closed&plan=\(plan.id)", type: .normal)
    }

    /// «План №5 принят.» and the like, after a plan's change (named in the address).
    func planNotice(_ q: Form) -> String? {
        guard let id = q["plan"].flatMap(Int64.init) else { return nil }
        switch q["saved"] {
        case "adopted": return "План №\(id) принят."
        case "step": return q["step"].flatMap(Int.init).map { "План №\(id): пункт \($0) отмечен выполненным." }
        case "closed": return "План №\(id) закрыт."
        default: return nil
        }
    }

    // MARK: - One plan, printable

    /// The adopted plan as its printable form (ИОМ), with the names of those responsible and
    /// what is done.
    func planPage(_ context: WebContext, plan idText: String) async throws -> Response {
        let user = try requireUser(context)
        let plan = try await plan(idText, user)
        let gaps = try await blocking { [store] in
            try plan.fingerprints.compactMap { try store.tracked($0)?.latest.message }
        }
        let from = Day(String(plan.adoptedAt.prefix(10))) ?? snapshot.manifest.asOf
        let lastDue = plan.items.compactMap { Day($0.due) }.max() ?? from
        var goals: [String] = []
        for item in plan.items where !goals.contains(item.check) && item.check != "—" { goals.append(item.check) }
        let at = place(ofPupil: plan.pupilID)
        let form = PlanForm(
            title: "Индивидуальный образовательный маршрут № \(plan.id)", pupil: plan.pupilName,
            className: at.map { snapshot.classes.displayName($0.klass) } ?? "—",
            school: at.map { snapshot.schools.name[$0.school] } ?? "—",
            classTeacher: at.map { snapshot.classes.classTeacher[$0.klass] }.flatMap { $0.isEmpty ? nil : $0 }
                ?? "не указан",
            from: from, review: max(from + 30, lastDue + 7), gaps: gaps, goals: goals,
            steps: plan.items.map { i in
                PlanForm.Step(
                    action: i.action, responsible: WebApp.responsible(i), due: Day(i.due) ?? from, check: i.check,
                    done: i.doneOn.map { "выполнено \(Russian.moment($0))" } ?? "")
            })
        let data: [String: Any] = [
            "form": ReportSite.planFormHTML(form), "pupilID": plan.pupilID, "pupilName": plan.pupilName,
            "status": plan.closedAt.map { "закрыт \(Russian.moment($0))" } ?? "действует",
            "adopted": "принят \(Russian.moment(plan.adoptedAt)), \(plan.adoptedBy)",
        ]
        return page("planPage", data, title: "План №\(plan.id)", context: context)
    }

    // MARK: - Plans of a class, a school, the district

    /// Plans in force within the user's reach: the overdue steps by the person (or role) who
    /// answers for them, and each plan's progress. The department picks a school.
    func plansPage(_ request: Request, _ context: WebContext) async throws -> Response {
        let user = try requireUser(context)
        guard user.scope.reach != .accounts else { throw WebError.forbidden }
        let q = query(request)
        let today = today()
        let all = try await blocking { [store] in try store.plans(pupilID: nil) }
        var inReach = all.filter { $0.isActive && sees($0, user.scope) }
        var schoolID: String?
        if case .school(let id) = user.scope.reach { schoolID = id }
        if user.scope.reach == .district, let id = q.text("school"), directory.schoolByID[id] != nil { schoolID = id }
        var data: [String: Any] = ["district": user.scope.reach == .district]
        if user.scope.reach == .district {
            // Every school's count, the chosen school's detail.
            var bySchool: [String: (plans: Int, overdue: Int)] = [:]
            for plan in inReach {
                let id = place(ofPupil: plan.pupilID).map { snapshot.schools.id[$0.school] } ?? ""
                bySchool[id, default: (0, 0)].plans += 1
                bySchool[id, default: (0, 0)].overdue +=
                    plan.items.filter { isOverdue($0, of: plan, today: today) }
                    .count
            }
            data["schools"] = (0..<snapshot.schools.count).map { sc -> [String: Any] in
                let id = snapshot.schools.id[sc]
                let n = bySchool[id] ?? (0, 0)
                return [
                    "id": id, "name": snapshot.schools.name[sc], "plans": Russian.number(n.plans),
                    "overdue": Russian.number(n.overdue), "selected": id == schoolID,
                ]
            }
            inReach = inReach.filter { p in
                schoolID.map { id in place(ofPupil: p.pupilID).map { snapshot.schools.id[$0.school] == id } ?? false }
                    ?? false
            }
        }
        let person = q.text("person")
        var overdue: [(who: String, plan: AdoptedPlan, item: AdoptedPlan.Item)] = []
        for plan in inReach {
            for item in plan.items where isOverdue(item, of: plan, today: today) {
                overdue.append((item.responsible.isEmpty ? item.role : item.responsible, plan, item))
            }
        }
        let people = Set(overdue.map(\.who)).sorted()
        if let person { overdue = overdue.filter { $0.who == person } }
        let groups = Dictionary(grouping: overdue, by: \.who).sorted { $0.key < $1.key }.map {
            who, steps -> [String: Any] in
            [
                "who": who, "count": Russian.number(steps.count),
                "steps": steps.sorted { ($0.item.due, $0.plan.pupilName) < ($1.item.due, $1.plan.pupilName) }.map {
                    s -> [String: Any] in
                    let late = Day(s.item.due).map { today - $0 } ?? 0
                    return [
                        "planID": s.plan.id, "pupilID": s.plan.pupilID, "pupil": s.plan.pupilName,
                        "className": place(ofPupil: s.plan.pupilID).map { snapshot.classes.displayName($0.klass) }
                            ?? "—",
                        "position": s.item.position, "action": s.item.action, "due": Russian.moment(s.item.due),
                        "late": "\(Russian.number(late)) \(Russian.plural(late, "день", "дня", "дней"))",
                    ]
                },
            ]
        }
        let plans = inReach.sorted { $0.pupilName < $1.pupilName }.map { plan -> [String: Any] in
            let done = plan.items.filter { $0.doneOn != nil }.count
            let late = plan.items.filter { isOverdue($0, of: plan, today: today) }.count
            return [
                "id": plan.id, "pupilID": plan.pupilID, "pupil": plan.pupilName,
                "className": place(ofPupil: plan.pupilID).map { snapshot.classes.displayName($0.klass) } ?? "—",
                "adoptedAt": Russian.moment(plan.adoptedAt),
                "progress": "\(Russian.number(done)) из \(Russian.number(plan.items.count))",
                "overdue": late > 0 ? Russian.number(late) : "",
            ]
        }
        data["showDetail"] = user.scope.reach != .district || schoolID != nil
        data["schoolID"] = schoolID ?? ""
        data["people"] = people.map { ["value": $0, "label": $0, "selected": $0 == person] }
        data["hasOverdue"] = !groups.isEmpty
        data["groups"] = groups
        data["overdueCount"] = Russian.number(overdue.count)
        data["hasPlans"] = !plans.isEmpty
        data["plans"] = plans
        data["planCount"] = Russian.number(plans.count)
        data["today"] = today.russian
        return page("plans", data, title: "Планы", context: context)
    }
}
