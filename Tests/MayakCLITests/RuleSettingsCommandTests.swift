import Foundation
import GRDB
import Testing

/// The district's rule parameters kept in the history (applied by the department in the web
/// app) are what a later `mayak scan --db` of that history uses, under its own `--set`.
@Suite struct RuleSettingsCommandTests {
    static let snapshot = MayakBinary.fixtures.appendingPathComponent("snapshots/tiny").path

    /// The scan's alerts (ndjson lines) with these arguments.
    static func alerts(_ extra: [String]) throws -> (lines: [Substring], stderr: String) {
        let r = try MayakBinary.ok(
            ["scan", snapshot, "--rules", MayakBinary.rules.path, "--format", "ndjson", "--no-cache"] + extra)
        return (r.stdout.split(separator: "\n"), r.stderr)
    }

    @Test func aScanIntoTheHistoryUsesTheSettingsInForce() throws {
        let work = try MayakBinary.temporaryFolder()
        let db = work.appendingPathComponent("h.sqlite").path
        let plain = try Self.alerts([]).lines
        let tuned = try Self.alerts(["--set", "na-risk.min_marks=1"]).lines
        try #require(plain.count != tuned.count)
        #expect(try Self.alerts(["--db", db]).lines == plain)
        try DatabaseQueue(path: db).write { db in
            try db.execute(
                sql: "INSERT INTO ruleSettings (at, actor, comment, assignments) VALUES (?, ?, ?, ?)",
                arguments: [
                    "2026-03-13T09:00:00Z", "Отдел (department)", "проба",
                    "na-risk.min_marks=1\nno-such-rule.threshold=2",
                ])
        }
        let (lines, stderr) = try Self.alerts(["--db", db])
        #expect(lines == tuned)
        #expect(stderr.contains("Параметры правил из истории: версия №1"), "\(stderr)")
        #expect(stderr.contains("no-such-rule.threshold: the pack has no such rule; left out"), "\(stderr)")
        let recorded = try DatabaseQueue(path: db).read { db in
            try String.fetchAll(db, sql: "SELECT overrides FROM run ORDER BY id")
        }
        #expect(recorded == ["", "settings=1"])
        // What the command is told itself wins over the history's settings.
        #expect(try Self.alerts(["--db", db, "--set", "na-risk.min_marks=3"]).lines == plain)
        // And the settings cannot be rewritten behind the department's back.
        #expect(throws: DatabaseError.self) {
            try DatabaseQueue(path: db).write { db in try db.execute(sql: "UPDATE ruleSettings SET comment = 'x'") }
        }
    }
}
