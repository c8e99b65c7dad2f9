import CXLSXWriter
import Foundation
import MayakImport
import ZIPFoundation

/// XLSX files for tests, written from invented data: by libxlsxwriter (as a real producer
/// writes them), or part by part from raw XML (for files no producer would write).
public enum XLSXFixture {
    /// A cell to write.
    public enum Cell: Sendable, Equatable {
        case empty
        case text(String)
        case number(Double)
        /// A date, written as Excel's serial number under the format `dd.mm.yyyy`.
        case date(year: Int, month: Int, day: Int)
    }

    public struct WriteError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Writes a workbook with libxlsxwriter: strings shared (or inline, in its constant-memory
    /// mode, which writes rows in order and cannot hold merges that span rows).
    public static func write(
        sheets: [(name: String, rows: [[Cell]], merges: [CellRange])], to path: String, inlineStrings: Bool = false
    ) throws {
        var options = lxw_workbook_options(constant_memory: inlineStrings ? 1 : 0, tmpdir: nil, use_zip64: 0)
        guard let workbook = workbook_new_opt(path, &options) else {
            throw WriteError(description: "libxlsxwriter cannot create \(path)")
        }
        let dateFormat = workbook_add_format(workbook)
        format_set_num_format(dateFormat, "dd.mm.yyyy")
        for sheet in sheets {
            guard let worksheet = workbook_add_worksheet(workbook, sheet.name) else {
                workbook_close(workbook)
                throw WriteError(description: "libxlsxwriter refuses the sheet name \(sheet.name)")
            }
            for merge in sheet.merges {
                let value: String
                if case .text(let s) = sheet.rows[merge.firstRow][merge.firstColumn] { value = s } else { value = "" }
                check(
                    worksheet_merge_range(
                        worksheet, lxw_row_t(merge.firstRow), lxw_col_t(merge.firstColumn), lxw_row_t(merge.lastRow),
                        lxw_col_t(merge.lastColumn), value, nil), "merge")
            }
            for (r, row) in sheet.rows.enumerated() {
                for (c, cell) in row.enumerated() {
                    if sheet.merges.contains(where: { $0.firstRow == r && $0.firstColumn == c }) { continue }
                    let (rr, cc) = (lxw_row_t(r), lxw_col_t(c))
                    switch cell {
                    case .empty: break
                    case .text(let s): check(worksheet_write_string(worksheet, rr, cc, s, nil), "string")
                    case .number(let x): check(worksheet_write_number(worksheet, rr, cc, x, nil), "number")
                    case .date(let y, let m, let d):
                        var when = lxw_datetime(year: Int32(y), month: Int32(m), day: Int32(d), hour: 0, min: 0, sec: 0)
                        check(worksheet_write_datetime(worksheet, rr, cc, &when, dateFormat), "date")
                    }
                }
            }
        }
        let result = workbook_close(workbook)
        guard result == LXW_NO_ERROR else {
            throw WriteError(description: "libxlsxwriter: \(String(cString: lxw_strerror(result)))")
        }
    }

    private static func check(_ result: lxw_error, _ what: String) {
        precondition(
            result == LXW_NO_ERROR, "libxlsxwriter cannot write a \(what): \(String(cString: lxw_strerror(result)))")
    }

    /// A ZIP of the given parts, in order (deflated), as bytes.
    public static func zip(_ parts: [(path: String, text: String)]) throws -> [UInt8] {
        try zip(parts.map { ($0.path, Data($0.text.utf8)) })
    }

    public static func zip(_ parts: [(path: String, data: Data)]) throws -> [UInt8] {
        let archive = try Archive(data: Data(), accessMode: .create)
        for part in parts {
            let data = part.data
            try archive.addEntry(
                with: part.path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate,
                bufferSize: 1 << 20,
                provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
        }
        return [UInt8](archive.data ?? Data())
    }

    /// The parts of a minimal workbook around the given sheets' XML (`<sheetData>…` and
    /// after), with optional shared strings and styles.
    public static func parts(
        sheets: [(name: String, xml: String)], sharedStrings: String? = nil, styles: String? = nil,
        workbookPr: String = ""
    ) -> [(path: String, text: String)] {
        let ns = "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
        let rns = "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
        let type = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
        var list: [(path: String, text: String)] = [
            (
                "xl/workbook.xml",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook \(ns) \(rns)>\(workbookPr)<sheets>"
                    + sheets.enumerated().map {
                        "<sheet name=\"\($1.name)\" sheetId=\"\($0 + 1)\" r:id=\"rId\($0 + 1)\"/>"
                    }
                    .joined() + "</sheets></workbook>"
            ),
            (
                "xl/_rels/workbook.xml.rels",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships "
                    + "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                    + sheets.indices.map {
                        "<Relationship Id=\"rId\($0 + 1)\" Type=\"\(type)\" Target=\"worksheets/sheet\($0 + 1).xml\"/>"
                    }.joined() + "</Relationships>"
            ),
        ]
        for (i, sheet) in sheets.enumerated() {
            list.append(
                (
                    "xl/worksheets/sheet\(i + 1).xml",
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet \(ns)>\(sheet.xml)</worksheet>"
                ))
        }
        if let s = sharedStrings {
            list.append(("xl/sharedStrings.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst \(ns)>\(s)</sst>"))
        }
        if let s = styles {
            list.append(
                ("xl/styles.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><styleSheet \(ns)>\(s)</styleSheet>"))
        }
        return list
    }
}
