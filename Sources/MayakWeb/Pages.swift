import Foundation
import Hummingbird
import MayakEngine
import MayakHistory
import MayakReports
import MayakRules
import MayakSnapshot

extension WebApp {
    // MARK: - The week's list

    /// Pupils on one page of a list: a week's work for a class, a screenful of a school.
    static let pageSize = 50

    /// «Мой класс» or «Моя школа»: the pupils with alerts in force, ranked by need, with the
    /// counts, filters (from the address), the name search (sent by POST, so a name never
    /// appears in an address) and bulk triage.
    func listPage(_ request: Request, _ context: WebContext, school: String?, classID: String?) async throws
        -> Response
    {
        let user = try requireUser(context)
        let schoolID: String
        let heading: String
        if let classID {
            guard let c = directory.classByID[classID] else { throw WebError.notFound }
            schoolID = snapshot.schools.id[Int(snapshot.classes.school[c])]
            guard user.scope.sees(schoolID: schoolID, classID: classID) else { throw WebError.notFound }
            heading =
                "\(snapshot.classes.displayName(c)) класс, \(snapshot.schools.name[Int(snapshot.classes.school[c])])"
        } else {
            guard let id = school, let sc = directory.schoolByID[id], user.scope.seesSchool(id) else {
                throw WebError.notFound
            }
            schoolID = id
            heading = snapshot.schools.name[sc]
        }
        let q = query(request)
        var filter = WeekList.Filter()
        filter.classID = classID == nil ? q.text("class") : nil
        filter.ruleID = q.text("rule")
        filter.minSeverity = q.text("severity").flatMap(Severity.init(rawValue:))
        filter.status = q.text("status").flatMap(LifecycleStatus.init(rawValue:))
        filter.triage = q.text("triage").flatMap(TriageState.init(rawValue:))
        filter.mine = q["mine"] == "1"
        filter.newThisWeek = q["new"] == "1"
        filter.sort = q.text("sort").flatMap(WeekList.Sort.init(rawValue:)) ?? .need
        filter.name = String((context.form.text("q") ?? "").prefix(100))
        let (tracked, runs) = try await blocking { [store] in
            (try store.trackedAlerts(schoolID: schoolID, subjectID: nil), try store.runs())
        }
        let scope = user.scope
        let list = WeekList(
            tracked: tracked,
            inScope: { a in
                scope.sees(a) && a.schoolID == schoolID && (classID == nil || a.classID == classID)
            }, latestRun: runs.last?.id, filter: filter, me: user.actor)
        let path = request.uri.path
        let selfLink = path + (request.uri.query.map { "?" + $0 } ?? "")
        func link(_ extra: [(String, String)]) -> String { path + "?" + Form.encode(extra) }
        func options(_ values: [(String, String)], _ selected: String?) -> [[String: Any]] {
            values.map { ["value": $0.0, "label": $0.1, "selected": $0.0 == selected] }
        }
        let sc = directory.schoolByID[schoolID]!
        var classOptions: [(String, String)] = []
        if classID == nil {
            classOptions = index.schoolClasses[sc].map {
                (snapshot.classes.id[Int($0)], snapshot.classes.displayName(Int($0)))
            }
        }
        // Pages of `pageSize` pupils (a name search shows every match: they are few and the
        // name is never in an address).
        let pages = filter.name.isEmpty ? max(1, (list.rows.count + WebApp.pageSize - 1) / WebApp.pageSize) : 1
        let pageNumber = min(max(1, q["page"].flatMap { Int($0) } ?? 1), pages)
        let shown =
            filter.name.isEmpty
            ? list.rows[
                min(
                    list.rows.count, (pageNumber - 1) * WebApp.pageSize)..<min(
                        list.rows.count, pageNumber * WebApp.pageSize)] : list.rows[...]
        let keptPairs = q.pairs.filter { $0.name != "page" && $0.name != "done" && $0.name != "action" }
        func pageLink(_ n: Int) -> String {
            path + "?" + Form.encode(keptPairs.map { ($0.name, $0.value) } + (n > 1 ? [("page", String(n))] : []))
        }
        let rows: [[String: Any]] = shown.map { r in
            [
                "pupilID": r.pupilID, "name": r.name, "classID": r.classID, "className": r.className,
                "severity": r.severity.rawValue, "severityText": r.severity.russian, "isNew": r.isNew,
                "weeksText": "\(r.weeks) нед.",
                "alerts": r.alerts.map { a -> [String: Any] in
                    [
                        "id": a.latest.fingerprint, "title": a.latest.ruleTitle, "message": a.latest.message,
                        "status": a.statusText,
                    ]
                },
            ]
        }
        let groups: [[String: Any]] = list.groupAlerts.map { a in
            [
                "id": a.latest.fingerprint, "title": a.latest.ruleTitle, "message": a.latest.message,
                "className": a.latest.className, "severity": a.latest.severity.rawValue,
                "severityText": a.latest.severity.russian, "status": a.statusText,
            ]
        }
        let data: [String: Any] = [
            "heading": heading, "path": path, "selfLink": selfLink, "csrf": user.session.csrf,
            "newCount": Russian.number(list.newCount), "persistingCount": Russian.number(list.persistingCount),
            "resolvedCount": Russian.number(list.resolvedCount), "pupilCount": Russian.number(list.rows.count),
            "pupilWord": Russian.plural(list.rows.count, "ученик", "ученика", "учеников"),
            "newLink": link([("new", "1")]),
            "hasRules": !list.byRule.isEmpty,
            "byRule": list.byRule.map {
                ["href": link([("rule", $0.id)]), "title": $0.title, "count": Russian.number($0.count)]
            },
            "hasClasses": classID == nil && !list.byClass.isEmpty,
            "byClass": list.byClass.map {
                ["href": "/classes/\($0.id)", "name": $0.name, "count": Russian.number($0.count)]
            },
            "hasClassOptions": !classOptions.isEmpty, "classOptions": options(classOptions, filter.classID),
            "ruleOptions": options(list.byRule.map { ($0.id, $0.title) }, filter.ruleID),
            "severityOptions": options(
                Severity.allCases.reversed().map { ($0.rawValue, $0.russian) }, filter.minSeverity?.rawValue),
            "statusOptions": options(
                LifecycleStatus.allCases.map { ($0.rawValue, $0.russian) }, filter.status?.rawValue),
            "triageOptions": options(TriageState.allCases.map { ($0.rawValue, $0.russian) }, filter.triage?.rawValue),
            "sortOptions": options(WeekList.Sort.allCases.map { ($0.rawValue, $0.russian) }, filter.sort.rawValue),
            "mine": filter.mine, "newOnly": filter.newThisWeek, "query": filter.name,
            "showClass": classID == nil, "hasRows": !list.rows.isEmpty, "rows": rows,
            "paged": pages > 1,
            "pageText": "Страница \(Russian.number(pageNumber)) из \(Russian.number(pages)): ученики "
                + "\(Russian.number(shown.startIndex + 1))–\(Russian.number(shown.endIndex)) из "
                + Russian.number(list.rows.count),
            "pageLinks": (1...pages).map { n -> [String: Any] in
                ["href": pageLink(n), "number": Russian.number(n), "current": n == pageNumber]
            },
            "previous": pageNumber > 1 ? pageLink(pageNumber - 1) : false as Any,
            "next": pageNumber < pages ? pageLink(pageNumber + 1) : false as Any,
            "hasGroups": !groups.isEmpty, "groups": groups,
            "staffList": directory.staffListBySchool[sc],
            "emptyText": filter.name.isEmpty
                ? "По выбранным условиям учеников нет." : "Учеников с такой фамилией в списке нет.",
        ]
        return page("list", data, title: heading, context: context, notice: doneNotice(q))
    }

    /// «Готово: …» after a triage action (the action and count come back in the address).
    func doneNotice(_ q: Form) -> String? {
        guard let n = q["done"].flatMap(Int.init), n > 0, let kind = q["action"].flatMap(TriageEvent.Kind.init)
        else { return nil }
        return
            "Готово: \(kind.russian) — \(Russian.number(n)) \(Russian.plural(n, "предупреждение", "предупреждения", "предупреждений"))."
    }

    // MARK: - A pupil

    func pupilPage(
        _ request: Request, _ context: WebContext, _ pupilID: String, draft: PlanDraft? = nil, error: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let user = try requireUser(context)
        guard let p = directory.pupilByID[pupilID] else { throw WebError.notFound }
        let c = Int(snapshot.pupils.classIndex[p])
        let sc = Int(snapshot.classes.school[c])
        let schoolID = snapshot.schools.id[sc]
        guard user.scope.sees(schoolID: schoolID, classID: snapshot.classes.id[c]) else { throw WebError.notFound }
        let (alerts, plans) = try await blocking { [store] in
            let mine = try store.trackedAlerts(schoolID: nil, subjectID: pupilID).filter {
                WebApp.inForce($0, ofPupil: pupilID)
            }
            .sorted { ($1.latest.severity, $0.latest.ruleID) < ($0.latest.severity, $1.latest.ruleID) }
            let events = try mine.map { try store.events($0.latest.fingerprint) }
            return (Array(zip(mine, events)), try store.plans(pupilID: pupilID))
        }
        let name = snapshot.pupils.fullName[p]
        var data: [String: Any] = [
            "name": name, "pupilID": pupilID, "classID": snapshot.classes.id[c],
            "className": snapshot.classes.displayName(c), "schoolName": snapshot.schools.name[sc],
            "csrf": user.session.csrf, "hasAlerts": !alerts.isEmpty,
            "alerts": alerts.map { alertData($0.0, events: $0.1, selectable: true) },
            "staffList": directory.staffListBySchool[sc],
            "attendance": attendanceText(p), "timelines": ReportSite.timelinesHTML(snapshot, index, pupil: p),
        ]
        if user.scope.seesSchool(schoolID) { data["schoolLink"] = "/schools/\(schoolID)" }
        let vpr = vprRows(p)
        data["hasVPR"] = !vpr.isEmpty
        data["vpr"] = vpr
        for (k, v) in planSection(pupil: p, plans: plans, alerts: alerts.count, draft: draft, error: error) {
            data[k] = v
        }
        let q = query(request)
        return page(
            "pupil", data, title: name, context: context, notice: error == nil ? planNotice(q) ?? doneNotice(q) : nil,
            status: status)
    }

    func alertData(_ a: TrackedAlert, events: [TriageEvent], selectable: Bool) -> [String: Any] {
        [
            "id": a.latest.fingerprint, "title": a.latest.ruleTitle, "message": a.latest.message,
            "evidence": a.latest.evidence, "severity": a.latest.severity.rawValue,
            "severityText": a.latest.severity.russian, "status": a.statusText, "selectable": selectable,
            "hasEvents": !events.isEmpty,
            "events": events.map { e -> [String: Any] in
                [
                    "at": Russian.moment(e.at), "actor": e.actor, "kind": e.kind.russian,
                    "detail": e.detail.isEmpty ? false as Any : e.detail,
                ]
            },
        ]
    }

    /// The pupil's absences this year in words: «Пропущено уроков: 14 (по болезни — 10, …)».
    func attendanceText(_ p: Int) -> String {
        var byCode: [AttendanceCode: Int] = [:]
        var lessons = 0
        for r in index.absences(ofPupil: Int32(p)) {
            guard let code = AttendanceCode(rawValue: snapshot.attendance.code[Int(r)]), code.isAbsence else {
                continue
            }
            byCode[code, default: 0] += 1
            lessons += 1
        }
        guard lessons > 0 else { return "Пропусков нет." }
        let parts: [(AttendanceCode, String)] = [
            (.ill, "по болезни"), (.excused, "по уважительной причине"), (.absent, "без отметки причины"),
            (.truancy, "прогулы"),
        ]
        let detail = parts.compactMap { code, words in byCode[code].map { "\(words) — \(Russian.number($0))" } }
        return "Пропусков: \(Russian.number(lessons)) (\(detail.joined(separator: ", ")))."
    }

    func vprRows(_ p: Int) -> [[String: Any]] {
        let v = snapshot.vprResults
        return index.vpr(ofPupil: Int32(p)).map { r -> [String: Any] in
            let i = Int(r)
            return [
                "year": String(v.year[i]), "grade": String(v.grade[i]), "subject": snapshot.subjects[v.subject[i]],
                "score":
                    "\(Russian.fixed(Double(v.score[i]), places: 0)) из \(Russian.fixed(Double(v.maxScore[i]), places: 0))",
                "mark": v.mark[i] == 0 ? "—" : String(v.mark[i]),
                "journal": v.journalMark[i] == 0 ? "—" : String(v.journalMark[i]),
            ]
        }.sorted {
            ($0["year"] as! String, $0["subject"] as! String) < ($1["year"] as! String, $1["subject"] as! String)
        }
    }

    // MARK: - One alert

    func alertPage(_ request: Request, _ context: WebContext, _ id: String) async throws -> Response {
        let user = try requireUser(context)
        let found = try await blocking { [store] () -> (TrackedAlert, [TriageEvent])? in
            guard let a = try store.tracked(id.lowercased()) else { return nil }
            return (a, try store.events(a.latest.fingerprint))
        }
        guard let (a, events) = found, user.scope.sees(a.latest) else { throw WebError.notFound }
        var data: [String: Any] = [
            "alert": alertData(a, events: events, selectable: false), "csrf": user.session.csrf,
            "subjectName": a.latest.subjectKind == "pupil" ? a.latest.subjectName : a.latest.schoolName,
            "staffList": directory.schoolByID[a.latest.schoolID].map { directory.staffListBySchool[$0] } ?? "",
        ]
        if a.latest.subjectKind == "pupil" {
            data["subjectLink"] = "/pupils/\(a.latest.subjectID)"
        } else if !a.latest.classID.isEmpty {
            data["subjectLink"] = "/classes/\(a.latest.classID)"
            data["subjectName"] = "\(a.latest.className) класс, \(a.latest.schoolName)"
        } else if user.scope.seesSchool(a.latest.schoolID) {
            data["subjectLink"] = "/schools/\(a.latest.schoolID)"
        }
        return page("alertPage", data, title: a.latest.ruleTitle, context: context, notice: doneNotice(query(request)))
    }

    // MARK: - Triage

    /// Staff's own triage actions (plan events come from plans, not from here).
    static let triageKinds: Set<TriageEvent.Kind> = [.acknowledge, .assign, .comment, .dismiss, .resolve, .reopen]

    /// One action on every alert named: all in the user's scope or nothing changes (404).
    /// The number of alerts changed.
    func applyTriage(_ user: SignedIn, ids named: [String], action: String?, detail given: String) async throws -> (
        Int, TriageEvent.Kind
    ) {
        let ids = named.map { $0.lowercased() }
        guard let kind = action.flatMap(TriageEvent.Kind.init), WebApp.triageKinds.contains(kind) else {
            throw WebError.invalid("Не выбрано действие.")
        }
        guard !ids.isEmpty else { throw WebError.invalid("Не отмечено ни одного предупреждения.") }
        guard ids.count <= 1000 else { throw WebError.invalid("За один раз — не больше 1 000 предупреждений.") }
        let detail = String(given.trimmingCharacters(in: .whitespacesAndNewlines).prefix(500))
        switch kind {
        case .assign where detail.isEmpty: throw WebError.invalid("Укажите, кому назначить.")
        case .dismiss where detail.isEmpty:
            throw WebError.invalid("Укажите причину, по которой предупреждение отклонено.")
        case .comment where detail.isEmpty: throw WebError.invalid("Комментарий пуст.")
        default: break
        }
        let at = moment()
        let scope = user.scope
        let actor = user.actor
        let done = try await blocking { [store] () -> Int? in
            var alerts: [TrackedAlert] = []
            for id in Set(ids) {
                guard let a = try store.tracked(id), scope.sees(a.latest) else { return nil }
                alerts.append(a)
            }
            for a in alerts {
                try store.triage(
                    TriageEvent(fingerprint: a.latest.fingerprint, at: at, actor: actor, kind: kind, detail: detail),
                    observation: nil)
            }
            return alerts.count
        }
        guard let done else { throw WebError.notFound }
        return (done, kind)
    }

    /// One action on every alert chosen (`id`, repeated): all in scope or nothing changes.
    func triage(_ request: Request, _ context: WebContext) async throws -> Response {
        let user = try requireUser(context)
        let form = context.form
        let (done, kind) = try await applyTriage(
            user, ids: form.all("id"), action: form["action"], detail: form.text("detail") ?? "")
        var back = form["back"] ?? "/"
        // Only a path of this site: never elsewhere (an open redirect).
        if !back.hasPrefix("/") || back.hasPrefix("//") || back.contains("\\") { back = "/" }
        let cleaned = back.split(separator: "?", maxSplits: 1)
        var pairs =
            cleaned.count > 1 ? Form(String(cleaned[1])).pairs.filter { $0.name != "done" && $0.name != "action" } : []
        pairs.append(("done", String(done)))
        pairs.append(("action", kind.rawValue))
        return Response.redirect(
            to: String(cleaned[0]) + "?" + Form.encode(pairs.map { ($0.name, $0.value) }), type: .normal)
    }

    // MARK: - The district

    /// «Округ»: the district's figures of the latest finished period (as the report gives
    /// them, live), the alerts of every run by severity (the trend), and the schools ranked by
    /// their pupils of high and critical need, each with its figures.
    func districtPage(_ request: Request, _ context: WebContext) async throws -> Response {
        let user = try requireUser(context)
        guard user.scope.reach == .district else { throw WebError.forbidden }
        let (tracked, runs, counts) = try await blocking { [store] in
            (try store.trackedAlerts(), try store.runs(), try store.alertCountsByRun())
        }
        var rows: [(sc: Int, pupils: Int, new: Int, high: Int)] = []
        var current: [String: [TrackedAlert]] = [:]
        for a in tracked where a.state.status != .resolved { current[a.latest.schoolID, default: []].append(a) }
        for sc in 0..<snapshot.schools.count {
            let alerts = current[snapshot.schools.id[sc]] ?? []
            let pupils = Set(alerts.filter { $0.latest.subjectKind == "pupil" }.map(\.latest.subjectID))
            rows.append(
                (
                    sc, pupils.count, alerts.filter { AlertLifecycle.isNewThisWeek($0.state) }.count,
                    alerts.filter { $0.latest.severity >= .high }.count
                ))
        }
        rows.sort {
            ($1.high, $1.pupils, snapshot.schools.name[$0.sc]) < ($0.high, $0.pupils, snapshot.schools.name[$1.sc])
        }
        func percent(_ v: Double?) -> String { v.map { Russian.fixed($0, places: 1) } ?? "—" }
        let byID = Dictionary(summary.schools.map { ($0.id, $0.figures) }, uniquingKeysWith: { a, _ in a })
        let t = summary.total
        let periods = summary.periodNames.joined(separator: ", ")
        let data: [String: Any] = [
            "district": snapshot.manifest.district,
            "figures": periods.isEmpty
                ? "Ни один период этого учебного года ещё не завершён: итогов нет."
                : "Итоги периода (\(periods)): успеваемость \(percent(t.successRate)) %, качество знаний "
                    + "\(percent(t.qualityRate)) %, СОУ \(percent(t.degreeOfLearning)) %; неуспевающих — "
                    + "\(Russian.number(t.failing)) из \(Russian.number(t.assessed)) аттестованных.",
            "hasRuns": !runs.isEmpty,
            "runs": runs.suffix(12).reversed().map { r -> [String: Any] in
                let c = counts[r.id] ?? [:]
                return [
                    "id": Russian.number(Int(r.id)), "asOf": Russian.moment(r.asOf), "at": Russian.moment(r.recordedAt),
                    "critical": Russian.number(c[.critical] ?? 0), "high": Russian.number(c[.high] ?? 0),
                    "medium": Russian.number(c[.medium] ?? 0), "all": Russian.number(c.values.reduce(0, +)),
                ]
            },
            "schools": rows.map { r -> [String: Any] in
                let id = snapshot.schools.id[r.sc]
                let f = byID[id]
                return [
                    "id": id, "name": snapshot.schools.name[r.sc], "pupils": Russian.number(r.pupils),
                    "newCount": Russian.number(r.new), "high": Russian.number(r.high),
                    "success": percent(f?.successRate), "quality": percent(f?.qualityRate),
                    "failing": f.map { Russian.number($0.failing) } ?? "—",
                ]
            },
        ]
        return page("district", data, title: "Округ", context: context)
    }
}
