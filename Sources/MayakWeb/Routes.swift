import Foundation
import HTTPTypes
import Hummingbird
import MayakHistory
import MayakReports
import MayakRules
import MayakSnapshot
import Mustache
import NIOCore

extension WebApp {
    func addRoutes(to router: Router<WebContext>) {
        router.get("/static/mayak.css") { _, _ in WebApp.asset(Assets.css, type: "text/css; charset=utf-8") }
        router.get("/static/mayak.js") { _, _ in WebApp.asset(Assets.js, type: "text/javascript; charset=utf-8") }
        router.get("/static/icon.svg") { _, _ in WebApp.asset(Assets.icon, type: "image/svg+xml") }
        // Browsers ask for it on their own; answered here, it does not detour to the sign-in page.
        router.get("/favicon.ico") { _, _ in WebApp.asset(Assets.icon, type: "image/svg+xml") }
        router.get("/login") { request, context in try await self.loginPage(request, context) }
        router.post("/login") { request, context in try await self.login(request, context) }
        router.post("/logout") { request, context in try await self.logout(request, context) }
        router.get("/") { _, context in try self.home(context) }
        router.get("/schools/{id}") { request, context in
            try await self.listPage(request, context, school: try WebApp.segment(context, "id"), classID: nil)
        }
        router.post("/schools/{id}") { request, context in
            try await self.listPage(request, context, school: try WebApp.segment(context, "id"), classID: nil)
        }
        router.get("/classes/{id}") { request, context in
            try await self.listPage(request, context, school: nil, classID: try WebApp.segment(context, "id"))
        }
        router.post("/classes/{id}") { request, context in
            try await self.listPage(request, context, school: nil, classID: try WebApp.segment(context, "id"))
        }
        router.get("/pupils/{id}") { request, context in
            try await self.pupilPage(request, context, try WebApp.segment(context, "id"))
        }
        router.get("/alerts/{id}") { request, context in
            try await self.alertPage(request, context, try WebApp.segment(context, "id"))
        }
        router.post("/triage") { request, context in try await self.triage(request, context) }
        router.get("/plans") { request, context in try await self.plansPage(request, context) }
        router.post("/plans") { request, context in try await self.adoptPlan(request, context) }
        router.get("/plans/{id}") { _, context in
            try await self.planPage(context, plan: try WebApp.segment(context, "id"))
        }
        router.post("/plans/{id}/steps/{step}/done") { _, context in
            try await self.markStepDone(
                context, plan: try WebApp.segment(context, "id"), step: try WebApp.segment(context, "step"))
        }
        router.post("/plans/{id}/close") { _, context in
            try await self.closePlan(context, plan: try WebApp.segment(context, "id"))
        }
        router.get("/district") { request, context in try await self.districtPage(request, context) }
        router.get("/district/rules") { request, context in
            try await self.rulesPage(context, notice: self.appliedNotice(self.query(request)))
        }
        router.post("/district/rules") { _, context in try await self.previewRules(context) }
        router.post("/district/rules/apply") { _, context in try await self.applyRules(context) }
        router.get("/district/scan") { _, context in try self.rerunPage(context) }
        router.post("/district/scan") { _, context in try self.startRerun(context) }
        router.get("/admin") { _, context in
            _ = try self.requireAdmin(context)
            return Response.redirect(to: "/admin/users", type: .normal)
        }
        router.get("/admin/users") { request, context in try await self.adminPage(request, context) }
        router.post("/admin/users") { request, context in try await self.createAccount(request, context) }
        router.post("/admin/users/{login}/{change}") { request, context in
            try await self.changeAccount(
                request, context, login: try WebApp.segment(context, "login"),
                change: try WebApp.segment(context, "change"))
        }
    }

    // MARK: - Responses

    static func asset(_ text: String, type: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: type, .cacheControl: "max-age=3600"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// A page; `keep`: it may be kept for its reader (`PageCache`) while nothing changes.
    static func html(_ text: String, status: HTTPResponse.Status = .ok, keep: Bool = true) -> Response {
        let body = ByteBuffer(string: text)
        if status == .ok && keep { PageCapture.current?.body = body }
        return html(body, status: status)
    }

    static func html(_ body: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: body))
    }

    /// A page: the template's content inside the layout (header with the user's navigation,
    /// a notice, the footer with the snapshot's date).
    func page(
        _ template: String, _ data: [String: Any], title: String, context: WebContext, notice: String? = nil,
        refresh: Int? = nil, status: HTTPResponse.Status = .ok
    ) -> Response {
        let content = Templates.library.render(data, withTemplate: template) ?? ""
        var layout: [String: Any] = [
            "title": title, "content": content, "asOf": snapshot.manifest.asOf.russian,
        ]
        // A page that refreshes itself shows something in motion: it is never kept.
        if let refresh { layout["refresh"] = String(refresh) }
        if let notice { layout["notice"] = notice }
        if let user = context.user {
            layout["user"] = [
                "name": user.account.name, "role": user.account.role.russian, "csrf": user.session.csrf,
                "nav": navigation(user),
            ]
        }
        return WebApp.html(
            Templates.library.render(layout, withTemplate: "layout") ?? "", status: status, keep: refresh == nil)
    }

    func navigation(_ user: SignedIn) -> [[String: Any]] {
        switch user.scope.reach {
        case .classes(let ids):
            return ids.sorted().compactMap { id in
                directory.classByID[id].map { ["href": "/classes/\(id)", "label": snapshot.classes.displayName($0)] }
            } + [["href": "/plans", "label": "Планы"]]
        case .school(let id):
            return [["href": "/schools/\(id)", "label": "Моя школа"], ["href": "/plans", "label": "Планы"]]
        case .district:
            return [
                ["href": "/district", "label": "Округ"], ["href": "/plans", "label": "Планы"],
                ["href": "/district/rules", "label": "Правила"],
            ]
        case .accounts: return [["href": "/admin/users", "label": "Учётные записи"]]
        }
    }

    func errorResponse(_ e: WebError, api: Bool, context: WebContext) -> Response {
        if api {
            let body = "{\"error\":\(WebApp.json(e.heading)),\"message\":\(WebApp.json(e.text))}"
            return Response(
                status: e.status, headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        if e == .loginExpired { return Response.redirect(to: "/login?expired=1", type: .normal) }
        return page(
            "message", ["heading": e.heading, "text": e.text], title: e.heading, context: context, status: e.status)
    }

    /// A segment of the address («SH02-7А» arrives as `SH02-7%D0%90`), decoded.
    static func segment(_ context: WebContext, _ name: String) throws -> String {
        let raw = try context.parameters.require(name)
        guard let text = raw.removingPercentEncoding else { throw WebError.notFound }
        return text
    }

    /// An id as a segment of an address: percent-encoded, as a `Location` must be.
    static func encoded(_ id: String) -> String { Form.escape(id) }

    static func json(_ s: String) -> String {
        (try? String(decoding: JSONEncoder().encode(s), as: UTF8.self)) ?? "\"\""
    }

    func query(_ request: Request) -> Form { Form(request.uri.query ?? "") }

    func requireUser(_ context: WebContext) throws -> SignedIn {
        guard let user = context.user else { throw WebError.notSignedIn }
        return user
    }

    // MARK: - Signing in and out

    func loginPage(_ request: Request, _ context: WebContext) async throws -> Response {
        if context.user != nil { return Response.redirect(to: "/", type: .normal) }
        // The token the browser already holds, if any: two tabs of the sign-in page both work.
        let held = request.cookies[WebApp.loginCookie]?.value ?? ""
        let token = Tokens.isToken(held) ? held : Tokens.random()
        let expired = query(request)["expired"] != nil
        var r = page(
            "login", ["csrf": token, "error": expired ? WebError.loginExpired.text : false], title: "Вход",
            context: context)
        r.setCookie(cookie(WebApp.loginCookie, token, maxAge: 3600))
        return r
    }

    func login(_ request: Request, _ context: WebContext) async throws -> Response {
        let login = (context.form.text("login") ?? "").lowercased()
        let password = context.form["password"] ?? ""
        let keys = ["login:" + login, "address:" + context.address]
        let now = self.now()
        func again(_ error: String, status: HTTPResponse.Status) -> Response {
            let token = Tokens.random()
            var r = page(
                "login", ["csrf": token, "error": error, "login": login], title: "Вход", context: context,
                status: status)
            r.setCookie(cookie(WebApp.loginCookie, token, maxAge: 3600))
            return r
        }
        let wait = await throttle.wait(keys, now: now)
        if wait > 0 {
            let minutes = Int((wait + 59) / 60)
            return again(
                "Слишком много неудачных попыток входа. Повторите через \(minutes) \(Russian.plural(minutes, "минуту", "минуты", "минут")).",
                status: .tooManyRequests)
        }
        let account = try await blocking { [store] in try store.account(login) }
        // A bcrypt check even for an unknown login, so the answer takes as long either way.
        let hash = account?.passwordHash ?? WebApp.unknownLoginHash
        let verified = try await blocking { Passwords.verify(password, against: hash) }
        guard let account, verified, !account.disabled else {
            await throttle.failed(keys, now: now)
            return again("Неверный логин или пароль.", status: .unauthorized)
        }
        await throttle.succeeded("login:" + login)
        let token = Tokens.random()
        let session = WebSession(
            id: token, login: account.login, csrf: Tokens.random(), createdAt: now, lastSeenAt: now)
        let old = request.cookies[WebApp.sessionCookie]?.value
        try await blocking { [store, configuration] in
            // Rotated at sign-in: whatever session the browser had is ended.
            if let old { try store.deleteSession(old) }
            try store.deleteExpiredSessions(
                idleBefore: now - configuration.idleSeconds, createdBefore: now - configuration.absoluteSeconds)
            try store.createSession(session)
        }
        var r = Response.redirect(to: "/", type: .normal)
        r.setCookie(cookie(WebApp.sessionCookie, token, maxAge: Int(configuration.absoluteSeconds)))
        r.setCookie(cookie(WebApp.loginCookie, "", maxAge: 0))
        return r
    }

    /// A bcrypt hash of no password anyone has (cost 12, as real ones), for unknown logins.
    static let unknownLoginHash = Passwords.hash(Tokens.random())

    func logout(_ request: Request, _ context: WebContext) async throws -> Response {
        if let user = context.user {
            try await blocking { [store] in try store.deleteSession(user.session.id) }
            pages.forget(session: user.session.id)
        }
        var r = Response.redirect(to: "/login", type: .normal)
        r.setCookie(cookie(WebApp.sessionCookie, "", maxAge: 0))
        return r
    }

    func home(_ context: WebContext) throws -> Response {
        let user = try requireUser(context)
        switch user.scope.reach {
        case .classes(let ids):
            guard let first = ids.sorted().first else { throw WebError.notFound }
            return Response.redirect(to: "/classes/" + WebApp.encoded(first), type: .normal)
        case .school(let id): return Response.redirect(to: "/schools/" + WebApp.encoded(id), type: .normal)
        case .district: return Response.redirect(to: "/district", type: .normal)
        case .accounts: return Response.redirect(to: "/admin/users", type: .normal)
        }
    }
}
