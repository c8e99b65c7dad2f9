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
        if let bad = decoded.firstInvalid {
            let (line, column) = position(ofByte: bad, in: bytes)
            warnings.append(ImportError("\(file):\(line):\(column)", ImportText.notUTF8Byte))
        }
        var text = decoded.text
        let read = text.withUTF8 { utf8 in
            let separator = forced.flatMap { $0.asciiValue } ?? detectSeparator(utf8)
            return Result { () throws(ImportError) in try table(utf8, separator: separator, file: file) }
        }
        let (rows, origins) = try read.get()
        let name = file.split(separator: "/").last.map(String.init) ?? file
        let grid = Grid(file: file, name: name, addressing: .lines, rows: rows, origins: origins)
        return (Workbook(file: file, kind: .csv, grids: [grid]), warnings)
    }

    /// The rows of valid UTF-8 text, and where each cell starts. The separator, quote and line
    /// ends are ASCII, so the text is read byte by byte; columns count characters (code points).
    static func table(_ utf8: UnsafeBufferPointer<UInt8>, separator: UInt8, file: String) throws(ImportError) -> (
        [[String]], [[Grid.Origin]]
    ) {
        let quote: UInt8 = 0x22
        let lf: UInt8 = 0x0A
        let cr: UInt8 = 0x0D
        var rows: [[String]] = []
        var origins: [[Grid.Origin]] = []
        var row: [String] = []
        var rowOrigins: [Grid.Origin] = []
        var field: [UInt8] = []
        var fieldCharacters = 0
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
                    "\(file):\(fieldStart.line):\(fieldStart.column)", ImportText.tooManyFields(maxFields))
            }
            row.append(String(decoding: field, as: UTF8.self).trimmingSpaces())
            rowOrigins.append(fieldStart)
            field.removeAll(keepingCapacity: true)
            fieldCharacters = 0
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
        let count = utf8.count
        while i < count {
            let c = utf8[i]
            // The rest of a multi-byte character: part of the field, not a column of its own.
            if c & 0xC0 == 0x80 {
                field.append(c)
                i += 1
                continue
            }
            if atFieldStart {
                fieldStart = Grid.Origin(line: line, column: column)
                atFieldStart = false
                if c == quote {
                    quoted = true
                    i += 1
                    column += 1
                    continue
                }
            }
            if quoted {
                if c == quote {
                    if i + 1 < count && utf8[i + 1] == quote {
                        field.append(quote)
                        fieldCharacters += 1
                        i += 2
                        column += 2
                        continue
                    }
                    quoted = false
                    afterQuote = true
                } else {
                    field.append(c)
                    fieldCharacters += 1
                    if c == lf {
                        line += 1
                        column = 0
                    }
                }
            } else if c == separator {
                try endField()
            } else if c == lf || c == cr {
                try endField()
                endRow()
                if c == cr && i + 1 < count && utf8[i + 1] == lf { i += 1 }
                line += 1
                column = 0
            } else if afterQuote && !(c == 0x20 || c == 0x09) {
                throw ImportError("\(file):\(line):\(column)", ImportText.textAfterQuote)
            } else {
                field.append(c)
                fieldCharacters += 1
            }
            guard fieldCharacters <= maxFieldLength else {
                throw ImportError(
                    "\(file):\(fieldStart.line):\(fieldStart.column)", ImportText.fieldTooLong(maxFieldLength))
            }
            i += 1
            column += 1
        }
        if quoted {
            throw ImportError("\(file):\(fieldStart.line):\(fieldStart.column)", ImportText.quoteNotClosed)
        }
        if !atFieldStart || !row.isEmpty {
            try endField()
            endRow()
        }
        return (rows, origins)
    }

    /// The commonest of `;`, `,` and tab outside quotes on the first non-empty line (`;` on a tie).
    static func detectSeparator(_ utf8: UnsafeBufferPointer<UInt8>) -> UInt8 {
        let candidates: [UInt8] = [0x3B, 0x2C, 0x09]
        var counts = [0, 0, 0]
        var quoted = false
        var seenText = false
        for c in utf8 {
            if c == 0x22 { quoted.toggle() }
            if !quoted && (c == 0x0A || c == 0x0D) {
                if seenText { break }
                continue
            }
            seenText = true
            if !quoted, let n = candidates.firstIndex(of: c) { counts[n] += 1 }
        }
        // `;` first: it wins a tie.
        guard let best = counts.indices.max(by: { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) }),
            counts[best] > 0
        else { return 0x3B }
        return candidates[best]
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
        // Most cells have nothing to trim: told from the first and last bytes.
        if let first = utf8.first, let last = utf8.last, !Self.mayStartSpace(first), !Self.mayEndSpace(last) {
            return self
        }
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\u{A0}" || $0 == "\r" || $0 == "\n" }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = lastIndex(where: { !isSpace($0) })!
        return String(self[first...last])
    }

    /// A first byte of a space to trim (no-break space is C2 A0 in UTF-8).
    private static func mayStartSpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A || b == 0xC2
    }
    /// A last byte of a space to trim.
    private static func mayEndSpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A || b == 0xA0
    }
}
