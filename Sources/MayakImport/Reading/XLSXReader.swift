import Foundation

/// Reads an Office Open XML workbook (`.xlsx`, as most school systems export) into grids, one
/// per worksheet in the workbook's order.
///
/// Values print as a person reads them in Russian Excel: shared and inline strings as they
/// are (rich-text runs joined), integers without «,0», decimals with a comma (`4,5`),
/// numbers under a date format as `01.09.2025`, booleans as ИСТИНА/ЛОЖЬ. Cells are trimmed;
/// rows end at their last non-empty cell.
///
/// Hostile files end in an `ImportError`, never a crash or a hang: each ZIP entry is
/// inflated with its size counted (a part that unpacks to more than 256 MiB is refused), a
/// DOCTYPE is refused before parsing, references past XFD or row 1 048 576 are errors at the
/// cell, and a workbook takes at most 20 million cells. Memory is bounded by the largest
/// part: entries are read one at a time, each parsed with libxml2's SAX2 parser.
public enum XLSXReader {
    /// Caps on what a workbook may hold; lowered by tests.
    struct Limits {
        var entryBytes = 256 << 20
        var cells = 20_000_000
    }

    public static func read(_ bytes: [UInt8], file: String) throws(ImportError) -> Workbook {
        try read(bytes, file: file, limits: Limits())
    }

    static func read(_ bytes: [UInt8], file: String, limits: Limits) throws(ImportError) -> Workbook {
        let package = try XLSXPackage(bytes: bytes, file: file, limit: limits.entryBytes)

        guard let workbookXML = try package.part("xl/workbook.xml") else {
            throw ImportError(file, ImportText.zipLacks("xl/workbook.xml"))
        }
        let workbook = WorkbookHandler(location: file)
        try XLSXXML.parse(workbookXML, part: "xl/workbook.xml", location: file, handler: workbook)

        guard let relsXML = try package.part("xl/_rels/workbook.xml.rels") else {
            throw ImportError(file, ImportText.zipLacks("xl/_rels/workbook.xml.rels"))
        }
        let rels = RelationshipsHandler()
        try XLSXXML.parse(relsXML, part: "xl/_rels/workbook.xml.rels", location: file, handler: rels)

        var shared: [String] = []
        let sharedPath =
            rels.targets.values.first { $0.lowercased().hasSuffix("sharedstrings.xml") } ?? "xl/sharedStrings.xml"
        if let data = try package.part(sharedPath) {
            let handler = SharedStringsHandler()
            try XLSXXML.parse(data, part: sharedPath, location: file, handler: handler)
            shared = handler.strings
        }
        var styles: [XLSXText.FormatKind] = []
        if let data = try package.part("xl/styles.xml") {
            let handler = StylesHandler()
            try XLSXXML.parse(data, part: "xl/styles.xml", location: file, handler: handler)
            styles = handler.kinds
        }

        var grids: [Grid] = []
        var budget = limits.cells
        for sheet in workbook.sheets {
            guard let path = rels.targets[sheet.id] else {
                throw ImportError(file, ImportText.sheetRelationshipMissing(sheet: sheet.name, id: sheet.id))
            }
            // Chart sheets, dialog and macro sheets hold no cells.
            guard rels.worksheets.contains(sheet.id) else { continue }
            guard let data = try package.part(path) else {
                throw ImportError(file, ImportText.sheetPartMissing(sheet: sheet.name, part: path))
            }
            let handler = SheetHandler(
                file: file, name: sheet.name, shared: shared, styles: styles, date1904: workbook.date1904,
                budget: budget, budgetLimit: limits.cells)
            try XLSXXML.parse(data, part: path, location: "\(file):\(sheet.name)", handler: handler)
            budget = handler.budget
            grids.append(
                Grid(file: file, name: sheet.name, addressing: .cells, rows: handler.rows, merges: handler.merges))
        }
        return Workbook(file: file, kind: .xlsx, grids: grids)
    }
}
