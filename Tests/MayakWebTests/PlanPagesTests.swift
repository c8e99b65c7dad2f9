import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MayakHistory
import MayakSnapshot
import Testing

@testable import MayakWeb

/// Individual plans in the browser: adopting the suggestion with edits, marking steps done,
/// closing, the printable form, the lists of overdue steps; each within the user's scope.
@Suite struct PlanPagesTests {
    typealias Browser = WebAppTests.Browser

    static func body(_ r: TestResponse) -> String { String(buffer: r.body) }

    /// The adoption form's fields as the page fills them, so a test edits what a user sees.
    static func adoptionFields(_ html: String) throws -> [(String, String)] {
        let start = try #require(html.range(of: "<form method=\"post\" action=\"/plans\" class=\"adopt\">"))
        let end = try #require(html.range(of: "</form>", range: start.upperBound..<html.endIndex))
        let form = String(html[start.upperBound..<end.lowerBound])
        var fields: [(String, String)] = []
        func attribute(_ tag: Substring, _ name: String) -> String? {
            guard let r = tag.range(of: " \(name)=\"") else { return nil }
            return String(tag[r.upperBound...].prefix { $0 != "\"" })
        }
        func unescape(_ s: String) -> String {
            s.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&lt;", with: "<")
                .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&#39;", with: "'")
                .replacingOccurrences(of: "&amp;", with: "&")
        }
        for part in form.components(separatedBy: "<").dropFirst() {
            let tag = Substring(part)
            if tag.hasPrefix("input "), let name = attribute(tag, "name") {
                if attribute(tag, "type") == "checkbox" {
                    if tag.contains(" checked") { fields.append((name, attribute(tag, "value") ?? "on")) }
                } else {
                    fields.append((name, unescape(attribute(tag, "value") ?? "")))
                }
            } else if tag.hasPrefix("textarea "), let name = attribute(tag, "name") {
                let text = tag[(tag.firstIndex(of: ">").map { tag.index(after: $0) } ?? tag.endIndex)...]
                fields.append((name, unescape(String(text))))
            }
        }
        return fields
    }

    static func set(_ fields: inout [(String, String)], _ name: String, _ value: String?) {
        fields.removeAll { $0.0 == name }
        if let value { fields.append((name, value)) }
    }

    @Test func aTeacherAdoptsTheSuggestionWithOneStepDroppedAndOneAdded() async throws {
        let w = try WebAppTests.world()
        try await WebAppTests.browse(w) { b in
            _ = try await b.signIn("teacher")
            let page = Self.body(try await b.get("/pupils/P01"))
            #expect(page.contains("Маяк предлагает мероприятия"))
            var fields = try Self.adoptionFields(page)
            let suggested = fields.filter { $0.0.hasPrefix("keep_") }.count
            try #require(suggested >= 2)
            let firstAction = try #require(fields.first { $0.0 == "action_0" }?.1)
            let secondAction = try #require(fields.first { $0.0 == "action_1" }?.1)
            Self.set(&fields, "keep_0", nil)  // dropped
            Self.set(&fields, "who_1", "Учителева Анна Петровна")  // named, not changed
            let k = suggested  // the first blank row
            Self.set(&fields, "action_\(k)", "Встреча с родителями о режиме дня")
            Self.set(&fields, "role_\(k)", "классный руководитель")
            Self.set(&fields, "who_\(k)", "Учителева Анна Петровна")
            Self.set(&fields, "due_\(k)", "20.03.2026")
            Self.set(&fields, "check_\(k)", "Протокол встречи")
            let r = try await b.post("/plans", fields)
            #expect(r.status == .seeOther)
            let location = try #require(r.headers[.location])
            #expect(location.hasPrefix("/pupils/P01?saved=adopted&plan="))

            let plan = try #require(try w.store.plans(pupilID: "P01").first)
            #expect(plan.isActive && plan.adoptedBy == "Сотрудник teacher (teacher)")
            #expect(plan.dropped == [firstAction])
            #expect(plan.items.count == suggested)  // one out, one in
            #expect(plan.items.first?.action == secondAction)
            #expect(plan.items.first?.responsible == "Учителева Анна Петровна")
            #expect(plan.items.first?.origin == .suggested)
            let added = try #require(plan.items.last)
            #expect(added.origin == .added && added.due == "2026-03-20" && added.check == "Протокол встречи")
            #expect(plan.fingerprints == ["a000000000000001"])
            let event = try #require(try w.store.events("a000000000000001").last)
            #expect(event.kind == .planAdopted && event.actor == "Сотрудник teacher (teacher)")
            #expect(event.detail == "план №\(plan.id) (исключено пунктов: 1, добавлено: 1)")
            #expect(try w.store.tracked("a000000000000001")?.state.coveredByPlan == plan.id)

            let after = Self.body(try await b.get(location))
            #expect(after.contains("План №\(plan.id) принят."))
            #expect(after.contains("Встреча с родителями о режиме дня"))
            #expect(after.contains("классный руководитель, Учителева Анна Петровна"))
            #expect(after.contains("Исключено из предложенного: «\(firstAction.htmlEscaped)»"))
            #expect(!after.contains("class=\"adopt\""))  // one plan in force: no second form

            // A second adoption (another tab) is refused and keeps the one plan.
            let again = try await b.post("/plans", fields)
            #expect(again.status == .badRequest)
            #expect(Self.body(again).contains("уже есть действующий план №\(plan.id)"))
            #expect(try w.store.plans(pupilID: "P01").count == 1)
        }
    }

    @Test func aFormWithAMistakeComesBackAsTypedWithWhatToCorrect() async throws {
        let w = try WebAppTests.world()
        try await WebAppTests.browse(w) { b in
            _ = try await b.signIn("teacher")
            var fields = try Self.adoptionFields(Self.body(try await b.get("/pupils/P01")))
            let k = fields.filter { $0.0.hasPrefix("keep_") }.count
            Self.set(&fields, "action_\(k)", "Занятия «после уроков» <b>")
            Self.set(&fields, "role_\(k)", "учитель")
            Self.set(&fields, "due_\(k)", "31.02.2026")
            let r = try await b.post("/plans", fields)
            #expect(r.status == .badRequest)
            let html = Self.body(r)
            #expect(html.contains("Пункт \(k + 1): срок «31.02.2026» — не дата (ДД.ММ.ГГГГ)."))
            #expect(html.contains("Занятия «после уроков» &lt;b&gt;</textarea>"))
            #expect(html.contains(">учитель</textarea>"))
            #expect(try w.store.plans(pupilID: "P01").isEmpty)
            Self.set(&fields, "due_\(k)", "12.03.2026")  // yesterday
            let past = try await b.post("/plans", fields)
            #expect(past.status == .badRequest)
            #expect(Self.body(past).contains("Пункт \(k + 1): срок 12.03.2026 уже прошёл."))
            // Every suggested step left out and nothing added: no plan.
            var none = fields.filter { !$0.0.hasPrefix("keep_") }
            Self.set(&none, "action_\(k)", "")
            Self.set(&none, "role_\(k)", "")
            Self.set(&none, "due_\(k)", "")
            let empty = try await b.post("/plans", none)
            #expect(empty.status == .badRequest)
            #expect(Self.body(empty).contains("В плане нет ни одного мероприятия."))
            #expect(try w.store.plans(pupilID: "P01").isEmpty)
        }
    }

    /// Adopts a plan for a pupil through the store, as the CLI does.
    static func adopt(_ w: WebAppTests.World, pupil: String, fingerprint: String, due: String = "2026-03-10") throws
        -> Int64
    {
        try w.store.adoptPlan(
            AdoptedPlan(
                id: 0, pupilID: pupil, pupilName: "Ученик \(pupil)", adoptedAt: "2026-03-02T09:00:00Z",
                adoptedBy: "Завуч", closedAt: nil,
                items: [
                    .init(
                        position: 1, action: "Дополнительные занятия", role: "учитель математики",
                        responsible: "Петрова Ольга Ивановна", due: due, check: "Отметки за работы"),
                    .init(
                        position: 2, action: "Беседа с родителями", role: "классный руководитель", due: "2026-04-01",
                        check: "—"),
                ], fingerprints: [fingerprint]))
    }

    @Test func stepsAreMarkedDoneOnceAndAClosedPlanNoLongerChanges() async throws {
        let w = try WebAppTests.world()
        let id = try Self.adopt(w, pupil: "P01", fingerprint: "a000000000000001")
        try await WebAppTests.browse(w) { b in
            _ = try await b.signIn("teacher")
            let page = Self.body(try await b.get("/pupils/P01"))
            #expect(page.contains("просрочено"))  // due 10.03, today 13.03
            let token = try await b.token()
            let future = try await b.post("/plans/\(id)/steps/1/done", [("csrf", token), ("on", "2026-03-14")])
            #expect(future.status == .badRequest)
            #expect(Self.body(future).contains("ещё не наступила"))
            let done = try await b.post("/plans/\(id)/steps/1/done", [("csrf", token), ("on", "2026-03-12")])
            #expect(done.headers[.location] == "/pupils/P01?saved=step&plan=\(id)&step=1")
            let item = try #require(try w.store.plans(pupilID: "P01").first?.items.first)
            #expect(item.doneOn == "2026-03-12" && item.doneBy == "Сотрудник teacher (teacher)")
            #expect(
                try w.store.events("a000000000000001").last?.detail == "план №\(id), пункт 1: Дополнительные занятия")
            let shown = Self.body(try await b.get(done.headers[.location]!))
            #expect(shown.contains("План №\(id): пункт 1 отмечен выполненным."))
            #expect(shown.contains("выполнено 12.03.2026, Сотрудник teacher"))
            #expect(!shown.contains("<strong>просрочено</strong>"))
            let twice = try await b.post("/plans/\(id)/steps/1/done", [("csrf", token)])
            #expect(twice.status == .badRequest)
            #expect(Self.body(twice).contains("уже отмечен выполненным 12.03.2026"))
            #expect(try await b.post("/plans/\(id)/steps/9/done", [("csrf", token)]).status == .notFound)
            #expect(try await b.post("/plans/\(id)/steps/2/done", []).status == .forbidden)  // no token
            let closed = try await b.post("/plans/\(id)/close", [("csrf", token)])
            #expect(closed.headers[.location] == "/pupils/P01?saved=closed&plan=\(id)")
            #expect(try w.store.plans(pupilID: "P01").first?.isActive == false)
            #expect(try w.store.events("a000000000000001").last?.kind == .planClosed)
            let late = try await b.post("/plans/\(id)/steps/2/done", [("csrf", token)])
            #expect(late.status == .badRequest && Self.body(late).contains("закрыт"))
            // Closed: the page offers a new plan again and links the old one.
            let reopened = Self.body(try await b.get("/pupils/P01"))
            #expect(reopened.contains("class=\"adopt\"") && reopened.contains("href=\"/plans/\(id)\""))
        }
    }

    @Test func thePrintableFormNamesWhoAnswersForEachStep() async throws {
        let w = try WebAppTests.world()
        let id = try Self.adopt(w, pupil: "P01", fingerprint: "a000000000000001")
        try await WebAppTests.browse(w) { b in
            _ = try await b.signIn("deputy")
            let html = Self.body(try await b.get("/plans/\(id)"))
            #expect(html.contains("Индивидуальный образовательный маршрут № \(id)"))
            #expect(html.contains("<dd>Ученик P01</dd>") && html.contains("<dd>5А</dd>"))
            #expect(html.contains("<dd>Учителева Анна Петровна</dd>"))  // the class teacher from the snapshot
            #expect(html.contains("учитель математики, Петрова Ольга Ивановна"))
            #expect(html.contains("прогноз «2» по двум предметам"))  // the gap: the alert's message
            #expect(html.contains("Отметки за работы"))
            #expect(html.contains("Родитель (законный представитель)"))
        }
    }

    @Test func overdueStepsAreListedByWhoAnswersForThem() async throws {
        let w = try WebAppTests.world()
        let first = try Self.adopt(w, pupil: "P01", fingerprint: "a000000000000001")
        _ = try Self.adopt(w, pupil: "P04", fingerprint: "a000000000000002", due: "2026-03-12")
        _ = try Self.adopt(w, pupil: "P07", fingerprint: "a000000000000003")
        try await WebAppTests.browse(w) { b in
            _ = try await b.signIn("deputy")
            let html = Self.body(try await b.get("/plans"))
            #expect(html.contains("Действующих планов: <strong>2</strong>"))
            #expect(html.contains("Просрочено мероприятий на 13.03.2026: <strong>2</strong>"))
            #expect(html.contains("<h3>Петрова Ольга Ивановна: 2</h3>"))
            #expect(html.contains("3 дня") && html.contains("1 день"))
            #expect(!html.contains("Ученик P07"))  // another school
            let one = Self.body(
                try await b.get(
                    "/plans?person=" + "Нет Такого".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!))
            #expect(one.contains("Просроченных мероприятий нет."))
        }
        try await WebAppTests.browse(w) { b in
            _ = try await b.signIn("teacher")
            let html = Self.body(try await b.get("/plans"))
            #expect(html.contains("href=\"/plans/\(first)\"") && !html.contains("Ученик P04"))
        }
        try await WebAppTests.browse(w) { b in
            _ = try await b.signIn("department")
            let all = Self.body(try await b.get("/plans"))
            #expect(all.contains("Выберите школу") && !all.contains("Ученик P01"))
            let one = Self.body(try await b.get("/plans?school=SCH2"))
            #expect(one.contains("Ученик P07") && !one.contains("Ученик P01"))
        }
    }

    /// Every plan route as every role, for a plan in and out of its scope.
    @Test func thePlansAccessMatrix() async throws {
        let w = try WebAppTests.world()
        let mine = try Self.adopt(w, pupil: "P01", fingerprint: "a000000000000001")
        let other = try Self.adopt(w, pupil: "P07", fingerprint: "a000000000000003")
        let gets = ["/plans", "/plans/\(mine)", "/plans/\(other)", "/plans/999", "/plans/x"]
        let expected: [String: [Int]] = [
            "teacher": [200, 200, 404, 404, 404, 404, 404, 404],
            "deputy": [200, 200, 404, 404, 404, 404, 404, 404],
            // (In login order.) Step 2 done and the plan closed (303); a second plan while one
            // is in force, 400.
            "department": [200, 200, 200, 404, 404, 303, 400, 303],
            // The plan is closed by now: nothing more to mark or close; an empty form, 400.
            "deputy2": [200, 404, 200, 404, 404, 400, 400, 400],
            "admin": [403, 404, 404, 404, 404, 404, 404, 404],
        ]
        var checked = 0
        for (login, statuses) in expected.sorted(by: { $0.key < $1.key }) {
            try await WebAppTests.browse(w) { b in
                _ = try await b.signIn(login)
                var seen: [Int] = []
                for path in gets { seen.append(Int(try await b.get(path).status.code)) }
                let token = try #require(Browser.csrf(try await b.get("/plans/x")))
                // Changes to the other school's plan, and an adoption for its pupil (a
                // mistake-free form is not needed: scope is checked first).
                seen.append(Int(try await b.post("/plans/\(other)/steps/2/done", [("csrf", token)]).status.code))
                seen.append(Int(try await b.post("/plans", [("csrf", token), ("pupil", "P07")]).status.code))
                seen.append(Int(try await b.post("/plans/\(other)/close", [("csrf", token)]).status.code))
                #expect(seen == statuses, "\(login)")
            }
            checked += statuses.count
        }
        #expect(checked == 40)
        // Only the department changed anything: step 2 done, the plan closed; P01's untouched.
        let plan = try #require(try w.store.plans(pupilID: "P07").first)
        #expect(plan.items[1].doneBy == "Сотрудник department (department)" && !plan.isActive)
        #expect(try w.store.plans(pupilID: "P01").first?.isActive == true)
    }
}

extension String {
    fileprivate var htmlEscaped: String {
        replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
