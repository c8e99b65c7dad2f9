import Foundation
import Testing

/// Three weekly scans of a generated district into one history, through the real binary.
@Suite(.serialized) struct HistoryCommandTests {
    final class Weeks: @unchecked Sendable {
        static let shared = Weeks()
        let work: URL
        let db: String
        var snapshots: [String] = []
        var scans: [MayakBinary.Result] = []
        /// Whether each week's snapshot was generated.
        var generatedOK: [Bool] = []

        private init() {
            work = (try? MayakBinary.temporaryFolder()) ?? URL(fileURLWithPath: "/tmp")
            db = work.appendingPathComponent("history.sqlite").path
            for day in ["2026-02-27", "2026-03-06", "2026-03-13"] {
                let folder = work.appendingPathComponent("week-\(day)").path
                let generated = try? MayakBinary.run(["generate", "--seed", "21", "--as-of", day, "--out", folder])
                generatedOK.append(generated?.status == 0)
                snapshots.append(folder)
                scans.append(
                    (try? MayakBinary.run([
                        "scan", folder, "--rules", MayakBinary.rules.path, "--db", db, "--format", "ndjson", "--out",
                        work.appendingPathComponent("\(day).ndjson").path,
                    ]))
                        ?? MayakBinary.Result(status: -1, stdout: "", stderr: ""))
            }
        }

        func run(_ args: [String], env: [String: String] = [:]) throws -> MayakBinary.Result {
            try MayakBinary.run(args + ["--db", db])
        }

        /// A run that must succeed.
        func ok(_ args: [String]) throws -> MayakBinary.Result { try MayakBinary.ok(args + ["--db", db]) }
    }

    var w: Weeks { Weeks.shared }

    /// The rows of a CSV written for a Russian Excel (BOM, ';', CRLF, '"' quoting), as fields.
    func excelRows(_ path: String) throws -> [[String]] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(data.starts(with: [0xEF, 0xBB, 0xBF]), "\(path) has no byte-order mark")
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var chars = String(decoding: data.dropFirst(3), as: UTF8.self).unicodeScalars.makeIterator()
        var pending: Unicode.Scalar?
        while let c = pending ?? chars.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    let next = chars.next()
                    if next == "\"" {
                        field.unicodeScalars.append(c)
                    } else {
                        quoted = false
                        pending = next
                    }
                } else {
                    field.unicodeScalars.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == ";" {
                row.append(field)
                field = ""
            } else if c == "\r" {
                continue
            } else if c == "\n" {
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            } else {
                field.unicodeScalars.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty { rows.append(row + [field]) }
        return rows
    }

    @Test func threeWeeksShowNewPersistingAndResolved() throws {
        #expect(w.generatedOK == [true, true, true])
        #expect(w.scans.map(\.status) == [0, 0, 0], "\(w.scans.map(\.stderr))")
        #expect(w.scans[0].stderr.contains("Прогон №1 записан"))
        #expect(w.scans[2].stderr.contains("Прогон №3 записан"))
        let all = try w.ok(["alerts", "list", "--all"]).stdout
        #expect(all.contains("; новое"))
        #expect(all.contains("; сохраняется, 3 нед."))
        #expect(all.contains("; снято"))
        let new = try w.ok(["alerts", "list", "--new"]).stdout
        #expect(!new.contains("сохраняется"))
    }

    /// The statuses after three weeks, worked out from the three scans' own output (which
    /// fingerprints fired in which week), against what the store says of every alert.
    @Test func threeWeeksGiveTheStatusesTheScansImply() throws {
        #expect(w.generatedOK == [true, true, true])
        let db = w.work.appendingPathComponent("statuses.sqlite").path
        // Each week's scan into this test's own history, and the same week's scan as CSV (the
        // scan's own rendering of every field, independent of what the store keeps).
        var weeks: [[String: [String]]] = []
        for (i, folder) in w.snapshots.enumerated() {
            let out = w.work.appendingPathComponent("statuses-\(i).ndjson").path
            _ = try MayakBinary.ok([
                "scan", folder, "--rules", MayakBinary.rules.path, "--db", db, "--format", "ndjson", "--out", out,
            ])
            let csv = w.work.appendingPathComponent("statuses-\(i).csv").path
            _ = try MayakBinary.ok(["scan", folder, "--rules", MayakBinary.rules.path, "--format", "csv", "--out", csv])
            var rows: [String: [String]] = [:]
            for line in try excelRows(csv).dropFirst() { rows[line[line.count - 1]] = line }
            let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
            #expect(rows.count == lines.count, "week \(i + 1): the CSV and the NDJSON scans differ in size")
            weeks.append(rows)
        }
        let fired = weeks.map { Set($0.keys) }
        var expected: [String: String] = [:]
        for f in fired[0].union(fired[1]).union(fired[2]) {
            if !fired[2].contains(f) {
                expected[f] = "снято"
            } else if fired[1].contains(f) {
                expected[f] = "сохраняется"
            } else {
                expected[f] = fired[0].contains(f) ? "вернулось" : "новое"
            }
        }
        let csv = w.work.appendingPathComponent("statuses.csv").path
        _ = try MayakBinary.ok(["alerts", "export", "--all", "--out", csv, "--db", db])
        let exported = try excelRows(csv)
        #expect(
            exported.first == [
                "Школа", "Класс", "Тип", "Код", "ФИО / объект", "Правило", "Важность", "Сообщение", "Доказательства",
                "Статус", "Недель", "Решение", "Ответственный", "Отпечаток",
            ])
        var actual: [String: String] = [:]
        var mismatches: [String] = []
        for fields in exported.dropFirst() {
            let f = fields[13]
            actual[f] = fields[9]
            // The week it was last seen, and the weeks in a row up to it (the weeks are seven
            // days apart): its weeks open.
            guard let last = fired.lastIndex(where: { $0.contains(f) }), let scan = weeks[last][f] else {
                mismatches.append("\(f): exported but fired in no week")
                continue
            }
            var first = last
            while first > 0 && fired[first - 1].contains(f) { first -= 1 }
            // The scan's CSV: school, class, class teacher, kind, id, name, rule, title, severity,
            // message, evidence, fingerprint.
            let want = [
                scan[0], scan[1], scan[3], scan[4], scan[5], scan[7], scan[8], scan[9], scan[10],
                expected[f] ?? "?", String(last - first + 1), "открыто", "", f,
            ]
            if fields != want { mismatches.append("\(f): exported \(fields), the scans imply \(want)") }
        }
        #expect(actual.count == expected.count)
        #expect(mismatches.isEmpty, "\(mismatches.count) rows differ, e.g. \(mismatches.prefix(2))")
        let wrong = expected.filter { actual[$0.key] != $0.value }
        #expect(
            wrong.isEmpty,
            "\(wrong.count) alerts, e.g. \(wrong.prefix(3).map { "\($0.key): expected \($0.value), store says \(actual[$0.key] ?? "nothing")" })"
        )
        // Every status occurs, so the comparison is not of one kind only.
        #expect(Set(expected.values) == ["новое", "сохраняется", "снято", "вернулось"])
    }

    /// Several alerts in one triage command, named by the first characters of their
    /// fingerprints; one id that names nothing, and none of them is changed.
    @Test func bulkTriageByShortIdsIsAllOrNothing() throws {
        let list = try w.ok(["alerts", "list", "--status", "new", "--rule", "repeated-twos"]).stdout
        let fingerprints = list.split(separator: "\n").compactMap { line -> String? in
            let t = line.trimmingCharacters(in: .whitespaces)
            return t.count > 16 && t.prefix(16).allSatisfy(\.isHexDigit) ? String(t.prefix(16)) : nil
        }
        try #require(fingerprints.count >= 4, "\(list)")
        let short = fingerprints.prefix(4).map { String($0.prefix(8)) }
        let refused = try w.run(["alerts", "ack", short[0], "ffff0000ffff", short[1], "--as", "Завуч"])
        #expect(refused.status == 1)
        #expect(refused.stderr == "ошибка: ни одно предупреждение не начинается с «ffff0000ffff»\n")
        #expect(refused.stdout.isEmpty)
        for f in fingerprints.prefix(2) {
            #expect(!(try w.ok(["alerts", "show", f]).stdout.contains("принято в работу")))
        }

        let done = try w.ok(["alerts", "ack"] + short.prefix(3) + ["--as", "Завуч"])
        #expect(done.stdout.split(separator: "\n").map { String($0.prefix(16)) } == Array(fingerprints.prefix(3)))
        #expect(done.stdout.split(separator: "\n").allSatisfy { $0.contains("принято в работу") })
        let shown = try w.ok(["alerts", "show", short[2]]).stdout
        #expect(shown.contains("Завуч: принято в работу"))
        #expect(!(try w.ok(["alerts", "show", fingerprints[3]]).stdout.contains("принято в работу")))
    }

    @Test func triageSurvivesRescansAndIsShown() throws {
        let list = try w.ok(["alerts", "list", "--status", "persisting", "--rule", "chronic-absence"]).stdout
        let fingerprint = try #require(
            list.split(separator: "\n").compactMap { line -> String? in
                let t = line.trimmingCharacters(in: .whitespaces)
                return t.count > 16 && t.prefix(16).allSatisfy(\.isHexDigit) ? String(t.prefix(16)) : nil
            }.first)
        let nobody = try MayakBinary.run(["alerts", "ack", fingerprint, "--db", w.db])
        #expect(nobody.status == 1)
        #expect(nobody.stderr == "ошибка: скажите, кто вы: --as ИМЯ или переменная MAYAK_USER\n")
        #expect(try w.run(["alerts", "assign", fingerprint, "--to", "Иванова А. П.", "--as", "Завуч"]).status == 0)
        #expect(
            try w.run(["alerts", "comment", fingerprint, "--text", "Беседа с мамой 12.03", "--as", "Иванова"]).status
                == 0)
        let dismissed = try w.ok([
            "alerts", "dismiss", fingerprint, "--reason", "Длительная болезнь, справка", "--as", "Завуч",
        ])
        #expect(dismissed.stdout.contains("отклонено"))
        // Next week's scan of the same data: still dismissed, the events intact.
        let rescan = try w.run([
            "scan", w.snapshots[2], "--rules", MayakBinary.rules.path, "--format", "ndjson", "--out",
            w.work.appendingPathComponent("r.ndjson").path,
        ])
        #expect(rescan.status == 0)
        let show = try w.ok(["alerts", "show", fingerprint]).stdout
        #expect(show.contains("отклонено"))
        #expect(show.contains("→ Иванова А. П."))
        #expect(show.contains("Завуч: назначено — Иванова А. П."))
        #expect(show.contains("Иванова: комментарий — Беседа с мамой 12.03"))
        #expect(show.contains("Завуч: отклонено — Длительная болезнь, справка"))
    }

    @Test func diffsBetweenRunsAndRuleVersions() throws {
        let runs = try w.run(["diff", "--run", "1", "--run", "2"])
        #expect(runs.status == 0)
        // The counts, worked out from the two weeks' scans: fingerprints added, gone, and kept
        // with another severity or with the same.
        func severities(_ day: String) throws -> [String: String] {
            let text = try String(contentsOf: w.work.appendingPathComponent("\(day).ndjson"), encoding: .utf8)
            var out: [String: String] = [:]
            for line in text.split(separator: "\n") {
                let o = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                out[try #require(o["fingerprint"] as? String)] = o["severity"] as? String
            }
            return out
        }
        let before = try severities("2026-02-27")
        let after = try severities("2026-03-06")
        let added = after.keys.filter { before[$0] == nil }.count
        let gone = before.keys.filter { after[$0] == nil }.count
        let kept = after.keys.filter { before[$0] != nil }
        let regraded = kept.filter { before[$0] != after[$0] }.count
        let counts = try #require(runs.stdout.split(separator: "\n").dropFirst().first)
        let numbers = counts.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        #expect(numbers.count == 5, "\(counts)")
        #expect(counts.hasPrefix("Добавилось: \(added), снято: \(gone), изменилась важность: \(regraded), "))
        #expect(numbers.suffix(2).reduce(0, +) == kept.count - regraded, "\(counts)")
        #expect(runs.stdout.hasPrefix("Прогон №1 → №2\nДобавилось: "))
        #expect(runs.stdout.contains("По правилам:"))
        #expect(runs.stdout.contains("По школам:"))
        let json = try w.ok(["diff", "--run", "1", "--run", "3", "--format", "json"])
        let parsed = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(parsed?["by_rule"] is [Any])
        let tuned = try MayakBinary.run([
            "diff", w.snapshots[2], "--rules", MayakBinary.rules.path, "--set", "chronic-absence.threshold_percent=30",
        ])
        #expect(tuned.status == 0, "\(tuned.stderr)")
        #expect(tuned.stdout.contains("chronic-absence: +0 −"))
        // Two rule folders: the old pack against a copy with one rule removed.
        let copy = w.work.appendingPathComponent("rules-new")
        try? FileManager.default.removeItem(at: copy)
        try FileManager.default.copyItem(at: MayakBinary.rules, to: copy)
        try FileManager.default.removeItem(at: copy.appendingPathComponent("core/truancy.yaml"))
        let packs = try MayakBinary.ok([
            "diff", w.snapshots[2], "--rules", MayakBinary.rules.path, "--rules", copy.path,
        ])
        #expect(packs.stdout.contains("truancy: +0 −"))
        #expect(packs.stdout.contains("Примеры:\n"))
        let missing = try w.run(["diff", "--run", "1", "--run", "99"])
        #expect(missing.status == 1)
    }

    @Test func exportAndPlans() throws {
        let csv = w.work.appendingPathComponent("export.csv").path
        let r = try w.run(["alerts", "export", "--school", "SH02", "--out", csv])
        #expect(r.status == 0)
        let data = try Data(contentsOf: URL(fileURLWithPath: csv))
        #expect(data.starts(with: [0xEF, 0xBB, 0xBF]))
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("Школа;Класс;Тип;Код"))
        #expect(!text.contains("СОШ № 1"))
        // Adopt a plan for a pupil on the list, without its second item.
        let list = try String(contentsOf: w.work.appendingPathComponent("2026-03-13.ndjson"), encoding: .utf8)
        let line = try #require(
            list.split(separator: "\n").first { $0.contains("\"rule\":\"failing-two-subjects\"") }
                ?? list.split(separator: "\n").first { $0.contains("\"kind\":\"pupil\"") })
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        let pupil = try #require((object?["subject"] as? [String: Any])?["id"] as? String)
        let adopt = try w.run([
            "plans", "adopt", w.snapshots[2], "--rules", MayakBinary.rules.path, "--pupil", pupil, "--drop", "2",
            "--add", "Консультация психолога|педагог-психолог|2026-03-27|Заключение в деле", "--as", "Завуч",
        ])
        #expect(adopt.status == 0, "\(adopt.stderr)")
        #expect(adopt.stdout.hasPrefix("План №1 принят"))
        // A second adoption while the plan is in force is refused, and nothing is added.
        let again = try w.run([
            "plans", "adopt", w.snapshots[2], "--rules", MayakBinary.rules.path, "--pupil", pupil, "--as", "Завуч",
        ])
        #expect(again.status == 1)
        #expect(
            again.stderr
                == "ошибка: у ученика \(pupil) уже действует план №1: сначала закройте его (mayak plans close 1)\n")
        #expect(try w.run(["plans", "done", "1", "1", "--date", "2026-03-16", "--as", "Учитель"]).status == 0)
        // Done once: repeating it does not move the date.
        let twice = try w.run(["plans", "done", "1", "1", "--date", "2026-03-20", "--as", "Завуч"])
        #expect(twice.status == 1)
        #expect(twice.stderr == "ошибка: пункт 1 плана №1 уже отмечен выполненным 16.03.2026 (Учитель)\n")
        let show = try w.ok(["plans", "show", "--pupil", pupil]).stdout
        #expect(show.contains("выполнено 16.03.2026"))
        #expect(show.contains("Консультация психолога"))
        #expect(show.contains("по плану №1"))
        #expect(show.components(separatedBy: "План №").count == 2, "one plan: \(show)")
        #expect(try w.ok(["plans", "close", "1", "--as", "Завуч"]).stdout == "План №1 закрыт\n")
    }

    @Test func theReportShowsWhatChangedSinceLastWeek() throws {
        let site = w.work.appendingPathComponent("site")
        let r = try w.run(["report", w.snapshots[2], "--rules", MayakBinary.rules.path, "--out", site.path])
        #expect(r.status == 0, "\(r.stderr)")
        let index = try String(contentsOf: site.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(index.contains("Динамика предупреждений по прогонам"))
        let classes = try FileManager.default.contentsOfDirectory(atPath: site.path).filter { $0.hasPrefix("class-") }
        let pages = try classes.map { try String(contentsOf: site.appendingPathComponent($0), encoding: .utf8) }
        #expect(pages.contains { $0.contains("-я неделя") })
        #expect(pages.contains { $0.contains("Снято с прошлой недели: ") })
        #expect(pages.allSatisfy { $0.contains("Изменения — по истории прогонов") })
    }

    /// A scan killed inside its transaction leaves the previous state; readers meanwhile work.
    @Test func aKilledScanLosesNothing() throws {
        let before = try w.ok(["alerts", "list", "--all"]).stdout
        let runsBefore = try w.ok(["runs"]).stdout
        let count = runsBefore.split(separator: "\n").count
        let process = Process()
        guard let binary = MayakBinary.url else { throw MayakBinary.NoBinary() }
        process.executableURL = binary
        process.arguments = [
            "scan", w.snapshots[0], "--rules", MayakBinary.rules.path, "--db", w.db, "--format", "ndjson", "--out",
            w.work.appendingPathComponent("k.ndjson").path,
        ]
        var env = ProcessInfo.processInfo.environment
        env["MAYAK_TEST_PAUSE_BEFORE_COMMIT"] = "1"
        env["MAYAK_CACHE_DIR"] = MayakBinary.cacheDirectory
        process.environment = env
        let out = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardInput = input
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Block until the child says it is inside the transaction.
        var said = Data()
        while !String(decoding: said, as: UTF8.self).contains("in-transaction\n") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            said.append(chunk)
        }
        #expect(String(decoding: said, as: UTF8.self) == "in-transaction\n")
        // A reader while the writer holds its transaction (WAL).
        let during = try w.ok(["alerts", "list", "--all"]).stdout
        #expect(during == before)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(try w.ok(["alerts", "list", "--all"]).stdout == before)
        #expect(try w.ok(["runs"]).stdout == runsBefore)
        let next = try w.run([
            "scan", w.snapshots[2], "--rules", MayakBinary.rules.path, "--format", "ndjson", "--out",
            w.work.appendingPathComponent("n.ndjson").path,
        ])
        #expect(next.status == 0)
        #expect(next.stderr.hasPrefix("Прогон №\(count + 1) записан"), "the killed run left no trace: \(next.stderr)")
    }
}
