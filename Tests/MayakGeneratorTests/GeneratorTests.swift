import Foundation
import MayakTestSupport
import Testing

@testable import MayakGenerator
@testable import MayakSnapshot

/// The default district, generated once for all the plausibility tests (with its truth file).
final class GeneratedDistrict: @unchecked Sendable {
    static let shared = GeneratedDistrict()
    let folder: String
    let truthPath: String
    let report: GenerationReport
    let snapshot: Snapshot
    let truth: [[String: String]]

    private init() {
        let base = TemporaryFolders.fresh("gen").path
        folder = base + "/district"
        truthPath = base + "/truth.csv"
        do {
            report = try DistrictGenerator(options: GeneratorOptions(seed: 42, output: folder, truth: truthPath)).run()
            snapshot = try SnapshotLoader(folder: folder).load().snapshot
        } catch {
            fatalError("the default district must generate and load: \(error)")
        }
        truth = GeneratedDistrict.readCSV(truthPath)
    }

    static func readCSV(_ path: String) -> [[String: String]] {
        do { return try CSVReader.rows(path: path) } catch { fatalError("\(path) must read: \(error)") }
    }
}

@Suite struct GeneratorDeterminismTests {
    func files(_ folder: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            out[name] = FileManager.default.contents(atPath: folder + "/" + name)
        }
        return out
    }

    @Test func sameSeedGivesIdenticalFiles() throws {
        let base = TemporaryFolders.fresh("det").path
        defer { try? FileManager.default.removeItem(atPath: base) }
        _ = try DistrictGenerator(options: GeneratorOptions(seed: 7, output: base + "/a", truth: base + "/a.csv")).run()
        _ = try DistrictGenerator(options: GeneratorOptions(seed: 7, output: base + "/b", truth: base + "/b.csv")).run()
        _ = try DistrictGenerator(options: GeneratorOptions(seed: 8, output: base + "/c")).run()
        let a = try files(base + "/a")
        let b = try files(base + "/b")
        let c = try files(base + "/c")
        // The tables, the manifest, and the marker that says Mayak wrote the folder.
        #expect(a.keys.sorted() == (SnapshotLoader.File.allCases.map(\.rawValue) + [".mayak-output"]).sorted())
        for (name, data) in a { #expect(b[name] == data, "\(name) differs between two runs with the same seed") }
        #expect(
            FileManager.default.contents(atPath: base + "/a.csv")
                == FileManager.default.contents(atPath: base + "/b.csv"))
        #expect(a["marks.csv"] != c["marks.csv"], "another seed must give other marks")
        #expect(!FileManager.default.fileExists(atPath: base + "/a.partial"))
    }

    @Test func refusesToOverwriteWithoutForce() throws {
        let base = TemporaryFolders.fresh("ow").path
        defer { try? FileManager.default.removeItem(atPath: base) }
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        TemporaryFolders.write(Data("mine".utf8), to: base + "/keep.txt")
        #expect(throws: GeneratorError.self) { try DistrictGenerator(options: GeneratorOptions(output: base)).run() }
        #expect(FileManager.default.contents(atPath: base + "/keep.txt") == Data("mine".utf8))
    }
}

/// The ranges below are what docs/snapshot-format.md promises for the default district.
@Suite struct GeneratorPlausibilityTests {
    let d = GeneratedDistrict.shared

    @Test func sizeLikeOurUsersDistrict() {
        let s = d.snapshot
        #expect(s.schools.count == 8)
        #expect((2_800...3_200).contains(s.pupils.count))
        #expect(Set(s.classes.grade) == Set(1...11))
        // Names are Russian: surname, first name, patronymic.
        #expect(s.pupils.fullName.allSatisfy { $0.split(separator: " ").count == 3 })
        #expect(s.schools.name.allSatisfy { $0.hasPrefix("МБОУ") })
        #expect(s.manifest.asOf == GeneratorOptions.defaultAsOf)
    }

    @Test func periodFiguresInRealisticRanges() throws {
        let t = SnapshotSummary(d.snapshot).total
        let failingShare = Double(t.failing) / Double(t.assessed)
        #expect((0.005...0.05).contains(failingShare), "share of неуспевающие \(failingShare)")
        #expect((90.0...99.5).contains(try #require(t.successRate)))
        #expect((30.0...60.0).contains(try #require(t.qualityRate)))
        #expect((55.0...75.0).contains(try #require(t.degreeOfLearning)))
        // Weak schools are weaker: the worst school's quality is well below the best one's.
        let rates = SnapshotSummary(d.snapshot).schools.compactMap(\.figures.qualityRate)
        #expect(try #require(rates.max()) - (try #require(rates.min())) > 15)
    }

    @Test func marksPerWeekInTheMainSubjects() {
        let s = d.snapshot
        guard let russian = s.subjects.code(of: "Русский язык") else {
            Issue.record("no Russian")
            return
        }
        let graded = (0..<s.pupils.count).filter { (5...9).contains(s.classes.grade[Int(s.pupils.classIndex[$0])]) }
        var count = 0
        for i in 0..<s.marks.count
        where s.marks.subject[i] == russian
            && (5...9).contains(s.classes.grade[Int(s.pupils.classIndex[Int(s.marks.pupil[i])])])
        { count += 1 }
        // About 24 lesson weeks by mid-March.
        let perWeek = Double(count) / Double(graded.count) / 24
        #expect((2.0...3.5).contains(perWeek), "Russian marks per pupil-week: \(perWeek)")
        // Several work types with different weights.
        #expect(s.workTypes.count >= 8)
        #expect(Set(s.marks.weight.values).count >= 3)
    }

    @Test func chronicAbsenteesAreAMinority() {
        let chronic = Set(d.truth.filter { $0["condition"] == "chronic-absence" }.compactMap { $0["pupil_id"] })
        let share = Double(chronic.count) / Double(d.snapshot.pupils.count)
        #expect((0.04...0.20).contains(share), "chronic absentees \(share)")
        #expect(d.truth.contains { $0["condition"] == "chronic-absence" && $0["planted"] == "yes" })
    }

    @Test func worksWithMissedResultsAndVPRHistory() {
        let s = d.snapshot
        #expect(Set(s.works.kind) == Set(WorkKind.allCases))
        #expect(s.workResults.status.contains(.absent))
        #expect(s.workResults.status.contains(.excused))
        // Future works (ВПР in April) have no results yet.
        let resultWorks = Set(s.workResults.work)
        for w in 0..<s.works.count where s.works.kind[w] == .vpr { #expect(!resultWorks.contains(Int32(w))) }
        #expect(Set(s.vprResults.year) == [2024, 2025])
        #expect(s.vprScales.count > 0)
        #expect(s.vprResults.pupilIndex.allSatisfy { $0 >= 0 })
        #expect(s.periodMarks.count > 0)
        #expect(s.periodMarks.value.contains(MarkValue(grade: .exempt).raw))
        #expect(s.periodMarks.value.contains(MarkValue(grade: .passed).raw))
    }

    @Test func truthNamesEveryConditionAndRealPupils() {
        let conditions = Set(d.truth.compactMap { $0["condition"] })
        #expect(
            conditions.isSuperset(of: [
                "failing", "chronic-absence", "missed-work", "vpr-drop", "truancy", "falling-trend",
            ]))
        let ids = Set(d.snapshot.pupils.id)
        #expect(d.truth.allSatisfy { ids.contains($0["pupil_id"] ?? "") })
        // Planted failing pupils really have low marks in the subject this period.
        let s = d.snapshot
        let q3 = s.manifest.periods.first { $0.id == "Q3" }!
        struct Key: Hashable { var pupil: Int32, subject: Int32 }
        var sums: [Key: (Float, Float)] = [:]
        for i in 0..<s.marks.count where q3.contains(Day(number: s.marks.date(i))) {
            guard let v = MarkValue(raw: s.marks.value[i]).numeric else { continue }
            let k = Key(pupil: s.marks.pupil[i], subject: Int32(s.marks.subject[i]))
            let w = Float(s.marks.weight.value(i))
            sums[k, default: (0, 0)].0 += Float(v) * w
            sums[k, default: (0, 0)].1 += w
        }
        let index = Dictionary(uniqueKeysWithValues: s.pupils.id.enumerated().map { ($1, Int32($0)) })
        var low = 0
        var total = 0
        for row in d.truth where row["condition"] == "failing" && row["period"] == "Q3" {
            guard let p = index[row["pupil_id"]!], let subj = s.subjects.code(of: row["subject"]!) else { continue }
            total += 1
            if let (sum, weights) = sums[Key(pupil: p, subject: subj)], weights > 0, sum / weights < 2.75 { low += 1 }
        }
        #expect(total > 10)
        #expect(Double(low) / Double(total) > 0.8, "\(low) of \(total) planted failing subjects are low")
    }

    /// The importer's curriculum preset and the generator's curriculum give the same hours.
    @Test func theCurriculumPresetHasTheGeneratorsHours() {
        for grade in 1...11 {
            for subject in Curriculum.plan(grade: grade) {
                #expect(
                    CurriculumPreset.hours(subject.name, grade: grade) == subject.hours, "\(subject.name), \(grade)")
            }
        }
    }
}
