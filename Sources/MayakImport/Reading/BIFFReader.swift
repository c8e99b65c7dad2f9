internal import CFreeXL
import MayakFiles

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Excel 97–2003 binary workbooks (BIFF in an OLE2 compound file), as ЭлЖур exports them, read
/// by FreeXL: one grid a worksheet, addressed `file:sheet!D14`.
///
/// Cells are as a person reads them in Excel: whole numbers without a fraction (`5`, not
/// `5.0`), fractions with a decimal comma to 15 significant digits (`4,5`, `0,3` for
/// 0.30000000000000004), dates `DD.MM.YYYY`, date-times `DD.MM.YYYY HH:MM`, times `HH:MM`
/// (seconds only when there are some), texts trimmed. Formulas are read as the values the file
/// keeps for them.
///
/// FreeXL does not report merged cells, so a BIFF grid has no merges: a merged range's value
/// stands in its top-left cell and the rest of the range is empty, as Excel keeps it; a layout
/// that needs the value across the range must reach it there. Each row ends at its last
/// non-empty cell, and empty rows after the last one are dropped.
///
/// Bounds: a file over 64 MiB is not opened, a sheet that declares more than Excel 97–2003's
/// 65,536 rows or 256 columns is refused, and a workbook whose sheets declare over 4,000,000
/// cells in all is refused. FreeXL itself reads the whole workbook when it opens it; a file
/// that is not BIFF, is damaged, or is password-protected is an error naming the file.
///
/// FreeXL is C with known memory errors: `mayak import` calls this in a child process
/// (`IsolatedBIFFReader`), not in its own.
public enum BIFFReader {
    public static let maxBytes = 64 << 20
    public static let maxCells = 4_000_000

    public static func read(path: String, file: String) throws(ImportError) -> Workbook {
        try checkFile(path, file)
        var opened: UnsafeRawPointer?
        let status = freexl_open(path, &opened)
        guard status == FREEXL_OK, let handle = opened else { throw ImportError(file, openProblem(status)) }
        defer { freexl_close(handle) }
        var password: UInt32 = 0
        if freexl_get_info(handle, UInt16(FREEXL_BIFF_PASSWORD), &password) == FREEXL_OK,
            password == FREEXL_BIFF_OBFUSCATED
        {
            throw ImportError(file, ImportText.passwordProtected)
        }
        var sheetCount: UInt32 = 0
        try check(freexl_get_info(handle, UInt16(FREEXL_BIFF_SHEET_COUNT), &sheetCount), file, .countSheets)
        var grids: [Grid] = []
        var cells = 0
        for index in 0..<UInt16(clamping: sheetCount) {
            var namePointer: UnsafePointer<CChar>?
            try check(freexl_get_worksheet_name(handle, index, &namePointer), file, .readSheetName(Int(index) + 1))
            let name = namePointer.map { String(cString: $0) } ?? "Лист\(index + 1)"
            try check(freexl_select_active_worksheet(handle, index), file, .openSheet(name))
            var rowCount: UInt32 = 0
            var columnCount: UInt16 = 0
            try check(freexl_worksheet_dimensions(handle, &rowCount, &columnCount), file, .sizeSheet(name))
            // Excel 97–2003 sheets have at most 65,536 rows and 256 columns; a crafted file may
            // declare 4 billion rows of no columns.
            guard rowCount <= 65_536, columnCount <= 256 else {
                throw ImportError(
                    "\(file):\(name)", ImportText.sheetDeclaresTooMuch(rows: Int(rowCount), columns: Int(columnCount)))
            }
            cells += Int(rowCount) * max(1, Int(columnCount))
            guard cells <= maxCells else {
                throw ImportError(
                    "\(file):\(name)",
                    ImportText.workbookTooLarge(rows: Int(rowCount), columns: Int(columnCount), maxCells: maxCells))
            }
            var grid = Grid(file: file, name: name, addressing: .cells, rows: [])
            var lastFilled = -1
            for r in 0..<rowCount {
                var row: [String] = []
                for c in 0..<columnCount {
                    var value = FreeXL_CellValue()
                    let got = freexl_get_cell_value(handle, r, c, &value)
                    guard got == FREEXL_OK else {
                        throw ImportError(
                            grid.location(row: Int(r), column: Int(c)), ImportText.freeXLCellFailed(code: codeName(got))
                        )
                    }
                    let text = cellText(value)
                    if !text.isEmpty {
                        row.append(contentsOf: repeatElement("", count: Int(c) - row.count))
                        row.append(text)
                    }
                }
                if !row.isEmpty { lastFilled = Int(r) }
                grid.rows.append(row)
            }
            grid.rows.removeLast(grid.rows.count - (lastFilled + 1))
            grids.append(grid)
        }
        return Workbook(file: file, kind: .xls, grids: grids)
    }

    /// What stands at the path must be a regular file of at most 64 MiB that begins as an OLE2
    /// compound file does; anything else is named (an HTML page or a ZIP under an `.xls` name).
    private static func checkFile(_ path: String, _ file: String) throws(ImportError) {
        switch InputFile.status(of: path) {
        case .absent: throw ImportError(file, ImportText.noSuchFile)
        case .refused(let why): throw ImportError(file, why)
        case .regular(let size) where size > maxBytes:
            throw ImportError(file, ImportText.xlsFileTooLarge(bytes: Int(size)))
        case .regular: break
        }
        let fd: Int32
        switch InputFile.openRegular(path) {
        case .success(let d): fd = d
        case .failure(let refusal): throw ImportError(file, refusal.message)
        }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: 4096)
        var got = 0
        while got < head.count {
            let n = head.withUnsafeMutableBytes { InputFile.readBytes(fd, $0.baseAddress! + got, $0.count - got) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            got += n
        }
        head.removeLast(head.count - got)
        let kind = SourceKind.detect(head)
        guard kind == .xls else {
            let what: ImportText.NotBIFF
            switch kind {
            case .html: what = .html
            case .xlsx: what = .zip
            default: what = head.isEmpty ? .empty : .noSignature
            }
            throw ImportError(file, ImportText.notBIFF(what))
        }
    }

    private static func check(_ status: Int32, _ file: String, _ doing: ImportText.FreeXLStep) throws(ImportError) {
        guard status == FREEXL_OK else {
            throw ImportError(file, ImportText.freeXLFailed(doing, code: codeName(status)))
        }
    }

    private static func openProblem(_ status: Int32) -> String {
        let code = codeName(status)
        switch status {
        case FREEXL_FILE_NOT_FOUND:
            return ImportText.xlsCannotOpen
        case FREEXL_INSUFFICIENT_MEMORY:
            return ImportText.xlsOutOfMemory
        case FREEXL_INVALID_CFBF_HEADER, FREEXL_CFBF_INVALID_SIGNATURE, FREEXL_CFBF_INVALID_SECTOR_SIZE:
            return ImportText.xlsBadHeader(code: code)
        case FREEXL_CFBF_READ_ERROR, FREEXL_CFBF_SEEK_ERROR, FREEXL_CFBF_EMPTY_FAT_CHAIN,
            FREEXL_CFBF_ILLEGAL_FAT_ENTRY, FREEXL_INVALID_MINI_STREAM, FREEXL_CFBF_ILLEGAL_MINI_FAT_ENTRY:
            return ImportText.xlsDamagedCompoundFile(code: code)
        case FREEXL_BIFF_WORKBOOK_NOT_FOUND:
            return ImportText.xlsNoWorkbook(code: code)
        case FREEXL_CRAFTED_FILE:
            return ImportText.xlsCrafted
        case FREEXL_UNSUPPORTED_CHARSET, FREEXL_INVALID_CHARACTER:
            return ImportText.xlsCodePage(code: code)
        default:
            return ImportText.xlsDamaged(code: code)
        }
    }

    private static func codeName(_ status: Int32) -> String {
        let names: [Int32: String] = [
            FREEXL_FILE_NOT_FOUND: "FREEXL_FILE_NOT_FOUND", FREEXL_INSUFFICIENT_MEMORY: "FREEXL_INSUFFICIENT_MEMORY",
            FREEXL_INVALID_CFBF_HEADER: "FREEXL_INVALID_CFBF_HEADER", FREEXL_CFBF_READ_ERROR: "FREEXL_CFBF_READ_ERROR",
            FREEXL_CFBF_SEEK_ERROR: "FREEXL_CFBF_SEEK_ERROR",
            FREEXL_CFBF_INVALID_SIGNATURE: "FREEXL_CFBF_INVALID_SIGNATURE",
            FREEXL_CFBF_INVALID_SECTOR_SIZE: "FREEXL_CFBF_INVALID_SECTOR_SIZE",
            FREEXL_CFBF_EMPTY_FAT_CHAIN: "FREEXL_CFBF_EMPTY_FAT_CHAIN",
            FREEXL_CFBF_ILLEGAL_FAT_ENTRY: "FREEXL_CFBF_ILLEGAL_FAT_ENTRY",
            FREEXL_BIFF_INVALID_BOF: "FREEXL_BIFF_INVALID_BOF", FREEXL_BIFF_INVALID_SST: "FREEXL_BIFF_INVALID_SST",
            FREEXL_BIFF_ILLEGAL_SST_INDEX: "FREEXL_BIFF_ILLEGAL_SST_INDEX",
            FREEXL_BIFF_WORKBOOK_NOT_FOUND: "FREEXL_BIFF_WORKBOOK_NOT_FOUND",
            FREEXL_BIFF_ILLEGAL_SHEET_INDEX: "FREEXL_BIFF_ILLEGAL_SHEET_INDEX",
            FREEXL_INVALID_CHARACTER: "FREEXL_INVALID_CHARACTER",
            FREEXL_UNSUPPORTED_CHARSET: "FREEXL_UNSUPPORTED_CHARSET",
            FREEXL_ILLEGAL_CELL_ROW_COL: "FREEXL_ILLEGAL_CELL_ROW_COL",
            FREEXL_ILLEGAL_RK_VALUE: "FREEXL_ILLEGAL_RK_VALUE",
            FREEXL_INVALID_MINI_STREAM: "FREEXL_INVALID_MINI_STREAM",
            FREEXL_CFBF_ILLEGAL_MINI_FAT_ENTRY: "FREEXL_CFBF_ILLEGAL_MINI_FAT_ENTRY",
            FREEXL_CRAFTED_FILE: "FREEXL_CRAFTED_FILE",
        ]
        return names[status] ?? ImportText.freeXLError(status)
    }

    /// A cell's value as a person reads it; "" for an empty cell.
    static func cellText(_ value: FreeXL_CellValue) -> String {
        switch Int32(value.type) {
        case FREEXL_CELL_INT:
            return String(value.value.int_value)
        case FREEXL_CELL_DOUBLE:
            return number(value.value.double_value)
        case FREEXL_CELL_TEXT, FREEXL_CELL_SST_TEXT:
            return value.value.text_value.map { trimmed(String(cString: $0)) } ?? ""
        case FREEXL_CELL_DATE, FREEXL_CELL_DATETIME, FREEXL_CELL_TIME:
            return value.value.text_value.map { dateTime(String(cString: $0)) } ?? ""
        default:
            return ""
        }
    }

    /// `4.5` → `4,5`; `5.0` → `5`; 15 significant digits, as Excel shows a number.
    static func number(_ x: Double) -> String {
        guard x.isFinite else { return x.isNaN ? "" : (x < 0 ? "-∞" : "∞") }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        var buffer = [CChar](repeating: 0, count: 64)
        let n = withVaList([x]) { vsnprintf(&buffer, buffer.count, "%.15g", $0) }
        guard n > 0, n < buffer.count else { return String(x) }
        return String(decoding: buffer[0..<Int(n)].map { $0 == 0x2E ? 0x2C : UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// FreeXL's `YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS` and `HH:MM:SS` as `DD.MM.YYYY`,
    /// `DD.MM.YYYY HH:MM` and `HH:MM` (with `:SS` when the seconds are not 0).
    static func dateTime(_ text: String) -> String {
        let parts = text.split(separator: " ")
        var out: [String] = []
        for part in parts {
            let date = part.split(separator: "-", omittingEmptySubsequences: false)
            let time = part.split(separator: ":", omittingEmptySubsequences: false)
            if date.count == 3 {
                out.append("\(date[2]).\(date[1]).\(date[0])")
            } else if time.count == 3 {
                out.append(time[2] == "00" ? "\(time[0]):\(time[1])" : String(part))
            } else {
                out.append(String(part))
            }
        }
        return out.joined(separator: " ")
    }

    static func trimmed(_ s: String) -> String {
        let scalars = s.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
