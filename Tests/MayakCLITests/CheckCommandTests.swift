import Foundation
import Testing

@Suite struct CheckCommandTests {
    @Test func tinySnapshotSummary() throws {
        let r = try MayakBinary.run(["check", MayakBinary.fixtures.appendingPathComponent("snapshots/tiny").path])
        #expect(r.status == 0)
        #expect(r.stderr.isEmpty)
        #expect(r.stdout.contains("Тестовый муниципальный округ, 2025/2026 учебный год, данные на 13.03.2026"))
        #expect(r.stdout.contains("Школ: 2; классов: 5; учеников: 9"))
        #expect(r.stdout.contains("Отметок: 15; отметок за периоды: 21; пропусков: 5"))
        let total = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("Итого по округу") })
        #expect(total.split(separator: " ").suffix(6) == ["8", "8", "75,0", "62,5", "63,4", "2"])
    }

    @Test func exportEncodingLoadsTheSame() throws {
        let utf8 = try MayakBinary.ok(["check", MayakBinary.fixtures.appendingPathComponent("snapshots/tiny").path])
        let cp1251 = try MayakBinary.run([
            "check", MayakBinary.fixtures.appendingPathComponent("snapshots/tiny-cp1251").path,
        ])
        #expect(cp1251.status == 0)
        #expect(utf8.stdout == cp1251.stdout)
        let forced = try MayakBinary.ok([
            "check", "--encoding", "cp1251", MayakBinary.fixtures.appendingPathComponent("snapshots/tiny-cp1251").path,
        ])
        #expect(forced.stdout == utf8.stdout)
    }

    @Test func wrongEncodingForcedFailsWithOneErrorPerFile() throws {
        let r = try MayakBinary.run(["check", "--encoding", "utf8", "snapshots/tiny-cp1251"], in: MayakBinary.fixtures)
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty, "no partial summary on errors")
        let first = try #require(r.stderr.split(separator: "\n").first)
        #expect(
            first
                == "snapshots/tiny-cp1251/schools.csv:2:6: error: the file is not valid UTF-8 here (byte 0xCC); if it is Windows-1251, pass --encoding cp1251; the rest of the file is not read"
        )
        #expect(r.stderr.hasSuffix("10 errors, 0 warnings\n"))
    }

    @Test func missingFolder() throws {
        let r = try MayakBinary.run(["check", "/nonexistent/snapshot"])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("/nonexistent/snapshot: error: no such snapshot folder"))
    }
}
