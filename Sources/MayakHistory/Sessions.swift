import GRDB

/// A signed-in browser: the web app's session, kept in the history database so that a
/// restarted server keeps its users signed in and `users disable` ends their sessions. The
/// id is the cookie's random token: the database is as secret as the pupils' data it holds.
public struct WebSession: Sendable, Equatable {
    /// The session cookie's random token (32 bytes, hex).
    public var id: String
    public var login: String
    /// The token forms and API calls must send back (`csrf`, `X-CSRF-Token`).
    public var csrf: String
    /// Seconds since 1970: when it was made, when it was last used.
    public var createdAt: Int64
    public var lastSeenAt: Int64

    public init(id: String, login: String, csrf: String, createdAt: Int64, lastSeenAt: Int64) {
        self.id = id
        self.login = login
        self.csrf = csrf
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
    }
}

/// The sessions part of a history store.
public protocol SessionStore: AnyObject {
    func createSession(_ session: WebSession) throws
    func session(_ id: String) throws -> WebSession?
    /// Records a use of the session (for the idle expiry).
    func touchSession(_ id: String, at: Int64) throws
    func deleteSession(_ id: String) throws
    /// Ends every session of an account (disabled, or its password changed).
    func deleteSessions(login: String) throws
    /// Removes the sessions idle since before `idleBefore` or made before `createdBefore`.
    func deleteExpiredSessions(idleBefore: Int64, createdBefore: Int64) throws
}

extension MemoryHistoryStore: SessionStore {
    public func createSession(_ s: WebSession) throws {
        guard sessionsByID[s.id] == nil else { throw HistoryError(HistoryText.sessionExists) }
        sessionsByID[s.id] = s
    }
    public func session(_ id: String) throws -> WebSession? { sessionsByID[id] }
    public func touchSession(_ id: String, at: Int64) throws { sessionsByID[id]?.lastSeenAt = at }
    public func deleteSession(_ id: String) throws { sessionsByID[id] = nil }
    public func deleteSessions(login: String) throws { sessionsByID = sessionsByID.filter { $0.value.login != login } }
    public func deleteExpiredSessions(idleBefore: Int64, createdBefore: Int64) throws {
        sessionsByID = sessionsByID.filter { $0.value.lastSeenAt >= idleBefore && $0.value.createdAt >= createdBefore }
    }
}

extension SQLiteHistoryStore: SessionStore {
    public func createSession(_ s: WebSession) throws {
        try pool.write { db in
            try db.execute(
                sql: "INSERT INTO session (id, login, csrf, createdAt, lastSeenAt) VALUES (?, ?, ?, ?, ?)",
                arguments: [s.id, s.login, s.csrf, s.createdAt, s.lastSeenAt])
        }
    }

    public func session(_ id: String) throws -> WebSession? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM session WHERE id = ?", arguments: [id]).map { r in
                WebSession(
                    id: r["id"], login: r["login"], csrf: r["csrf"], createdAt: r["createdAt"],
                    lastSeenAt: r["lastSeenAt"])
            }
        }
    }

    public func touchSession(_ id: String, at: Int64) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE session SET lastSeenAt = ? WHERE id = ?", arguments: [at, id])
        }
    }

    public func deleteSession(_ id: String) throws {
        try pool.write { db in try db.execute(sql: "DELETE FROM session WHERE id = ?", arguments: [id]) }
    }

    public func deleteSessions(login: String) throws {
        try pool.write { db in try db.execute(sql: "DELETE FROM session WHERE login = ?", arguments: [login]) }
    }

    public func deleteExpiredSessions(idleBefore: Int64, createdBefore: Int64) throws {
        try pool.write { db in
            try db.execute(
                sql: "DELETE FROM session WHERE lastSeenAt < ? OR createdAt < ?",
                arguments: [idleBefore, createdBefore])
        }
    }
}
