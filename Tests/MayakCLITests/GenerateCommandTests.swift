import Foundation
import Testing

@Suite struct GenerateCommandTests {
    /// The README's flow: generate the default district, then check it.
    @Test func generateThenCheck() throws {
        let work = try MayakBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let gen = try MayakBinary.run(
            ["generate", "--seed", "3", "--truth", "truth.csv", "--out", "district"], in: work)
        #expect(gen.status == 0, "\(gen.stderr)")
        #expect(gen.stdout.hasPrefix("Wrote district: 8 schools"))
        #expect(gen.stdout.contains("MB/s"))
        let truth = try String(contentsOf: work.appendingPathComponent("truth.csv"), encoding: .utf8)
        #expect(truth.hasPrefix("pupil_id,condition,subject,period,detail,planted\n"))
        let check = try MayakBinary.run(["check", "district"], in: work)
        #expect(check.status == 0)
        #expect(check.stderr.isEmpty, "a generated district loads without warnings: \(check.stderr.prefix(500))")
        #expect(check.stdout.contains("Итоги периода: II четверть, I полугодие"))
        #expect(check.stdout.split(separator: "\n").filter { $0.hasPrefix("МБОУ") }.count == 8)
        // Names of pupils are personal data: the summary shows none.
        let pupils = try String(contentsOf: work.appendingPathComponent("district/pupils.csv"), encoding: .utf8)
        let someName = try #require(pupils.split(separator: "\n").dropFirst().first?.split(separator: ",")[2])
        #expect(!check.stdout.contains(someName))

        // Without --force an existing folder is left alone.
        let again = try MayakBinary.run(["generate", "--out", "district"], in: work)
        #expect(again.status == 1)
        #expect(again.stderr == "error: district already exists and is not empty; pass --force to replace it\n")
    }

    @Test func badAsOfIsAUsageError() throws {
        let r = try MayakBinary.run(["generate", "--as-of", "2026-02-30", "--out", "/tmp/never"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("--as-of: expected a date as YYYY-MM-DD, found '2026-02-30'"))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never"))
    }

    @Test func demoPrintsTheDistrictSummary() throws {
        let r = try MayakBinary.run(["demo", "--rules", MayakBinary.rules.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("Демо-округ: 8 школ"))
        #expect(r.stdout.contains("Итого по округу"))
        #expect(r.stdout.contains("Проверка правилами (14 правил"))
        #expect(r.stdout.contains("failing-two-subjects:"))
        #expect(r.stdout.contains("Индивидуальный план:"))
    }
}
