import Foundation
import GRDB
import MayakRules
import MayakSnapshot
import MayakTestSupport
import Testing

@testable import MayakHistory

/// One contract, two stores: whatever the SQLite store does, the memory twin does too.
@Suite struct StoreContractTests {
    enum Kind: String, CaseIterable { case memory, sqlite }

    static func make(_ kind: Kind) throws -> HistoryStore {
        switch kind {
        case .memory: return MemoryHistoryStore()
        case .sqlite:
            let path = TemporaryFolders.fresh("store.sqlite").path
            return try SQLiteHistoryStore(path: path)
        }
    }

    static func alert(
        _ f: String, pupil: String = "P1", school: String = "S1", cls: String = "7А", rule: String = "r",
        severity: Severity = .medium, magnitude: Int = 1, message: String = "m"
    ) -> RunAlert {
        RunAlert(
            fingerprint: f, ruleID: rule, ruleTitle: "Правило", severity: severity, subjectKind: "pupil",
            subjectID: pupil,
            subjectName: "Ученик \(pupil)", classID: cls, className: cls, schoolID: school,
            schoolName: "Школа \(school)",
            key: "", message: message, evidence: "", magnitude: magnitude)
    }

    static func run(_ n: Int) -> RunInfo {
        // Weekly runs: the n-th on Tuesday of week n of March 2026.
        RunInfo(
            recordedAt: "2026-03-\(10 + n)T08:00:00Z",
            asOf: (Day(year: 2026, month: 3, day: 3)! + 7 * (n - 1)).description, district: "Д",
            snapshotFingerprint: "s\(n)",
            rulesHash: "h", ruleCount: 3, overrides: "", scope: "", loadMilliseconds: 1, scanMilliseconds: 2,
            alertCount: 0)
    }

    @Test(arguments: Kind.allCases)
    func runsMoveAlertsThroughTheLifecycle(kind: Kind) throws {
        let s = try Self.make(kind)
        let r1 = try s.record(Self.run(1), alerts: [Self.alert("a"), Self.alert("b")], scope: (nil, nil))
        let r2 = try s.record(Self.run(2), alerts: [Self.alert("a", message: "m2")], scope: (nil, nil))
        let r3 = try s.record(
            Self.run(3), alerts: [Self.alert("a"), Self.alert("b"), Self.alert("c")], scope: (nil, nil))
        #expect([r1, r2, r3] == [1, 2, 3])
        #expect(try s.runs().map(\.snapshotFingerprint) == ["s1", "s2", "s3"])
        let t = Dictionary(try s.trackedAlerts().map { ($0.latest.fingerprint, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(t["a"]?.state.status == .persisting)
        #expect(t["a"]?.state.weeksOpen == 3)
        #expect(t["a"]?.firstRun == 1 && t["a"]?.lastRun == 3)
        #expect(t["b"]?.state.status == .reopened)
        #expect(t["c"]?.state.status == .new)
        #expect(try s.runAlerts(2).map(\.message) == ["m2"])
        #expect(try s.tracked("a")?.latest.message == "m")
    }

    @Test(arguments: Kind.allCases)
    func aScopedRunResolvesOnlyItsScope(kind: Kind) throws {
        let s = try Self.make(kind)
        _ = try s.record(
            Self.run(1), alerts: [Self.alert("a", cls: "7А"), Self.alert("b", cls: "8Б")], scope: (nil, nil))
        _ = try s.record(Self.run(2), alerts: [], scope: (nil, "7А"))
        #expect(try s.tracked("a")?.state.status == .resolved)
        #expect(try s.tracked("b")?.state.status == .new)
    }

    @Test(arguments: Kind.allCases)
    func triageEventsAreKeptAndSurviveRescans(kind: Kind) throws {
        let s = try Self.make(kind)
        _ = try s.record(Self.run(1), alerts: [Self.alert("a", magnitude: 2)], scope: (nil, nil))
        try s.triage(
            TriageEvent(fingerprint: "a", at: "t1", actor: "Завуч", kind: .assign, detail: "Иванова"), observation: nil)
        try s.triage(
            TriageEvent(fingerprint: "a", at: "t2", actor: "Завуч", kind: .dismiss, detail: "болел, справка"),
            observation: nil)
        _ = try s.record(Self.run(2), alerts: [Self.alert("a", magnitude: 2)], scope: (nil, nil))
        #expect(try s.tracked("a")?.state.triage == .dismissed)
        #expect(try s.tracked("a")?.assignee == "Иванова")
        // Worse: more evidence than at dismissal.
        _ = try s.record(Self.run(3), alerts: [Self.alert("a", magnitude: 3)], scope: (nil, nil))
        #expect(try s.tracked("a")?.state.triage == .open)
        #expect(try s.events("a").map(\.kind) == [.assign, .dismiss])
        #expect(try s.events("a").map(\.actor) == ["Завуч", "Завуч"])
        #expect(throws: (any Error).self) {
            try s.triage(
                TriageEvent(fingerprint: "zzz", at: "t", actor: "x", kind: .comment, detail: ""), observation: nil)
        }
    }

    @Test(arguments: Kind.allCases)
    func adoptedPlansCoverTheirAlerts(kind: Kind) throws {
        let s = try Self.make(kind)
        _ = try s.record(Self.run(1), alerts: [Self.alert("a"), Self.alert("b", pupil: "P2")], scope: (nil, nil))
        let id = try s.adoptPlan(
            AdoptedPlan(
                id: 0, pupilID: "P1", pupilName: "Ученик P1", adoptedAt: "t", adoptedBy: "Завуч", closedAt: nil,
                items: [.init(position: 1, action: "Занятия", role: "учитель", due: "2026-03-20", check: "Отметки")],
                fingerprints: ["a"]))
        #expect(try s.tracked("a")?.state.coveredByPlan == id)
        _ = try s.record(Self.run(2), alerts: [], scope: (nil, nil))
        _ = try s.record(Self.run(3), alerts: [Self.alert("a")], scope: (nil, nil))
        let back = try #require(try s.tracked("a"))
        #expect(back.state.status == .reopened)
        #expect(back.state.coveredByPlan == id)
        #expect(!AlertLifecycle.isNewThisWeek(back.state))
        // A second plan for the same pupil while the first is in force is refused.
        let second = AdoptedPlan(
            id: 0, pupilID: "P1", pupilName: "Ученик P1", adoptedAt: "t2", adoptedBy: "Завуч", closedAt: nil,
            items: [.init(position: 1, action: "Другое", role: "учитель", due: "2026-03-27", check: "—")],
            fingerprints: ["a"])
        #expect(
            throws: HistoryError(
                "у ученика P1 уже действует план №\(id): сначала закройте его (mayak plans close \(id))")
        ) {
            try s.adoptPlan(second)
        }
        #expect(try s.plans(pupilID: "P1").count == 1)
        try s.markDone(planID: id, position: 1, on: "2026-03-18", by: "Учитель", at: "2026-03-18T10:00:00Z")
        #expect(try s.plans(pupilID: "P1").first?.items.first?.doneOn == "2026-03-18")
        // Done once: a second «done» does not move the date.
        #expect(throws: HistoryError("пункт 1 плана №\(id) уже отмечен выполненным 18.03.2026 (Учитель)")) {
            try s.markDone(planID: id, position: 1, on: "2026-03-25", by: "Завуч", at: "2026-03-25T10:00:00Z")
        }
        #expect(throws: HistoryError("в плане №\(id) нет пункта 2")) {
            try s.markDone(planID: id, position: 2, on: "2026-03-25", by: "Завуч", at: "2026-03-25T10:00:00Z")
        }
        #expect(try s.plans(pupilID: "P1").first?.items.first?.doneOn == "2026-03-18")
        try s.closePlan(planID: id, at: "2026-03-30T09:00:00Z", by: "Завуч")
        #expect(try s.plans(pupilID: "P1").first?.isActive == false)
        #expect(throws: HistoryError("нет действующего плана №\(id)")) {
            try s.closePlan(planID: id, at: "t10", by: "Завуч")
        }
        // Once closed, a new plan may be adopted.
        let next = try s.adoptPlan(second)
        #expect(next != id)
        try s.closePlan(planID: next, at: "2026-03-31T09:00:00Z", by: "Завуч")
        #expect(
            throws: HistoryError(
                "план №\(next) закрыт \(Russian.moment("2026-03-31T09:00:00Z")): его пункты больше не меняются")
        ) {
            try s.markDone(planID: next, position: 1, on: "2026-04-01", by: "Учитель", at: "2026-04-01T10:00:00Z")
        }
        #expect(try s.tracked("a")?.state.coveredByPlan == nil)
        #expect(try s.plans(pupilID: "P2").isEmpty)
    }

    @Test(arguments: Kind.allCases)
    func accountsAreKeptByLogin(_ kind: Kind) throws {
        let s = try #require(try Self.make(kind) as? any AccountStore)
        let teacher = Account(
            login: "ivanova", name: "Иванова А. П.", role: .teacher, schoolID: "SH01",
            classIDs: ["SH01-5А", "SH01-6Б"],
            passwordHash: "$2b$04$x", createdAt: "2026-03-16T09:00:00Z")
        let deputy = Account(
            login: "a.zavuch", name: "Завуч", role: .deputy, schoolID: "SH01", classIDs: [], passwordHash: "$2b$04$y",
            createdAt: "2026-03-16T09:01:00Z")
        try s.addAccount(teacher, by: "Администратор")
        try s.addAccount(deputy, by: "Администратор")
        #expect(throws: HistoryError("учётная запись «ivanova» уже есть")) {
            try s.addAccount(teacher, by: "Администратор")
        }
        #expect(try s.accounts() == [deputy, teacher])
        #expect(try s.account("ivanova") == teacher)
        #expect(try s.account("nobody") == nil)
        try s.setDisabled("ivanova", true, by: "Администратор", at: "2026-03-17T09:00:00Z")
        #expect(try s.account("ivanova")?.disabled == true)
        try s.setPasswordHash("ivanova", "$2b$04$z", by: "Иванова", at: "2026-03-18T09:00:00Z")
        #expect(try s.account("ivanova")?.passwordHash == "$2b$04$z")
        #expect(try s.account("a.zavuch") == deputy)
        #expect(throws: HistoryError("нет учётной записи «nobody»")) {
            try s.setDisabled("nobody", true, by: "x", at: "t")
        }
        #expect(throws: HistoryError("нет учётной записи «nobody»")) {
            try s.setPasswordHash("nobody", "h", by: "x", at: "t")
        }
        // Every change is on record, and a refused one is not.
        #expect(
            try s.accountEvents(login: "ivanova").map { [$0.kind.rawValue, $0.actor, $0.at, $0.detail] } == [
                [
                    "created", "Администратор", "2026-03-16T09:00:00Z",
                    "классный руководитель; школа SH01; классы: SH01-5А, SH01-6Б",
                ],
                ["disabled", "Администратор", "2026-03-17T09:00:00Z", ""],
                ["password-changed", "Иванова", "2026-03-18T09:00:00Z", ""],
            ])
        #expect(try s.accountEvents(login: nil).count == 4)
        #expect(try s.accountEvents(login: "nobody").isEmpty)
    }

    @Test func sqliteEventsCannotBeRewritten() throws {
        let path = TemporaryFolders.fresh("events.sqlite").path
        let s = try SQLiteHistoryStore(path: path)
        _ = try s.record(Self.run(1), alerts: [Self.alert("a")], scope: (nil, nil))
        try s.triage(
            TriageEvent(fingerprint: "a", at: "t", actor: "Завуч", kind: .comment, detail: "первое"), observation: nil)
        let queue = try DatabaseQueue(path: path)
        #expect(throws: (any Error).self) {
            try queue.write { try $0.execute(sql: "UPDATE event SET detail = 'подмена'") }
        }
        #expect(throws: (any Error).self) { try queue.write { try $0.execute(sql: "DELETE FROM event") } }
        try s.addAccount(
            Account(
                login: "ivanova", name: "Иванова", role: .department, schoolID: nil, classIDs: [],
                passwordHash: "$2b$04$x",
                createdAt: "t"), by: "Администратор")
        #expect(throws: (any Error).self) {
            try queue.write { try $0.execute(sql: "UPDATE accountEvent SET actor = 'никто'") }
        }
        #expect(throws: (any Error).self) { try queue.write { try $0.execute(sql: "DELETE FROM accountEvent") } }
        #expect(try s.events("a").map(\.detail) == ["первое"])
    }

    @Test func aDatabaseFromAnOlderMayakIsUpgradedInPlace() throws {
        let path = TemporaryFolders.fresh("older.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try SQLiteHistoryStore.migrator.migrate(queue, upTo: "v1-events")
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO run (recordedAt, asOf, district, snapshotFingerprint, rulesHash, ruleCount, overrides, scope, loadMilliseconds, scanMilliseconds, alertCount)
                    VALUES ('t', '2026-03-06', 'Д', 's', 'h', 14, '', '', 1, 1, 0)
                    """)
        }
        try queue.close()
        let s = try SQLiteHistoryStore(path: path)
        #expect(try s.runs().map(\.rulesVersion) == ["unversioned"])
        _ = try s.record(Self.run(2), alerts: [Self.alert("a")], scope: (nil, nil))
        #expect(try s.runs().count == 2)
    }

    @Test func aDatabaseFromANewerMayakIsRefusedAndLeftAsItWas() throws {
        let path = TemporaryFolders.fresh("newer.sqlite").path
        _ = try SQLiteHistoryStore(path: path)
        // Written in the rollback-journal mode, as a newer Mayak might leave it.
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-future')")
        }
        try queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA journal_mode=DELETE") }
        try queue.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        for access in [SQLiteHistoryStore.Access.read, .write, .create] {
            do {
                _ = try SQLiteHistoryStore(path: path, access: access)
                Issue.record("a newer database must be refused")
            } catch {
                #expect("\(error)".contains("записана более новой версией Маяка"))
                #expect("\(error)".contains("v9-future"))
            }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before, "the refused file is unchanged")
    }

    @Test func readingNeedsAnExistingStoreAndChangesNothing() throws {
        let path = TemporaryFolders.fresh("missing.sqlite").path
        for access in [SQLiteHistoryStore.Access.read, .write] {
            #expect(throws: HistoryError.self) { try SQLiteHistoryStore(path: path, access: access) }
        }
        #expect(!FileManager.default.fileExists(atPath: path), "no database is created by a refused open")
        let s = try SQLiteHistoryStore(path: path, access: .create)
        _ = try s.record(Self.run(1), alerts: [Self.alert("a")], scope: (nil, nil))
        let files = {
            try FileManager.default.contentsOfDirectory(atPath: TemporaryFolders.root.path).filter {
                $0.hasPrefix(URL(fileURLWithPath: path).lastPathComponent)
            }.sorted()
        }
        let listed = try files()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let reader = try SQLiteHistoryStore(path: path, access: .read)
        #expect(try reader.trackedAlerts().map(\.latest.fingerprint) == ["a"])
        #expect(throws: (any Error).self) {
            try reader.triage(
                TriageEvent(fingerprint: "a", at: "t", actor: "Завуч", kind: .comment, detail: "x"), observation: nil)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(try files() == listed, "reading creates no file")
    }

    @Test func anotherProgramsDatabaseIsNotTouched() throws {
        let path = TemporaryFolders.fresh("other.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: "CREATE TABLE contacts (name TEXT)") }
        try queue.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        for access in [SQLiteHistoryStore.Access.read, .write, .create] {
            #expect(
                throws: HistoryError("\(path) — база SQLite другой программы, а не история Маяка; Маяк её не изменит")
            ) {
                try SQLiteHistoryStore(path: path, access: access)
            }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        TemporaryFolders.write(Data("plain text".utf8), to: path)
        #expect(throws: HistoryError("\(path) — не база истории (не файл SQLite)")) {
            try SQLiteHistoryStore(path: path, access: .create)
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "plain text")
    }
}
