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
}
