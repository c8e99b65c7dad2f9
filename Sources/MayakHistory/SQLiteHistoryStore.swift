import Foundation
import GRDB
import MayakRules

#if canImport(GRDBSQLite)
    import GRDBSQLite
#else
    import SQLite3
#endif

/// The history in one SQLite file (GRDB): WAL, so reports and `alerts list` read while a scan
/// writes; foreign keys; named, append-only migrations; triage events that cannot be updated
/// or deleted (triggers refuse it). Sendable: its state is the path and GRDB's pool, which is
/// safe across threads.
public final class SQLiteHistoryStore: HistoryStore, @unchecked Sendable {
    let pool: DatabasePool
    public let path: String
    /// A connection of its own that never writes, opened on first use: it asks SQLite whether
    /// any other connection (this process's or another's, such as a scan by the CLI) has
    /// committed since it last asked (`changeStamp()`).
    private var watch: DatabaseQueue?
    private let watchLock = NSLock()

    /// The schema, as a list of named migrations. Never edit one that has shipped: add another.
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-runs") { db in
            try db.create(table: "run") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("recordedAt", .text).notNull()
                t.column("asOf", .text).notNull()
                t.column("district", .text).notNull()
                t.column("snapshotFingerprint", .text).notNull()
                t.column("rulesHash", .text).notNull()
                t.column("ruleCount", .integer).notNull()
                t.column("overrides", .text).notNull()
                t.column("scope", .text).notNull()
                t.column("loadMilliseconds", .integer).notNull()
                t.column("scanMilliseconds", .integer).notNull()
                t.column("alertCount", .integer).notNull()
            }
            try db.create(table: "runAlert") { t in
                t.column("runId", .integer).notNull().references("run", onDelete: .cascade)
                t.column("fingerprint", .text).notNull()
                for c in [
                    "ruleID", "ruleTitle", "severity", "subjectKind", "subjectID", "subjectName", "classID",
                    "className",
                    "schoolID", "schoolName", "key", "message", "evidence",
                ] { t.column(c, .text).notNull() }
                t.column("magnitude", .integer).notNull()
                t.primaryKey(["runId", "fingerprint"])
            }
        }
        m.registerMigration("v1-plans") { db in
            try db.create(table: "plan") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("pupilID", .text).notNull().indexed()
                t.column("pupilName", .text).notNull()
                t.column("adoptedAt", .text).notNull()
                t.column("adoptedBy", .text).notNull()
                t.column("closedAt", .text)
            }
            try db.create(table: "planItem") { t in
                t.column("planId", .integer).notNull().references("plan", onDelete: .cascade)
                t.column("position", .integer).notNull()
                for c in ["action", "role", "due", "check"] { t.column(c, .text).notNull() }
                t.column("doneOn", .text)
                t.column("doneBy", .text)
                t.primaryKey(["planId", "position"])
            }
        }
        m.registerMigration("v1-alerts") { db in
            try db.create(table: "alert") { t in
                t.primaryKey("fingerprint", .text)
                t.column("status", .text).notNull()
                t.column("weeksOpen", .integer).notNull()
                t.column("triage", .text).notNull()
                t.column("dismissedSeverity", .text)
                t.column("dismissedMagnitude", .integer)
                t.column("coveredByPlan", .integer).references("plan")
                t.column("firstRun", .integer).notNull().references("run")
                t.column("lastRun", .integer).notNull().references("run")
                t.column("seenInRun", .integer).notNull().references("run")
                t.column("assignee", .text)
            }
            try db.create(table: "planAlert") { t in
                t.column("planId", .integer).notNull().references("plan", onDelete: .cascade)
                t.column("fingerprint", .text).notNull().references("alert")
                t.primaryKey(["planId", "fingerprint"])
            }
        }
        m.registerMigration("v1-events") { db in
            try db.create(table: "event") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("fingerprint", .text).notNull().indexed().references("alert")
                t.column("at", .text).notNull()
                t.column("actor", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("detail", .text).notNull()
            }
            try appendOnly(table: "event", triggers: "eventIsAppendOnly", saying: "triage events are append-only", db)
        }
        m.registerMigration("v2-run-rules-version") { db in
            try db.alter(table: "run") { t in t.add(column: "rulesVersion", .text).notNull().defaults(to: "unversioned")
            }
        }
        m.registerMigration("v3-alert-opened-on") { db in
            // Weeks open are counted from the as-of date of the run that opened the alert. For
            // alerts recorded before, that date is taken as weekly runs would give it.
            try db.alter(table: "alert") { t in t.add(column: "openedOn", .text) }
            try db.execute(
                sql: """
                    UPDATE alert SET openedOn = date((SELECT asOf FROM run WHERE run.id = alert.seenInRun), printf('-%d days', 7 * (weeksOpen - 1)))
                    """)
        }
        m.registerMigration("v4-worse-when") { db in
            // The rules' own measure of worse (`worse_when`) replaces the size of the evidence:
            // a measure recorded before is not comparable, so a dismissal made then keeps only
            // its severity.
            try db.alter(table: "runAlert") { t in t.add(column: "worseText", .text).notNull().defaults(to: "") }
            try db.alter(table: "alert") { t in t.add(column: "reopenedBecause", .text) }
            try db.execute(sql: "UPDATE alert SET dismissedMagnitude = NULL")
        }
        m.registerMigration("v5-accounts") { db in
            try db.create(table: "account") { t in
                t.primaryKey("login", .text)
                t.column("name", .text).notNull()
                t.column("role", .text).notNull()
                t.column("schoolID", .text)
                // The class teacher's classes, separated by newlines (ids hold none).
                t.column("classIDs", .text).notNull()
                t.column("passwordHash", .text).notNull()
                t.column("disabled", .boolean).notNull()
                t.column("createdAt", .text).notNull()
            }
        }
        m.registerMigration("v6-sessions") { db in
            try db.create(table: "session") { t in
                t.primaryKey("id", .text)
                t.column("login", .text).notNull().references("account", column: "login", onDelete: .cascade)
                t.column("csrf", .text).notNull()
                t.column("createdAt", .integer).notNull()
                t.column("lastSeenAt", .integer).notNull()
            }
            try db.create(index: "session_login", on: "session", columns: ["login"])
        }
        m.registerMigration("v7-plan-edits") { db in
            // Plans adopted with edits: who answers for each step, where the step came from,
            // and the suggested steps left out (their actions, separated by newlines).
            try db.alter(table: "planItem") { t in
                t.add(column: "responsible", .text).notNull().defaults(to: "")
                t.add(column: "origin", .text).notNull().defaults(to: AdoptedPlan.Item.Origin.suggested.rawValue)
            }
            try db.alter(table: "plan") { t in t.add(column: "dropped", .text).notNull().defaults(to: "") }
        }
        m.registerMigration("v8-account-events") { db in
            // Who created, disabled, enabled an account or changed its password, and when.
            try db.create(table: "accountEvent") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("login", .text).notNull().indexed()
                t.column("at", .text).notNull()
                t.column("actor", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("detail", .text).notNull()
            }
            try appendOnly(
                table: "accountEvent", triggers: "accountEventIsAppendOnly", saying: "account events are append-only",
                db)
        }
        m.registerMigration("v9-run-alert-indexes") { db in
            // The web app reads a school's or a pupil's alerts, not every alert of the district.
            try db.create(index: "runAlert_school", on: "runAlert", columns: ["schoolID", "runId"])
            try db.create(index: "runAlert_subject", on: "runAlert", columns: ["subjectID", "runId"])
        }
        m.registerMigration("v10-rule-settings") { db in
            // The district's rule parameters, version after version (the newest is in force):
            // who applied them, when and why. Never changed: a new version is a new row.
            try db.create(table: "ruleSettings") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("at", .text).notNull()
                t.column("actor", .text).notNull()
                t.column("comment", .text).notNull()
                t.column("assignments", .text).notNull()
            }
            try appendOnly(
                table: "ruleSettings", triggers: "ruleSettingsAreAppendOnly", saying: "rule settings are append-only",
                db)
        }
        return m
    }

    /// Triggers that refuse to update or delete a row of `table` (named `triggers` + U / D),
    /// with `message`: what is kept for ever cannot be rewritten, not even by hand in SQLite.
    static func appendOnly(table: String, triggers: String, saying message: String, _ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TRIGGER \(triggers)U BEFORE UPDATE ON \(table) BEGIN SELECT RAISE(ABORT, '\(message)'); END;
                CREATE TRIGGER \(triggers)D BEFORE DELETE ON \(table) BEGIN SELECT RAISE(ABORT, '\(message)'); END;
                """)
    }

    /// How a command uses the store.
    public enum Access: Sendable {
        /// Reads only: the file must exist and is never changed (opened read-only, so a
        /// read-only file works too).
        case read
        /// Changes an existing store (triage, plans).
        case write
        /// Records runs: the store is created when it does not exist yet.
        case create
    }

    /// Opens the store. A missing store is an error unless `access` is `.create`. A store
    /// written by a newer Mayak is refused before anything touches the file; an older one is
    /// brought up to date only by a writing command.
    public init(path: String, access: Access = .create) throws {
        self.path = path
        var isFolder: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
        if exists && isFolder.boolValue { throw HistoryError(HistoryText.isFolder(path)) }
        if !exists && access != .create {
            throw HistoryError(HistoryText.noSuchDatabase(path))
        }
        let migrator = SQLiteHistoryStore.migrator
        var readOnly = Configuration()
        readOnly.readonly = true
        readOnly.busyMode = .timeout(10)
        if exists {
            // Look before opening for writing: opening a pool switches the file to WAL.
            let applied: Set<String>
            let tables: Int
            do {
                let queue = try DatabaseQueue(path: path, configuration: readOnly)
                (applied, tables) = try queue.read { db in
                    (
                        try migrator.appliedIdentifiers(db),
                        try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0
                    )
                }
                try queue.close()
            } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
                throw HistoryError(HistoryText.notSQLite(path))
            }
            if applied.isEmpty && tables > 0 {
                throw HistoryError(HistoryText.anotherProgram(path))
            }
            if applied.isEmpty && access == .read {
                throw HistoryError(HistoryText.noHistoryYet(path))
            }
            let known = Set(migrator.migrations)
            let unknown = applied.subtracting(known)
            if !unknown.isEmpty {
                throw HistoryError(HistoryText.newerMayak(path, steps: unknown.sorted()))
            }
            if access == .read && applied != known {
                throw HistoryError(HistoryText.olderMayak(path))
            }
        }
        if access == .read {
            pool = try DatabasePool(path: path, configuration: readOnly)
            return
        }
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            // Persistent WAL: the -wal and -shm files stay when the last writer closes, so a
            // read-only command later finds them and creates no file (GRDB's DatabaseSharing).
            var flag: CInt = 1
            let code = withUnsafeMutablePointer(to: &flag) {
                sqlite3_file_control(db.sqliteConnection, nil, SQLITE_FCNTL_PERSIST_WAL, $0)
            }
            guard code == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: code)) }
        }
        pool = try DatabasePool(path: path, configuration: config)
        try migrator.migrate(pool)
    }

    /// A number that changes whenever anything is committed to the store, by any connection of
    /// any process (SQLite's `PRAGMA data_version` on a connection that never writes): what a
    /// cache of pages built from the store compares to know it is still true.
    public func changeStamp() throws -> Int {
        try watchLock.withLock {
            if watch == nil {
                var config = Configuration()
                config.readonly = true
                config.busyMode = .timeout(10)
                watch = try DatabaseQueue(path: path, configuration: config)
            }
            return try watch!.read { db in try Int.fetchOne(db, sql: "PRAGMA data_version") ?? 0 }
        }
    }

    // MARK: - Rows

    static func runInfo(_ r: Row) -> RunInfo {
        RunInfo(
            id: r["id"], recordedAt: r["recordedAt"], asOf: r["asOf"], district: r["district"],
            snapshotFingerprint: r["snapshotFingerprint"],
            rulesHash: r["rulesHash"], rulesVersion: r["rulesVersion"], ruleCount: r["ruleCount"],
            overrides: r["overrides"], scope: r["scope"],
            loadMilliseconds: r["loadMilliseconds"], scanMilliseconds: r["scanMilliseconds"],
            alertCount: r["alertCount"])
    }

    /// A run's alert from a row whose first columns are `runAlertColumns`, in that order
    /// (read by position: looking columns up by name costs more than the rest of the read).
    static func runAlert(_ r: Row, from i: Int = 0) -> RunAlert {
        var a = RunAlert.empty
        a.fingerprint = r[i]
        a.ruleID = r[i + 1]
        a.ruleTitle = r[i + 2]
        a.severity = Severity(rawValue: r[i + 3]) ?? .info
        a.subjectKind = r[i + 4]
        a.subjectID = r[i + 5]
        a.subjectName = r[i + 6]
        a.classID = r[i + 7]
        a.className = r[i + 8]
        a.schoolID = r[i + 9]
        a.schoolName = r[i + 10]
        a.key = r[i + 11]
        a.message = r[i + 12]
        a.evidence = r[i + 13]
        a.magnitude = r[i + 14]
        a.worseText = r[i + 15]
        return a
    }

    static let runAlertColumns = [
        "fingerprint", "ruleID", "ruleTitle", "severity", "subjectKind", "subjectID", "subjectName", "classID",
        "className", "schoolID", "schoolName", "key", "message", "evidence", "magnitude", "worseText",
    ].map { "runAlert.\($0)" }.joined(separator: ", ")

    /// A tracked alert from a row of `trackedSQL`: the alert's state, then the run's alert.
    static func tracked(_ r: Row) -> TrackedAlert {
        let state = TrackedState(
            status: LifecycleStatus(rawValue: r[0]) ?? .new, weeksOpen: r[1], openedOn: r[2],
            triage: TriageState(rawValue: r[3]) ?? .open,
            dismissedSeverity: (r[4] as String?).flatMap(Severity.init(rawValue:)),
            dismissedMagnitude: r[5], coveredByPlan: r[6], reopenedBecause: r[7])
        return TrackedAlert(
            latest: runAlert(r, from: 12), state: state, firstRun: r[8], lastRun: r[9], seenInRun: r[10],
            assignee: r[11])
    }

    static let trackedSQL = """
        SELECT alert.status, alert.weeksOpen, alert.openedOn, alert.triage, alert.dismissedSeverity,
               alert.dismissedMagnitude, alert.coveredByPlan, alert.reopenedBecause, alert.firstRun, alert.lastRun,
               alert.seenInRun, alert.assignee, \(runAlertColumns)
        FROM alert JOIN runAlert ON runAlert.runId = alert.lastRun AND runAlert.fingerprint = alert.fingerprint
        """

    func insert(_ a: RunAlert, run: Int64, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO runAlert (runId, fingerprint, ruleID, ruleTitle, severity, subjectKind, subjectID, subjectName, classID, className,
                                      schoolID, schoolName, key, message, evidence, magnitude, worseText)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                run, a.fingerprint, a.ruleID, a.ruleTitle, a.severity.rawValue, a.subjectKind, a.subjectID,
                a.subjectName,
                a.classID, a.className, a.schoolID, a.schoolName, a.key, a.message, a.evidence, a.magnitude,
                a.worseText,
            ])
    }

    func save(_ t: TrackedAlert, _ db: Database) throws {
        let s = t.state
        try db.execute(
            sql: """
                INSERT INTO alert (fingerprint, status, weeksOpen, openedOn, triage, dismissedSeverity, dismissedMagnitude, coveredByPlan, firstRun, lastRun, seenInRun, assignee, reopenedBecause)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(fingerprint) DO UPDATE SET status = excluded.status, weeksOpen = excluded.weeksOpen, openedOn = excluded.openedOn, triage = excluded.triage,
                  dismissedSeverity = excluded.dismissedSeverity, dismissedMagnitude = excluded.dismissedMagnitude, coveredByPlan = excluded.coveredByPlan,
                  firstRun = excluded.firstRun, lastRun = excluded.lastRun, seenInRun = excluded.seenInRun, assignee = excluded.assignee,
                  reopenedBecause = excluded.reopenedBecause
                """,
            arguments: [
                t.latest.fingerprint, s.status.rawValue, s.weeksOpen, s.openedOn, s.triage.rawValue,
                s.dismissedSeverity?.rawValue,
                s.dismissedMagnitude, s.coveredByPlan, t.firstRun, t.lastRun, t.seenInRun, t.assignee,
                s.reopenedBecause,
            ])
    }

    // MARK: - HistoryStore

    /// A hook for the crash test: called inside the recording transaction, after the rows are
    /// written and before the commit.
    public var beforeCommit: (() -> Void)?

    public func record(_ run: RunInfo, alerts: [RunAlert], scope: (schoolID: String?, classID: String?)) throws -> Int64
    {
        try pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO run (recordedAt, asOf, district, snapshotFingerprint, rulesHash, rulesVersion, ruleCount, overrides, scope, loadMilliseconds, scanMilliseconds, alertCount)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    run.recordedAt, run.asOf, run.district, run.snapshotFingerprint, run.rulesHash, run.rulesVersion,
                    run.ruleCount,
                    run.overrides, run.scope, run.loadMilliseconds, run.scanMilliseconds, run.alertCount,
                ])
            let id = db.lastInsertedRowID
            for a in alerts { try insert(a, run: id, db) }
            var previous: [String: TrackedAlert] = [:]
            for r in try Row.fetchAll(db, sql: SQLiteHistoryStore.trackedSQL) {
                let t = SQLiteHistoryStore.tracked(r)
                previous[t.latest.fingerprint] = t
            }
            var planOf: [String: Int64] = [:]
            for r in try Row.fetchAll(
                db,
                sql:
                    "SELECT planAlert.fingerprint, planAlert.planId FROM planAlert JOIN plan ON plan.id = planAlert.planId WHERE plan.closedAt IS NULL"
            ) {
                planOf[r["fingerprint"]] = r["planId"]
            }
            for t in RunRecording.apply(
                previous: previous, alerts: alerts, runID: id, asOf: run.asOf, scope: scope, planOf: planOf)
            { try save(t, db) }
            beforeCommit?()
            return id
        }
    }

    public func runs() throws -> [RunInfo] {
        try pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM run ORDER BY id").map(SQLiteHistoryStore.runInfo)
        }
    }

    public func runAlerts(_ runID: Int64) throws -> [RunAlert] {
        try pool.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT \(SQLiteHistoryStore.runAlertColumns) FROM runAlert WHERE runId = ? ORDER BY fingerprint",
                arguments: [runID]
            )
            .map { SQLiteHistoryStore.runAlert($0) }
        }
    }

    public func trackedAlerts() throws -> [TrackedAlert] {
        try pool.read { db in
            try Row.fetchAll(db, sql: SQLiteHistoryStore.trackedSQL + " ORDER BY alert.fingerprint").map(
                SQLiteHistoryStore.tracked)
        }
    }

    public func trackedAlerts(schoolID: String?, subjectID: String?) throws -> [TrackedAlert] {
        var clauses: [String] = []
        var arguments: StatementArguments = []
        if let schoolID {
            clauses.append("runAlert.schoolID = ?")
            arguments += [schoolID]
        }
        if let subjectID {
            clauses.append("runAlert.subjectID = ?")
            arguments += [subjectID]
        }
        let filter = clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")
        return try pool.read { db in
            try Row.fetchAll(
                db, sql: SQLiteHistoryStore.trackedSQL + filter + " ORDER BY alert.fingerprint", arguments: arguments
            ).map(SQLiteHistoryStore.tracked)
        }
    }

    public func tracked(_ fingerprint: String) throws -> TrackedAlert? {
        try pool.read { db in
            try Row.fetchOne(
                db, sql: SQLiteHistoryStore.trackedSQL + " WHERE alert.fingerprint = ?", arguments: [fingerprint]
            ).map(SQLiteHistoryStore.tracked)
        }
    }

    public func events(_ fingerprint: String) throws -> [TriageEvent] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM event WHERE fingerprint = ? ORDER BY id", arguments: [fingerprint])
                .map { r in
                    TriageEvent(
                        id: r["id"], fingerprint: r["fingerprint"], at: r["at"], actor: r["actor"],
                        kind: TriageEvent.Kind(rawValue: r["kind"]) ?? .comment, detail: r["detail"])
                }
        }
    }

    public func triage(_ event: TriageEvent, observation: Observation?) throws {
        try pool.write { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: SQLiteHistoryStore.trackedSQL + " WHERE alert.fingerprint = ?",
                    arguments: [event.fingerprint])
            else {
                throw HistoryError(HistoryText.noAlert(fingerprint: event.fingerprint))
            }
            var t = SQLiteHistoryStore.tracked(row)
            try SQLiteHistoryStore.append([event], db)
            let (state, assignee) = RunRecording.apply(
                event, to: t.state, observation: observation ?? t.latest.observation)
            t.state = state
            if case .some(let a) = assignee { t.assignee = a }
            try save(t, db)
        }
    }

    public func adoptPlan(_ plan: AdoptedPlan) throws -> Int64 {
        try pool.write { db in
            // In the transaction: two adoptions at once (the CLI and the server) cannot both pass.
            if let open = try Int64.fetchOne(
                db, sql: "SELECT id FROM plan WHERE pupilID = ? AND closedAt IS NULL ORDER BY id LIMIT 1",
                arguments: [plan.pupilID])
            {
                throw PlanRules.alreadyInForce(plan.pupilID, open)
            }
            try db.execute(
                sql:
                    "INSERT INTO plan (pupilID, pupilName, adoptedAt, adoptedBy, closedAt, dropped) VALUES (?, ?, ?, ?, NULL, ?)",
                arguments: [
                    plan.pupilID, plan.pupilName, plan.adoptedAt, plan.adoptedBy, plan.dropped.joined(separator: "\n"),
                ])
            var adopted = plan
            adopted.id = db.lastInsertedRowID
            for item in plan.items {
                try db.execute(
                    sql: """
                        INSERT INTO planItem (planId, position, action, role, responsible, due, "check", origin, doneOn, doneBy)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)
                        """,
                    arguments: [
                        adopted.id, item.position, item.action, item.role, item.responsible, item.due, item.check,
                        item.origin.rawValue,
                    ])
            }
            for f in plan.fingerprints {
                try db.execute(
                    sql: "INSERT INTO planAlert (planId, fingerprint) VALUES (?, ?)", arguments: [adopted.id, f])
                try db.execute(
                    sql: "UPDATE alert SET coveredByPlan = ? WHERE fingerprint = ?", arguments: [adopted.id, f])
            }
            try SQLiteHistoryStore.append(PlanEvents.adopted(adopted), db)
            return adopted.id
        }
    }

    static func append(_ events: [TriageEvent], _ db: Database) throws {
        for e in events {
            try db.execute(
                sql: "INSERT INTO event (fingerprint, at, actor, kind, detail) VALUES (?, ?, ?, ?, ?)",
                arguments: [e.fingerprint, e.at, e.actor, e.kind.rawValue, e.detail])
        }
    }

    public func plans(pupilID: String?) throws -> [AdoptedPlan] {
        try pool.read { db in try SQLiteHistoryStore.plans(pupilID: pupilID, planID: nil, db) }
    }

    /// How many alerts of each severity every run recorded (one query: the district's trend).
    public func alertCountsByRun() throws -> [Int64: [Severity: Int]] {
        try pool.read { db in
            var counts: [Int64: [Severity: Int]] = [:]
            for r in try Row.fetchAll(
                db, sql: "SELECT runId, severity, count(*) FROM runAlert GROUP BY runId, severity")
            {
                let run: Int64 = r[0]
                guard let severity = Severity(rawValue: r[1]) else { continue }
                counts[run, default: [:]][severity] = r[2]
            }
            return counts
        }
    }

    /// One plan by its number, or nil.
    public func plan(id: Int64) throws -> AdoptedPlan? {
        try pool.read { db in try SQLiteHistoryStore.plans(pupilID: nil, planID: id, db).first }
    }

    /// Plans with their items and alerts, in three queries whatever their number.
    static func plans(pupilID: String?, planID: Int64?, _ db: Database) throws -> [AdoptedPlan] {
        var clauses: [String] = []
        var arguments: StatementArguments = []
        if let pupilID {
            clauses.append("plan.pupilID = ?")
            arguments += [pupilID]
        }
        if let planID {
            clauses.append("plan.id = ?")
            arguments += [planID]
        }
        let filter = clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")
        var items: [Int64: [AdoptedPlan.Item]] = [:]
        for i in try Row.fetchAll(
            db,
            sql:
                "SELECT planItem.* FROM planItem JOIN plan ON plan.id = planItem.planId\(filter) ORDER BY planId, position",
            arguments: arguments)
        {
            items[i["planId"], default: []].append(
                AdoptedPlan.Item(
                    position: i["position"], action: i["action"], role: i["role"], responsible: i["responsible"],
                    due: i["due"], check: i["check"],
                    origin: AdoptedPlan.Item.Origin(rawValue: i["origin"]) ?? .suggested, doneOn: i["doneOn"],
                    doneBy: i["doneBy"]))
        }
        var fingerprints: [Int64: [String]] = [:]
        for r in try Row.fetchAll(
            db,
            sql:
                "SELECT planAlert.planId, planAlert.fingerprint FROM planAlert JOIN plan ON plan.id = planAlert.planId\(filter) ORDER BY planId, fingerprint",
            arguments: arguments)
        {
            fingerprints[r["planId"], default: []].append(r["fingerprint"])
        }
        return try Row.fetchAll(db, sql: "SELECT * FROM plan\(filter) ORDER BY id", arguments: arguments).map { r in
            let id: Int64 = r["id"]
            let dropped: String = r["dropped"]
            return AdoptedPlan(
                id: id, pupilID: r["pupilID"], pupilName: r["pupilName"], adoptedAt: r["adoptedAt"],
                adoptedBy: r["adoptedBy"], closedAt: r["closedAt"], items: items[id] ?? [],
                fingerprints: fingerprints[id] ?? [],
                dropped: dropped.isEmpty ? [] : dropped.components(separatedBy: "\n"))
        }
    }

    public func markDone(planID: Int64, position: Int, on: String, by: String, at: String) throws {
        try pool.write { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT plan.closedAt AS closedAt, planItem.doneOn AS doneOn, planItem.doneBy AS doneBy
                        FROM planItem JOIN plan ON plan.id = planItem.planId
                        WHERE planItem.planId = ? AND planItem.position = ?
                        """, arguments: [planID, position])
            else { throw PlanRules.noItem(planID, position) }
            if let closed: String = row["closedAt"] { throw PlanRules.closed(planID, closed) }
            if let done: String = row["doneOn"] {
                throw PlanRules.alreadyDone(planID, position, on: done, by: row["doneBy"] ?? "")
            }
            try db.execute(
                sql: "UPDATE planItem SET doneOn = ?, doneBy = ? WHERE planId = ? AND position = ?",
                arguments: [on, by, planID, position])
            guard let plan = try SQLiteHistoryStore.plans(pupilID: nil, planID: planID, db).first,
                let item = plan.items.first(where: { $0.position == position })
            else { throw PlanRules.noItem(planID, position) }
            try SQLiteHistoryStore.append(PlanEvents.stepDone(plan, item, at: at, by: by), db)
        }
    }

    public func closePlan(planID: Int64, at: String, by: String) throws {
        try pool.write { db in
            try db.execute(
                sql: "UPDATE plan SET closedAt = ? WHERE id = ? AND closedAt IS NULL", arguments: [at, planID])
            if db.changesCount == 0 { throw HistoryError(HistoryText.noOpenPlan(planID)) }
            try db.execute(sql: "UPDATE alert SET coveredByPlan = NULL WHERE coveredByPlan = ?", arguments: [planID])
            if let plan = try SQLiteHistoryStore.plans(pupilID: nil, planID: planID, db).first {
                try SQLiteHistoryStore.append(PlanEvents.closed(plan, at: at, by: by), db)
            }
        }
    }
}

extension RunAlert {
    static var empty: RunAlert {
        RunAlert(
            fingerprint: "", ruleID: "", ruleTitle: "", severity: .info, subjectKind: "", subjectID: "",
            subjectName: "", classID: "",
            className: "", schoolID: "", schoolName: "", key: "", message: "", evidence: "", magnitude: 0)
    }

    public init(
        fingerprint: String, ruleID: String, ruleTitle: String, severity: Severity, subjectKind: String,
        subjectID: String,
        subjectName: String, classID: String, className: String, schoolID: String, schoolName: String, key: String,
        message: String, evidence: String, magnitude: Int
    ) {
        self.fingerprint = fingerprint
        self.ruleID = ruleID
        self.ruleTitle = ruleTitle
        self.severity = severity
        self.subjectKind = subjectKind
        self.subjectID = subjectID
        self.subjectName = subjectName
        self.classID = classID
        self.className = className
        self.schoolID = schoolID
        self.schoolName = schoolName
        self.key = key
        self.message = message
        self.evidence = evidence
        self.magnitude = magnitude
    }
}

extension SQLiteHistoryStore: AccountStore {
    public func addAccount(_ a: Account, by actor: String) throws {
        try pool.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM account WHERE login = ?", arguments: [a.login]) != nil {
                throw HistoryError(HistoryText.accountExists(a.login))
            }
            try db.execute(
                sql: """
                    INSERT INTO account (login, name, role, schoolID, classIDs, passwordHash, disabled, createdAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    a.login, a.name, a.role.rawValue, a.schoolID, a.classIDs.joined(separator: "\n"), a.passwordHash,
                    a.disabled, a.createdAt,
                ])
            try Self.append(.created(a, by: actor), db)
        }
    }

    public func accounts() throws -> [Account] {
        try pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM account ORDER BY login").map(Self.account) }
    }

    public func account(_ login: String) throws -> Account? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM account WHERE login = ?", arguments: [login]).map(
                Self.account)
        }
    }

    public func setDisabled(_ login: String, _ disabled: Bool, by actor: String, at: String) throws {
        try changeAccount(
            login, sql: "UPDATE account SET disabled = ? WHERE login = ?", [disabled, login],
            AccountEvent(login: login, at: at, actor: actor, kind: disabled ? .disabled : .enabled))
    }

    public func setPasswordHash(_ login: String, _ hash: String, by actor: String, at: String) throws {
        try changeAccount(
            login, sql: "UPDATE account SET passwordHash = ? WHERE login = ?", [hash, login],
            AccountEvent(login: login, at: at, actor: actor, kind: .passwordChanged))
    }

    func changeAccount(_ login: String, sql: String, _ arguments: StatementArguments, _ event: AccountEvent) throws {
        try pool.write { db in
            try db.execute(sql: sql, arguments: arguments)
            if db.changesCount == 0 { throw HistoryError(HistoryText.noAccount(login)) }
            try Self.append(event, db)
        }
    }

    public func accountEvents(login: String?) throws -> [AccountEvent] {
        try pool.read { db in
            let rows =
                login == nil
                ? try Row.fetchAll(db, sql: "SELECT * FROM accountEvent ORDER BY id")
                : try Row.fetchAll(
                    db, sql: "SELECT * FROM accountEvent WHERE login = ? ORDER BY id", arguments: [login])
            return rows.map { r in
                AccountEvent(
                    id: r["id"], login: r["login"], at: r["at"], actor: r["actor"],
                    kind: AccountEvent.Kind(rawValue: r["kind"]) ?? .created, detail: r["detail"])
            }
        }
    }

    static func append(_ e: AccountEvent, _ db: Database) throws {
        try db.execute(
            sql: "INSERT INTO accountEvent (login, at, actor, kind, detail) VALUES (?, ?, ?, ?, ?)",
            arguments: [e.login, e.at, e.actor, e.kind.rawValue, e.detail])
    }

    static func account(_ r: Row) -> Account {
        let classes: String = r["classIDs"]
        return Account(
            login: r["login"], name: r["name"], role: Account.Role(rawValue: r["role"]) ?? .teacher,
            schoolID: r["schoolID"], classIDs: classes.isEmpty ? [] : classes.components(separatedBy: "\n"),
            passwordHash: r["passwordHash"], disabled: r["disabled"], createdAt: r["createdAt"])
    }
}
