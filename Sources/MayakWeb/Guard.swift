import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// What every request passes, in one place: the size limit, the session, the same-origin and
/// CSRF checks of state-changing requests, sign-in for everything but the sign-in page, and
/// the security headers on every answer. Errors become a Russian page (or JSON for the API)
/// that reveals nothing of the server; details go to the log, never pupils' names (addresses
/// hold ids only).
struct Guard: RouterMiddleware {
    typealias Context = WebContext
    let app: WebApp

    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!
    static let fetchSite = HTTPField.Name("Sec-Fetch-Site")!

    /// Paths open without signing in.
    static func isPublic(_ path: String) -> Bool {
        path == "/login" || path == "/favicon.ico" || path.hasPrefix("/static/")
    }

    func handle(
        _ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        let path = request.uri.path
        let api = path.hasPrefix("/api/")
        var response: Response
        do {
            if let length = request.headers[.contentLength].flatMap(Int.init), length > WebApp.maximumBody {
                throw WebError.tooLarge
            }
            context.user = try await app.signedIn(request)
            if request.method != .get && request.method != .head {
                guard sameOrigin(request) else { throw WebError.crossSite }
                let body = try await request.body.collect(upTo: WebApp.maximumBody)
                // The API takes JSON, and its token only in the header; pages send forms.
                if api {
                    context.body = String(buffer: body)
                } else {
                    context.form = Form(String(buffer: body))
                }
                let sent = request.headers[Guard.csrfHeader] ?? (api ? nil : context.form["csrf"])
                let expected =
                    path == "/login" ? request.cookies[WebApp.loginCookie]?.value : context.user?.session.csrf
                guard let sent, let expected, Tokens.same(sent, expected) else {
                    throw path == "/login" ? WebError.loginExpired : WebError.badToken
                }
            }
            if context.user == nil && !Guard.isPublic(path) {
                if api { throw WebError.notSignedIn }
                return Response.redirect(to: "/login", type: .normal)
            }
            if request.method == .get, !api, let user = context.user, !Guard.isPublic(path) {
                response = try await kept(request, context, user, next)
            } else {
                response = try await next(request, context)
            }
        } catch let e as WebError {
            response = app.errorResponse(e, api: api, context: context)
        } catch let e as HTTPError where e.status == .contentTooLarge {
            response = app.errorResponse(.tooLarge, api: api, context: context)
        } catch let e as HTTPError where e.status == .notFound {
            response = app.errorResponse(.notFound, api: api, context: context)
        } catch {
            context.logger.error("\(WebText.requestFailed(error))", metadata: ["path": "\(path)"])
            response = app.errorResponse(.serverFault, api: api, context: context)
        }
        secure(&response.headers)
        return response
    }

    /// A page from the cache when the reader has seen it and nothing it shows has changed;
    /// otherwise made, and kept when it is a page.
    func kept(
        _ request: Request, _ context: WebContext, _ user: SignedIn,
        _ next: (Request, WebContext) async throws -> Response
    ) async throws -> Response {
        let key = PageCache.key(session: user.session.id, uri: request.uri.description)
        let version = try await app.pageVersion()
        if let body = app.pages.page(key, version) { return WebApp.html(body) }
        let capture = PageCapture()
        let response = try await PageCapture.$current.withValue(capture) { try await next(request, context) }
        if response.status == .ok, let body = capture.body { app.pages.keep(key, version, body) }
        return response
    }

    /// A state-changing request must come from a page of this server: its `Origin` (when
    /// sent) names this host, and `Sec-Fetch-Site` (when sent) says same-origin or none.
    func sameOrigin(_ request: Request) -> Bool {
        if let site = request.headers[Guard.fetchSite], site != "same-origin", site != "none" { return false }
        if let origin = request.headers[.origin] {
            guard let host = request.head.authority else { return false }
            return origin == "http://\(host)" || origin == "https://\(host)"
        }
        return true
    }

    func secure(_ h: inout HTTPFields) {
        h[.contentSecurityPolicy] =
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        h[.xContentTypeOptions] = "nosniff"
        // Not "no-referrer": with it Chromium sends `Origin: null` on form posts, and the
        // same-origin check would refuse them. Addresses hold ids only, never names.
        h[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        h[HTTPField.Name("X-Frame-Options")!] = "DENY"
        if h[.cacheControl] == nil { h[.cacheControl] = "no-store" }
    }
}

/// What a request can be refused for, as the user reads it.
enum WebError: Error, Equatable {
    case notFound, forbidden, notSignedIn, crossSite, badToken, loginExpired, tooLarge, serverFault
    case invalid(String)

    var status: HTTPResponse.Status {
        switch self {
        case .notFound: return .notFound
        case .forbidden, .crossSite, .badToken, .loginExpired: return .forbidden
        case .notSignedIn: return .unauthorized
        case .tooLarge: return .contentTooLarge
        case .serverFault: return .internalServerError
        case .invalid: return .badRequest
        }
    }

    var heading: String {
        switch self {
        case .notFound: return "Страница не найдена"
        case .forbidden: return "Нет доступа"
        case .notSignedIn: return "Нужно войти"
        case .crossSite, .badToken: return "Действие не выполнено"
        case .loginExpired: return "Форма входа устарела"
        case .tooLarge: return "Слишком большой запрос"
        case .serverFault: return "Ошибка сервера"
        case .invalid: return "Действие не выполнено"
        }
    }

    var text: String {
        switch self {
        case .notFound: return "Такой страницы нет или она вам недоступна."
        case .forbidden: return "Этот раздел не для вашей роли."
        case .notSignedIn: return "Войдите в Маяк, чтобы продолжить."
        case .crossSite: return "Запрос пришёл не со страницы Маяка, поэтому ничего не изменено."
        case .badToken:
            return "Страница устарела (например, вы вышли и вошли снова). Обновите её и повторите действие."
        case .loginExpired: return "Обновите страницу входа и войдите снова."
        case .tooLarge: return "Запрос больше \(WebApp.maximumBody / 1024) КБ и не принят."
        case .serverFault:
            return "Что-то пошло не так. Ничего не изменено; попробуйте ещё раз или сообщите администратору."
        case .invalid(let why): return why
        }
    }
}
