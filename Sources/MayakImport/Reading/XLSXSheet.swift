import Foundation

/// One worksheet part: its cells (`<c r="D14" t="s" s="3"><v>…</v></c>`, or `<is><t>` for
/// inline strings) into rows of text, and its merged ranges.
final class SheetHandler: XLSXPartHandler {
    static let maxRows = 1_048_576
    static let maxColumns = 16_384

    let file: String
    let name: String
    let shared: [String]
    let styles: [XLSXText.FormatKind]
    let date1904: Bool
    /// Cells the workbook may still take (a row's gaps before a filled cell count).
    var budget: Int
    let budgetLimit: Int

    var rows: [[String]] = []
    var merges: [CellRange] = []

    private var row = -1
    private var column = -1
    private var cellType = ""
    private var cellStyle = 0
    private var inCell = false
    private var inValue = false
    private var inInline = false
    private var inText = false
    private var preserve = false
    private var phonetic = 0
    private var value = ""
    private var inline = ""
    private var run = ""

    init(
        file: String, name: String, shared: [String], styles: [XLSXText.FormatKind], date1904: Bool, budget: Int,
        budgetLimit: Int
    ) {
        self.file = file
        self.name = name
        self.shared = shared
        self.styles = styles
        self.date1904 = date1904
        self.budget = budget
        self.budgetLimit = budgetLimit
    }

    private var sheet: String { "\(file):\(name)" }
    private func at(_ r: Int, _ c: Int) -> String { "\(file):\(name)!\(Grid.columnName(c))\(r + 1)" }

    /// A reference's cell, or a failure naming it when it is malformed or past Excel's limits.
    private func place(_ reference: String, what: ImportText.Reference) -> (row: Int, column: Int)? {
        if let cell = Self.quickCell(reference) { return checked(cell.row, cell.column) ? cell : nil }
        guard let cell = CellRange.cell(Substring(reference)), reference.utf8.allSatisfy({ $0 < 128 }) else {
            let letters = reference.prefix { $0.isASCII && $0.isLetter }
            let digits = reference.dropFirst(letters.count)
            let wellFormed =
                !letters.isEmpty && !digits.isEmpty && digits.allSatisfy({ $0.isASCII && $0.isNumber })
                && digits.first != "0"
            if wellFormed && letters.count > 3 {
                fail(ImportError(sheet, ImportText.pastLastColumn(what, reference)))
            } else if wellFormed && digits.count > 7 {
                fail(ImportError(sheet, ImportText.pastLastRow(what, reference)))
            } else {
                fail(ImportError(sheet, ImportText.malformedReference(what, reference)))
            }
            return nil
        }
        return checked(cell.row, cell.column) ? cell : nil
    }

    /// An upper-case reference of at most 3 letters and 7 digits (`D14`), as producers write
    /// them, read byte by byte; nil for anything else (read then by `CellRange.cell`).
    @inline(__always) static func quickCell(_ reference: String) -> (row: Int, column: Int)? {
        var column = 0
        var row = 0
        var letters = 0
        var digits = 0
        for u in reference.utf8 {
            if u >= 65 && u <= 90 && digits == 0 {
                column = column * 26 + Int(u - 64)
                letters += 1
            } else if u >= 48 && u <= 57 && letters > 0 && !(digits == 0 && u == 48) {
                row = row * 10 + Int(u - 48)
                digits += 1
            } else {
                return nil
            }
        }
        guard letters >= 1, letters <= 3, digits >= 1, digits <= 7 else { return nil }
        return (row - 1, column - 1)
    }

    private func checked(_ r: Int, _ c: Int) -> Bool {
        if c >= Self.maxColumns {
            fail(ImportError(at(r, c), ImportText.cellPastLastColumn))
            return false
        }
        if r >= Self.maxRows {
            fail(ImportError(at(r, c), ImportText.cellPastLastRow))
            return false
        }
        return true
    }

    override func start(_ name: String, _ attributes: XMLAttributes) {
        switch name {
        case "c":
            if let r = attributes["r"] {
                guard let cell = place(r, what: .cell) else { return }
                row = cell.row
                column = cell.column
            } else {
                column += 1
                if row < 0 { row = 0 }
                guard checked(row, column) else { return }
            }
            inCell = true
            cellType = attributes["t"] ?? "n"
            cellStyle = attributes["s"].flatMap { Int($0) } ?? 0
            value = ""
            inline = ""
        case "v" where inCell: inValue = true
        case "is" where inCell: inInline = true
        case "rPh": phonetic += 1
        case "t" where inInline && phonetic == 0:
            inText = true
            run = ""
            preserve = attributes["xml:space"] == "preserve"
        case "row":
            if let r = attributes["r"] {
                guard let n = Int(r), n >= 1 else {
                    fail(ImportError(sheet, ImportText.malformedRowNumber(r)))
                    return
                }
                guard checked(n - 1, 0) else { return }
                row = n - 1
            } else {
                row += 1
                guard checked(row, 0) else { return }
            }
            column = -1
        case "mergeCell":
            guard let ref = attributes["ref"] else { return }
            let parts = ref.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count <= 2 else {
                fail(ImportError(sheet, ImportText.malformedMergedRange(ref)))
                return
            }
            for p in parts { guard place(String(p), what: .mergedRange) != nil else { return } }
            guard let range = CellRange(reference: Substring(ref)) else {
                fail(ImportError(sheet, ImportText.malformedMergedRange(ref)))
                return
            }
            merges.append(range)
        default: break
        }
    }

    override func characters(_ text: UnsafeBufferPointer<UInt8>) {
        if inValue {
            value += String(decoding: text, as: UTF8.self)
        } else if inText {
            run += String(decoding: text, as: UTF8.self)
        }
    }

    override func end(_ name: String) {
        switch name {
        case "v": inValue = false
        case "t" where inText:
            inline += preserve ? run : run.trimmingCharacters(in: .whitespacesAndNewlines)
            inText = false
        case "rPh": phonetic -= 1
        case "is": inInline = false
        case "c" where inCell:
            inCell = false
            guard let text = cellText() else { return }
            store(XLSXText.trimmed(text))
        default: break
        }
    }

    /// The text a person sees in the cell just ended; nil after a failure.
    private func cellText() -> String? {
        let v = XLSXText.trimmed(value)
        switch cellType {
        case "s":
            guard !v.isEmpty else { return "" }
            guard let i = Int(v), i >= 0, i < shared.count else {
                fail(ImportError(at(row, column), ImportText.sharedStringMissing(v, count: shared.count)))
                return nil
            }
            return shared[i]
        case "inlineStr": return XLSXText.unescape(inline.isEmpty ? value : inline)
        case "str", "e": return XLSXText.unescape(value)
        case "b": return v == "1" ? "ИСТИНА" : v == "0" ? "ЛОЖЬ" : v
        case "d": return XLSXText.isoDate(v)
        default:
            guard !v.isEmpty else { return "" }
            guard let x = Double(v), x.isFinite else {
                fail(ImportError(at(row, column), ImportText.expectedNumberInCell(v)))
                return nil
            }
            let kind = cellStyle >= 0 && cellStyle < styles.count ? styles[cellStyle] : .number
            if kind != .number, let d = XLSXText.date(serial: x, kind: kind, date1904: date1904) { return d }
            return XLSXText.number(x)
        }
    }

    private func store(_ text: String) {
        guard !text.isEmpty else { return }
        if row >= rows.count { rows.append(contentsOf: repeatElement([], count: row + 1 - rows.count)) }
        let have = rows[row].count
        if column < have {
            rows[row][column] = text
            return
        }
        budget -= column + 1 - have
        guard budget >= 0 else {
            fail(ImportError(sheet, ImportText.workbookTooManyCells(budgetLimit)))
            return
        }
        if column > have { rows[row].append(contentsOf: repeatElement("", count: column - have)) }
        rows[row].append(text)
    }
}
