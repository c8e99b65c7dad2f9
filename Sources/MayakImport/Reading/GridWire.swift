/// The grids of an Excel 97–2003 workbook, or the error reading it, as the `.xls` reader's child
/// process (`mayak read-xls`, see `IsolatedBIFFReader`) hands them to Mayak on its stdout.
///
/// A frame is the 4 bytes `MXW1`, a tag byte, and then for `W` (a workbook) the sheet count and
/// each sheet's name, row count, and each row's cell count and cells; for `E` (an error) the
/// error's location and message. Counts are 32-bit little-endian, texts a 32-bit byte count and
/// that many bytes of UTF-8; nothing follows the frame. Only what a BIFF grid has is carried:
/// its file is the one Mayak names, it is addressed by cells, and it has no merges, origins or
/// preamble (`BIFFReader`).
///
/// The decoder trusts nothing: every count is checked against the bytes left before anything
/// is reserved, the cells and rows of a workbook against `BIFFReader.maxCells`, texts must be
/// UTF-8, and a stream cut short, garbled or with bytes after its frame is `Malformed`.
enum GridWire {
    static let magic: [UInt8] = Array("MXW1".utf8)
    static let workbookTag = UInt8(ascii: "W")
    static let errorTag = UInt8(ascii: "E")

    /// What a stream holds.
    enum Frame: Equatable {
        case workbook([Grid])
        case error(ImportError)
    }

    /// Why a stream is not a frame, with the byte offset where that showed.
    struct Malformed: Error, Equatable {
        var reason: String
    }

    static func encode(_ workbook: Workbook) -> [UInt8] {
        var out = magic + [workbookTag]
        append(UInt32(workbook.grids.count), to: &out)
        for grid in workbook.grids {
            append(grid.name, to: &out)
            append(UInt32(grid.rows.count), to: &out)
            for row in grid.rows {
                append(UInt32(row.count), to: &out)
                for cell in row { append(cell, to: &out) }
            }
        }
        return out
    }

    static func encode(_ error: ImportError) -> [UInt8] {
        var out = magic + [errorTag]
        append(error.location, to: &out)
        append(error.message, to: &out)
        return out
    }

    /// The frame in `bytes`; the grids are given `file` as the file they came from.
    static func decode(_ bytes: [UInt8], file: String) throws(Malformed) -> Frame {
        var reader = Reader(bytes: bytes)
        guard bytes.count >= magic.count, Array(bytes.prefix(magic.count)) == magic else {
            throw Malformed(reason: ImportText.frameNoMagic(String(decoding: magic, as: UTF8.self)))
        }
        reader.offset = magic.count
        let tag = try reader.byte()
        let frame: Frame
        switch tag {
        case workbookTag:
            var grids: [Grid] = []
            var rows = 0
            var cells = 0
            // Each sheet is at least its name's and its row count's 8 bytes.
            let sheetCount = try reader.count(each: 8)
            grids.reserveCapacity(sheetCount)
            for _ in 0..<sheetCount {
                let name = try reader.text()
                let rowCount = try reader.count(each: 4)
                rows += rowCount
                guard rows <= BIFFReader.maxCells else {
                    throw Malformed(reason: ImportText.frameTooManyRows(BIFFReader.maxCells, at: reader.offset))
                }
                var grid = Grid(file: file, name: name, addressing: .cells, rows: [])
                grid.rows.reserveCapacity(rowCount)
                for _ in 0..<rowCount {
                    let cellCount = try reader.count(each: 4)
                    cells += cellCount
                    guard cells <= BIFFReader.maxCells else {
                        throw Malformed(reason: ImportText.frameTooManyCells(BIFFReader.maxCells, at: reader.offset))
                    }
                    var row: [String] = []
                    row.reserveCapacity(cellCount)
                    for _ in 0..<cellCount { row.append(try reader.text()) }
                    grid.rows.append(row)
                }
                grids.append(grid)
            }
            frame = .workbook(grids)
        case errorTag:
            let location = try reader.text()
            frame = .error(ImportError(location, try reader.text()))
        default:
            throw Malformed(reason: ImportText.frameUnknownTag(tag, at: magic.count))
        }
        guard reader.offset == bytes.count else {
            throw Malformed(reason: ImportText.frameTrailingBytes(bytes.count - reader.offset, at: reader.offset))
        }
        return frame
    }

    private static func append(_ n: UInt32, to out: inout [UInt8]) {
        out.append(contentsOf: [UInt8(n & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n >> 16 & 0xFF), UInt8(n >> 24)])
    }

    private static func append(_ text: String, to out: inout [UInt8]) {
        let utf8 = text.utf8
        append(UInt32(utf8.count), to: &out)
        out.append(contentsOf: utf8)
    }

    /// A cursor over the stream; every read is checked against its end.
    private struct Reader {
        let bytes: [UInt8]
        var offset = 0

        mutating func byte() throws(Malformed) -> UInt8 {
            guard offset < bytes.count else { throw cutShort() }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func uint32() throws(Malformed) -> Int {
            guard bytes.count - offset >= 4 else { throw cutShort() }
            defer { offset += 4 }
            return Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2]) << 16
                | Int(bytes[offset + 3]) << 24
        }

        /// A count of things each at least `each` bytes long, which the bytes left must hold.
        mutating func count(each: Int) throws(Malformed) -> Int {
            let at = offset
            let n = try uint32()
            guard n <= (bytes.count - offset) / each else {
                throw Malformed(reason: ImportText.frameCountTooLarge(n, at: at, left: bytes.count - offset))
            }
            return n
        }

        mutating func text() throws(Malformed) -> String {
            let at = offset
            let length = try uint32()
            guard length <= bytes.count - offset else {
                throw Malformed(reason: ImportText.frameTextPastEnd(length: length, at: at))
            }
            defer { offset += length }
            let slice = bytes[offset..<offset + length]
            // Ill-formed UTF-8 decodes with replacement characters in place of its bytes.
            let text = String(decoding: slice, as: UTF8.self)
            guard text.utf8.elementsEqual(slice) else { throw Malformed(reason: ImportText.frameTextNotUTF8(at: at)) }
            return text
        }

        func cutShort() -> Malformed {
            Malformed(reason: ImportText.frameCutShort(after: bytes.count, at: offset))
        }
    }
}
