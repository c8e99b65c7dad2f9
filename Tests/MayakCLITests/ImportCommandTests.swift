import Foundation
import ImportFixtureSupport
import Testing

/// `mayak import` through the real binary, from an empty folder as a deputy head would run it.
@Suite struct ImportCommandTests {
    let mappings = MayakBinary.packageRoot.appendingPathComponent("mappings")

    @Test func theUCIDataImportsAndCheckPrintsItsFigures() throws {
        let data = MayakBinary.fixtures.appendingPathComponent("real/uci-student-performance")
        try #require(FileManager.default.fileExists(atPath: data.path), "the UCI data is at \(data.path)")
        let work = try MayakBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let r = try MayakBinary.run(
            [
                "import", data.appendingPathComponent("student-mat.csv").path,
                data.appendingPathComponent("student-por.csv").path, "--into", "uci", "--mapping",
                mappings.appendingPathComponent("uci-student-performance.yaml").path, "--calendar", "trimesters/1-11",
                "--school-year", "2025/2026", "--district", "UCI",
            ], in: work)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Снимок uci записан: 674 ученика, дата среза 26.05.2026."))
        #expect(r.stdout.contains("новых учеников: 395"))
        let check = try MayakBinary.run(["check", "uci"], in: work)
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.contains("Итоги периода: III триместр"))
        #expect(check.stdout.contains("Итого по округу                674      674"))
        let scan = try MayakBinary.run(["scan", "uci", "--format", "json", "--out", "alerts.json"], in: work)
        #expect(scan.status == 0, "\(scan.stderr)")
    }

    @Test func anSGOStyleHTMLPageNamedXLSImportsAndAFailureWritesNothing() throws {
        let work = try MayakBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let page = """
            <html><head><meta charset="utf-8"></head><body><p>Класс: 7А</p>
            <table><tr><th>ФИО</th><th>Класс</th><th>Предмет</th><th>Дата</th><th>Отметка</th></tr>
            <tr><td>Выдумкин Пётр</td><td>7А</td><td>Алгебра</td><td>10.02.2026</td><td>4 5</td></tr>
            <tr><td>Небылицына Ольга</td><td>7А</td><td>Алгебра</td><td>10.02.2026</td><td>Н</td></tr>
            </table></body></html>
            """
        try Data(page.utf8).write(to: work.appendingPathComponent("journal.xls"))
        let mapping = mappings.appendingPathComponent("generic-long.yaml").path
        let r = try MayakBinary.run(
            ["import", "journal.xls", "--into", "snap", "--mapping", mapping, "--school", "S1"], in: work)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("journal.xls: HTML, сопоставление «Длинная таблица отметок»\n"))
        #expect(r.stdout.contains("  отметки, S1-7А: +2 −0\n"))
        #expect(r.stdout.contains("  пропуски, S1-7А: +1 −0"))
        let check = try MayakBinary.run(["check", "snap"], in: work)
        #expect(check.status == 0, "\(check.stderr)")
        // A second week with a bad cell: an error at the cell, and the snapshot as it was.
        let before = try Data(contentsOf: work.appendingPathComponent("snap/marks.csv"))
        try Data(page.replacingOccurrences(of: "4 5", with: "6").utf8).write(
            to: work.appendingPathComponent("journal.xls"))
        let bad = try MayakBinary.run(
            ["import", "journal.xls", "--into", "snap", "--mapping", mapping, "--school", "S1"], in: work)
        #expect(bad.status == 1)
        #expect(
            bad.stderr
                == "journal.xls:3: ошибка: «6» — не отметка; ожидалась отметка 1–5, н/а, осв, зач, незач или код посещаемости Н, Б, УП, НП, ОП\nничего не записано; папка snap осталась как была\n"
        )
        #expect(bad.stdout.isEmpty)
        #expect(try Data(contentsOf: work.appendingPathComponent("snap/marks.csv")) == before)
    }
}

/// ФИС ОКО's form Ф1 and the school's code list, through the real binary.
@Suite struct FisOkoImportCommandTests {
    @Test func aFormWithACodeListImportsAndCheckAcceptsIt() throws {
        let work = try MayakBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        typealias Cell = XLSXFixture.Cell
        let rows: [[Cell]] = [
            [.text("ВПР 2025 Русский язык 5 класс")],
            [.text("Предмет"), .text("Русский язык")],
            [.text("Максимальный первичный балл"), .number(6)],
            [.text("Дата"), .date(year: 2025, month: 4, day: 22)],
            [.text("ОО"), .text("МБОУ СОШ № 3 (edu123456) | Кол-во участников: 3")],
            [.empty, .empty, .empty, .text("Б"), .text("П")],
            [
                "Код участника", "Класс", "Вариант", "1 (4б)", "2К1 (2б)", "Первичный балл", "Отметка",
                "Отметка по журналу",
            ]
            .map { Cell.text($0) },
            [.number(20001), .text("5Б"), .number(1), .number(4), .number(2), .number(6), .number(5), .number(4)],
            [.number(20002), .text("5Б"), .number(2), .number(1), .text("X"), .number(1), .number(2), .number(3)],
            [.number(20003), .text("5Б"), .number(1), .text("X"), .text("X"), .empty, .text("X"), .number(4)],
        ]
        try XLSXFixture.write(
            sheets: [("Ф1 Индивидуальные результаты", rows, [])], to: work.appendingPathComponent("f1.xlsx").path)
        try Data("Код участника;ФИО;Дата рождения\n20001;Выдумкин Пётр;01.03.2014\n20002;Небылицына Ольга;\n".utf8)
            .write(to: work.appendingPathComponent("codes.csv"))
        let r = try MayakBinary.run(
            ["import", "f1.xlsx", "--codes", "codes.csv", "--into", "snap", "--school", "SCH1"], in: work)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("f1.xlsx: XLSX, ФИС ОКО: ВПР, индивидуальные результаты (Ф1)\n"))
        #expect(r.stdout.contains("  результаты ВПР, SCH1-5Б: +2 −0\n"))
        #expect(r.stdout.contains("ВПР 2025, Русский язык, 5 класс: 1 участник без отметки (не писал) не записан"))
        #expect(r.stdout.contains("Снимок snap записан: 2 ученика, дата среза 22.04.2025."))
        let vpr = try String(contentsOf: work.appendingPathComponent("snap/vpr_results.csv"), encoding: .utf8)
        #expect(vpr.contains("P000001,2025,5,Русский язык,6,6,5,4\n"))
        let schools = try String(contentsOf: work.appendingPathComponent("snap/schools.csv"), encoding: .utf8)
        #expect(schools == "school_id,name\nSCH1,МБОУ СОШ № 3\n")
        let check = try MayakBinary.run(["check", "snap"], in: work)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    }
}
