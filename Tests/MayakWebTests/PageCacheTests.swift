import Foundation
import HummingbirdTesting
import MayakHistory
import Testing

@testable import MayakWeb

/// Long lists come in pages; pages already made are served again only to their reader and
/// only while nothing they show has changed — whoever changed it (the server, or the CLI
/// writing the same database beside it).
@Suite struct PageCacheTests {
    typealias Browser = WebAppTests.Browser

    static func body(_ r: TestResponse) -> String { String(buffer: r.body) }

    /// The pupils a list page links to, in order.
    static func pupils(_ page: String) -> [String] {
        page.components(separatedBy: "<td><a href=\"/pupils/").dropFirst().map { String($0.prefix { $0 != "\"" }) }
    }

    @Test func aLongListComesInPagesOfFiftyThatKeepTheFilters() async throws {
        let w = try WebAppTests.world()
        // 120 more pupils of 5А with an alert each (and the two the world has): 122 in the list.
        let more = (1...120).map { n in
            WebAppTests.alert(
                String(format: "b%015d", n), pupil: String(format: "Q%03d", n),
                name: String(format: "Учеников Ученик %03d", n), cls: "C5A", className: "5А", school: "SCH1",
                severity: .medium, rule: "chronic-absence", message: "пропущено уроков")
        }
        _ = try w.store.record(
            RunInfo(
                recordedAt: "2026-03-13T09:00:00Z", asOf: "2026-03-13", district: "Тестовый округ",
                snapshotFingerprint: "s", rulesHash: "h", ruleCount: 5, overrides: "", scope: "",
                loadMilliseconds: 1, scanMilliseconds: 1, alertCount: 125),
            alerts: WebAppTests.alerts + more, scope: (nil, nil))
        try await WebAppTests.browse(w) { b in
            _ = try await b.signIn("deputy")
            let first = Self.body(try await b.get("/schools/SCH1"))
            #expect(first.contains("В списке: <strong>122</strong> ученика"))
            #expect(first.contains("Страница 1 из 3: ученики 1–50 из 122"))
            #expect(first.contains("отметить все на этой странице"))
            var seen: [String] = []
            for n in 1...3 {
                let page = n == 1 ? first : Self.body(try await b.get("/schools/SCH1?page=\(n)"))
                let rows = Self.pupils(page)
                #expect(rows.count == (n < 3 ? 50 : 22), "page \(n)")
                seen += rows
            }
            #expect(Set(seen).count == 122 && seen.count == 122)
            #expect(seen.first == "P01")  // the high alert ranks first
            // A page past the end shows the last; a filter stays in the pager's links.
            let past = Self.body(try await b.get("/schools/SCH1?page=99"))
            #expect(past.contains("Страница 3 из 3"))
            let filtered = Self.body(try await b.get("/schools/SCH1?rule=chronic-absence"))
            #expect(filtered.contains("Страница 1 из 3: ученики 1–50 из 121"))
            #expect(filtered.contains("href=\"/schools/SCH1?rule=chronic-absence&amp;page=2\""))
            // A name search shows every match on one page.
            let token = try #require(Browser.csrf(try await b.get("/schools/SCH1")))
            let found = Self.body(try await b.post("/schools/SCH1", [("csrf", token), ("q", "ученик 0")]))
            #expect(Self.pupils(found).count == 99 && !found.contains("Страница"))
            // A short list has no pager.
            let short = Self.body(try await b.get("/schools/SCH1?severity=high"))
            #expect(!short.contains("Страница") && !short.contains("на этой странице"))
        }
    }

    @Test func aKeptPageChangesWithTheDatabaseWhoeverWritesIt() async throws {
        let w = try WebAppTests.world()
        try await WebAppTests.browse(w) { b in
            _ = try await b.signIn("deputy")
            let before = try await b.get("/pupils/P01")
            let hits = w.app.pages.hits
            let again = try await b.get("/pupils/P01")
            #expect(again.body == before.body)
            #expect(w.app.pages.hits == hits + 1)
            // The CLI, beside the server, comments on the pupil's alert through its own connection.
            let cli = try SQLiteHistoryStore(path: w.store.path, access: .write)
            try cli.triage(
                TriageEvent(
                    fingerprint: "a000000000000001", at: "2026-03-13T10:00:00Z", actor: "командная строка (root)",
                    kind: .comment, detail: "позвонить маме"), observation: nil)
            let after = Self.body(try await b.get("/pupils/P01"))
            #expect(after.contains("позвонить маме"))
            // The server's own change too: a triage from the page.
            let token = try #require(Browser.csrf(try await b.get("/pupils/P01")))
            _ = try await b.post(
                "/triage",
                [("csrf", token), ("id", "a000000000000001"), ("action", "comment"), ("detail", "встреча в среду")])
            #expect(Self.body(try await b.get("/pupils/P01")).contains("встреча в среду"))
        }
    }

    @Test func theNextDayAPageIsMadeAgain() async throws {
        let w = try WebAppTests.world()
        // 15 seconds before midnight (here), so that the session is not touched on the way.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .current
        let now = Date(timeIntervalSince1970: TimeInterval(w.clock.now()))
        let midnight = try #require(
            calendar.nextDate(after: now, matching: DateComponents(hour: 0), matchingPolicy: .nextTime))
        w.clock.advance(Int64(midnight.timeIntervalSince(now)) - 15)
        try await WebAppTests.browse(w) { b in
            _ = try await b.signIn("deputy")
            _ = try await b.get("/pupils/P01")
            _ = try await b.get("/pupils/P01")
            let (hits, misses) = (w.app.pages.hits, w.app.pages.misses)
            #expect(hits >= 1)
            w.clock.advance(30)
            #expect(try await b.get("/pupils/P01").status == .ok)
            #expect(w.app.pages.misses == misses + 1 && w.app.pages.hits == hits)
        }
    }

    @Test func aKeptPageIsItsReadersOnly() async throws {
        let w = try WebAppTests.world()
        try await WebAppTests.browse(w) { deputy in
            _ = try await deputy.signIn("deputy")
            let mine = try #require(Browser.csrf(try await deputy.get("/pupils/P01")))
            try await WebAppTests.browse(w) { other in
                _ = try await other.signIn("department")
                let page = Self.body(try await other.get("/pupils/P01"))
                let theirs = try #require(Browser.csrf(try await other.get("/pupils/P01")))
                #expect(theirs != mine && !page.contains(mine))
                #expect(page.contains("Сотрудник department") && !page.contains("Сотрудник deputy"))
            }
            // Signed out, the session's pages are gone and the address asks to sign in.
            let kept = w.app.pages.size.pages
            _ = try await deputy.post("/logout", [("csrf", mine)])
            #expect(w.app.pages.size.pages < kept)
            let r = try await deputy.get("/pupils/P01")
            #expect(r.status == .seeOther || r.status == .found)
            #expect(r.headers[.location] == "/login")
        }
    }

    @Test func nothingIsKeptWhenTheCacheIsOff() async throws {
        let world = try WebAppTests.world()
        var config = WebConfiguration()
        config.pageCacheBytes = 0
        let clock = world.clock
        let w = WebAppTests.World(
            store: world.store,
            app: WebApp(
                store: world.store, snapshot: WebAppTests.snapshot, pack: WebAppTests.pack, configuration: config
            ) {
                clock.now()
            }, clock: clock)
        try await WebAppTests.browse(w) { b in
            _ = try await b.signIn("deputy")
            _ = try await b.get("/pupils/P01")
            _ = try await b.get("/pupils/P01")
            #expect(w.app.pages.hits == 0 && w.app.pages.size.pages == 0)
        }
    }
}
