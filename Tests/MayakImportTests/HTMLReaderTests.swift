import MayakTestSupport
import Testing

@testable import MayakImport

/// СГО-like pages with invented people. Each page is written line by line, so that line N of
/// the page is element N - 1 of its array.
@Suite struct HTMLReaderTests {
    private func page(_ lines: [String]) -> [UInt8] { Array(lines.joined(separator: "\n").utf8) }

    private func lines(_ grid: Grid) -> [[Int]] { grid.origins.map { $0.map { Int($0.line) } } }

    private func preamble(_ grid: Grid) -> [String] { grid.preamble.map { "\($0.line): \($0.text)" } }

    /// Windows-1251 bytes of a text (via the reader's own table; `?` for what 1251 lacks).
    private func cp1251(_ s: String) -> [UInt8] {
        s.unicodeScalars.map { u in
            if u.value < 0x80 { return UInt8(u.value) }
            if let i = HTMLEncoding.cp1251.firstIndex(of: UInt16(truncatingIfNeeded: u.value)) {
                return UInt8(0x80 + i)
            }
            return UInt8(ascii: "?")
        }
    }

    @Test func classJournalPage() throws {
        let bytes = page([
            "<!DOCTYPE html>",
            "<html><head><meta charset=\"utf-8\"><title>Классный журнал</title></head>",
            "<body>",
            "<div class=\"school\">МБОУ «Средняя школа № 7» г. Зареченска</div>",
            "<p>Учебный год: 2025/2026<br>Период: с 01.09.2025 по 31.10.2025</p>",
            "<div><b>Класс:</b> 7А</div>",
            "<div><b>Предмет:</b>&nbsp;Алгебра</div>",
            "<table border=\"1\">",
            "<tr><th rowspan=\"2\">№</th><th rowspan=\"2\">Ученик</th><th colspan=\"3\">Сентябрь</th>"
                + "<th colspan=\"2\">Октябрь</th><th rowspan=\"2\">Средн.</th></tr>",
            "<tr><th>2</th><th>9</th><th>16</th><th>7</th><th>14</th></tr>",
            "<tr><td>1</td><td>Белкина Арина</td><td>5</td><td>4 5</td><td>Н</td><td>4/5</td><td></td><td>4,50</td></tr>",
            "<tr><td>2</td><td>Гусев&nbsp;&nbsp;Тимофей</td><td>2 Н</td><td>5/Н</td><td>УП</td><td>Б</td><td>НП</td>"
                + "<td>3,00</td></tr>",
            "<tr>",
            "  <td>3</td>",
            "  <td>Ёлкина<br>Вера</td>",
            "  <td>ОСВ</td><td> 3 </td><td>4</td><td>5</td><td>5</td><td>4,25</td>",
            "</tr>",
            "</table>",
            "<p>Учитель: Смирнова Ольга Петровна</p>",
            "</body></html>",
        ])
        let book = try HTMLReader.read(bytes, file: "journal.xls")
        #expect(book.kind == .html)
        #expect(book.file == "journal.xls")
        try #require(book.grids.count == 1)
        let g = book.grids[0]
        #expect(g.name == "таблица 1")
        #expect(g.addressing == .lines)
        #expect(
            g.rows == [
                ["№", "Ученик", "Сентябрь", "", "", "Октябрь", "", "Средн."],
                ["", "", "2", "9", "16", "7", "14", ""],
                ["1", "Белкина Арина", "5", "4 5", "Н", "4/5", "", "4,50"],
                ["2", "Гусев Тимофей", "2 Н", "5/Н", "УП", "Б", "НП", "3,00"],
                ["3", "Ёлкина Вера", "ОСВ", "3", "4", "5", "5", "4,25"],
            ])
        #expect(
            g.merges == [
                CellRange(firstRow: 0, firstColumn: 0, lastRow: 1, lastColumn: 0),
                CellRange(firstRow: 0, firstColumn: 1, lastRow: 1, lastColumn: 1),
                CellRange(firstRow: 0, firstColumn: 2, lastRow: 0, lastColumn: 4),
                CellRange(firstRow: 0, firstColumn: 5, lastRow: 0, lastColumn: 6),
                CellRange(firstRow: 0, firstColumn: 7, lastRow: 1, lastColumn: 7),
            ])
        #expect(
            lines(g) == [
                Array(repeating: 9, count: 8),
                [9, 9, 10, 10, 10, 10, 10, 9],
                Array(repeating: 11, count: 8),
                Array(repeating: 12, count: 8),
                [14, 15, 16, 16, 16, 16, 16, 16],
            ])
        #expect(g.origins.allSatisfy { $0.allSatisfy { $0.column == 0 } })
        #expect(
            preamble(g) == [
                "4: МБОУ «Средняя школа № 7» г. Зареченска",
                "5: Учебный год: 2025/2026",
                "5: Период: с 01.09.2025 по 31.10.2025",
                "6: Класс: 7А",
                "7: Предмет: Алгебра",
            ])
        #expect(g.location(row: 2, column: 3) == "journal.xls:11")
        #expect(g.location(row: 4, column: 1) == "journal.xls:15")
        #expect(g.location(row: 1, column: 0) == "journal.xls:9")
        let f = g.filled()
        #expect(f[1, 1] == "Ученик")
        #expect(f[0, 3] == "Сентябрь")
        #expect(f[0, 6] == "Октябрь")
    }

    @Test func summarySheetWithNamesSpanningPeriods() throws {
        let bytes = page([
            "<html>",
            "<body>",
            "<h3>Сводная ведомость успеваемости</h3>",
            "<div>Класс: 8Б &nbsp; Учебный год: 2025/2026</div>",
            "<table class=\"svod\">",
            "<thead>",
            "<tr><th rowspan=\"3\">Ученик</th><th rowspan=\"3\">Период</th>",
            "<th><div class=\"vertical\" style=\"writing-mode: vertical-rl\">Русский язык</div></th>",
            "<th><div class=\"vertical\">Алгебра</div></th><th><div class=\"vertical\">Физика</div></th></tr>",
            "<tr><th>Р</th><th>А</th><th>Ф</th></tr>",
            "</thead>",
            "<tbody>",
            "<tr><td rowspan=\"3\">Журавлёва Дарья</td><td>1 четверть</td><td>5</td><td>4</td><td>5</td></tr>",
            "<tr><td>2 четверть</td><td>5</td><td>5</td><td>4</td></tr>",
            "<tr><td>Год</td><td>5</td><td>4,5</td><td>4,5</td></tr>",
            "<tr><td rowspan=\"0\">Зуев Кирилл</td><td>1 четверть</td><td>3</td><td>н/а</td><td>2</td></tr>",
            "<tr><td>2 четверть</td><td>3</td><td>3</td><td>3</td></tr>",
            "</tbody>",
            "</table>",
            "</body>",
            "</html>",
        ])
        let book = try HTMLReader.read(bytes, file: "svod-8b.xls")
        try #require(book.grids.count == 1)
        let g = book.grids[0]
        #expect(
            g.rows == [
                ["Ученик", "Период", "Русский язык", "Алгебра", "Физика"],
                ["", "", "Р", "А", "Ф"],
                ["Журавлёва Дарья", "1 четверть", "5", "4", "5"],
                ["", "2 четверть", "5", "5", "4"],
                ["", "Год", "5", "4,5", "4,5"],
                ["Зуев Кирилл", "1 четверть", "3", "н/а", "2"],
                ["", "2 четверть", "3", "3", "3"],
            ])
        // The header's rowspan of 3 stops at the end of <thead>; rowspan="0" reaches the end of <tbody>.
        #expect(
            g.merges == [
                CellRange(firstRow: 0, firstColumn: 0, lastRow: 1, lastColumn: 0),
                CellRange(firstRow: 0, firstColumn: 1, lastRow: 1, lastColumn: 1),
                CellRange(firstRow: 2, firstColumn: 0, lastRow: 4, lastColumn: 0),
                CellRange(firstRow: 5, firstColumn: 0, lastRow: 6, lastColumn: 0),
            ])
        #expect(
            lines(g) == [
                [7, 7, 8, 9, 9], [7, 7, 10, 10, 10], [13, 13, 13, 13, 13], [13, 14, 14, 14, 14],
                [13, 15, 15, 15, 15], [16, 16, 16, 16, 16], [16, 17, 17, 17, 17],
            ])
        #expect(preamble(g) == ["3: Сводная ведомость успеваемости", "4: Класс: 8Б Учебный год: 2025/2026"])
        let f = g.filled()
        #expect(f[4, 0] == "Журавлёва Дарья")
        #expect(f[6, 0] == "Зуев Кирилл")
        #expect(g.location(row: 4, column: 0) == "svod-8b.xls:13")
    }

    @Test func windows1251WithAndWithoutDeclaration() throws {
        let body = "<body>\n<p>Класс: 7А</p>\n<table><tr><td>Щукин Эдуард</td><td>5 Н</td></tr></table>\n</body>"
        let declared = cp1251(
            "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\"></head>\n"
                + body + "</html>")
        let undeclared = cp1251("<html>\n" + body + "</html>")
        // СГО's older pages declare UTF-8 over Windows-1251 bytes: the bytes win.
        let falselyUTF8 = cp1251("<html><head><meta charset=\"utf-8\"></head>\n" + body + "</html>")
        #expect(HTMLEncoding.detect(declared) == .windows1251)
        #expect(HTMLEncoding.detect(undeclared) == .windows1251)
        #expect(HTMLEncoding.detect(falselyUTF8) == .windows1251)
        for bytes in [declared, undeclared, falselyUTF8] {
            let g = try #require(try HTMLReader.read(bytes, file: "j.xls").grids.first)
            #expect(g.rows == [["Щукин Эдуард", "5 Н"]])
            #expect(preamble(g) == ["3: Класс: 7А"])
            #expect(lines(g) == [[4, 4]])
        }
        // Every byte has a character: 1251's unassigned 0x98 does not stop the page.
        let odd = cp1251("<p>Ёж") + [0x98] + cp1251("</p><table><tr><td>ёлка</td></tr></table>")
        let g = try #require(try HTMLReader.read(odd, file: "j.xls").grids.first)
        #expect(g.preamble.map(\.text) == ["Ёж\u{98}"])
        #expect(g.rows == [["ёлка"]])
    }

    @Test func encodingDeclarationsAndMarks() throws {
        #expect(
            HTMLEncoding.declaredLabel(Array("<META HTTP-EQUIV=Content-Type CONTENT='text/html;charset=koi8-r'>".utf8))
                == "koi8-r")
        #expect(
            HTMLEncoding.declaredLabel(
                Array("<meta content=\"text/html; charset=cp1251\" http-equiv=\"content-type\">".utf8)) == "cp1251")
        #expect(
            HTMLEncoding.declaredLabel(Array("<!-- <meta charset=koi8-r> --><meta charset = ' utf-8 '>".utf8))
                == "utf-8")
        #expect(HTMLEncoding.declaredLabel(Array("<meta name=\"charset\" content=\"charset=cp1251\">".utf8)) == nil)
        #expect(HTMLEncoding.declaredLabel(Array("<p>charset=cp1251</p>".utf8)) == nil)
        #expect(HTMLEncoding.named("Windows-1251") == .windows1251)
        #expect(HTMLEncoding.named("latin1") == .windows1252)
        #expect(HTMLEncoding.named("x-unknown") == nil)
        // A declaration is honoured even where the bytes would read as UTF-8, as browsers do.
        #expect(HTMLEncoding.detect(Array("<meta charset=windows-1251><p>Класс".utf8)) == .windows1251)
        #expect(HTMLEncoding.detect(Array("<p>Класс".utf8)) == .utf8)
        #expect(HTMLEncoding.detect([0xFF, 0xFE, 0x3C, 0]) == .utf16LE)

        // KOI8-R, declared, through libxml2's iconv: «Класс» is EB CC C1 D3 D3.
        let koi8 =
            Array("<meta charset=koi8-r><table><tr><td>".utf8) + [0xEB, 0xCC, 0xC1, 0xD3, 0xD3]
            + Array("</td></tr></table>".utf8)
        #expect(try HTMLReader.read(koi8, file: "k.html").grids.first?.rows == [["Класс"]])
        // UTF-16 with its byte-order mark.
        let utf16: [UInt8] =
            [0xFF, 0xFE] + "<table><tr><td>Юля</td></tr></table>".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        #expect(try HTMLReader.read(utf16, file: "u.html").grids.first?.rows == [["Юля"]])
        // A UTF-8 byte-order mark is not text.
        let bom = [0xEF, 0xBB, 0xBF] + Array("<p>Класс: 5Г</p><table><tr><td>1</td></tr></table>".utf8)
        #expect(try HTMLReader.read(bom, file: "b.html").grids.first?.preamble.map(\.text) == ["Класс: 5Г"])
    }

    @Test func malformedMarkupIsReadAsBrowsersWould() throws {
        let bytes = page([
            "<html><body></td>",
            "<p>Класс: 9В",
            "<table>",
            "<tr><td>Иванов<td>5</td></td></td><td>4",
            "<tr><td colspan=\"0\">x<td colspan=\"5000\">y",
            "<td rowspan=\"abc\">z</tr></tr>",
            "<tr><td rowspan=\"999999\">w</td></tr>",
            "<tr><td> + </td></tr>",
            "</table></div></span>",
            "<b>Итог",
        ])
        let book = try HTMLReader.read(bytes, file: "broken.xls")
        try #require(book.grids.count == 1)
        let g = book.grids[0]
        #expect(g.rows.count == 4)
        #expect(g.rows[0] == ["Иванов", "5", "4"])
        // colspan 0 is 1; colspan 5000 is 1000, as browsers clamp it; "abc" is no rowspan.
        #expect(g.rows[1] == ["x", "y"] + Array(repeating: "", count: 999) + ["z"])
        #expect(g.rows[2] == ["w"])
        // The rowspan of 999999 stops at the table's last row, and the cell below moves right past it.
        #expect(g.rows[3] == ["", "+"])
        #expect(
            g.merges == [
                CellRange(firstRow: 1, firstColumn: 1, lastRow: 1, lastColumn: 1000),
                CellRange(firstRow: 2, firstColumn: 0, lastRow: 3, lastColumn: 0),
            ])
        #expect(preamble(g) == ["2: Класс: 9В"])
        #expect(lines(g)[0] == [4, 4, 4])
        #expect(lines(g)[1].first == 5)
        #expect(lines(g)[1].last == 6)
    }

    @Test func nestedLayoutTables() throws {
        let bytes = page([
            "<html><body>",
            "<table class=\"layout\">",
            "<tr><td>Школа: МБОУ СОШ № 12</td><td>Учебный год: 2025/2026</td></tr>",
            "<tr><td colspan=\"2\">",
            "<table><caption>Алгебра, 7А</caption>",
            "<tr><th>Ученик</th><th>Оценки</th></tr>",
            "<tr><td>Белкина Арина</td><td>5 4</td></tr>",
            "</table>",
            "</td></tr>",
            "<tr><td>Ученик: Гусев Тимофей</td></tr>",
            "<tr><td><table></table><table><tr><td>Русский язык</td><td>3</td></tr></table></td></tr>",
            "</table>",
            "<table><tr><td>",
            "<table><tr><td>Э</td></tr></table></td></tr></table>",
            "</body></html>",
        ])
        let book = try HTMLReader.read(bytes, file: "layout.html")
        #expect(book.grids.map(\.name) == ["таблица 1", "таблица 2", "таблица 3"])
        try #require(book.grids.count == 3)
        #expect(book.grids[0].rows == [["Ученик", "Оценки"], ["Белкина Арина", "5 4"]])
        #expect(preamble(book.grids[0]) == ["3: Школа: МБОУ СОШ № 12 Учебный год: 2025/2026", "5: Алгебра, 7А"])
        #expect(lines(book.grids[0]) == [[6, 6], [7, 7]])
        // An empty table is no grid.
        #expect(book.grids[1].rows == [["Русский язык", "3"]])
        #expect(preamble(book.grids[1]) == ["10: Ученик: Гусев Тимофей"])
        #expect(book.grids[2].rows == [["Э"]])
        #expect(book.grids[2].preamble.isEmpty)
        #expect(book.grids[2].location(row: 0, column: 0) == "layout.html:14")
    }

    @Test func linesPastLibxml2sSixteenBits() throws {
        let bytes = Array(
            ("<html><body>" + String(repeating: "\n", count: 70_000)
                + "<p>Класс: 6А</p>\n<table>\n<tr><td>1</td></tr>\n<tr>\n<td>2</td></tr></table>").utf8)
        let g = try #require(try HTMLReader.read(bytes, file: "long.html").grids.first)
        #expect(preamble(g) == ["70001: Класс: 6А"])
        #expect(lines(g) == [[70_003], [70_005]])
    }

    @Test func hostileInputFailsCleanly() throws {
        #expect(try HTMLReader.read([], file: "empty.html").grids.isEmpty)
        #expect(try HTMLReader.read(Array("<table></table><p>Только текст</p>".utf8), file: "t.html").grids.isEmpty)
        var generator = SplitMix(seed: 7)
        for _ in 0..<20 {
            let noise = (0..<4096).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            _ = try? HTMLReader.read(noise, file: "noise.html")
            let tags = (0..<2000).map { _ in
                ["<table>", "<tr>", "<td rowspan=9>", "<td colspan=3>", "</td>", "</table>", "x", "<br>", "</tr>"][
                    Int(generator.next() % 9)]
            }
            _ = try? HTMLReader.read(Array(tags.joined().utf8), file: "tags.html")
        }
        // Deeper than libxml2 goes: an error, not half a page.
        let deep = Array((String(repeating: "<div>", count: 300) + "<table><tr><td>1</td></tr></table>").utf8)
        #expect(throws: ImportError.self) { try HTMLReader.read(deep, file: "deep.html") }
        // Over the cell cap (what colspans cover counts).
        let wide = Array(
            ("<table>" + String(repeating: "<tr><td colspan=1000></td></tr>", count: 4001) + "</table>").utf8)
        #expect {
            try HTMLReader.read(wide, file: "wide.html")
        } throws: { error in
            (error as? ImportError)?.location == "wide.html"
                && (error as? ImportError)?.message.contains("больше 4\u{202F}000\u{202F}000 ячеек таблиц") == true
        }
        #expect {
            try HTMLReader.read(Array(repeating: 0x20, count: HTMLReader.maxBytes + 1), file: "big.html")
        } throws: { error in
            (error as? ImportError)?.message.contains("страницы больше 64 МБ не читаются") == true
        }
    }

    @Test func whitespaceAndNumbers() {
        #expect(HTMLReader.collapsed(" \u{A0}4\t\n 5\u{A0}\u{A0}Н ") == "4 5 Н")
        #expect(HTMLReader.nonNegativeInteger(" +3px") == 3)
        #expect(HTMLReader.nonNegativeInteger("-1") == nil)
        #expect(HTMLReader.nonNegativeInteger("99999999999999999999") == 100_000_000)
        let g = Grid(
            file: "j.xls", name: "таблица 1", addressing: .lines, rows: [["a"]], origins: [[.init(line: 41, column: 0)]]
        )
        #expect(g.location(row: 0, column: 0) == "j.xls:41")
    }
}

@Suite struct UTF8CheckTests {
    @Test func wellFormedUTF8Only() {
        #expect(HTMLEncoding.isValidUTF8(Array("ascii, Ёлка, €, 𝄞".utf8)))
        #expect(HTMLEncoding.isValidUTF8([]))
        #expect(!HTMLEncoding.isValidUTF8([0xC0, 0xAF]))  // overlong
        #expect(!HTMLEncoding.isValidUTF8([0xED, 0xA0, 0x80]))  // a surrogate
        #expect(!HTMLEncoding.isValidUTF8([0xF4, 0x90, 0x80, 0x80]))  // past U+10FFFF
        #expect(!HTMLEncoding.isValidUTF8([0xD0]))  // cut short
        #expect(!HTMLEncoding.isValidUTF8([0xCA, 0xEB, 0xE0, 0xF1, 0xF1]))  // «Класс» in Windows-1251
    }
}
