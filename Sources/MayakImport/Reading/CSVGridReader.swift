import MayakSnapshot

/// A delimited text file of any shape as one grid: Windows-1251 or UTF-8 (decided as the
/// snapshot reader decides, `TextEncoding.decode`), `;`, `,` or tab (the commonest outside
/// quotes on the first non-empty line), RFC 4180 quoting, LF or CRLF. Cells are addressed
/// `file:line:column`, the column counted in characters.
public enum CSVGridReader {
    /// Fields on one line, as the snapshot reader allows.
    public static let maxFields = 1_000
    /// Characters in one field (the snapshot reader's line cap).
    public static let maxFieldLength = 1 << 20

    public static func read(
        _ bytes: [UInt8], file: String, encoding: TextEncoding = .auto, separator forced: Character? = nil
    ) throws(ImportError) -> (workbook: Workbook, warnings: [ImportError]) {
        let decoded = TextEncoding.decode(bytes, as: encoding)
        var warnings: [ImportError] = []
        let scalars = Array(decoded.text.unicodeScalars)
        if let bad = decoded.firstInvalid {
            let (line, column) = position(ofByte: bad, in: bytes)
            warnings.append(
                ImportError(
                    "\(file):\(line):\(column)",
                    "a byte that is not UTF-8 in a file read as UTF-8; it is read as «\u{FFFD}» (if the file is Windows-1251, pass --encoding cp1251)"
                ))
        }
        let separator = forced.flatMap { $0.unicodeScalars.first } ?? detectSeparator(scalars)
        var rows: [[String]] = []
        var origins: [[Grid.Origin]] = []
        var row: [String] = []
        var rowOrigins: [Grid.Origin] = []
        var field = String.UnicodeScalarView()
        var fieldStart = Grid.Origin(line: 1, column: 1)
        var line = 1
        var column = 1
        var quoted = false
        var afterQuote = false
        var atFieldStart = true
        var i = 0
        func endField() throws(ImportError) {
            guard row.count < maxFields else {
                throw ImportError(
                    "\(file):\(fieldStart.line):\(fieldStart.column)",
                    "more than \(maxFields) fields on one line; expected a table")
            }
            row.append(String(String.UnicodeScalarView(field)).trimmingSpaces())
            rowOrigins.append(fieldStart)
            field = String.UnicodeScalarView()
            atFieldStart = true
            afterQuote = false
        }
        func endRow() {
            if row.contains(where: { !$0.isEmpty }) {
                while let last = row.last, last.isEmpty {
                    row.removeLast()
                    rowOrigins.removeLast()
                }
                rows.append(row)
                origins.append(rowOrigins)
            }
            row = []
            rowOrigins = []
        }
        while i < scalars.count {
            let c = scalars[i]
            if atFieldStart {
                fieldStart = Grid.Origin(line: line, column: column)
                atFieldStart = false
                if c == "\"" {
                    quoted = true
                    i += 1
                    column += 1
                    continue
                }
            }
            if quoted {
                if c == "\"" {
                    if i + 1 < scalars.count && scalars[i + 1] == "\"" {
                        field.append("\"")
                        i += 2
                        column += 2
                        continue
                    }
                    quoted = false
                    afterQuote = true
                } else {
                    field.append(c)
                    if c == "\n" {
                        line += 1
                        column = 0
                    }
                }
            } else if c == separator {
                try endField()
            } else if c == "\n" || c == "\r" {
                try endField()
                endRow()
                if c == "\r" && i + 1 < scalars.count && scalars[i + 1] == "\n" { i += 1 }
                line += 1
                column = 0
            } else if afterQuote && !(c == " " || c == "\t") {
                throw ImportError(
                    "\(file):\(line):\(column)", "text after a closing quote; expected the separator or a line end")
            } else {
                field.append(c)
            }
            guard field.count <= maxFieldLength else {
                throw ImportError(
                    "\(file):\(fieldStart.line):\(fieldStart.column)",
                    "a field longer than \(maxFieldLength) characters; expected a table")
            }
            i += 1
            column += 1
        }
        if quoted {
            throw ImportError(
                "\(file):\(fieldStart.line):\(fieldStart.column)",
                "a quote opened here is never closed; expected a closing \"")
        }
        if !atFieldStart || !row.isEmpty {
            try endField()
            endRow()
        }
        let name = file.split(separator: "/").last.map(String.init) ?? file
        let grid = Grid(file: file, name: name, addressing: .lines, rows: rows, origins: origins)
        return (Workbook(file: file, kind: .csv, grids: [grid]), warnings)
    }

    /// The commonest of `;`, `,` and tab outside quotes on the first non-empty line (`;` on a tie).
    static func detectSeparator(_ scalars: [Unicode.Scalar]) -> Unicode.Scalar {
        var counts: [Unicode.Scalar: Int] = [";": 0, ",": 0, "\t": 0]
        var quoted = false
        var seenText = false
        for c in scalars {
            if c == "\"" { quoted.toggle() }
            if !quoted && (c == "\n" || c == "\r") {
                if seenText { break }
                continue
            }
            seenText = true
            if !quoted, let n = counts[c] { counts[c] = n + 1 }
        }
        let best = counts.max { a, b in a.value < b.value || (a.value == b.value && a.key != ";" && b.key == ";") }
        return best.map { $0.value > 0 ? $0.key : ";" } ?? ";"
    }

    /// The line and character column (1-based) of a byte offset in UTF-8 text.
    static func position(ofByte offset: Int, in bytes: [UInt8]) -> (Int, Int) {
        var line = 1
        var column = 1
        var i = 0
        while i < offset && i < bytes.count {
            if bytes[i] == 0x0A {
                line += 1
                column = 1
            } else if bytes[i] & 0xC0 != 0x80 {
                column += 1
            }
            i += 1
        }
        return (line, column)
    }
}

extension String {
    /// Without spaces, tabs and no-break spaces at either end.
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\u{A0}" || $0 == "\r" || $0 == "\n" }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = lastIndex(where: { !isSpace($0) })!
        return String(self[first...last])
    }
}
