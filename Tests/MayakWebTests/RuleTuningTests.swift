import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MayakAlerts
import MayakEngine
import MayakHistory
import MayakRules
import MayakSnapshot
import Testing

@testable import MayakWeb

/// The department's rule tuning: parameters in force, a preview of a change on the snapshot
/// (what `mayak diff --rules` gives), refusals of values a rule does not take.
@Suite struct RuleTuningTests {
    typealias Browser = WebAppTests.Browser

    static func body(_ r: TestResponse) -> String { String(buffer: r.body) }

    /// The alerts of the default pack with one parameter changed, scanned here.
    static func alerts(_ assignment: String?) throws -> [RunAlert] {
        var overrides = ParameterOverrides()
        if let assignment { #expect(overrides.set(assignment) == nil) }
        var log = DiagnosticLog(cap: 50)
        let pack = try #require(RulePack.load(paths: [WebAppTests.rules.path], overrides: overrides, log: &log))
        let s = WebAppTests.snapshot
        return ScanResult(findings: try Scanner.scan(pack, index: SnapshotIndex(s)), snapshot: s, pack: pack).alerts
            .map(RunAlert.init)
    }

    @Test func theDepartmentSeesWhatAChangeWouldDoBeforeApplyingIt() async throws {
        let w = try WebAppTests.world()
        let expected = AlertDiff(before: try Self.alerts(nil), after: try Self.alerts("na-risk.min_marks=1"))
        try #require(!expected.lost.isEmpty)
        try await WebAppTests.browse(w) { b in
            _ = try await b.signIn("department")
            let page = Self.body(try await b.get("/district/rules"))
            #expect(page.contains("name=\"p.na-risk.min_marks\" value=\"3\""))
            #expect(page.contains("Сколько отметок нужно для аттестации"))
            let token = try #require(Browser.csrf(try await b.get("/district/rules")))
            let r = try await b.post("/district/rules", [("csrf", token), ("p.na-risk.min_marks", "1")])
            #expect(r.status == .ok)
            let html = Self.body(r)
            #expect(html.contains("<code>na-risk.min_marks: 3 → 1</code>"))
            #expect(html.contains("Добавится: <strong>\(expected.gained.count)</strong>"))
            #expect(html.contains("Снимется: <strong>\(expected.lost.count)</strong>"))
            #expect(html.contains("value=\"1\""))  // the form keeps what was tried
            let first = try #require(expected.lost.first)
            #expect(html.contains(first.message.replacingOccurrences(of: "<", with: "&lt;")))
            // Nothing was applied: the page's values and the server's pack are as before.
            #expect(Self.body(try await b.get("/district/rules")).contains("name=\"p.na-risk.min_marks\" value=\"3\""))
            #expect(try w.store.runs().count == 1)
            // Values the rule does not take.
            for (value, says) in [
                ("три", "не значение нужного вида"), ("0", "вне допустимого (1…100)"),
                ("3", "Ни один параметр не изменён."),
            ] {
                let bad = try await b.post("/district/rules", [("csrf", token), ("p.na-risk.min_marks", value)])
                #expect(bad.status == .badRequest, "\(value)")
                #expect(Self.body(bad).contains(says), "\(value)")
            }
        }
    }

    @Test func onlyTheDepartmentTunesRules() async throws {
        let w = try WebAppTests.world()
        for login in ["teacher", "deputy", "admin"] {
            try await WebAppTests.browse(w) { b in
                _ = try await b.signIn(login)
                #expect(try await b.get("/district/rules").status == .forbidden, "\(login)")
                let token = try #require(Browser.csrf(try await b.get("/district")))
                let r = try await b.post("/district/rules", [("csrf", token), ("p.na-risk.min_marks", "1")])
                #expect(r.status == .forbidden, "\(login)")
            }
        }
    }

    @Test func appliedParametersBecomeAVersionAndARerunRecordsThem() async throws {
        let w = try WebAppTests.world()
        let expected = Set(try Self.alerts("na-risk.min_marks=1").map(\.fingerprint))
        try await WebAppTests.browse(w) { b in
            _ = try await b.signIn("department")
            let token = try #require(Browser.csrf(try await b.get("/district/rules")))
            // The preview offers to apply what it showed; applying needs a reason.
            let preview = Self.body(
                try await b.post("/district/rules", [("csrf", token), ("p.na-risk.min_marks", "1")]))
            #expect(preview.contains("action=\"/district/rules/apply\""))
            #expect(preview.contains("<input type=\"hidden\" name=\"p.na-risk.min_marks\" value=\"1\">"))
            let bare = try await b.post("/district/rules/apply", [("csrf", token), ("p.na-risk.min_marks", "1")])
            #expect(bare.status == .badRequest && Self.body(bare).contains("Напишите, почему меняются параметры"))
            #expect(try w.store.ruleSettings().isEmpty)
            let applied = try await b.post(
                "/district/rules/apply",
                [("csrf", token), ("p.na-risk.min_marks", "1"), ("comment", "одной отметки хватает в начале четверти")])
            #expect(applied.status == .seeOther && applied.headers[.location] == "/district/rules?applied=1")
            let versions = try w.store.ruleSettings()
            #expect(versions.count == 1)
            #expect(versions.first?.assignments == ["na-risk.min_marks=1"])
            #expect(versions.first?.actor == "Сотрудник department (department)")
            #expect(
                versions.first?.comment == "одной отметки хватает в начале четверти (na-risk.min_marks: 3 → 1)")
            // In force at once: the page shows the new value and the version with its comment.
            let page = Self.body(try await b.get("/district/rules?applied=1"))
            #expect(page.contains("Параметры применены: версия №1."))
            #expect(page.contains("name=\"p.na-risk.min_marks\" value=\"1\""))
            #expect(page.contains("одной отметки хватает") && page.contains("действует"))
            // The alerts change with a rerun, started from the browser and recorded as a run.
            #expect(try w.store.runs().count == 1)
            #expect(Self.body(try await b.get("/district/scan")).contains("Запустить проверку"))
            let started = try await b.post("/district/scan", [("csrf", token)])
            #expect(started.status == .seeOther && started.headers[.location] == "/district/scan")
            // Running, or already done: never the page from before it started.
            let progress = Self.body(try await b.get("/district/scan"))
            #expect(progress.contains("Проверено школ") || progress.contains("Прогон №2 записан"))
            await w.app.reruns.finished()
            let done = Self.body(try await b.get("/district/scan"))
            #expect(done.contains("Прогон №2 записан: предупреждений \(expected.count)"), "\(done)")
            #expect(!done.contains("http-equiv=\"refresh\""))
            let runs = try w.store.runs()
            #expect(runs.count == 2 && runs.last?.overrides.hasPrefix("settings=1; web: Сотрудник department") == true)
            // School after school, the same alerts as one scan of the district.
            #expect(Set(try w.store.runAlerts(2).map(\.fingerprint)) == expected)
        }
    }

    @Test func aRunningRerunShowsHowFarItHasGot() async throws {
        let w = try WebAppTests.world()
        #expect(w.app.reruns.start(by: "Сотрудник department (department)", at: w.clock.now(), schools: 4))
        #expect(!w.app.reruns.start(by: "второй", at: w.clock.now(), schools: 4))  // one at a time
        w.app.reruns.progress(done: 1, of: 4)
        try await WebAppTests.browse(w) { b in
            _ = try await b.signIn("department")
            let page = Self.body(try await b.get("/district/scan"))
            #expect(page.contains("<meta http-equiv=\"refresh\" content=\"2\">"))
            #expect(
                page.contains(
                    "<progress value=\"1\" max=\"4\"></progress> Проверено школ: <strong>1</strong> из 4 (25 %)"))
            #expect(!page.contains("Запустить проверку"))
            w.app.reruns.progress(done: 3, of: 4)
            #expect(Self.body(try await b.get("/district/scan")).contains("<strong>3</strong> из 4 (75 %)"))
            w.app.reruns.end(.failed("Правила не удалось применить к данным школы «СОШ № 1»."))
            let failed = Self.body(try await b.get("/district/scan"))
            #expect(failed.contains("Правила не удалось применить") && failed.contains("Запустить проверку"))
        }
    }

    @Test func onlyTheDepartmentAppliesAndReruns() async throws {
        let w = try WebAppTests.world()
        for login in ["teacher", "deputy", "admin"] {
            try await WebAppTests.browse(w) { b in
                _ = try await b.signIn(login)
                #expect(try await b.get("/district/scan").status == .forbidden, "\(login)")
                let token = try #require(Browser.csrf(try await b.get("/district")))
                for path in ["/district/rules/apply", "/district/scan"] {
                    let r = try await b.post(
                        path, [("csrf", token), ("p.na-risk.min_marks", "1"), ("comment", "попытка")])
                    #expect(r.status == .forbidden, "\(login) \(path)")
                }
            }
        }
        #expect(try w.store.ruleSettings().isEmpty && w.store.runs().count == 1)
        if case .idle = w.app.reruns.current.state {} else { Issue.record("a rerun started") }
    }
}
