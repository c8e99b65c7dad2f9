/// A table as a source holds it: rows of cell texts, with the merged ranges and where each
/// cell came from, so that every diagnostic points at the cell in the user's own file
/// (`svod-7a.xlsx:7А!D14` for a spreadsheet, `journal.xls:41:17` for HTML or CSV).
///
/// Every reader (XLSX, BIFF .xls, HTML, CSV) produces grids; the layouts (`Layout`) read
/// only grids, never a format.
public struct Grid: Sendable, Equatable {
    /// How cells are addressed in messages.
    public enum Addressing: Sendable, Equatable {
        /// A spreadsheet: `file:sheet!A1`.
        case cells
        /// A text source (CSV, HTML): `file:line:column`, from `origins`.
        case lines
    }

    /// The file as the user named it.
    public var file: String
    /// The sheet's name (XLSX, BIFF), or `таблица N` for the Nth table of an HTML page, or
    /// the file's name for CSV.
    public var name: String
    public var addressing: Addressing
    /// Row by row, the trimmed text of each cell; "" for an empty cell. Rows may differ in
    /// length (a row ends at its last non-empty cell or earlier).
    public var rows: [[String]]
    /// Merged ranges; the value is in the top-left cell only, as spreadsheets keep it.
    public var merges: [CellRange]
    /// For `.lines`: each cell's line and column (1-based) in the file; column 0 when only the
    /// line is known (HTML).
    public var origins: [[Origin]]
    /// Text that stood before the table (an HTML page's header lines: school, «Учебный год:
    /// 2025/2026», «Класс: 7А»), each with its line.
    public var preamble: [(text: String, line: Int)]

    public struct Origin: Sendable, Equatable, Hashable {
        public var line: Int32
        public var column: Int32
        public init(line: Int, column: Int) {
            self.line = Int32(clamping: line)
            self.column = Int32(clamping: column)
        }
    }

    public init(
        file: String, name: String, addressing: Addressing, rows: [[String]], merges: [CellRange] = [],
        origins: [[Origin]] = [], preamble: [(text: String, line: Int)] = []
    ) {
        self.file = file
        self.name = name
        self.addressing = addressing
        self.rows = rows
        self.merges = merges
        self.origins = origins
        self.preamble = preamble
    }

    public static func == (a: Grid, b: Grid) -> Bool {
        a.file == b.file && a.name == b.name && a.addressing == b.addressing && a.rows == b.rows
            && a.merges == b.merges && a.origins == b.origins && a.preamble.map(\.text) == b.preamble.map(\.text)
            && a.preamble.map(\.line) == b.preamble.map(\.line)
    }

    public var rowCount: Int { rows.count }
    public var columnCount: Int { rows.map(\.count).max() ?? 0 }

    /// The text of a cell; "" outside the grid.
    public subscript(row: Int, column: Int) -> String {
        guard row >= 0, row < rows.count, column >= 0, column < rows[row].count else { return "" }
        return rows[row][column]
    }

    /// Where a cell is, for a message: `file:sheet!D14`, `file:41:17`, or `file:41` when the
    /// column is not known (0-based arguments).
    public func location(row: Int, column: Int) -> String {
        switch addressing {
        case .cells:
            return "\(file):\(name)!\(Grid.columnName(column))\(row + 1)"
        case .lines:
            if row >= 0, row < origins.count, column >= 0, column < origins[row].count {
                let o = origins[row][column]
                // An HTML page's cells have lines only (libxml2 keeps no columns): column 0.
                return o.column > 0 ? "\(file):\(o.line):\(o.column)" : "\(file):\(o.line)"
            }
            if row >= 0, row < origins.count, let last = origins[row].last { return "\(file):\(last.line)" }
            return file
        }
    }

    /// A column's letters: 0 is `A`, 25 `Z`, 26 `AA`.
    public static func columnName(_ column: Int) -> String {
        var n = column + 1
        var letters: [Character] = []
        while n > 0 {
            let r = (n - 1) % 26
            letters.append(Character(Unicode.Scalar(UInt8(65 + r))))
            n = (n - 1) / 26
        }
        return String(letters.reversed())
    }

    /// The column of letters (`A` 0, `AA` 26); nil for anything else.
    public static func columnIndex(_ letters: Substring) -> Int? {
        guard !letters.isEmpty, letters.count <= 3 else { return nil }
        var n = 0
        for u in letters.utf8 {
            guard u >= 65 && u <= 90 else { return nil }
            n = n * 26 + Int(u - 64)
        }
        return n - 1
    }

    /// The grid with every merged range's value copied into all of its cells (a pupil's name
    /// merged down the rows of his periods; a month merged across its days).
    public func filled() -> Grid {
        var g = self
        for m in merges {
            let value = self[m.firstRow, m.firstColumn]
            guard !value.isEmpty else { continue }
            for r in m.firstRow...m.lastRow where r < g.rows.count {
                for c in m.firstColumn...m.lastColumn {
                    if c >= g.rows[r].count { g.rows[r] += Array(repeating: "", count: c + 1 - g.rows[r].count) }
                    if g.rows[r][c].isEmpty { g.rows[r][c] = value }
                }
            }
        }
        return g
    }
}

/// A rectangle of cells, 0-based and inclusive.
public struct CellRange: Sendable, Hashable {
    public var firstRow: Int
    public var firstColumn: Int
    public var lastRow: Int
    public var lastColumn: Int

    public init(firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int) {
        self.firstRow = firstRow
        self.firstColumn = firstColumn
        self.lastRow = lastRow
        self.lastColumn = lastColumn
    }

    /// From a spreadsheet reference such as `B3:B9` (or one cell, `C4`); nil when malformed.
    public init?(reference: Substring) {
        let parts = reference.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2, let a = CellRange.cell(parts[0]),
            let b = parts.count == 2 ? CellRange.cell(parts[1]) : a, a.row <= b.row, a.column <= b.column
        else { return nil }
        self.init(firstRow: a.row, firstColumn: a.column, lastRow: b.row, lastColumn: b.column)
    }

    /// A cell reference (`D14`) as 0-based row and column; nil when malformed.
    public static func cell(_ text: Substring) -> (row: Int, column: Int)? {
        let letters = text.prefix { $0.isASCII && $0.isLetter }
        let digits = text.dropFirst(letters.count)
        guard let column = Grid.columnIndex(Substring(letters.uppercased())), !digits.isEmpty, digits.count <= 7,
            digits.allSatisfy({ $0.isASCII && $0.isNumber }), let row = Int(digits), row >= 1
        else { return nil }
        return (row - 1, column)
    }
}

/// The tables of one source file.
public struct Workbook: Sendable {
    public var file: String
    public var kind: SourceKind
    public var grids: [Grid]

    public init(file: String, kind: SourceKind, grids: [Grid]) {
        self.file = file
        self.kind = kind
        self.grids = grids
    }
}
