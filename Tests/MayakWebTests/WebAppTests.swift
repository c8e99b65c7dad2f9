import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MayakEngine
import MayakHistory
import MayakReports
import MayakRules
import MayakSnapshot
import MayakTestSupport
import NIOCore
import Synchronization
import Testing

@testable import MayakWeb

/// The web app over HTTP (Hummingbird's router test framework, no socket): signing in and
/// out, sessions, CSRF, the scope of every role on every route, triage, the lists.
@Suite struct WebAppTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")
    static let snapshot: Snapshot = {
        let folder = fixtures.appendingPathComponent("snapshots/tiny").path
        // useCache: false — the fixture folder gets no cache file.
        return try! SnapshotCache.load(folder: folder, options: .init(), useCache: false).0
    }()
    static let password = "верный-пароль-1"
    static let rules = fixtures.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("rules")
    static let pack: RulePack = {
        var log = DiagnosticLog(cap: 50)
        return RulePack.load(paths: [rules.path], log: &log)!
    }()

    /// A clock the tests move.
    final class Clock: Sendable {
        let seconds = Mutex<Int64>(1_773_400_000)  // 13.03.2026
        func now() -> Int64 { seconds.withLock { $0 } }
        func advance(_ s: Int64) { seconds.withLock { $0 += s } }
    }

    /// The tiny district's staff, and a week's alerts: two pupils of school SCH1 (5А, 5Б),
    /// one of SCH2 (7А), a class alert of 5А and a school alert of SCH1.
    struct World {
        let store: SQLiteHistoryStore
        let app: WebApp
        let clock: Clock
    }

    static let alerts: [RunAlert] = [
        alert(
            "a000000000000001", pupil: "P01", name: "Тестов Иван Петрович", cls: "C5A", className: "5А",
            school: "SCH1", severity: .high, rule: "failing-two-subjects", message: "прогноз «2» по двум предметам"),
        alert(
            "a000000000000002", pupil: "P04", name: "Выдумкина Анна Олеговна", cls: "C5B", className: "5Б",
            school: "SCH1", severity: .medium, rule: "chronic-absence", message: "пропущено 12 % уроков <script>"),
        alert(
            "a000000000000003", pupil: "P07", name: "Фиктивный Глеб Денисович", cls: "C7A", className: "7А",
            school: "SCH2", severity: .critical, rule: "failing-two-subjects", message: "прогноз «2» по трём предметам"),
        alert(
            "a000000000000004", kind: "class", pupil: "C5A", name: "5А", cls: "C5A", className: "5А",
            school: "SCH1", severity: .medium, rule: "class-quality", message: "качество знаний упало"),
        alert(
            "a000000000000005", kind: "school", pupil: "SCH1", name: "СОШ № 1", cls: "", className: "",
            school: "SCH1", severity: .low, rule: "school-failing-share", message: "доля неуспевающих 5 %"),
    ]

    static func alert(
        _ f: String, kind: String = "pupil", pupil: String, name: String, cls: String, className: String,
        school: String, severity: Severity, rule: String, message: String
    ) -> RunAlert {
        RunAlert(
            fingerprint: f, ruleID: rule, ruleTitle: "Правило \(rule)", severity: severity, subjectKind: kind,
            subjectID: pupil, subjectName: name, classID: cls, className: className, schoolID: school,
            schoolName: "Школа \(school)", key: "", message: message, evidence: "", magnitude: 1)
    }

    static func world() throws -> World {
        let store = try SQLiteHistoryStore(path: TemporaryFolders.fresh("web.sqlite").path)
        let hash = Passwords.hash(password, cost: 4)
        for (login, role, school, classes, disabled) in [
            ("teacher", Account.Role.teacher, "SCH1", ["C5A"], false), ("deputy", .deputy, "SCH1", [], false),
            ("deputy2", .deputy, "SCH2", [], false), ("department", .department, nil, [], false),
            ("admin", .admin, nil, [], false), ("gone", .teacher, "SCH1", ["C5A"], true),
        ] as [(String, Account.Role, String?, [String], Bool)] {
            try store.addAccount(
                Account(
                    login: login, name: "Сотрудник \(login)", role: role, schoolID: school, classIDs: classes,
                    passwordHash: hash, disabled: disabled, createdAt: "2026-03-01T08:00:00Z"), by: "тест")
        }
        _ = try store.record(
            RunInfo(
                recordedAt: "2026-03-13T08:00:00Z", asOf: "2026-03-13", district: "Тестовый округ",
                snapshotFingerprint: "s", rulesHash: "h", ruleCount: 5, overrides: "", scope: "",
                loadMilliseconds: 1, scanMilliseconds: 1, alertCount: alerts.count),
            alerts: alerts, scope: (nil, nil))
        let clock = Clock()
        return World(
            store: store,
            app: WebApp(
                store: store, snapshot: snapshot, pack: pack, ruleSource: RuleSource(paths: [rules.path]),
                now: { clock.now() }), clock: clock)
    }

    /// A browser: keeps the cookies the server sets, sends them back.
    final class Browser: @unchecked Sendable {
        let client: any TestClientProtocol
        var cookies: [String: String] = [:]
        init(_ client: any TestClientProtocol) { self.client = client }

        var cookieHeader: HTTPFields {
            cookies.isEmpty ? [:] : [.cookie: cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ")]
        }

        @discardableResult
        func get(_ uri: String) async throws -> TestResponse {
            let r = try await client.execute(uri: uri, method: .get, headers: cookieHeader, body: nil) { $0 }
            keep(r)
            return r
        }

        @discardableResult
        func post(_ uri: String, _ fields: [(String, String)], headers extra: HTTPFields = [:]) async throws
            -> TestResponse
        {
            var h = cookieHeader
            h[.contentType] = "application/x-www-form-urlencoded"
            for f in extra { h[f.name] = f.value }
            let r = try await client.execute(
                uri: uri, method: .post, headers: h, body: ByteBuffer(string: Form.encode(fields))
            ) { $0 }
            keep(r)
            return r
        }

        func keep(_ r: TestResponse) {
            for value in r.headers[values: .setCookie] {
                let pair = value.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
                let name = String(pair[0])
                let v = pair.count > 1 ? String(pair[1]) : ""
                if v.isEmpty || value.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = v }
            }
        }

        /// The CSRF token of the page last fetched.
        static func csrf(_ r: TestResponse) -> String? {
            let html = String(buffer: r.body)
            guard let range = html.range(of: "name=\"csrf\" value=\"") else { return nil }
            return String(html[range.upperBound...].prefix { $0 != "\"" })
        }

        func signIn(_ login: String, password: String = WebAppTests.password) async throws -> TestResponse {
            let form = try await get("/login")
            let token = try #require(Browser.csrf(form))
            return try await post("/login", [("csrf", token), ("login", login), ("password", password)])
        }

        /// A token to send with a change: from the signed-in user's own page.
        func token() async throws -> String { try #require(Browser.csrf(try await get("/pupils/P01"))) }
    }

    /// A browser on the world's app (Hummingbird's router tests: no socket).
    static func browse(_ world: World, _ body: @Sendable @escaping (Browser) async throws -> Void) async throws {
        let app = Application(router: world.app.router())
        try await app.test(.router) { client in try await body(Browser(client)) }
    }

    static func body(_ r: TestResponse) -> String { String(buffer: r.body) }

    // MARK: - Signing in

    @Test func anythingNotSignedInGoesToTheLoginPage() async throws {
        let w = try Self.world()
        try await WebAppTests.browse(w) { b in
            for path in ["/", "/schools/SCH1", "/pupils/P01", "/alerts/a000000000000001", "/district", "/nowhere"] {
                let r = try await b.get(path)
                #expect(r.status == .seeOther, "\(path)")
                #expect(r.headers[.location] == "/login", "\(path)")
            }
            let login = try await b.get("/login")
            #expect(login.status == .ok)
            let html = Self.body(login)
            for field in ["name=\"login\"", "name=\"password\"", "name=\"csrf\""] { #expect(html.contains(field)) }
            #expect(!html.contains("Тестов"))
            // The browser's own request for an icon is answered, not sent to sign in; and a
            // second sign-in page (another tab, a reload) keeps the token the first one gave.
            let token = try #require(Browser.csrf(login))
            let icon = try await b.get("/favicon.ico")
            #expect(icon.status == .ok && icon.headers[.contentType] == "image/svg+xml")
            #expect(try await b.get("/login").status == .ok)
            #expect(b.cookies["mayak_login"] == token)
            #expect(
                try await b.post("/login", [("csrf", token), ("login", "teacher"), ("password", Self.password)])
                    .headers[.location] == "/")
        }
    }

    @Test func signingInSetsAStrictHttpOnlySessionCookieThatRotates() async throws {
        let w = try Self.world()
        try await WebAppTests.browse(w) { b in
            let r = try await b.signIn("deputy")
            #expect(r.status == .seeOther)
            #expect(r.headers[.location] == "/")
            let set = r.headers[values: .setCookie].first { $0.hasPrefix("mayak_session=") } ?? ""
            #expect(set.contains("HttpOnly") && set.contains("SameSite=Strict") && set.contains("Path=/"))
            #expect(!set.contains("Secure"))
            let first = try #require(b.cookies["mayak_session"])
            #expect(first.count == 64)
            #expect(try await b.get("/").headers[.location] == "/schools/SCH1")
            #expect(try await b.get("/schools/SCH1").status == .ok)
            // Signing in again (the browser still sending the old cookie) gives a new session
            // and ends the old one.
            b.cookies["mayak_session"] = nil
            let form = try await b.get("/login")
            b.cookies["mayak_session"] = first
            _ = try await b.post(
                "/login",
                [("csrf", try #require(Browser.csrf(form))), ("login", "deputy"), ("password", Self.password)])
            let second = try #require(b.cookies["mayak_session"])
            #expect(second != first)
            b.cookies["mayak_session"] = first
            #expect(try await b.get("/schools/SCH1").headers[.location] == "/login")
            #expect(try w.store.session(first) == nil && w.store.session(second) != nil)
        }
    }

    @Test func wrongPasswordsAreRefusedAndThrottled() async throws {
        let w = try Self.world()
        try await WebAppTests.browse(w) { b in
            let wrong = try await b.signIn("teacher", password: "не тот пароль")
            #expect(wrong.status == .unauthorized)
            #expect(Self.body(wrong).contains("Неверный логин или пароль."))
            #expect(b.cookies["mayak_session"] == nil)
            #expect(try await b.signIn("nobody").status == .unauthorized)
            #expect(try await b.signIn("gone").status == .unauthorized)  // disabled
            for _ in 0..<4 { _ = try await b.signIn("teacher", password: "ещё не тот") }
            // Five failures for the account: even the right password waits.
            let locked = try await b.signIn("teacher")
            #expect(locked.status == .tooManyRequests)
            #expect(Self.body(locked).contains("Повторите через 15 минут"))
            w.clock.advance(15 * 60 + 1)
            #expect(try await b.signIn("teacher").status == .seeOther)
        }
    }

    @Test func sessionsExpireWhenIdleAndInAnyCase() async throws {
        let w = try Self.world()
        try await WebAppTests.browse(w) { b in
            _ = try await b.signIn("teacher")
            w.clock.advance(2 * 3600 - 10)
            #expect(try await b.get("/classes/C5A").status == .ok)
            w.clock.advance(2 * 3600 - 10)  // used within the idle limit: still in
            #expect(try await b.get("/classes/C5A").status == .ok)
            w.clock.advance(2 * 3600 + 1)  // idle too long
            #expect(try await b.get("/classes/C5A").headers[.location] == "/login")
            _ = try await b.signIn("teacher")
            for _ in 0..<7 {
                w.clock.advance(3600 * 7 / 4)
                _ = try await b.get("/classes/C5A")
            }
            // Used all along, but more than 12 hours after signing in.
            #expect(try await b.get("/classes/C5A").headers[.location] == "/login")
        }
    }

    @Test func signingOutEndsTheSession() async throws {
        let w = try Self.world()
        try await WebAppTests.browse(w) { b in
            _ = try await b.signIn("teacher")
            let session = try #require(b.cookies["mayak_session"])
            let token = try await b.token()
            let r = try await b.post("/logout", [("csrf", token)])
            #expect(r.status == .seeOther && r.headers[.location] == "/login")
            #expect(b.cookies["mayak_session"] == nil)
            #expect(try w.store.session(session) == nil)
            b.cookies["mayak_session"] = session
            #expect(try await b.get("/classes/C5A").headers[.location] == "/login")
        }
    }

    // MARK: - Scope

    /// Every page as every role, against what is in and out of its scope: 200 in scope,
    /// 404 for what it may not see (revealing nothing), 403 for a section not of its role.
    @Test func theAccessMatrix() async throws {
        let w = try Self.world()
        let pages = [
            "/schools/SCH1", "/schools/SCH2", "/classes/C5A", "/classes/C5B", "/classes/C7A", "/pupils/P01",
            "/pupils/P04", "/pupils/P07", "/alerts/a000000000000001", "/alerts/a000000000000002",
            "/alerts/a000000000000003", "/alerts/a000000000000004", "/alerts/a000000000000005", "/district",
            "/schools/NOPE", "/pupils/NOPE", "/alerts/ffffffffffffffff", "/district/rules", "/district/scan",
        ]
        let expected: [String: [Int]] = [
            "teacher": [404, 404, 200, 404, 404, 200, 404, 404, 200, 404, 404, 200, 404, 403, 404, 404, 404, 403, 403],
            "deputy": [200, 404, 200, 200, 404, 200, 200, 404, 200, 200, 404, 200, 200, 403, 404, 404, 404, 403, 403],
            "deputy2": [404, 200, 404, 404, 200, 404, 404, 200, 404, 404, 200, 404, 404, 403, 404, 404, 404, 403, 403],
            "department": [
                200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 404, 404, 404, 200, 200,
            ],
            "admin": [404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 403, 404, 404, 404, 403, 403],
        ]
        var checked = 0
        for (login, statuses) in expected.sorted(by: { $0.key < $1.key }) {
            try await WebAppTests.browse(w) { b in
                _ = try await b.signIn(login)
                for (path, status) in zip(pages, statuses) {
                    let r = try await b.get(path)
                    #expect(Int(r.status.code) == status, "\(login) \(path)")
                    if status == 404 {
                        // Nothing of the pupil or alert leaks into the refusal.
                        #expect(!Self.body(r).contains("Тестов") && !Self.body(r).contains("Фиктивный"))
                    }
                }
            }
            checked += statuses.count
        }
        #expect(checked == 95)
    }

    @Test func triageOutsideTheScopeChangesNothing() async throws {
        let w = try Self.world()
        try await WebAppTests.browse(w) { b in
            _ = try await b.signIn("teacher")
            let token = try await b.token()
            // One alert in scope, one not: all or nothing.
            let r = try await b.post(
                "/triage",
                [("csrf", token), ("id", "a000000000000001"), ("id", "a000000000000003"), ("action", "acknowledge")])
            #expect(r.status == .notFound)
            #expect(try w.store.events("a000000000000001").isEmpty && w.store.events("a000000000000003").isEmpty)
        }
    }

    // MARK: - CSRF and headers

    @Test func everyChangeNeedsTheSessionsTokenAndThisSitesOrigin() async throws {
        let w = try Self.world()
        try await WebAppTests.browse(w) { b in
            _ = try await b.signIn("deputy")
            let token = try await b.token()
            let fields = [("id", "a000000000000001"), ("action", "acknowledge")]
            #expect(try await b.post("/triage", fields).status == .forbidden)
            let forged = (token.first == "0" ? "1" : "0") + token.dropFirst()
            #expect(try await b.post("/triage", fields + [("csrf", forged)]).status == .forbidden)
            #expect(
                try await b.post("/triage", fields + [("csrf", token)], headers: [.origin: "https://evil.example"])
                    .status == .forbidden)
            #expect(
                try await b.post("/triage", fields + [("csrf", token)], headers: [Guard.fetchSite: "cross-site"])
                    .status == .forbidden)
            #expect(try await b.post("/logout", []).status == .forbidden)
            #expect(try w.store.events("a000000000000001").isEmpty)
            // The header works as the field does.
            let ok = try await b.post("/triage", fields, headers: [Guard.csrfHeader: token])
            #expect(ok.status == .seeOther)
            #expect(try w.store.events("a000000000000001").map(\.actor) == ["Сотрудник deputy (deputy)"])
            // The sign-in form has its own token.
            let login = try await b.post("/login", [("login", "deputy"), ("password", Self.password)])
            #expect(login.status == .seeOther && login.headers[.location] == "/login?expired=1")
        }
    }

    @Test func theDistrictPageGivesTheReportsFiguresAndTheTrendOfRuns() async throws {
        let w = try Self.world()
        let total = SnapshotSummary(Self.snapshot).total
        let success = try #require(total.successRate)
        try await Self.browse(w) { b in
            _ = try await b.signIn("department")
            let page = Self.body(try await b.get("/district"))
            #expect(page.contains("успеваемость \(Russian.fixed(success, places: 1)) %"), "\(page)")
            #expect(
                page.contains("неуспевающих — \(Russian.number(total.failing)) из \(Russian.number(total.assessed))"))
            // One run of 5 alerts: 1 critical, 1 high, 2 medium.
            #expect(
                page.contains(
                    "<td>№1</td><td>13.03.2026</td><td>\(Russian.moment("2026-03-13T08:00:00Z"))</td><td class=\"num\">1</td><td class=\"num\">1</td><td class=\"num\">2</td><td class=\"num\">5</td>"
                ))
            // Each school has one alert of high need or worse; SCH1 has more pupils in its list.
            let first = try #require(page.range(of: "href=\"/schools/SCH1\""))
            let second = try #require(page.range(of: "href=\"/schools/SCH2\""))
            #expect(first.lowerBound < second.lowerBound)
        }
    }

    @Test func pagesEscapeTextTheWayTheReportDoes() throws {
        let hostile = "О'Коннор <b>\"Иван\"</b> & Co"
        let page = try #require(Templates.library.render(["staff": [hostile]], withTemplate: "staffList"))
        #expect(page == "<datalist id=\"staff\"><option value=\"\(HTML.escape(hostile))\"></option></datalist>")
        #expect(page.contains("&lt;b&gt;&quot;Иван&quot;&lt;/b&gt; &amp; Co") && page.contains("О'Коннор"))
    }

    @Test func pagesCarryTheSecurityHeaders() async throws {
        let w = try Self.world()
        try await WebAppTests.browse(w) { b in
            for r in [try await b.get("/login"), try await b.signIn("deputy"), try await b.get("/schools/SCH1")] {
                #expect(r.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
                #expect(r.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
                #expect(r.headers[.xContentTypeOptions] == "nosniff")
                // A browser sends `Origin: null` on form posts under "no-referrer".
                #expect(r.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin")
            }
            let big = try await b.post("/triage", [("csrf", String(repeating: "x", count: 70_000))])
            #expect(big.status == .contentTooLarge)
        }
    }

    // MARK: - The list and triage

    @Test func theSchoolListRanksPupilsAndSearchesByPost() async throws {
        let w = try Self.world()
        try await WebAppTests.browse(w) { b in
            _ = try await b.signIn("deputy")
            let page = Self.body(try await b.get("/schools/SCH1"))
            let first = try #require(page.range(of: "Тестов Иван Петрович"))
            let second = try #require(page.range(of: "Выдумкина Анна Олеговна"))
            #expect(first.lowerBound < second.lowerBound)  // high before medium
            #expect(!page.contains("Фиктивный"))  // another school
            #expect(page.contains("Новых на этой неделе: <strong>4</strong>"))
            #expect(page.contains("В списке: <strong>2</strong> ученика"))
            #expect(page.contains("&lt;script&gt;") && !page.contains("<script>"))
            #expect(page.contains("качество знаний упало") && page.contains("доля неуспевающих 5 %"))
            // Filters from the address; a name only by POST.
            let high = Self.body(try await b.get("/schools/SCH1?severity=high"))
            #expect(high.contains("Тестов") && !high.contains("Выдумкина"))
            let token = try #require(Browser.csrf(try await b.get("/schools/SCH1")))
            let found = Self.body(try await b.post("/schools/SCH1", [("csrf", token), ("q", "выдум")]))
            #expect(found.contains("Выдумкина") && !found.contains("Тестов Иван"))
        }
    }

    @Test func triageFromTheListActsOnEveryAlertChosenAndSaysSo() async throws {
        let w = try Self.world()
        try await WebAppTests.browse(w) { b in
            _ = try await b.signIn("deputy")
            let token = try await b.token()
            let r = try await b.post(
                "/triage",
                [
                    ("csrf", token), ("id", "a000000000000001"), ("id", "a000000000000002"), ("action", "assign"),
                    ("detail", "Учителева Анна Петровна"), ("back", "/schools/SCH1?severity=medium"),
                ])
            #expect(r.status == .seeOther)
            #expect(r.headers[.location] == "/schools/SCH1?severity=medium&done=2&action=assign")
            for f in ["a000000000000001", "a000000000000002"] {
                let t = try #require(try w.store.tracked(f))
                #expect(t.assignee == "Учителева Анна Петровна" && t.state.triage == .acknowledged)
            }
            let page = Self.body(try await b.get(r.headers[.location]!))
            #expect(page.contains("Готово: назначено — 2 предупреждения."))
            // A dismissal needs its reason, and shows it.
            let refused = try await b.post(
                "/triage", [("csrf", token), ("id", "a000000000000002"), ("action", "dismiss")])
            #expect(refused.status == .badRequest)
            #expect(Self.body(refused).contains("Укажите причину"))
            _ = try await b.post(
                "/triage",
                [("csrf", token), ("id", "a000000000000002"), ("action", "dismiss"), ("detail", "болела, справка")])
            #expect(try w.store.tracked("a000000000000002")?.state.triage == .dismissed)
            let pupil = Self.body(try await b.get("/pupils/P04"))
            #expect(pupil.contains("болела, справка") && pupil.contains("Сотрудник deputy"))
            // Not back to another site.
            let away = try await b.post(
                "/triage",
                [
                    ("csrf", token), ("id", "a000000000000001"), ("action", "comment"), ("detail", "звонили маме"),
                    ("back", "//evil.example/x"),
                ])
            #expect(away.headers[.location] == "/?done=1&action=comment")
        }
    }

    @Test func thePupilPageShowsMarksAttendanceAndVPR() async throws {
        let w = try Self.world()
        try await WebAppTests.browse(w) { b in
            _ = try await b.signIn("teacher")
            let page = Self.body(try await b.get("/pupils/P01"))
            #expect(page.contains("<h1>Тестов Иван Петрович</h1>"))
            #expect(page.contains("прогноз «2» по двум предметам"))
            #expect(page.contains("<svg"))
            #expect(page.contains("Пропуск"))
            #expect(page.contains("<h2>ВПР</h2>"))
            // A teacher does not get a link to the school's page.
            #expect(!page.contains("href=\"/schools/SCH1\""))
        }
    }

    /// Ids outside ASCII («SH02-7А») reach the server percent-encoded, as browsers send them,
    /// and go out encoded in redirects.
    @Test func addressesArePercentDecodedAndRedirectsEncoded() async throws {
        #expect(WebApp.encoded("SH02-7А") == "SH02-7%D0%90")
        #expect(WebApp.encoded("a/b?c") == "a%2Fb%3Fc")
        let w = try Self.world()
        try await WebAppTests.browse(w) { b in
            _ = try await b.signIn("teacher")
            #expect(try await b.get("/classes/C5%41").status == .ok)
            #expect(Self.body(try await b.get("/pupils/P%301")).contains("<h1>Тестов Иван Петрович</h1>"))
            #expect(try await b.get("/classes/C5%E0").status == .notFound)  // not UTF-8
        }
    }
}
