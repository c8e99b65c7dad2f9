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
        let utf8 = try MayakBinary.run(["check", MayakBinary.fixtures.appendingPathComponent("snapshots/tiny").path])
        let cp1251 = try MayakBinary.run(["check", MayakBinary.fixtures.appendingPathComponent("snapshots/tiny-cp1251").path])
        #expect(cp1251.status == 0)
        #expect(utf8.stdout == cp1251.stdout)
        let forced = try MayakBinary.run(["check", "--encoding", "cp1251", MayakBinary.fixtures.appendingPathComponent("snapshots/tiny-cp1251").path])
        #expect(forced.stdout == utf8.stdout)
    }

    @Test func wrongEncodingForcedFailsWithOneErrorPerFile() throws {
        let r = try MayakBinary.run(["check", "--encoding", "utf8", "snapshots/tiny-cp1251"], in: MayakBinary.fixtures)
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty, "no partial summary on errors")
        let first = try #require(r.stderr.split(separator: "\n").first)
        #expect(first == "snapshots/tiny-cp1251/schools.csv:2:6: error: the file is not valid UTF-8 here (byte 0xCC); if it is Windows-1251, pass --encoding cp1251; the rest of the file is not read")
        #expect(r.stderr.hasSuffix("10 errors, 0 warnings\n"))
    }

    /// Every bad fixture, through the real binary: the exact diagnostics and the exit code.
    @Test(arguments: try FileManager.default.contentsOfDirectory(atPath: MayakBinary.fixtures.appendingPathComponent("bad").path).sorted())
    func badFixture(name: String) throws {
        let work = try MayakBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let fm = FileManager.default
        let snapshot = work.appendingPathComponent("SNAPSHOT")
        try fm.copyItem(at: MayakBinary.fixtures.appendingPathComponent("snapshots/tiny"), to: snapshot)
        let overlay = MayakBinary.fixtures.appendingPathComponent("bad/\(name)")
        var expected = ""
        for file in try fm.contentsOfDirectory(atPath: overlay.path) {
            if file == "expected.txt" { expected = try String(contentsOf: overlay.appendingPathComponent(file), encoding: .utf8); continue }
            try? fm.removeItem(at: snapshot.appendingPathComponent(file))
            try fm.copyItem(at: overlay.appendingPathComponent(file), to: snapshot.appendingPathComponent(file))
        }
        let r = try MayakBinary.run(["check", "SNAPSHOT"], in: work)
        #expect(r.stderr + "exit \(r.status)\n" == expected)
        if r.status != 0 { #expect(r.stdout.isEmpty) }
    }

    @Test func missingFolder() throws {
        let r = try MayakBinary.run(["check", "/nonexistent/snapshot"])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("/nonexistent/snapshot: error: no such snapshot folder"))
    }
}
