import Foundation
import ImportFixtureSupport
import MayakSnapshot
import MayakTestSupport
import Testing

@testable import MayakImport

/// The importer speaks Russian: real diagnostics of real bad input (a long table with bad cells,
/// mapping and calendar files with mistakes, damaged workbooks, СГО's and ФИС ОКО's exports
/// with something missing, a reader that crashes) read as Russian, every word outside the
/// values they quote and the identifiers they name.
@Suite struct ImportTextTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let mapping = root.appendingPathComponent("mappings/generic-long.yaml").path

    func folder() -> String {
        let dir = TemporaryFolders.fresh("texts")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.path
    }

    func write(_ text: String, _ path: String) { TemporaryFolders.write(Data(text.utf8), to: path) }

    func failure(_ body: () throws(ImportError) -> Void) -> String {
        do {
            try body()
            Issue.record("no error")
            return ""
        } catch { return error.description }
    }

    /// Every problem an import of `files` reports, as `mayak import` prints them.
    func problems(_ files: [String], into: String, mapping: String? = nil, school: String? = "S1") -> [String] {
        var request = ImportRequest(files: files, into: into)
        request.mapping = mapping
        request.options = ImportOptions(school: school)
        let outcome = Importer.run(request)
        #expect(outcome.log.hasErrors || !outcome.log.isEmpty, "\(files)")
        return outcome.log.rendered
    }

    @Test func everyDiagnosticOfTheImporterReadsAsRussian() throws {
        let dir = folder()
        var lines: [String] = []

        // A long table: a bad mark (four times: summed up), dates, a weight, a class, an empty
        // subject and name; and the same table without a school.
        let header = "ФИО;Класс;Предмет;Дата;Отметка;Вид работы;Вес\n"
        var table = header
        for day in 10...13 { table += "Выдумкин Пётр;7А;Алгебра;\(day).02.2026;6;;\n" }
        table += "Выдумкин Пётр;7А;Алгебра;2026/02/14;5;;\n"
        table += "Выдумкин Пётр;7А;Алгебра;31.02.2026;5;;\n"
        table += "Выдумкин Пётр;7А;Алгебра;16.02.2026;5;;тяжёлый\n"
        table += "Небылицына Ольга;Z;Алгебра;16.02.2026;5;;\n"
        table += "Небылицына Ольга;7А;;16.02.2026;5;;\n"
        table += ";7А;Алгебра;16.02.2026;5;;\n"
        write(table, dir + "/marks.csv")
        lines += problems([dir + "/marks.csv"], into: dir + "/snap", mapping: mapping)
        lines += problems([dir + "/marks.csv"], into: dir + "/snap", mapping: mapping, school: nil)
        #expect(lines.contains { $0.contains("… то же ещё в 1 месте (всего 4)") }, "\(lines)")

        // A table no layout knows; a folder that is not an import's.
        write("a;b\n1;2\n", dir + "/t.csv")
        lines += problems([dir + "/t.csv"], into: dir + "/snap")
        try FileManager.default.createDirectory(atPath: dir + "/mine", withIntermediateDirectories: true)
        write("notes", dir + "/mine/notes.txt")
        lines += problems([dir + "/marks.csv"], into: dir + "/mine", mapping: mapping)

        // Mapping files with mistakes.
        for (name, text) in [
            ("typo.yaml", "mapping: 1\npupil: ФИО\nclass: Класс\nsubjct: Предмет\n"),
            ("broken.yaml", "mapping: 1\npupil: [ФИО\n"),
            ("colon.yaml", "mapping: 1\npupil: ФИО: Класс\n"),
            ("wide.yaml", "mapping: 1\npupil: ФИО\nwide:\n  - { columns: [Q1] }\n"),
            ("values.yaml", "mapping: 1\npupil: ФИО\nvalues:\n  - { range: 9-0, to: 2 }\n"),
            ("nopupil.yaml", "mapping: 1\nclass: Класс\n"),
            ("nodate.yaml", "mapping: 1\npupil: ФИО\nmark: Отметка\n"),
            ("format.yaml", "mapping: 2\npupil: ФИО\n"),
        ] {
            write(text, dir + "/" + name)
            lines += problems([dir + "/marks.csv"], into: dir + "/snap", mapping: dir + "/" + name)
        }
        lines += problems([dir + "/marks.csv"], into: dir + "/snap", mapping: "builtin:nope")
        // A mapping whose header the table lacks.
        write("mapping: 1\npupil: ФИО\nclass: Класс\nsubject: Предмет\ndate: Дата\nmark: Оценка\n", dir + "/m.yaml")
        lines += problems([dir + "/marks.csv"], into: dir + "/snap", mapping: dir + "/m.yaml")

        // Calendar files, as `mayak import --calendar FILE` prints their errors.
        for text in [
            "periods:\n  - { id: Q1, kind: quarterly, start: 2025-09-01, end: 2025-10-24 }\n",
            "periods:\n  - { id: Q1, kind: quarter, grades: 0-9, start: 2025-09-01, end: 2025-10-24 }\n",
            "periods:\n  - { id: Q1, kind: quarter, start: 2025-09-01, end: 2026-10-24 }\n",
            "periods:\n  - { id: Q1, kind: quarter, start: 2025-09-01, end: 2025-10-24 }\n"
                + "  - { id: Q1, kind: year, start: 2025-09-01, end: 2026-05-26 }\n",
            "periods: [ { id: Q1\n",
            "term: 1\n",
        ] {
            write(text, dir + "/cal.yaml")
            lines.append(failure { () throws(ImportError) in _ = try CalendarFile.load(dir + "/cal.yaml") })
        }
        lines.append(failure { () throws(ImportError) in _ = try CalendarFile.load(dir + "/no-such.yaml") })

        // Workbooks that are not what their names say, or damaged.
        TemporaryFolders.write(Data([0x50, 0x4B, 0x03, 0x04] + Array(repeating: 7, count: 200)), to: dir + "/a.xlsx")
        lines += problems([dir + "/a.xlsx"], into: dir + "/snap")
        write("<html><table><tr><td>5</td></tr></table></html>", dir + "/page.xls")
        lines.append(
            failure { () throws(ImportError) in _ = try BIFFReader.read(path: dir + "/page.xls", file: "page.xls") })
        TemporaryFolders.write(Data(), to: dir + "/empty.xls")
        lines.append(
            failure { () throws(ImportError) in _ = try BIFFReader.read(path: dir + "/empty.xls", file: "e.xls") })
        TemporaryFolders.write(
            Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + Array(repeating: 3, count: 4096)),
            to: dir + "/signed.xls")
        lines.append(
            failure { () throws(ImportError) in _ = try BIFFReader.read(path: dir + "/signed.xls", file: "s.xls") })
        // The .xls reader's child crashing, hanging, or saying nothing useful.
        for (script, timeout) in [
            ("kill -SEGV $$", Duration.seconds(10)), ("exec sleep 30", .milliseconds(300)),
            ("echo oops >&2; exit 3", .seconds(10)),
            ("printf MXW1W", .seconds(10)),
        ] {
            let child = IsolatedBIFFReader(command: ["/bin/sh", "-c", script], timeout: timeout)
            lines.append(
                failure { () throws(ImportError) in _ = try child.read(path: dir + "/page.xls", file: "j.xls") })
        }
        let nowhere = IsolatedBIFFReader(command: ["/nonexistent/mayak", "read-xls"])
        lines.append(failure { () throws(ImportError) in _ = try nowhere.read(path: dir + "/page.xls", file: "j.xls") })

        // СГО's journal without its class line, and with a cell that is no mark.
        let days = [(month: "Сентябрь", days: [2, 9])]
        write(
            SGOLayoutTests.journal(
                subject: "Алгебра", klass: "", days: days, pupils: [("Белкина Арина", ["5", ""], "")]),
            dir + "/j1.xls")
        write(
            SGOLayoutTests.journal(
                subject: "Алгебра", period: "", days: days,
                pupils: [("Белкина Арина", ["отл", "4 X"], "7"), ("Белкина  Арина", ["5", ""], "5")]),
            dir + "/j2.xls")
        lines += problems([dir + "/j1.xls", dir + "/j2.xls"], into: dir + "/snap", school: nil)

        // ФИС ОКО's form: without a code list, with one that lacks codes, with bad cells.
        var rows = FisOkoLayoutTests.twoParticipants
        rows[0][3] = .number(3)
        rows[0][7] = .number(11)
        rows[1][8] = .number(6)
        var third = FisOkoLayoutTests.twoParticipants[1]
        third[0] = .number(10003)
        rows += [third, third]
        try FisOkoLayoutTests().f1(rows, to: dir + "/f1.xlsx")
        lines += problems([dir + "/f1.xlsx"], into: dir + "/snap")
        write("ФИО;Класс\nВыдумкин Пётр;5А\n", dir + "/not-codes.csv")
        var log = ImportLog()
        if case .failure(let e) = CodeList.load(dir + "/not-codes.csv", log: &log) { lines.append(e.description) }
        write("Код участника;ФИО\n10001;Выдумкин Пётр\n10001;Другов Иван\n10003;\n", dir + "/codes.csv")
        _ = CodeList.load(dir + "/codes.csv", log: &log)
        lines += log.rendered

        #expect(lines.count >= 40, "\(lines.count) diagnostics")
        for line in lines {
            #expect(line.contains(": ошибка: ") || line.contains(": предупреждение: "), "\(line)")
            #expect(RussianText.englishWords(in: line) == [], "\(line)")
        }
        // The check itself finds English.
        #expect(RussianText.englishWords(in: "a.csv:1:2: ошибка: «6» is not good.") == ["is", "not", "good"])
        #expect(RussianText.englishWords(in: "a.csv:1:2: ошибка: укажите --school в m.yaml (key: «x»)") == [])
    }
}

/// The words of a diagnostic that are not Russian. Outside its position (what comes before
/// `: ошибка: ` or `: предупреждение: `), «…» quotes and `…` code spans, every word of letters
/// must have a Cyrillic letter, but for the identifiers the messages name as they are:
/// command-line flags (`--school-year`), file and part names and paths (`xl/workbook.xml`),
/// words with a digit, an underscore or a colon inside (`UTF-8`, `cp1251`, `FREEXL_CRAFTED_FILE`,
/// `period_marks`, `builtin:generic-long`), all-capital abbreviations and codes (`XLSX`, `ZIP`,
/// `XFD`, `SIGSEGV`, `X`), and `allowed` below: product and format names, the commands
/// `mayak import` and `mayak check`, the built-in layouts, and the keys and values of mapping
/// and calendar files (docs/import.md).
///
/// Kept here, private, until it joins `MayakTestSupport`'s `RussianText.englishWords(in:)`.
private enum RussianText {
    static let allowed: Set<String> = [
        // Products, formats and commands.
        "Excel", "FreeXL", "Windows", "libyaml", "mayak", "import", "check", "eduNNNNNN", "rowspan", "colspan",
        // The built-in layouts (--profile).
        "sgo-journal", "sgo-pupil-report", "sgo-summary", "eljur-journal",
        // Keys and values of mapping files.
        "mapping", "title", "sheet", "school", "class", "grade", "pupil", "key", "subject", "date", "mark", "weight",
        "period", "keep", "wide", "values", "error", "number", "column", "value", "template", "as", "columns",
        "matching", "periods", "marks", "range", "text", "to", "skip",
        // Keys and values of calendar files, and the calendar presets.
        "id", "name", "kind", "grades", "start", "end", "quarter", "half-year", "year", "quarters", "trimesters",
        "half-years",
    ]

    static func englishWords(in line: String) -> [String] {
        var text = Substring(line)
        for severity in [": ошибка: ", ": предупреждение: ", ": примечание: "] {
            if let r = text.range(of: severity) {
                text = text[r.upperBound...]
                break
            }
        }
        // Without quotes (nested ones too) and code spans.
        var plain = ""
        var depth = 0
        var code = false
        for c in text {
            if c == "`" {
                code.toggle()
                plain.append(" ")
            } else if c == "«" {
                depth += 1
            } else if c == "»" {
                depth = max(0, depth - 1)
                plain.append(" ")
            } else if depth == 0 && !code {
                plain.append(c)
            }
        }
        var words: [String] = []
        // A leading dot stays: `.xls` is a file's ending.
        let edges = CharacterSet(charactersIn: "()[]{},;:!?—–…\"'")
        for raw in plain.split(whereSeparator: \.isWhitespace) {
            var token = raw.trimmingCharacters(in: edges)
            while token.hasSuffix(".") {
                token.removeLast()
                token = token.trimmingCharacters(in: edges)
            }
            guard token.contains(where: { $0.isLetter }) else { continue }
            if token.hasPrefix("--") || token.contains("/") || token.contains(".") || token.contains("_")
                || token.contains(":") || token.contains(where: \.isNumber)
            {
                continue
            }
            if token.unicodeScalars.contains(where: { (0x0400...0x04FF).contains($0.value) }) { continue }
            if token.allSatisfy({ !$0.isLetter || $0.isUppercase }) { continue }
            if allowed.contains(token) { continue }
            words.append(token)
        }
        return words
    }
}
