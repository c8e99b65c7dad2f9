import Testing

@testable import MayakImport

@Suite struct GridTests {
    @Test func sourceKindComesFromTheFirstBytesNotTheName() {
        #expect(SourceKind.detect([0x50, 0x4B, 0x03, 0x04, 0x14]) == .xlsx)
        #expect(SourceKind.detect([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0]) == .xls)
        #expect(SourceKind.detect(Array("\u{FEFF}\r\n  <html>".utf8)) == .html)
        #expect(SourceKind.detect(Array("<table><tr>".utf8)) == .html)
        #expect(SourceKind.detect(Array("ФИО;Класс\n".utf8)) == .csv)
        #expect(SourceKind.detect([0x50, 0x4B]) == .csv)
        #expect(SourceKind.detect([]) == .csv)
    }

    @Test func cellReferencesAndColumnLetters() throws {
        #expect(Grid.columnName(0) == "A")
        #expect(Grid.columnName(25) == "Z")
        #expect(Grid.columnName(26) == "AA")
        #expect(Grid.columnName(16383) == "XFD")
        #expect(Grid.columnIndex("XFD") == 16383)
        #expect(Grid.columnIndex("a") == nil)
        let r = try #require(CellRange(reference: "B3:C9"))
        #expect(r == CellRange(firstRow: 2, firstColumn: 1, lastRow: 8, lastColumn: 2))
        #expect(CellRange(reference: "C9:B3") == nil)
        #expect(CellRange(reference: "B0") == nil)
        #expect(CellRange(reference: "3B") == nil)
        #expect(CellRange(reference: "D14") == CellRange(firstRow: 13, firstColumn: 3, lastRow: 13, lastColumn: 3))
    }

    @Test func mergedCellsFillDownAndAcross() {
        let g = Grid(
            file: "svod.xlsx", name: "7А", addressing: .cells,
            rows: [["Иванов", "1 четверть", "5"], ["", "2 четверть", "4"], ["Петров", "1 четверть"]],
            merges: [CellRange(firstRow: 0, firstColumn: 0, lastRow: 1, lastColumn: 0)])
        let f = g.filled()
        #expect(f[1, 0] == "Иванов")
        #expect(f[2, 0] == "Петров")
        #expect(f[2, 2] == "")
        #expect(g.location(row: 13, column: 3) == "svod.xlsx:7А!D14")
        let text = Grid(
            file: "j.xls", name: "таблица 1", addressing: .lines, rows: [["a", "b"]],
            origins: [[.init(line: 41, column: 3), .init(line: 41, column: 17)]])
        #expect(text.location(row: 0, column: 1) == "j.xls:41:17")
    }
}
