import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MayakHistory
import Testing

@testable import MayakWeb

/// The administration pages: accounts, roles, scopes, and the record of every change.
@Suite struct AdminPagesTests {
    typealias Browser = WebAppTests.Browser

    func withBrowsers(_ world: WebAppTests.World, _ body: @Sendable @escaping (Browser, Browser) async throws -> Void)
        async throws
    {
        let app = Application(router: world.app.router())
        try await app.test(.router) { client in try await body(Browser(client), Browser(client)) }
    }

    static func body(_ r: TestResponse) -> String { String(buffer: r.body) }

    static let newPassword = "новый-пароль-42"

    @Test func anAdministratorAddsAClassTeacherWhoCanThenSignIn() async throws {
        let w = try WebAppTests.world()
        try await withBrowsers(w) { admin, teacher in
            _ = try await admin.signIn("admin")
            #expect(try await admin.get("/").headers[.location] == "/admin/users")
            let page = Self.body(try await admin.get("/admin/users"))
            #expect(page.contains("<td>deputy2</td>") && page.contains("школа: "))
            #expect(!page.contains("Тестов Иван"))  // no pupil on an administrator's page
            let token = try #require(Browser.csrf(try await admin.get("/admin/users")))
            let r = try await admin.post(
                "/admin/users",
                [
                    ("csrf", token), ("login", "Petrova"), ("name", "Петрова Ольга Ивановна"), ("role", "teacher"),
                    ("school", "SCH1"), ("classes", "C5A, C5B"), ("password", Self.newPassword),
                    ("password2", Self.newPassword),
                ])
            #expect(r.headers[.location] == "/admin/users?saved=created&login=petrova")
            let a = try #require(try w.store.account("petrova"))
            #expect(a.role == .teacher && a.schoolID == "SCH1" && a.classIDs == ["C5A", "C5B"])
            #expect(Passwords.verify(Self.newPassword, against: a.passwordHash))
            let event = try #require(try w.store.accountEvents(login: "petrova").first)
            #expect(event.kind == .created && event.actor == "Сотрудник admin (admin)")
            #expect(event.detail == "классный руководитель; школа SCH1; классы: C5A, C5B")
            let shown = Self.body(try await admin.get(r.headers[.location]!))
            #expect(shown.contains("Учётная запись petrova создана."))
            #expect(shown.contains("<td>Сотрудник admin (admin)</td><td>petrova</td><td>создана</td>"))
            #expect(try await teacher.signIn("petrova", password: Self.newPassword).headers[.location] == "/")
            #expect(try await teacher.get("/classes/C5B").status == .ok)
        }
    }

    @Test func aWrongFormComesBackAsTypedAndAddsNothing() async throws {
        let w = try WebAppTests.world()
        try await withBrowsers(w) { admin, _ in
            _ = try await admin.signIn("admin")
            let token = try #require(Browser.csrf(try await admin.get("/admin/users")))
            func attempt(_ fields: [(String, String)]) async throws -> String {
                let r = try await admin.post("/admin/users", [("csrf", token)] + fields)
                #expect(r.status == .badRequest)
                return Self.body(r)
            }
            let good = [
                ("login", "new.teacher"), ("name", "Новая Учительница"), ("role", "teacher"), ("school", "SCH1"),
                ("classes", "C5A"), ("password", Self.newPassword), ("password2", Self.newPassword),
            ]
            func with(_ name: String, _ value: String) -> [(String, String)] {
                good.map { $0.0 == name ? (name, value) : $0 }
            }
            #expect(try await attempt(with("login", "н")).contains("Логин — от 2 до 64 знаков"))
            #expect(try await attempt(with("classes", "")).contains("Классному руководителю нужен хотя бы один класс."))
            #expect(try await attempt(with("classes", "C7A")).contains("Класс 7А не из выбранной школы."))
            #expect(try await attempt(with("classes", "C9Z")).contains("Класса «C9Z» нет в данных."))
            #expect(try await attempt(with("role", "deputy")).contains("классы не указываются"))
            #expect(try await attempt(with("password2", "другой-пароль")).contains("Пароли не совпадают."))
            #expect(
                try await attempt(with("password2", "коротко").map { $0.0 == "password" ? ($0.0, "коротко") : $0 })
                    .contains("Пароль короче 8 знаков."))
            let taken = try await attempt(with("login", "teacher"))
            #expect(taken.contains("Логин «teacher» уже занят."))
            #expect(taken.contains("value=\"Новая Учительница\""))  // as typed
            #expect(try w.store.account("new.teacher") == nil)
            #expect(try w.store.accountEvents(login: nil).count == 6)  // the world's own six only
        }
    }

    @Test func disablingOrANewPasswordSignsTheAccountOutEverywhere() async throws {
        let w = try WebAppTests.world()
        try await withBrowsers(w) { admin, teacher in
            _ = try await admin.signIn("admin")
            _ = try await teacher.signIn("teacher")
            let token = try #require(Browser.csrf(try await admin.get("/admin/users")))
            let off = try await admin.post("/admin/users/teacher/disable", [("csrf", token)])
            #expect(off.headers[.location] == "/admin/users?saved=disabled&login=teacher")
            #expect(try w.store.account("teacher")?.disabled == true)
            #expect(try await teacher.get("/classes/C5A").headers[.location] == "/login")
            #expect(try await teacher.signIn("teacher").status == .unauthorized)
            _ = try await admin.post("/admin/users/teacher/enable", [("csrf", token)])
            #expect(try await teacher.signIn("teacher").headers[.location] == "/")
            let changed = try await admin.post(
                "/admin/users/teacher/password",
                [("csrf", token), ("password", Self.newPassword), ("password2", Self.newPassword)])
            #expect(changed.headers[.location] == "/admin/users?saved=password&login=teacher")
            #expect(try await teacher.get("/classes/C5A").headers[.location] == "/login")
            #expect(try await teacher.signIn("teacher").status == .unauthorized)  // the old password
            #expect(try await teacher.signIn("teacher", password: Self.newPassword).headers[.location] == "/")
            #expect(
                try w.store.accountEvents(login: "teacher").map(\.kind) == [
                    .created, .disabled, .enabled, .passwordChanged,
                ])
            // Not oneself, not an unknown account, not an unknown change.
            let me = try await admin.post("/admin/users/admin/disable", [("csrf", token)])
            #expect(me.status == .badRequest && Self.body(me).contains("Свою учётную запись отключить нельзя"))
            #expect(try w.store.account("admin")?.disabled == false)
            #expect(try await admin.post("/admin/users/nobody/disable", [("csrf", token)]).status == .notFound)
            #expect(try await admin.post("/admin/users/teacher/delete", [("csrf", token)]).status == .notFound)
            #expect(try await admin.post("/admin/users/teacher/disable", []).status == .forbidden)  // no token
        }
    }

    /// Only administrators reach the administration pages; for every other role they are a
    /// section not of theirs (403), and a change tried there changes nothing.
    @Test func otherRolesAreRefused() async throws {
        let w = try WebAppTests.world()
        for login in ["teacher", "deputy", "department"] {
            try await withBrowsers(w) { b, _ in
                _ = try await b.signIn(login)
                #expect(try await b.get("/admin").status == .forbidden, "\(login)")
                #expect(try await b.get("/admin/users").status == .forbidden, "\(login)")
                let token = try await b.token()
                let add = try await b.post(
                    "/admin/users",
                    [
                        ("csrf", token), ("login", "sneaky"), ("role", "department"), ("password", Self.newPassword),
                        ("password2", Self.newPassword),
                    ])
                #expect(add.status == .forbidden, "\(login)")
                let off = try await b.post("/admin/users/admin/disable", [("csrf", token)])
                #expect(off.status == .forbidden, "\(login)")
            }
        }
        #expect(try w.store.account("sneaky") == nil && w.store.account("admin")?.disabled == false)
    }
}
