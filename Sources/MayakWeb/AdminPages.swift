import Foundation
import Hummingbird
import MayakHistory
import MayakSnapshot

extension WebApp {
    // MARK: - Administration: accounts, roles, scopes

    func requireAdmin(_ context: WebContext) throws -> SignedIn {
        let user = try requireUser(context)
        guard user.scope.reach == .accounts else { throw WebError.forbidden }
        return user
    }

    /// The accounts with their roles and scopes, a form to add one, and the record of every
    /// change to accounts (who, when).
    func adminPage(_ request: Request, _ context: WebContext, error: String? = nil, typed: Form? = nil) async throws
        -> Response
    {
        let user = try requireAdmin(context)
        let (accounts, events) = try await blocking { [store] in
            (try store.accounts(), try store.accountEvents(login: nil))
        }
        let q = query(request)
        let typed = typed ?? Form("")
        let data: [String: Any] = [
            "csrf": user.session.csrf, "error": error ?? false,
            "accounts": accounts.map { a -> [String: Any] in
                [
                    "login": a.login, "name": a.name, "role": a.role.russian, "scope": scopeText(a),
                    "disabled": a.disabled, "self": a.login == user.account.login,
                    "created": Russian.moment(a.createdAt),
                ]
            },
            "roles": Account.Role.allCases.map {
                ["value": $0.rawValue, "label": $0.russian, "selected": $0.rawValue == typed["role"]]
            },
            "schools": (0..<snapshot.schools.count).map {
                [
                    "value": snapshot.schools.id[$0], "label": snapshot.schools.name[$0],
                    "selected": snapshot.schools.id[$0] == typed["school"],
                ]
            },
            "typedLogin": typed["login"] ?? "", "typedName": typed["name"] ?? "",
            "typedClasses": typed["classes"] ?? "",
            "hasEvents": !events.isEmpty,
            "events": events.suffix(200).reversed().map { e -> [String: Any] in
                [
                    "at": Russian.moment(e.at), "actor": e.actor, "login": e.login, "kind": e.kind.russian,
                    "detail": e.detail,
                ]
            },
        ]
        return page(
            "admin", data, title: "Учётные записи", context: context, notice: error == nil ? adminNotice(q) : nil,
            status: error == nil ? .ok : .badRequest)
    }

    /// «школа: МБОУ …; классы: 5А, 6Б» from the snapshot's names.
    func scopeText(_ a: Account) -> String {
        var parts: [String] = []
        if let id = a.schoolID {
            parts.append("школа: " + (directory.schoolByID[id].map { snapshot.schools.name[$0] } ?? id))
        }
        if !a.classIDs.isEmpty {
            let names = a.classIDs.map { id in directory.classByID[id].map { snapshot.classes.displayName($0) } ?? id }
            parts.append("классы: " + names.joined(separator: ", "))
        }
        if parts.isEmpty { return a.role == .admin ? "учётные записи" : "все школы" }
        return parts.joined(separator: "; ")
    }

    func adminNotice(_ q: Form) -> String? {
        guard let login = q["login"] else { return nil }
        switch q["saved"] {
        case "created": return "Учётная запись \(login) создана."
        case "disabled": return "Учётная запись \(login) отключена: вход закрыт, открытые сеансы завершены."
        case "enabled": return "Учётная запись \(login) снова действует."
        case "password": return "Пароль учётной записи \(login) сменён, её открытые сеансы завершены."
        default: return nil
        }
    }

    /// What is wrong with a new account as the form gives it, in words for the administrator:
    /// the login's form, the role's scope, and that the school and classes are the snapshot's.
    func accountProblem(login: String, role: Account.Role, schoolID: String?, classIDs: [String]) -> String? {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789._-")
        guard (2...64).contains(login.count), login.allSatisfy({ allowed.contains($0) }) else {
            return "Логин — от 2 до 64 знаков: строчные латинские буквы, цифры, точка, «_» и «-»."
        }
        if let id = schoolID, directory.schoolByID[id] == nil { return "Школы «\(id)» нет в данных." }
        for id in classIDs {
            guard let c = directory.classByID[id] else { return "Класса «\(id)» нет в данных." }
            let school = snapshot.schools.id[Int(snapshot.classes.school[c])]
            if let s = schoolID, s != school {
                return "Класс \(snapshot.classes.displayName(c)) не из выбранной школы."
            }
        }
        switch role {
        case .teacher where classIDs.isEmpty: return "Классному руководителю нужен хотя бы один класс."
        case .deputy where schoolID == nil: return "Заместителю директора нужна школа."
        case .deputy where !classIDs.isEmpty: return "Заместитель директора видит всю школу: классы не указываются."
        case .department,
            .admin where schoolID != nil || !classIDs.isEmpty:
            return "Роль «\(role.russian)» охватывает все школы: школа и классы не указываются."
        default: return nil
        }
    }

    static func passwordProblem(_ password: String, _ again: String) -> String? {
        if password != again { return "Пароли не совпадают." }
        return Passwords.problem(password)?.russian
    }

    func createAccount(_ request: Request, _ context: WebContext) async throws -> Response {
        let user = try requireAdmin(context)
        let form = context.form
        let login = (form.text("login") ?? "").lowercased()
        let name = String((form.text("name") ?? login).prefix(200))
        let classIDs = (form["classes"] ?? "").split(whereSeparator: { $0 == "," || $0 == " " || $0 == ";" })
            .map(String.init)
        guard let role = form["role"].flatMap(Account.Role.init(rawValue:)) else {
            return try await adminPage(request, context, error: "Выберите роль.", typed: form)
        }
        let schoolID = role == .department || role == .admin ? nil : form.text("school")
        if let problem = accountProblem(login: login, role: role, schoolID: schoolID, classIDs: classIDs)
            ?? WebApp.passwordProblem(form["password"] ?? "", form["password2"] ?? "")
        {
            return try await adminPage(request, context, error: problem, typed: form)
        }
        let password = form["password"] ?? ""
        let (cost, at, actor) = (configuration.bcryptCost, moment(), user.actor)
        let account = Account(
            login: login, name: name, role: role, schoolID: schoolID, classIDs: classIDs, passwordHash: "",
            createdAt: at)
        let added: Bool = try await blocking { [store] in
            guard try store.account(login) == nil else { return false }
            var a = account
            a.passwordHash = Passwords.hash(password, cost: cost)
            try store.addAccount(a, by: actor)
            return true
        }
        guard added else {
            return try await adminPage(request, context, error: "Логин «\(login)» уже занят.", typed: form)
        }
        return Response.redirect(to: "/admin/users?saved=created&login=\(WebApp.encoded(login))", type: .normal)
    }

    /// Disables or enables an account, or sets its password; a disabled account and one with a
    /// new password are signed out everywhere.
    func changeAccount(_ request: Request, _ context: WebContext, login: String, change: String) async throws
        -> Response
    {
        let user = try requireAdmin(context)
        guard try await blocking({ [store] in try store.account(login) }) != nil else { throw WebError.notFound }
        let (cost, at, actor) = (configuration.bcryptCost, moment(), user.actor)
        switch change {
        case "disable", "enable":
            let disabled = change == "disable"
            if disabled && login == user.account.login {
                return try await adminPage(
                    request, context, error: "Свою учётную запись отключить нельзя: некому будет включить её снова.")
            }
            try await blocking { [store] in
                try store.setDisabled(login, disabled, by: actor, at: at)
                if disabled { try store.deleteSessions(login: login) }
            }
        case "password":
            let password = context.form["password"] ?? ""
            if let problem = WebApp.passwordProblem(password, context.form["password2"] ?? "") {
                return try await adminPage(request, context, error: "\(login): \(problem)")
            }
            try await blocking { [store] in
                try store.setPasswordHash(login, Passwords.hash(password, cost: cost), by: actor, at: at)
                try store.deleteSessions(login: login)
            }
        default: throw WebError.notFound
        }
        let saved = change == "password" ? "password" : change + "d"
        return Response.redirect(to: "/admin/users?saved=\(saved)&login=\(WebApp.encoded(login))", type: .normal)
    }
}
