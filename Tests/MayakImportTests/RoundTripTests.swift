import Foundation
import ImportFixtureSupport
import MayakEngine
import MayakGenerator
import MayakRules
import MayakSnapshot
import MayakTestSupport
import Testing

@testable import MayakImport

/// The round trip of the import issue: a generated district exported as СГО's class-journal
/// pages and сводные ведомости (`SGOExport`), imported back with `Importer.run` (no
/// `--school`: schools come from the pages' first line; `--as-of` the original's), and scanned
/// with the core rules: the alerts are those of the original snapshot, compared by rule,
/// pupil's full name and class (or class, or school, by name), key, severity and message —
/// ids differ (the importer gives P000001…, S01…).
///
/// What the layouts cannot carry is projected away from the original before comparing (the
/// «expected» snapshot is the original's CSVs written again with exactly these changed):
/// - every mark's work type is «ответ на уроке» and its weight 1 (СГО's journal shows neither);
///   a mark handed in on a day missed (`4/Н` in marks.csv) is the mark `4`: the journal cell
///   `4/Н` is read as the mark and the absence, and the absence is attendance.csv's own row;
/// - works.csv, work_results.csv, vpr_results.csv and vpr_scales.csv are empty (no СГО
///   journal carries them; ФИС ОКО's results are a separate import);
/// - attendance has no lesson numbers (the journal gives the day and the subject only);
/// - classes have no class teacher, subjects no teacher (their weekly hours are the
///   importer's curriculum preset's, which the generator's curriculum has too);
/// - pupils have no birth date, gender or other column; schools no municipality;
/// - a class's subjects are in the importer's order, by name (a journal page is one subject;
///   nothing in them gives the curriculum's order, which messages listing subjects follow);
/// - the district's name is the importer's default.
/// One school of the district and two classes of another (`only`): the import is the slow
/// part (about 400 pages, each merged into the whole draft so far: minutes unoptimised).
///
/// The calendar is not a layout's: `mayak import` makes the periods from its `quarters` preset,
/// the generator's standard calendar (`theImportersQuartersAreTheGeneratorsCalendar`).
@Suite struct RoundTripTests {
    /// SH08, an ООШ (grades 1–9), whole; and the classes 10–11 of SH06, a СОШ (half-years).
    static let only: Set<String> = ["SH08", "SH06-10А", "SH06-11А"]
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    struct Problem: Error, CustomStringConvertible { var description: String }

    @Test func aGeneratedDistrictSurvivesSGOPages() throws {
        let base = TemporaryFolders.fresh("roundtrip").path
        defer { try? FileManager.default.removeItem(atPath: base) }
        let original = base + "/original"
        _ = try DistrictGenerator(options: GeneratorOptions(seed: 1, output: original)).run()
        let source = try SnapshotLoader(folder: original).load().snapshot

        let written = try SGOExport.write(source, only: Self.only, to: base + "/pages")
        #expect(written.journals.count > 300)
        var request = ImportRequest(files: written.all, into: base + "/imported")
        request.asOf = source.manifest.asOf
        let outcome = Importer.run(request)
        #expect(!outcome.log.hasErrors, "\(outcome.log.rendered.prefix(5))")
        #expect(outcome.log.rendered == [])
        guard outcome.wrote else { return }
        let imported = try SnapshotLoader(folder: base + "/imported").load().snapshot

        try Self.project(original, only: Self.only, into: base + "/expected")
        let expected = try SnapshotLoader(folder: base + "/expected").load().snapshot
        #expect(imported.pupils.count == expected.pupils.count)
        #expect(imported.marks.count == expected.marks.count)
        #expect(imported.attendance.count == expected.attendance.count)
        #expect(imported.periodMarks.count == expected.periodMarks.count)
        #expect(imported.classSubjects.count == expected.classSubjects.count)

        let want = try Self.alerts(expected)
        let got = try Self.alerts(imported)
        #expect(want.count > 20, "too few alerts to compare")
        let missing = want.subtracting(got).sorted()
        let extra = got.subtracting(want).sorted()
        #expect(
            missing.isEmpty && extra.isEmpty,
            "\(missing.count) alerts of the original not found after the round trip, \(extra.count) new:\n- \(missing.prefix(8).joined(separator: "\n- "))\n+ \(extra.prefix(8).joined(separator: "\n+ "))"
        )
    }

    /// The importer's `quarters` preset is the generator's calendar (MayakSnapshot's
    /// StandardCalendar): quarters for grades 2–9 (grade 1 has no marks), half-years for 10–11.
    @Test func theImportersQuartersAreTheGeneratorsCalendar() throws {
        let asOf = GeneratorOptions.defaultAsOf
        let generator = StandardCalendar(containing: asOf).periods
        #expect(MayakImport.SchoolCalendar.quarters.periods(startYear: 2025) == generator)
    }

    /// Two pupils of one school with one name, in two classes, imported together, stay two
    /// pupils: one this import placed in a class is not taken for a namesake who moved (the
    /// generated district has such namesakes, SH01).
    @Test func namesakesInTwoClassesOfOneSchoolAreTwoPupils() throws {
        let dir = TemporaryFolders.fresh("namesakes").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var files: [String] = []
        for klass in ["5А", "8Б"] {
            let page = SGOExport.journal(
                school: "МБОУ «СОШ № 1 с. Сосновка»", year: "2025/2026", from: Day(year: 2025, month: 9, day: 1)!,
                to: Day(year: 2025, month: 10, day: 24)!, klass: klass, subject: "Русский язык",
                days: [Day(year: 2025, month: 9, day: 2)!],
                pupils: [("Воробьёва Арина Олеговна", ["5"], ""), ("Гусев Тимофей Ильич \(klass)", ["4"], "")])
            let path = "\(dir)/\(klass).xls"
            TemporaryFolders.write(Data(page.utf8), to: path)
            files.append(path)
        }
        let outcome = Importer.run(ImportRequest(files: files, into: dir + "/snap"))
        #expect(outcome.wrote)
        #expect(outcome.pupils == 4)
        #expect(outcome.sources.last?.changes.movedPupils == [])
    }

    // MARK: helpers

    /// The alerts of a scan with the core rules, each as `rule | who | key | severity | message`.
    static func alerts(_ snapshot: Snapshot) throws -> Set<String> {
        var log = DiagnosticLog()
        guard let pack = RulePack.load(paths: [packageRoot.appendingPathComponent("rules").path], log: &log) else {
            throw Problem(description: "the core rules do not load: \(log)")
        }
        let findings = try MayakEngine.Scanner.scan(pack, index: SnapshotIndex(snapshot))
        func school(_ c: Int) -> String { snapshot.schools.name[Int(snapshot.classes.school[c])] }
        func who(_ v: Value) -> String {
            switch v {
            case .pupil(let p):
                let c = Int(snapshot.pupils.classIndex[Int(p)])
                return "\(snapshot.pupils.fullName[Int(p)]), \(snapshot.classes.displayName(c)), \(school(c))"
            case .class(let c): return "\(snapshot.classes.displayName(Int(c))), \(school(Int(c)))"
            case .school(let s): return snapshot.schools.name[Int(s)]
            default: return "\(v)"
            }
        }
        var out: Set<String> = []
        for f in findings {
            let line = "\(f.ruleID) | \(who(f.entity)) | \(f.key) | \(f.severity) | \(f.message)"
            #expect(out.insert(line).inserted, "two alerts alike: \(line)")
        }
        return out
    }

    /// The original snapshot's tables for the classes in `only` (by their id or their school's),
    /// written again without what the layouts cannot carry (the list at the top of this file).
    static func project(_ folder: String, only: Set<String>, into out: String) throws {
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        func read(_ name: String) throws -> [[String]] {
            try CSV.parse(String(contentsOfFile: folder + "/" + name, encoding: .utf8))
        }
        func write(_ name: String, _ rows: [[String]]) throws {
            try Data(rows.map { $0.map(CSV.quoted).joined(separator: ",") + "\n" }.joined().utf8).write(
                to: URL(fileURLWithPath: out + "/" + name))
        }
        var manifest = try String(contentsOfFile: folder + "/manifest.yaml", encoding: .utf8)
        if let line = manifest.split(separator: "\n").first(where: { $0.hasPrefix("district:") }) {
            manifest = manifest.replacingOccurrences(
                of: String(line), with: "district: \"\(SnapshotDraft().district)\"")
        }
        try Data(manifest.utf8).write(to: URL(fileURLWithPath: out + "/manifest.yaml"))

        let classRows = try read("classes.csv").dropFirst().filter { only.contains($0[0]) || only.contains($0[1]) }
        let schools = Set(classRows.map { $0[1] })
        try write(
            "schools.csv",
            [["school_id", "name"]]
                + read("schools.csv").dropFirst().filter { schools.contains($0[0]) }.map { [$0[0], $0[1]] })
        let classes = Set(classRows.map { $0[0] })
        try write(
            "classes.csv",
            [["class_id", "school_id", "grade", "letter", "class_teacher"]]
                + classRows.map { [$0[0], $0[1], $0[2], $0[3], ""] })
        let pupilRows = try read("pupils.csv").dropFirst().filter { classes.contains($0[1]) }
        let pupils = Set(pupilRows.map { $0[0] })
        try write("pupils.csv", [["pupil_id", "class_id", "full_name"]] + pupilRows.map { Array($0.prefix(3)) })
        try write(
            "subjects.csv",
            [["class_id", "subject", "teacher", "hours_per_week"]]
                + read("subjects.csv").dropFirst().filter { classes.contains($0[0]) }.map { [$0[0], $0[1], "", $0[3]] }
                .sorted { $0.lexicographicallyPrecedes($1) })
        try write(
            "marks.csv",
            [["pupil_id", "subject", "date", "value", "work_type", "weight"]]
                + read("marks.csv").dropFirst().filter { pupils.contains($0[0]) }.map { r in
                    let value =
                        r[3].count > 1 && r[3].first!.isNumber && r[3].dropFirst().first == "/"
                        ? String(r[3].prefix(1)) : r[3]
                    return [r[0], r[1], r[2], value, ImportOptions.defaultWorkType, "1"]
                })
        try write(
            "period_marks.csv",
            [["pupil_id", "subject", "period", "value"]]
                + read("period_marks.csv").dropFirst().filter { pupils.contains($0[0]) })
        try write(
            "attendance.csv",
            [["pupil_id", "date", "lesson", "subject", "code"]]
                + read("attendance.csv").dropFirst().filter { pupils.contains($0[0]) }.map {
                    [$0[0], $0[1], "", $0[3], $0[4]]
                })
        for name in ["works.csv", "work_results.csv", "vpr_results.csv", "vpr_scales.csv"] {
            try write(name, [try read(name)[0]])
        }
    }
}

/// Just enough CSV for the generator's tables: `,`, RFC 4180 quotes, LF line ends.
enum CSV {
    static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var chars = text.makeIterator()
        while let ch = chars.next() {
            if quoted {
                if ch == "\"" {
                    quoted = false
                } else {
                    field.append(ch)
                }
            } else if ch == "\"" {
                if field.isEmpty == false { field.append("\"") }
                quoted = true
            } else if ch == "," {
                row.append(field)
                field = ""
            } else if ch == "\n" {
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            } else if ch != "\r" {
                field.append(ch)
            }
        }
        if !field.isEmpty || !row.isEmpty {
            row.append(field)
            rows.append(row)
        }
        return rows
    }

    static func quoted(_ field: String) -> String {
        field.contains { $0 == "," || $0 == "\"" || $0 == "\n" }
            ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
    }
}
