import Foundation
import MayakGenerator
import MayakRules
import MayakSnapshot
import MayakTestSupport
import Testing

@testable import MayakAlerts
@testable import MayakEngine

@Suite struct AlertTests {
    /// OWASP's advice for CSV opened in a spreadsheet: a cell that would be read as a formula
    /// starts with a quote and is quoted; other cells as before.
    @Test func excelCellsNeverStartAFormula() {
        for (cell, written) in [
            ("=1+2", "\"'=1+2\""), ("+7", "\"'+7\""), ("-0,34", "\"'-0,34\""), ("@SUM(A1)", "\"'@SUM(A1)\""),
            ("\tx", "\"'\tx\""), ("\rx", "\"'\rx\""), ("\u{FF1D}1", "\"'\u{FF1D}1\""),
            ("=\"a\";b", "\"'=\"\"a\"\";b\""),
            ("Иванов", "Иванов"), ("a=b", "a=b"), ("a;b", "\"a;b\""), ("", ""),
        ] {
            #expect(ExcelCSV.field(cell) == written, "\(cell)")
        }
    }

    func pack(_ rules: [String]) throws -> RulePack {
        let dir = TemporaryFolders.fresh("pack")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (i, r) in rules.enumerated() {
            TemporaryFolders.write(Data(r.utf8), to: dir.appendingPathComponent("r\(i).yaml").path)
        }
        var log = DiagnosticLog()
        let p = RulePack.load(paths: [dir.path], log: &log)
        #expect(!log.hasErrors, "\(log.rendered())")
        return try required(p)
    }

    let twos = """
        id: twos
        title: Двойки
        severity: medium
        scope: pupil
        indicator: performance
        each: s in pupil.subjects
        let:
          n: s.marks.count(m, m.value == 2)
        when: n >= 2
        key: s.name
        message: "«{s.name}»: {n}"
        evidence:
          marks: s.marks.filter(m, m.value == 2)
        plan:
          - { action: "Беседа с родителями", role: классный руководитель, due_days: 5, check: "Протокол", priority: 2 }
          - { action: "Пересдача по предмету «{s.name}»", role: учитель-предметник, due_days: 7, check: "Пересдано", priority: 1 }
        """

    let absent = """
        id: absent
        title: Пропуски
        severity: high
        scope: pupil
        indicator: attendance
        when: pupil.absences.count() >= 1
        message: "Пропуски"
        plan:
          - { action: "Беседа с родителями", role: классный руководитель, due_days: 3, check: "Протокол", priority: 3 }
        """

    func data(asOf: String, extraTwo: Bool) -> String {
        """
        as_of: \(asOf)
        pupils:
          - id: P1
            marks:
              Алгебра: ["2@2026-03-02", "2@2026-03-03"\(extraTwo ? ", \"2@2026-03-16\"" : "")]
              Физика: ["2@2026-03-02", "2@2026-03-04"]
            absences: [{ date: 2026-03-02, code: Н }]
          - id: P2
            marks: { Алгебра: [4, 5, 4] }
        """
    }

    func scan(_ pack: RulePack, _ yaml: String) throws -> ScanResult {
        let s = try Support.snapshot(yaml)
        return ScanResult(findings: try Scanner.scan(pack, index: SnapshotIndex(s)), snapshot: s, pack: pack)
    }

    @Test func fingerprintsAreStableFromWeekToWeek() throws {
        let p = try pack([twos, absent])
        let week1 = try scan(p, data(asOf: "2026-03-13", extraTwo: false))
        let week2 = try scan(p, data(asOf: "2026-03-20", extraTwo: true))
        #expect(week1.alerts.count == 3)
        #expect(Set(week1.alerts.map(\.fingerprint)) == Set(week2.alerts.map(\.fingerprint)))
        // The message changed (3 twos now), the identity did not.
        #expect(week1.alerts.map(\.message) != week2.alerts.map(\.message))
        // Different keys, different fingerprints.
        #expect(Set(week1.alerts.filter { $0.ruleID == "twos" }.map(\.fingerprint)).count == 2)
        #expect(
            Alert.fingerprint(rule: "twos", kind: .pupil, subjectID: "P1", key: "Алгебра")
                == Alert.fingerprint(rule: "twos", kind: .pupil, subjectID: "P1", key: "Алгебра"))
        #expect(Alert.fingerprint(rule: "twos", kind: .pupil, subjectID: "P1", key: "Алгебра").count == 16)
        // The history matches alerts across runs by fingerprint: it is FNV-1a of the four
        // parts joined by U+001F, in 16 hex digits, and must stay so.
        func fnv(_ text: String) -> String {
            var h: UInt64 = 0xCBF2_9CE4_8422_2325
            for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
            let hex = String(h, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }
        for (rule, kind, id, key) in [
            ("twos", RuleScope.pupil, "P1", "Алгебра"), ("class-quality", .class, "C5A", ""), ("x", .school, "", "ё й"),
            ("", .pupil, "", ""),
        ] {
            #expect(
                Alert.fingerprint(rule: rule, kind: kind, subjectID: id, key: key)
                    == fnv("\(rule)\u{1F}\(kind.rawValue)\u{1F}\(id)\u{1F}\(key)"))
        }
        // As stored by earlier runs.
        #expect(Alert.fingerprint(rule: "twos", kind: .pupil, subjectID: "P1", key: "Алгебра") == "936ec0485ad39ed3")
    }

    /// Villages repeat: two schools of one name are two groups of the table, not one.
    @Test func schoolsOfOneNameAreGroupedApart() throws {
        let p = try pack([absent])
        var s = try Support.snapshot(
            """
            pupils:
              - { id: P1, class: 7А, absences: [{ date: 2026-03-02, code: Н }] }
              - { id: P2, class: 7Б, absences: [{ date: 2026-03-02, code: Н }] }
            """)
        s.schools.id.append("S2")
        s.schools.name.append(s.schools.name[0])
        s.schools.municipality.append("")
        s.classes.school[Int(s.pupils.classIndex[1])] = 1
        let result = ScanResult(findings: try Scanner.scan(p, index: SnapshotIndex(s)), snapshot: s, pack: p)
        #expect(result.alerts.map(\.subject.schoolID) == ["S1", "S2"])
        let table = result.render(.table)
        #expect(table.components(separatedBy: "\n" + s.schools.name[0] + "\n").count == 3)
        #expect(table.components(separatedBy: "7Б класс").count == 2)
    }

    /// Plans are built from a scan's alerts taking each pupil's alerts as the run they form
    /// in the scan's order; alerts in any other order give plans for the same pupils with the
    /// same problems and the same steps (among alerts of equal severity, the order they come
    /// in orders the problems).
    @Test func plansOfAlertsInAnotherOrder() throws {
        let base = TemporaryFolders.fresh("plans").path
        defer { try? FileManager.default.removeItem(atPath: base) }
        _ = try DistrictGenerator(options: GeneratorOptions(seed: 3, output: base + "/d")).run()
        let snapshot = try SnapshotLoader(folder: base + "/d").load().snapshot
        var log = DiagnosticLog()
        let pack = try required(RulePack.load(paths: [Support.coreRules], log: &log))
        let result = ScanResult(
            findings: try Scanner.scan(pack, index: SnapshotIndex(snapshot)), snapshot: snapshot, pack: pack)
        #expect(result.plans.count > 100)
        #expect(result.plans.map(\.pupilIndex) == result.plans.map(\.pupilIndex).sorted())
        func facts(_ plans: [IndividualPlan]) -> [String] {
            plans.map { p in
                "\(p.pupilID) \(p.gaps.sorted()) \(p.items.map { "\($0.action) \($0.priority) \($0.due) \($0.rules.sorted())" }.sorted())"
            }
        }
        // Reversed, and scattered (by fingerprint, a hash).
        for alerts in [Array(result.alerts.reversed()), result.alerts.sorted { $0.fingerprint < $1.fingerprint }] {
            #expect(facts(IndividualPlan.build(from: alerts)) == facts(result.plans))
        }
    }

    @Test func plansMergeWithoutDuplicatesInPriorityOrder() throws {
        let result = try scan(try pack([twos, absent]), data(asOf: "2026-03-13", extraTwo: false))
        #expect(result.plans.count == 1)
        let plan = try required(result.plans.first)
        #expect(plan.pupilID == "P1")
        #expect(
            plan.items.map(\.action) == [
                "Пересдача по предмету «Алгебра»", "Пересдача по предмету «Физика»", "Беседа с родителями",
            ])
        let talk = try required(plan.items.last)
        #expect(talk.rules.sorted() == ["absent", "twos"])
        #expect(talk.due == Day(year: 2026, month: 3, day: 16))  // the earliest: 3 days
        #expect(talk.priority == 2)  // the most urgent
        #expect(talk.severity == .high)
        #expect(plan.gaps.count == 3)
    }

    /// Evidence as one line of text: marks grouped by subject in the order subjects first
    /// come (lists of lists read as one), absences as distinct days (twelve at most), works by
    /// title and status, ВПР results, other records by their fields, long lists cut at twelve.
    @Test func evidenceReadsAsOneLine() {
        func mark(_ subject: String, _ date: String, _ value: String) -> EvidenceValue {
            .object([
                ("subject", .string(subject)), ("date", .string(date)), ("value", .string(value)),
                ("work_type", .string("ответ на уроке")), ("weight", .number(1)),
            ])
        }
        let marks: EvidenceValue = .list([
            .list([mark("Алгебра", "2026-03-02", "2"), mark("Физика", "2026-03-03", "3")]),
            .list([mark("Алгебра", "2026-03-10", "н/а")]), mark("Физика", "2026-03-11", "2"),
        ])
        #expect(Alert.text(marks) == "Алгебра: 2 н/а (02.03–10.03); Физика: 3 2 (03.03–11.03)")
        func absence(_ date: String, _ code: String) -> EvidenceValue {
            .object([("date", .string(date)), ("lesson", .number(1)), ("subject", .null), ("code", .string(code))])
        }
        let days = (1...14).flatMap { d in
            [absence(String(format: "2026-02-%02d", d), "Н"), absence(String(format: "2026-02-%02d", d), "Н")]
        }
        #expect(
            Alert.text(.list(days)) == "уроков 28: "
                + (1...12).map { String(format: "%02d.02 Н", $0) }.joined(separator: ", ") + ", …")
        #expect(
            Alert.text(.list([absence("2026-03-02", "Н"), absence("2026-03-02", "Б"), absence("2026-03-02", "Б")]))
                == "уроков 3: 02.03 Н, 02.03 Б")
        let work: EvidenceValue = .object([
            ("work_id", .string("W1")), ("title", .string("Входная диагностика")), ("date", .string("2026-09-15")),
            ("status", .string("absent")),
        ])
        let noResult: EvidenceValue = .object([
            ("work_id", .string("W2")), ("title", .string("ВПР")), ("date", .string("2026-09-16")), ("status", .null),
        ])
        #expect(
            Alert.text(.list([work, work, noResult]))
                == "«Входная диагностика» 15.09 — отсутствовал(а), «Входная диагностика» 15.09 — отсутствовал(а), "
                + "«ВПР» 16.09 — нет результата")
        let vpr: EvidenceValue = .object([
            ("year", .number(2025)), ("subject", .string("Математика")), ("score", .number(10)),
            ("max_score", .number(20)),
            ("percent", .number(50)), ("mark", .number(3)),
        ])
        #expect(Alert.text(vpr) == "Математика 2025: 10/20 (50 %), отметка 3")
        // A record's fields in words (a name the catalogue does not know, as the rule has it).
        #expect(
            Alert.text(.object([("pupil_id", .string("P1")), ("note", .null), ("rate", .number(2.5))]))
                == "pupil id P1, rate 2,5")
        #expect(
            Alert.text(.object([("pupils", .number(6)), ("failing", .number(1)), ("sou", .number(63.1))]))
                == "учеников 6, неуспевающих 1, СОУ 63,1")
        // A date is a date.
        #expect(Alert.text(.string("2026-03-20")) == "20.03.2026")
        #expect(Alert.text(.string("2026-03-20 урок")) == "2026-03-20 урок")
        #expect(Alert.text(.list((1...13).map { .number(Double($0)) })) == "1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, …")
        #expect(Alert.text(.list([.list([])])) == "—")
        #expect(Alert.text(.list([.null, .bool(true), .string("x")])) == "—, да, x")
        #expect(Alert.text(.list([mark("Алгебра", "не дата", "5")])) == "Алгебра: 5 (–)")

        // Marks and absences as findings give them (records, not objects) read the same,
        // equal the objects they stand for, and are written to JSON as those objects.
        func record(_ subject: String, _ date: String, _ value: UInt8) -> EvidenceValue {
            .mark(
                MarkEvidence(
                    subject: subject, workType: "ответ на уроке", day: Day(date)!, weight: 1,
                    value: MarkValue(raw: value)))
        }
        let records: EvidenceValue = .list([
            .list([record("Алгебра", "2026-03-02", 2), record("Физика", "2026-03-03", 3)]),
            .list([record("Алгебра", "2026-03-10", 6)]), record("Физика", "2026-03-11", 2),
        ])
        #expect(Alert.text(records) == Alert.text(marks))
        #expect(records == marks)
        #expect(
            Alert.text(.list([record("Алгебра", "2026-03-02", 2), work]))
                == Alert.text(.list([mark("Алгебра", "2026-03-02", "2"), work])))
        let ill: EvidenceValue = .absence(AbsenceEvidence(subject: nil, code: "Н", day: Day("2026-02-01")!, lesson: 1))
        #expect(ill == absence("2026-02-01", "Н"))
        #expect(ill != absence("2026-02-02", "Н"))
        #expect(Alert.text(.list([ill, ill, absence("2026-02-02", "Б")])) == "уроков 3: 01.02 Н, 02.02 Б")
        var json = JSON.Writer(capacity: 256)
        var same = JSON.Writer(capacity: 256)
        json.value(.list([records, ill]))
        same.value(.list([marks, absence("2026-02-01", "Н")]))
        #expect(json.text == same.text)
        #expect(
            json.text.contains(
                "{\"subject\":\"Алгебра\",\"date\":\"2026-03-02\",\"value\":\"2\",\"work_type\":\"ответ на уроке\",\"weight\":1}"
            ))
    }

    @Test func evidenceAndFormats() throws {
        let result = try scan(try pack([twos]), data(asOf: "2026-03-13", extraTwo: false))
        let alert = try required(result.alerts.first)
        #expect(alert.evidenceText == "отметки: Алгебра: 2 2 (02.03–03.03)")
        #expect(
            alert.json.contains(
                "\"evidence\":{\"marks\":[{\"subject\":\"Алгебра\",\"date\":\"2026-03-02\",\"value\":\"2\",\"work_type\":\"ответ на уроке\",\"weight\":1}"
            ))
        let csv = result.render(.csv)
        #expect(csv.hasPrefix("\u{FEFF}Школа;Класс;"))
        #expect(csv.contains("\r\n"))
        #expect(csv.split(separator: "\r\n").count == 3)
        let ndjson = result.render(.ndjson)
        #expect(ndjson.split(separator: "\n").count == 2)
        let json = try JSONSerialization.jsonObject(with: Data(result.json.utf8)) as? [String: Any]
        #expect(json?["format"] as? String == "mayak-alerts/1")
        #expect((json?["alerts"] as? [Any])?.count == 2)
        #expect(!result.table(color: false).contains("\u{1B}["))
        #expect(result.table(color: true).contains("\u{1B}[33m[средняя]\u{1B}[0m"))
    }
}
