import Foundation
import Testing

/// `mayak validate` compares a scan with what the generator planted, and only with the truth
/// of the same generation: a truth file of another date or seed would give wrong figures.
@Suite struct ValidateCommandTests {
    @Test func refusesATruthFileOfAnotherSnapshot() throws {
        let work = try MayakBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        for (seed, asOf, name) in [
            ("3", "2026-03-13", "march"), ("3", "2026-11-27", "nov"), ("4", "2026-03-13", "other"),
        ] {
            let r = try MayakBinary.run(
                ["generate", "--seed", seed, "--as-of", asOf, "--truth", "\(name).csv", "--out", name], in: work)
            #expect(r.status == 0, "\(r.stderr)")
        }
        let manifest = try String(contentsOf: work.appendingPathComponent("march/manifest.yaml"), encoding: .utf8)
        #expect(manifest.contains("generated: { preset: district, seed: 3 }\n"))

        let same = try MayakBinary.run(["validate", "march", "--truth", "march.csv"], in: work)
        #expect(same.status == 0, "\(same.stderr)")
        #expect(same.stdout.contains("chronic-absence"))

        let otherDay = try MayakBinary.run(["validate", "march", "--truth", "nov.csv"], in: work)
        #expect(otherDay.status == 1)
        #expect(otherDay.stdout.isEmpty)
        #expect(otherDay.stderr.hasPrefix("ошибка: nov.csv: файл --truth написан для снимка seed 3 на 27.11.2026"))
        #expect(otherDay.stderr.contains("этот снимок — seed 3 на 13.03.2026"))
        let otherSeed = try MayakBinary.run(["validate", "march", "--truth", "other.csv"], in: work)
        #expect(otherSeed.status == 1)
        #expect(otherSeed.stderr.contains("снимка seed 4 на 13.03.2026"), "\(otherSeed.stderr)")

        // A truth file of an older Mayak (no seed and as_of columns) is refused, not trusted.
        let rows = try String(contentsOf: work.appendingPathComponent("march.csv"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).dropLast(2) }
        let old = rows.map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
        try Data(old.utf8).write(to: work.appendingPathComponent("old.csv"))
        let older = try MayakBinary.run(["validate", "march", "--truth", "old.csv"], in: work)
        #expect(older.status == 1)
        #expect(older.stderr.contains("нет столбцов seed и as_of"), "\(older.stderr)")

        // A snapshot the generator did not make (no generated: in its manifest) has no truth.
        let edited = manifest.replacingOccurrences(of: "generated: { preset: district, seed: 3 }\n", with: "")
        try Data(edited.utf8).write(to: work.appendingPathComponent("march/manifest.yaml"))
        let imported = try MayakBinary.run(["validate", "march", "--truth", "march.csv"], in: work)
        #expect(imported.status == 1)
        #expect(imported.stderr.contains("снимок сделан не командой mayak generate"), "\(imported.stderr)")
    }

    @Test func aBadGeneratedKeyIsPositioned() throws {
        let work = try MayakBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        #expect(try MayakBinary.run(["generate", "--out", "d"], in: work).status == 0)
        let path = work.appendingPathComponent("d/manifest.yaml")
        let text = try String(contentsOf: path, encoding: .utf8)
            .replacingOccurrences(of: "seed: 1 }", with: "seed: -1 }")
        try Data(text.utf8).write(to: path)
        let r = try MayakBinary.run(["check", "d"], in: work)
        #expect(r.status == 1)
        #expect(r.stderr.contains("manifest.yaml:"), "\(r.stderr)")
        #expect(r.stderr.contains("seed"), "\(r.stderr)")
    }
}
