import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MayakHistory
import NIOCore
import Testing
import Yams

@testable import MayakWeb

/// The JSON API: the same sessions, scopes and CSRF rule as the pages (the token only in the
/// `X-CSRF-Token` header), JSON errors, and the actions.
@Suite struct APITests {
    typealias Browser = WebAppTests.Browser

    static func json(_ r: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(String(buffer: r.body).utf8)) as? [String: Any])
    }

    /// A JSON call with the session's cookie and, when given, the CSRF header.
    static func send(_ b: Browser, _ uri: String, _ body: String, token: String?) async throws -> TestResponse {
        var h = b.cookieHeader
        h[.contentType] = "application/json"
        if let token { h[Guard.csrfHeader] = token }
        return try await b.client.execute(uri: uri, method: .post, headers: h, body: ByteBuffer(string: body)) { $0 }
    }

    static func token(_ b: Browser) async throws -> String {
        try #require(try json(try await b.get("/api/session"))["csrf"] as? String)
    }

    static func ids(_ r: TestResponse) throws -> [String] {
        try ((try json(r)["items"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
    }

    @Test func notSignedInIsAJSON401NotARedirect() async throws {
        let w = try WebAppTests.world()
        try await WebAppTests.browse(w) { b in
            let r = try await b.get("/api/alerts")
            #expect(r.status == .unauthorized)
            #expect(r.headers[.contentType] == "application/json; charset=utf-8")
            #expect(try Self.json(r)["error"] as? String == "Нужно войти")
        }
    }

    @Test func alertsAreTheScopesOnlyAndFilter() async throws {
        let w = try WebAppTests.world()
        try await WebAppTests.browse(w) { b in
            _ = try await b.signIn("teacher")
            let session = try Self.json(try await b.get("/api/session"))
            #expect(session["role"] as? String == "teacher" && session["login"] as? String == "teacher")
            #expect(try Self.ids(try await b.get("/api/alerts")) == ["a000000000000001", "a000000000000004"])
            #expect(try Self.ids(try await b.get("/api/alerts?severity=high")) == ["a000000000000001"])
            #expect(try Self.ids(try await b.get("/api/alerts?school=SCH2")).isEmpty)
            let bad = try await b.get("/api/alerts?severity=huge")
            #expect(bad.status == .badRequest)
            #expect((try Self.json(bad)["message"] as? String)?.contains("severity") == true)
            let one = try Self.json(try await b.get("/api/alerts/a000000000000001"))
            #expect(one["message"] as? String == "прогноз «2» по двум предметам")
            #expect((one["subject"] as? [String: Any])?["name"] as? String == "Тестов Иван Петрович")
            #expect(one["history"] as? [Any] != nil)
            let out = try await b.get("/api/alerts/a000000000000003")
            #expect(out.status == .notFound && !String(buffer: out.body).contains("Фиктивный"))
            #expect(try await b.get("/api/pupils/P07").status == .notFound)
        }
    }

    @Test func triageNeedsTheHeaderAndActsInScopeOnly() async throws {
        let w = try WebAppTests.world()
        try await WebAppTests.browse(w) { b in
            _ = try await b.signIn("teacher")
            let token = try await Self.token(b)
            let body = #"{"ids":["a000000000000001"],"action":"assign","detail":"Учителева Анна Петровна"}"#
            #expect(try await Self.send(b, "/api/triage", body, token: nil).status == .forbidden)
            // The form field does not count for the API.
            var h = b.cookieHeader
            h[.contentType] = "application/x-www-form-urlencoded"
            let field = try await b.client.execute(
                uri: "/api/triage", method: .post, headers: h,
                body: ByteBuffer(string: "csrf=\(token)&ids=a000000000000001&action=acknowledge")
            ) { $0 }
            #expect(field.status == .forbidden)
            #expect(try w.store.events("a000000000000001").isEmpty)
            let ok = try await Self.send(b, "/api/triage", body, token: token)
            #expect(ok.status == .ok)
            #expect(try Self.json(ok)["done"] as? Int == 1)
            #expect(try w.store.tracked("a000000000000001")?.assignee == "Учителева Анна Петровна")
            let outside = #"{"ids":["a000000000000001","a000000000000003"],"action":"acknowledge"}"#
            #expect(try await Self.send(b, "/api/triage", outside, token: token).status == .notFound)
            #expect(try w.store.events("a000000000000003").isEmpty)
            let planKind = #"{"ids":["a000000000000001"],"action":"plan-closed"}"#
            #expect(try await Self.send(b, "/api/triage", planKind, token: token).status == .badRequest)
            let notJSON = try await Self.send(b, "/api/triage", "ids=1", token: token)
            #expect(notJSON.status == .badRequest)
            #expect((try Self.json(notJSON)["message"] as? String)?.contains("не JSON") == true)
        }
    }

    @Test func aPlanIsAdoptedMarkedAndClosedThroughTheAPI() async throws {
        let w = try WebAppTests.world()
        try await WebAppTests.browse(w) { b in
            _ = try await b.signIn("teacher")
            let token = try await Self.token(b)
            let pupil = try Self.json(try await b.get("/api/pupils/P01"))
            let suggestion = try #require(pupil["suggestion"] as? [[String: Any]])
            try #require(suggestion.count >= 2)
            let badIndex = #"{"pupil":"P01","steps":[{"suggested":99}]}"#
            let refused = try await Self.send(b, "/api/plans", badIndex, token: token)
            #expect(refused.status == .badRequest)
            #expect(try w.store.plans(pupilID: "P01").isEmpty)
            let body = """
                {"pupil":"P01","steps":[{"suggested":1,"responsible":"Учителева Анна Петровна"},
                {"action":"Встреча с родителями","role":"классный руководитель","due":"2026-03-20","check":"Протокол"}]}
                """
            let r = try await Self.send(b, "/api/plans", body, token: token)
            #expect(r.status == .created)
            let plan = try Self.json(r)
            let id = try #require(plan["id"] as? Int)
            #expect(r.headers[.location] == "/api/plans/\(id)")
            let left = suggestion.enumerated().filter { $0.offset != 1 }.compactMap { $0.element["action"] as? String }
            #expect(plan["dropped"] as? [String] == left)
            let steps = try #require(plan["steps"] as? [[String: Any]])
            #expect(steps.map { $0["origin"] as? String } == ["suggested", "added"])
            #expect(steps.first?["responsible"] as? String == "Учителева Анна Петровна")
            #expect(plan["alerts"] as? [String] == ["a000000000000001"])
            let done = try await Self.send(b, "/api/plans/\(id)/steps/2/done", #"{"on":"2026-03-12"}"#, token: token)
            #expect(done.status == .ok)
            let after = try #require(try Self.json(done)["steps"] as? [[String: Any]])
            #expect(after[1]["doneOn"] as? String == "2026-03-12")
            #expect(try await Self.send(b, "/api/plans/\(id)/steps/2/done", "", token: token).status == .badRequest)
            let closed = try await Self.send(b, "/api/plans/\(id)/close", "", token: token)
            #expect(try Self.json(closed)["closedAt"] as? String != nil)
            #expect(try Self.json(try await b.get("/api/plans"))["count"] as? Int == 0)
            #expect(try Self.json(try await b.get("/api/plans?closed=1"))["count"] as? Int == 1)
        }
    }

    /// Every API read as every role, in and out of scope: 200, 404 (revealing nothing), 403.
    @Test func theAPIAccessMatrix() async throws {
        let w = try WebAppTests.world()
        let paths = [
            "/api/session", "/api/alerts", "/api/alerts/a000000000000001", "/api/alerts/a000000000000003",
            "/api/alerts/a000000000000005", "/api/pupils/P01", "/api/pupils/P07", "/api/pupils/NOPE", "/api/plans",
            "/api/plans/1",
        ]
        let expected: [String: [Int]] = [
            "admin": [200, 200, 404, 404, 404, 404, 404, 404, 403, 404],
            "department": [200, 200, 200, 200, 200, 200, 200, 404, 200, 404],
            "deputy": [200, 200, 200, 404, 200, 200, 404, 404, 200, 404],
            "deputy2": [200, 200, 404, 200, 404, 404, 200, 404, 200, 404],
            "teacher": [200, 200, 200, 404, 404, 200, 404, 404, 200, 404],
        ]
        var checked = 0
        for (login, statuses) in expected.sorted(by: { $0.key < $1.key }) {
            try await WebAppTests.browse(w) { b in
                _ = try await b.signIn(login)
                var seen: [Int] = []
                for path in paths { seen.append(Int(try await b.get(path).status.code)) }
                #expect(seen == statuses, "\(login)")
            }
            checked += statuses.count
        }
        #expect(checked == 50)
    }

    /// docs/openapi.yaml describes exactly the API's calls (each exercised by the tests above).
    @Test func theOpenAPIFileDescribesEveryCall() throws {
        let url = WebAppTests.fixtures.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/openapi.yaml")
        let doc = try #require(try Yams.load(yaml: String(contentsOf: url, encoding: .utf8)) as? [String: Any])
        #expect(doc["openapi"] as? String == "3.1.0")
        let paths = try #require(doc["paths"] as? [String: [String: Any]])
        var calls: [String] = []
        for (path, methods) in paths {
            for method in methods.keys where ["get", "post", "put", "delete", "patch"].contains(method) {
                calls.append("\(method.uppercased()) \(path)")
            }
        }
        #expect(
            calls.sorted() == [
                "GET /api/alerts", "GET /api/alerts/{id}", "GET /api/plans", "GET /api/plans/{id}",
                "GET /api/pupils/{id}", "GET /api/session", "POST /api/plans", "POST /api/plans/{id}/close",
                "POST /api/plans/{id}/steps/{step}/done", "POST /api/triage",
            ])
        // Every change names the CSRF header.
        for (path, methods) in paths {
            guard let post = methods["post"] as? [String: Any] else { continue }
            let parameters = (post["parameters"] as? [[String: Any]]) ?? []
            #expect(parameters.contains { ($0["$ref"] as? String) == "#/components/parameters/csrf" }, "\(path)")
        }
    }
}
