/// A member of staff who signs in to Mayak's web app: a class teacher with their classes, a
/// deputy head with a school, the district department, or an administrator. Accounts live in
/// the history database; the password is kept only as a bcrypt hash (made by the web target).
public struct Account: Sendable, Equatable {
    public enum Role: String, Sendable, CaseIterable {
        case teacher, deputy, department, admin

        /// As the administration page and `users list` name it.
        public var russian: String { HistoryText.role(self) }
    }

    public var login: String
    /// The person's name, as triage and plans show who acted («Иванова А. П.»).
    public var name: String
    public var role: Role
    /// A deputy head's school; a class teacher's school when given.
    public var schoolID: String?
    /// A class teacher's classes.
    public var classIDs: [String]
    public var passwordHash: String
    public var disabled: Bool
    public var createdAt: String

    public init(
        login: String, name: String, role: Role, schoolID: String?, classIDs: [String], passwordHash: String,
        disabled: Bool = false, createdAt: String
    ) {
        self.login = login
        self.name = name
        self.role = role
        self.schoolID = schoolID
        self.classIDs = classIDs
        self.passwordHash = passwordHash
        self.disabled = disabled
        self.createdAt = createdAt
    }

    /// What is wrong with an account as given, or nil: a login of 2–64 letters a–z, digits,
    /// `.`, `_`, `-`; a teacher needs a class, a deputy head a school; the department and
    /// administrators have no scope.
    public static func problem(login: String, role: Role, schoolID: String?, classIDs: [String]) -> String? {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789._-")
        guard (2...64).contains(login.count), login.allSatisfy({ allowed.contains($0) }) else {
            return HistoryText.badLogin(login)
        }
        switch role {
        case .teacher where classIDs.isEmpty:
            return HistoryText.teacherNeedsClass
        case .deputy where schoolID == nil:
            return HistoryText.deputyNeedsSchool
        case .deputy where !classIDs.isEmpty:
            return HistoryText.deputyHasNoClasses
        case .department, .admin:
            if schoolID != nil || !classIDs.isEmpty {
                return HistoryText.roleSeesAll(role)
            }
        default: break
        }
        if let bad = ([schoolID].compactMap { $0 } + classIDs).first(where: { $0.isEmpty || $0.count > 64 }) {
            return HistoryText.badScopeID(bad)
        }
        return nil
    }
}

/// A change to an account, kept for ever (append-only, as triage events): who made it, when.
public struct AccountEvent: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case created, disabled, enabled
        case passwordChanged = "password-changed"

        /// As the administration page shows it.
        public var russian: String { HistoryText.accountEvent(self) }
    }
    public var id: Int64
    public var login: String
    public var at: String
    public var actor: String
    public var kind: Kind
    public var detail: String

    public init(id: Int64 = 0, login: String, at: String, actor: String, kind: Kind, detail: String = "") {
        self.id = id
        self.login = login
        self.at = at
        self.actor = actor
        self.kind = kind
        self.detail = detail
    }

    /// What an account's creation records: its role and scope («классный руководитель; классы: SH01-5А»).
    static func created(_ a: Account, by actor: String) -> AccountEvent {
        let detail = HistoryText.accountCreated(role: a.role, school: a.schoolID, classes: a.classIDs)
        return AccountEvent(login: a.login, at: a.createdAt, actor: actor, kind: .created, detail: detail)
    }
}

/// The accounts part of a history store. Every change is recorded as an `AccountEvent` in the
/// same transaction.
public protocol AccountStore: AnyObject {
    /// Adds an account; a login already taken is an error.
    func addAccount(_ account: Account, by actor: String) throws
    func accounts() throws -> [Account]
    func account(_ login: String) throws -> Account?
    func setDisabled(_ login: String, _ disabled: Bool, by actor: String, at: String) throws
    func setPasswordHash(_ login: String, _ hash: String, by actor: String, at: String) throws
    /// The changes to accounts (one account's, or all), oldest first.
    func accountEvents(login: String?) throws -> [AccountEvent]
}
