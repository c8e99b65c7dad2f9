import Foundation
import ImportFixtureSupport
import MayakTestSupport
import Testing
import ZIPFoundation

@testable import MayakImport

@Suite struct XLSXReaderTests {
    private func written(
        _ sheets: [(name: String, rows: [[XLSXFixture.Cell]], merges: [CellRange])], inlineStrings: Bool = false
    ) throws -> [UInt8] {
        let path = TemporaryFolders.fresh("fixture.xlsx").path
        try XLSXFixture.write(sheets: sheets, to: path, inlineStrings: inlineStrings)
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    private func read(_ parts: [(path: String, text: String)], limits: XLSXReader.Limits = .init()) throws(ImportError)
        -> Workbook
    {
        let bytes: [UInt8]
        do { bytes = try XLSXFixture.zip(parts) } catch { fatalError("cannot zip: \(error)") }
        return try XLSXReader.read(bytes, file: "svod.xlsx", limits: limits)
    }

    private func failure(_ body: () throws(ImportError) -> Workbook) -> ImportError? {
        do {
            _ = try body()
            return nil
        } catch { return error }
    }

    private func sheet(_ xml: String) -> [(path: String, text: String)] {
        XLSXFixture.parts(sheets: [("7А", "<sheetData>\(xml)</sheetData>")])
    }

    @Test func sheetsWithCyrillicNamesNumbersDatesMergesAndGaps() throws {
        let rows: [[XLSXFixture.Cell]] = [
            [.text("ФИО"), .text("Предмет"), .text("Оценка"), .text("Дата")],
            [.text("Иванов Иван"), .text("Алгебра"), .number(5), .date(year: 2025, month: 9, day: 1)],
            [.empty, .text("Геометрия"), .number(4.5), .date(year: 2024, month: 2, day: 29)],
            [.text("  Петрова Анна  "), .text("Алгебра"), .number(-3), .empty, .empty, .text("примечание")],
            [],
            [.empty, .empty, .number(0.1 + 0.2)],
        ]
        let bytes = try written([
            ("7А", rows, [CellRange(firstRow: 1, firstColumn: 0, lastRow: 2, lastColumn: 0)]),
            ("Сводная", [[.text("Класс"), .text("7А")], [.number(1_234_567), .number(2.25)]], []),
        ])
        let book = try XLSXReader.read(bytes, file: "svod.xlsx")
        #expect(book.kind == .xlsx)
        #expect(book.grids.map(\.name) == ["7А", "Сводная"])
        let g = book.grids[0]
        #expect(
            g.rows == [
                ["ФИО", "Предмет", "Оценка", "Дата"],
                ["Иванов Иван", "Алгебра", "5", "01.09.2025"],
                ["", "Геометрия", "4,5", "29.02.2024"],
                ["Петрова Анна", "Алгебра", "-3", "", "", "примечание"],
                [],
                ["", "", "0,3"],
            ])
        #expect(g.merges == [CellRange(firstRow: 1, firstColumn: 0, lastRow: 2, lastColumn: 0)])
        #expect(g.filled()[2, 0] == "Иванов Иван")
        #expect(g.location(row: 3, column: 5) == "svod.xlsx:7А!F4")
        #expect(g.addressing == .cells)
        #expect(book.grids[1].rows == [["Класс", "7А"], ["1234567", "2,25"]])
    }

    @Test func inlineStringsAsLibxlsxwriterWritesThemInConstantMemory() throws {
        let bytes = try written(
            [("Журнал", [[.text("Сидоров"), .number(4)], [.empty, .text("н/а")]], [])], inlineStrings: true)
        let book = try XLSXReader.read(bytes, file: "j.xlsx")
        #expect(book.grids[0].rows == [["Сидоров", "4"], ["", "н/а"]])
    }

    @Test func richTextRunsSpacesTypesAndSequentialCells() throws {
        let shared = """
            <si><t>Иванов</t></si>\
            <si><r><rPr><b/></rPr><t>Петров</t></r><r><t xml:space="preserve"> Пётр</t></r><rPh><t>ペ</t></rPh></si>\
            <si><r><t>Сидор</t></r><r><t> ов </t></r></si>\
            <si><t>строка_x000D_вторая</t></si>
            """
        let styles = """
            <numFmts count="2"><numFmt numFmtId="164" formatCode="[$-419]d\\ mmmm\\ yyyy;@"/>\
            <numFmt numFmtId="165" formatCode="&quot;день&quot;\\ 0.00"/></numFmts>\
            <cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/>\
            <xf numFmtId="20"/></cellXfs>
            """
        let xml = """
            <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>\
            <c r="D1" t="s"><v>3</v></c></row>\
            <row><c t="inlineStr"><is><r><t>Кол</t></r><r><t>лектив</t></r></is></c><c t="b"><v>1</v></c>\
            <c t="e"><v>#DIV/0!</v></c><c t="str"><f>A1</f><v> Иванов </v></c><c><v>1.0E-3</v></c></row>\
            <row r="4"><c r="B4" s="1"><v>45901</v></c><c r="C4" s="2"><v>45901</v></c><c r="D4" s="3"><v>45901</v></c>\
            <c r="E4" s="4"><v>0.35416666666666669</v></c><c r="F4" t="d"><v>2025-09-01T00:00:00</v></c>\
            <c r="G4" s="1"/><c r="H4" s="0"><v></v></c></row>\
            <row r="5"><c r="C5" s="1"><v>60</v></c><c r="A5" s="1"><v>1</v></c></row>
            """
        let parts = XLSXFixture.parts(
            sheets: [
                (
                    "Лист 1",
                    "<sheetData>\(xml)</sheetData><mergeCells count=\"1\"><mergeCell ref=\"B4:C5\"/></mergeCells>"
                )
            ],
            sharedStrings: shared, styles: styles)
        let g = try read(parts).grids[0]
        #expect(
            g.rows == [
                ["Иванов", "Петров Пётр", "Сидоров", "строка\rвторая"],
                ["Коллектив", "ИСТИНА", "#DIV/0!", "Иванов", "0,001"],
                [],
                ["", "01.09.2025", "01.09.2025", "45901", "08:30", "01.09.2025"],
                ["01.01.1900", "", "29.02.1900"],
            ])
        #expect(g.merges == [CellRange(firstRow: 3, firstColumn: 1, lastRow: 4, lastColumn: 2)])
        #expect(g.filled()[4, 1] == "01.09.2025")
    }

    @Test func the1904DateSystemAndPrefixedNamespaces() throws {
        let ns = "xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
        var parts = XLSXFixture.parts(
            sheets: [("A", "")], styles: "<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/></cellXfs>",
            workbookPr: "<workbookPr date1904=\"1\"/>")
        parts[2].text =
            "<x:worksheet \(ns)><x:sheetData><x:row><x:c r=\"A1\" s=\"1\"><x:v>44439</x:v></x:c></x:row></x:sheetData>"
            + "</x:worksheet>"
        #expect(try read(parts).grids[0].rows == [["01.09.2025"]])
    }

    @Test func numbersAndFormatsAsAPersonReadsThem() {
        #expect(XLSXText.number("4.5") == "4,5")
        #expect(XLSXText.number("5") == "5")
        #expect(XLSXText.number("5.0") == "5")
        #expect(XLSXText.number("-0.25") == "-0,25")
        #expect(XLSXText.number("4.666666666666667") == "4,66666666666667")
        #expect(XLSXText.number("0.00001") == "0,00001")
        #expect(XLSXText.number("abc") == nil)
        #expect(XLSXText.kind(ofFormat: "dd.mm.yyyy") == .date)
        #expect(XLSXText.kind(ofFormat: "h:mm") == .time)
        #expect(XLSXText.kind(ofFormat: "0.00\" дней\"") == .number)
        #expect(XLSXText.kind(ofFormat: "[Red]0.00") == .number)
        #expect(XLSXText.kind(ofFormat: "General") == .number)
        #expect(XLSXText.kind(ofFormat: "dd/mm/yyyy hh:mm") == .dateTime)
        #expect(XLSXText.date(serial: 45901.5, kind: .dateTime, date1904: false) == "01.09.2025 12:00")
        #expect(XLSXText.date(serial: 61, kind: .date, date1904: false) == "01.03.1900")
        #expect(XLSXText.date(serial: 59, kind: .date, date1904: false) == "28.02.1900")
        #expect(XLSXText.date(serial: -1, kind: .date, date1904: false) == nil)
    }

    // MARK: - Hostile input

    @Test func bytesThatAreNotAZIP() {
        let e = failure { () throws(ImportError) in try XLSXReader.read(Array("ФИО;Класс\n".utf8), file: "a.xlsx") }
        #expect(e == ImportError("a.xlsx", "не книга XLSX: файл — не архив ZIP"))
    }

    @Test func aZIPWithoutTheWorkbook() throws {
        let bytes = try XLSXFixture.zip([("docProps/app.xml", "<Properties/>")])
        let e = failure { () throws(ImportError) in try XLSXReader.read(bytes, file: "a.xlsx") }
        #expect(e == ImportError("a.xlsx", "не книга XLSX: в ZIP нет xl/workbook.xml"))
    }

    @Test func aTruncatedFile() throws {
        let bytes = try written([("7А", [[.text("Иванов")]], [])])
        for cut in [bytes.count / 2, bytes.count - 10, 30] {
            let e = failure { () throws(ImportError) in try XLSXReader.read(Array(bytes[..<cut]), file: "a.xlsx") }
            #expect(
                e
                    == ImportError(
                        "a.xlsx",
                        "не книга XLSX: архив ZIP обрезан или повреждён (его центральный каталог не читается)"))
        }
    }

    @Test func anEntryThatUnpacksPastTheCapIsRefusedWhileInflating() throws {
        // 3 MiB of one repeated row compress to a few kilobytes; the header tells the truth
        // here, so the cap is also checked while inflating (see the next test's lie).
        let row = "<row><c t=\"inlineStr\"><is><t>Иванов</t></is></c></row>"
        let xml = String(repeating: row, count: 3 * (1 << 20) / row.utf8.count)
        var limits = XLSXReader.Limits()
        limits.entryBytes = 1 << 20
        let e = failure { () throws(ImportError) in try read(sheet(xml), limits: limits) }
        #expect(
            e
                == ImportError(
                    "svod.xlsx",
                    "элемент ZIP xl/worksheets/sheet1.xml распаковывается больше чем в 1 МБ "
                        + "(файл повреждён или это zip-бомба)"))
        #expect(try read(sheet(xml)).grids[0].rows.count == 3 * (1 << 20) / row.utf8.count)
    }

    @Test func aSheetOverTenMegabytesIsParsedInChunks() throws {
        let row = "<row><c><v>4.5</v></c><c t=\"inlineStr\"><is><t>Иванов</t></is></c></row>"
        let count = 11 * (1 << 20) / row.utf8.count
        let g = try read(sheet(String(repeating: row, count: count))).grids[0]
        #expect(g.rows.count == count)
        #expect(g.rows.last == ["4,5", "Иванов"])
    }

    @Test func aHeaderThatUnderstatesTheSizeDoesNotGetPastTheCap() throws {
        let xml = String(repeating: "<row><c><v>1</v></c></row>", count: 100_000)
        var bytes = try XLSXFixture.zip(sheet(xml))
        // Rewrite every uncompressed-size field of the sheet (local header and central
        // directory) to 100 bytes.
        let name = Array("xl/worksheets/sheet1.xml".utf8)
        for i in 0..<(bytes.count - 46) where bytes[i] == 0x50 && bytes[i + 1] == 0x4B {
            if bytes[i + 2] == 3, bytes[i + 3] == 4, Array(bytes[(i + 30)..<(i + 30 + name.count)]) == name {
                bytes.replaceSubrange((i + 22)..<(i + 26), with: [100, 0, 0, 0])
            }
            if bytes[i + 2] == 1, bytes[i + 3] == 2, Array(bytes[(i + 46)..<(i + 46 + name.count)]) == name {
                bytes.replaceSubrange((i + 24)..<(i + 28), with: [100, 0, 0, 0])
            }
        }
        var limits = XLSXReader.Limits()
        limits.entryBytes = 1 << 20
        let e = failure { () throws(ImportError) in try XLSXReader.read(bytes, file: "svod.xlsx", limits: limits) }
        #expect(
            e
                == ImportError(
                    "svod.xlsx",
                    "элемент ZIP xl/worksheets/sheet1.xml распаковывается больше чем в 1 МБ "
                        + "(файл повреждён или это zip-бомба)"))
    }

    @Test func aDeflateStreamRunningPastTheEntryIsAnErrorNotAHang() throws {
        // A stored ZIP entry relabelled as deflated, whose data opens a stored block of 65 535
        // bytes: the stream never ends before the file does (ZIPFoundation's own extract
        // spins forever on this).
        var bytes = try [UInt8](makeStored("xl/workbook.xml", [0x00, 0xFF, 0xFF, 0x00, 0x00] + Array("<<<<".utf8)))
        for i in 0..<(bytes.count - 4) where bytes[i] == 0x50 && bytes[i + 1] == 0x4B {
            if bytes[i + 2] == 3 && bytes[i + 3] == 4 { bytes[i + 8] = 8 }
            if bytes[i + 2] == 1 && bytes[i + 3] == 2 { bytes[i + 10] = 8 }
        }
        let e = failure { () throws(ImportError) in try XLSXReader.read(bytes, file: "a.xlsx") }
        #expect(
            e == ImportError("a.xlsx", "элемент ZIP xl/workbook.xml повреждён: его сжатые данные обрываются"))
    }

    private func makeStored(_ path: String, _ contents: [UInt8]) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        let data = Data(contents)
        try archive.addEntry(
            with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .none,
            provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
        return archive.data ?? Data()
    }

    @Test func aCorruptEntryFailsItsChecksum() throws {
        var bytes = try [UInt8](makeStored("xl/workbook.xml", Array("<workbook><sheets/></workbook>".utf8)))
        let at = try #require((0..<bytes.count).first { bytes[$0...].starts(with: Array("<sheets".utf8)) })
        bytes[at + 1] = UInt8(ascii: "S")
        let e = failure { () throws(ImportError) in try XLSXReader.read(bytes, file: "a.xlsx") }
        #expect(e == ImportError("a.xlsx", "элемент ZIP xl/workbook.xml повреждён: не сходится его контрольная сумма"))
    }

    @Test func malformedSheetXML() {
        let e = failure { () throws(ImportError) in try read(sheet("<row><c><v>1</v></row>")) }
        #expect(
            e
                == ImportError(
                    "svod.xlsx:7А",
                    "в xl/worksheets/sheet1.xml ожидался правильный XML, а он испорчен в строке 1, столбце 149 "
                        + "(код ошибки XML 76)"))
    }

    @Test func aDoctypeIsRefusedBeforeAnyEntityCanExpand() {
        var parts = sheet("<row><c t=\"inlineStr\"><is><t>&lol3;</t></is></c></row>")
        parts[2].text = parts[2].text.replacingOccurrences(
            of: "?>",
            with: "?><!DOCTYPE worksheet [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;\">"
                + "<!ENTITY lol3 \"&lol2;&lol2;&lol2;\">]>")
        let e = failure { () throws(ImportError) in try read(parts) }
        #expect(
            e
                == ImportError(
                    "svod.xlsx:7А",
                    "в xl/worksheets/sheet1.xml объявлен DOCTYPE, которого в частях XLSX не бывает "
                        + "(не читается: его сущности могут разрастись)"))
    }

    @Test func referencesPastExcelsLimitsNameTheCell() {
        let column = failure { () throws(ImportError) in
            try read(sheet("<row r=\"2\"><c r=\"XFE2\"><v>1</v></c></row>"))
        }
        #expect(column == ImportError("svod.xlsx:7А!XFE2", "ячейка выходит за столбец XFD, последний на листе XLSX"))
        let row = failure { () throws(ImportError) in try read(sheet("<row><c r=\"B1048577\"><v>1</v></c></row>")) }
        #expect(
            row
                == ImportError(
                    "svod.xlsx:7А!B1048577", "ячейка выходит за строку 1\u{202F}048\u{202F}576, последнюю на листе XLSX"
                ))
        let far = failure { () throws(ImportError) in try read(sheet("<row><c r=\"AAAA1\"><v>1</v></c></row>")) }
        #expect(
            far == ImportError("svod.xlsx:7А", "ссылка на ячейку AAAA1 выходит за столбец XFD, последний на листе XLSX")
        )
        let bad = failure { () throws(ImportError) in try read(sheet("<row><c r=\"A0\"><v>1</v></c></row>")) }
        #expect(bad == ImportError("svod.xlsx:7А", "неверная ссылка на ячейку «A0»; ожидалась ссылка вида D14"))
        let last = try? read(sheet("<row r=\"1048576\"><c r=\"XFD1048576\"><v>7</v></c></row>"))
        #expect(last?.grids[0].rows.count == 1_048_576)
        #expect(last?.grids[0].rows.last?.count == 16_384)
    }

    @Test func theCellCapCountsTheGapsBeforeAFilledCell() {
        var limits = XLSXReader.Limits()
        limits.cells = 100_000
        let xml = (1...10).map { "<row r=\"\($0)\"><c r=\"XFD\($0)\"><v>1</v></c></row>" }.joined()
        let e = failure { () throws(ImportError) in try read(sheet(xml), limits: limits) }
        #expect(
            e
                == ImportError(
                    "svod.xlsx:7А",
                    "в книге больше 100\u{202F}000 ячеек (считая пустые перед заполненной ячейкой в её строке) — "
                        + "больше, чем читает Маяк"))
    }

    @Test func missingPartsAndBadReferences() {
        let strings = failure { () throws(ImportError) in try read(sheet("<row><c t=\"s\"><v>3</v></c></row>")) }
        #expect(
            strings
                == ImportError(
                    "svod.xlsx:7А!A1", "ячейка ссылается на общую строку «3», а в xl/sharedStrings.xml 0 строк"))
        let number = failure { () throws(ImportError) in try read(sheet("<row><c r=\"C2\"><v>пять</v></c></row>")) }
        #expect(number == ImportError("svod.xlsx:7А!C2", "ожидалось число в ячейке, а здесь «пять»"))
        var parts = sheet("")
        parts.remove(at: 2)
        let missing = failure { () throws(ImportError) in try read(parts) }
        #expect(
            missing == ImportError("svod.xlsx", "лист «7А» — это xl/worksheets/sheet1.xml, но такой части в ZIP нет"))
        let merge = failure { () throws(ImportError) in
            try read(
                XLSXFixture.parts(sheets: [("7А", "<sheetData/><mergeCells><mergeCell ref=\"C3:B9\"/></mergeCells>")]))
        }
        #expect(
            merge == ImportError("svod.xlsx:7А", "неверный объединённый диапазон «C3:B9»; ожидался диапазон вида B3:B9")
        )
    }
}
