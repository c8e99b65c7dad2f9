import MayakFiles
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Field separators that exports use.
public enum FieldSeparator: String, Sendable, CaseIterable {
    case auto, comma, semicolon, tab

    var byte: UInt8? {
        switch self {
        case .auto: return nil
        case .comma: return UInt8(ascii: ",")
        case .semicolon: return UInt8(ascii: ";")
        case .tab: return UInt8(ascii: "\t")
        }
    }
}

/// A streaming RFC 4180 reader for what real e-journal exports look like.
///
/// It reads the file in blocks, so a multi-gigabyte marks table never sits in memory whole.
/// Windows-1251 blocks are transcoded to UTF-8 before parsing (every separator and quote is
/// ASCII, so the transcoding never splits a field). Each record handed to the caller is
/// contiguous in memory; its fields are trimmed byte slices, valid only during the call.
///
/// Hostile input stays bounded: a line (a record, with the line breaks inside its quotes) of
/// more than `maxLineBytes` is reported and skipped to the next line end without being held,
/// and a line of more than `maxFields` fields is reported and skipped; positions within a
/// record are found by a cursor that only moves forward, so that mapping every field of a
/// record costs one pass over it. docs/snapshot-format.md documents the caps.
public final class CSVReader {
    /// The longest line read, in bytes (of UTF-8): 1 MiB.
    public static let maxLineBytes = 1 << 20
    /// The most fields a line may have.
    public static let maxFields = 1_000

    /// One field of the current record.
    public struct Field {
        /// The field's bytes, unquoted and trimmed of spaces.
        public var bytes: UnsafeBufferPointer<UInt8>
        /// Offset of the field's first raw byte in the parse buffer (for positions).
        var rawStart: Int
    }

    /// The current record, passed to the caller of `forEachRecord`.
    public struct Record {
        public let line: Int
        public let fields: UnsafeBufferPointer<Field>
        /// Not retained per record: a record is only valid during the reader's callback.
        unowned(unsafe) let reader: CSVReader

        public var count: Int { fields.count }
        @inlinable public subscript(i: Int) -> UnsafeBufferPointer<UInt8> { fields[i].bytes }

        /// The field as text (invalid UTF-8 decodes with replacement characters).
        public func string(_ i: Int) -> String { String(decoding: fields[i].bytes, as: UTF8.self) }

        /// The field as text, or nil if it is not valid UTF-8 — unless the file is UTF-8 with
        /// stray bytes (warned about once), whose fields decode with replacement characters.
        public func validString(_ i: Int) -> String? {
            if reader.decodesInvalidUTF8 { return String(decoding: fields[i].bytes, as: UTF8.self) }
            return String(validating: fields[i].bytes, as: UTF8.self)
        }

        /// The 1-based line and character column where field `i` starts.
        public func position(ofField i: Int) -> (line: Int, column: Int) {
            reader.position(ofRawOffset: fields[i].rawStart, recordLine: line)
        }

        /// The position just past the end of field `i` (for "a field is missing here").
        public func position(afterField i: Int) -> (line: Int, column: Int) {
            let p = reader.position(ofRawOffset: fields[i].rawStart, recordLine: line)
            let width = String(decoding: fields[i].bytes, as: UTF8.self).count
            return (p.line, p.column + width)
        }
    }

    public let path: String
    /// The name used in diagnostics.
    public let displayName: String
    public private(set) var encoding: TextEncoding = .utf8
    public private(set) var separator: UInt8 = UInt8(ascii: ",")
    /// Header names, trimmed; nil before the header has been read.
    public private(set) var header: [String] = []

    private var fd: Int32
    /// The parse buffer: decoded UTF-8, `count` bytes valid, records from `start` on unread.
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var count = 0
    private var start = 0
    private var eof = false
    private var raw: UnsafeMutablePointer<UInt8>
    /// Side storage for fields with doubled quotes, rewritten for every record.
    private var scratch: UnsafeMutablePointer<UInt8>
    private var scratchCapacity = 256
    private var fieldScratch = ScratchList<Field>(capacity: 32)
    private var line = 1
    private var recordStartOffset = 0
    private let blockSize: Int
    /// Bytes of the file still to read (a reader of a byte range stops at its end).
    private var remaining = Int.max
    /// Bytes moved out of the front of the buffer so far: `shifted + start` is the file
    /// offset of the next unread byte (UTF-8 files, where bytes are not transcoded).
    private var shifted = 0
    /// Whether the first record is a header (not for a range after another reader's header).
    private var hasHeader = true
    /// Whether reading ended inside a quoted field (an unterminated quote at the end).
    public private(set) var endedInQuote = false

    /// Whether the encoding was given (`--encoding`): then a byte that breaks it is an error.
    /// Detected UTF-8 tolerates a few stray bytes (see `UTF8Evidence`).
    public private(set) var encodingForced = false
    /// What the detection sample showed; a record past the sample with invalid bytes is
    /// weighed against it.
    private(set) var evidence = UTF8Evidence()
    /// File offset where the detection sample ends.
    private var sampleEnd = 0
    /// Whether the stray-byte warning was given (one per file).
    private var warnedEncoding = false
    /// Whether the header line was refused (too long, too many fields): nothing else is read.
    public private(set) var refusedHeader = false

    /// Opens a file. Throws a diagnostic when the file cannot be opened, or is not a regular
    /// file (a FIFO or a device is never opened for reading).
    public convenience init(
        path: String, displayName: String, encoding: TextEncoding = .auto,
        separator: FieldSeparator = .auto, blockSize: Int = 1 << 22
    ) throws {
        try self.init(path: path, displayName: displayName, from: 0, blockSize: blockSize)
        // Decide the encoding from the first block, weighing all of it.
        let got = readBlock()
        let sample = UnsafeBufferPointer(start: raw, count: got)
        let hasBOM = got >= 3 && raw[0] == 0xEF && raw[1] == 0xBB && raw[2] == 0xBF
        let detection = TextEncoding.detect(sample: sample)
        self.evidence = detection.evidence
        self.sampleEnd = got
        self.encodingForced = encoding != .auto && !hasBOM
        self.encoding = hasBOM ? .utf8 : (encoding == .auto ? detection.encoding : encoding)
        if self.encoding == .cp1251 && !encodingForced && detection.evidence.looksMixed,
            let at = detection.evidence.firstUTF8Word
        {
            mixedWarning = CSVReader.mixedWarning(
                UnsafeBufferPointer(start: raw, count: got), at: at, detection.evidence)
        }
        appendDecoded(got)
        if hasBOM { start = 3 }
        self.separator = separator.byte ?? detectSeparator()
    }

    /// The warning for a file read as Windows-1251 that holds UTF-8 too, at its first UTF-8
    /// character: line and column counted in the raw bytes (one byte, one character).
    private var mixedWarning: SyntaxError?

    private static func mixedWarning(_ raw: UnsafeBufferPointer<UInt8>, at offset: Int, _ e: UTF8Evidence)
        -> SyntaxError
    {
        var line = 1
        var column = 1
        for b in raw[0..<offset] {
            if b == 0x0A {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return SyntaxError(
            line: line, column: column,
            message:
                "the file is read as Windows-1251, but it holds UTF-8 too (words in UTF-8, the first here, among text that is not UTF-8); text in UTF-8 comes out garbled: save the file in one encoding",
            code: "bad-encoding", severity: .warning)
    }

    /// A reader of the records in bytes `range` of a UTF-8 file whose header another reader
    /// has read; lines are counted from 1 at the range's start. `header` is that reader: its
    /// evidence of UTF-8 and whether the encoding was forced carry over.
    public convenience init(
        path: String, displayName: String, range: Range<Int>, separator: UInt8,
        after header: CSVReader? = nil, blockSize: Int = 1 << 22
    ) throws {
        try self.init(path: path, displayName: displayName, from: range.lowerBound, blockSize: blockSize)
        remaining = range.count
        encoding = .utf8
        if let header {
            evidence = header.evidence
            encodingForced = header.encodingForced
            sampleEnd = header.sampleEnd
        }
        self.separator = separator
        hasHeader = false
        appendDecoded(readBlock())
    }

    /// Opens the file at byte `from`, with empty buffers.
    private init(path: String, displayName: String, from: Int, blockSize: Int) throws {
        let fd: Int32
        switch InputFile.openRegular(path) {
        case .success(let d): fd = d
        case .failure(let refusal):
            throw Diagnostic(.error, "unreadable-file", file: displayName, refusal.message)
        }
        guard from == 0 || lseek(fd, off_t(from), SEEK_SET) == off_t(from) else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw Diagnostic(.error, "unreadable-file", file: displayName, "cannot open the file: \(reason)")
        }
        self.fd = fd
        self.path = path
        self.displayName = displayName
        self.blockSize = max(blockSize, 64)
        capacity = self.blockSize * 4
        buffer = .allocate(capacity: capacity)
        raw = .allocate(capacity: self.blockSize)
        scratch = .allocate(capacity: scratchCapacity)
        shifted = from
    }

    /// The file offset of the next unread record (UTF-8 files only).
    public var offset: Int { shifted + start }
    /// The line the next record starts on.
    public var nextLine: Int { line }

    deinit {
        close(fd)
        buffer.deallocate()
        raw.deallocate()
        scratch.deallocate()
        spans.free()
        fieldScratch.free()
    }

    /// Reads up to one block into `raw`; returns the byte count (0 at end of file).
    private func readBlock() -> Int {
        if eof { return 0 }
        var got = 0
        let want = min(blockSize, remaining)
        while got < want {
            let n = read(fd, raw + got, want - got)
            if n <= 0 { break }
            got += n
        }
        if got < blockSize { eof = true }
        if remaining != Int.max { remaining -= got }
        return got
    }

    private func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        let newCapacity = max(capacity * 2, count + extra)
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        grown.update(from: buffer, count: count)
        buffer.deallocate()
        buffer = grown
        capacity = newCapacity
    }

    private func appendDecoded(_ got: Int) {
        if encoding == .cp1251 {
            reserve(got * 3)
            count += CP1251.transcode(UnsafeBufferPointer(start: raw, count: got), into: buffer + count)
        } else {
            reserve(got)
            (buffer + count).update(from: raw, count: got)
            count += got
        }
    }

    /// Loads another block, keeping the unconsumed tail. Returns false at end of file.
    private func refill() -> Bool {
        if eof { return false }
        if start > 0 {
            let tail = count - start
            buffer.update(from: buffer + start, count: tail)
            count = tail
            shifted += start
            start = 0
        }
        let got = readBlock()
        if got == 0 { return false }
        appendDecoded(got)
        return true
    }

    /// The most frequent of `;`, `,` and tab in the header line, outside quotes.
    private func detectSeparator() -> UInt8 {
        var counts: [UInt8: Int] = [UInt8(ascii: ";"): 0, UInt8(ascii: ","): 0, UInt8(ascii: "\t"): 0]
        var inQuotes = false
        var i = start
        while i < count {
            let b = buffer[i]
            if b == UInt8(ascii: "\"") {
                inQuotes.toggle()
            } else if !inQuotes && (b == 0x0A || b == 0x0D) {
                break
            } else if !inQuotes, counts[b] != nil {
                counts[b]! += 1
            }
            i += 1
        }
        let semicolons = counts[UInt8(ascii: ";")]!
        let commas = counts[UInt8(ascii: ",")]!
        let tabs = counts[UInt8(ascii: "\t")]!
        if tabs > semicolons && tabs > commas { return UInt8(ascii: "\t") }
        return semicolons > commas ? UInt8(ascii: ";") : UInt8(ascii: ",")
    }

    /// A small table read whole, each row keyed by the header's names (truth files, tests).
    /// Syntax errors go to `onError`.
    public static func rows(path: String, onError: (SyntaxError) -> Void = { _ in }) throws -> [[String: String]] {
        let reader = try CSVReader(path: path, displayName: path)
        var header: [String] = []
        var rows: [[String: String]] = []
        reader.forEachRecord(
            header: { h, _ in
                header = h
                return true
            },
            { r in
                var row: [String: String] = [:]
                for i in 0..<min(r.count, header.count) { row[header[i]] = r.string(i) }
                rows.append(row)
            }, onError: onError)
        return rows
    }

    /// Where the position cursor stands: a byte offset in the current record, and its line
    /// and column. Positions asked for in order (the fields of a header, one by one) move it
    /// forward only, so mapping all of a record costs one pass over it, not one per field.
    private var cursor = (record: -1, offset: 0, line: 0, column: 1)
    /// Counts the records split, so that the cursor knows when it belongs to an older one.
    private var recordSerial = 0

    /// Line and character column of a raw byte offset in the current record.
    fileprivate func position(ofRawOffset offset: Int, recordLine: Int) -> (line: Int, column: Int) {
        if cursor.record != recordSerial || offset < cursor.offset {
            cursor = (recordSerial, recordStartOffset, recordLine, 1)
        }
        var (_, i, lineNo, column) = cursor
        while i < offset {
            let b = buffer[i]
            if b == 0x0A {
                lineNo += 1
                column = 1
            } else if b & 0xC0 != 0x80 {
                column += 1
            }  // characters (UTF-8 lead bytes), not bytes
            i += 1
        }
        cursor = (recordSerial, i, lineNo, column)
        return (lineNo, column)
    }

    /// An error found while splitting records.
    public struct SyntaxError {
        public var line: Int
        public var column: Int
        public var message: String
        public var code = "csv-syntax"
        /// A stray byte in a file that is otherwise UTF-8 is a warning; everything else an error.
        public var severity: Diagnostic.Severity = .error
    }

    /// Reads the header, then calls `body` for every non-blank record.
    ///
    /// Syntax errors (an unterminated quote, text after a closing quote, a line past a cap)
    /// are passed to `onError`; reading goes on where it can. A header that is refused (past
    /// a cap) ends the reading: `refusedHeader` tells so.
    public func forEachRecord(
        header onHeader: ([String], Record) -> Bool,
        headerOnly: Bool = false,
        _ body: (Record) -> Void,
        onError: (SyntaxError) -> Void
    ) {
        var isHeader = hasHeader
        if let warning = mixedWarning {
            mixedWarning = nil
            onError(warning)
        }
        while true {
            guard let event = nextRecord(onError: onError) else { return }
            guard case .record(let recordLine) = event else {
                if isHeader {
                    refusedHeader = true
                    return
                }
                continue
            }
            if encoding != .cp1251, let bad = TextEncoding.firstInvalidUTF8(buffer, from: recordStartOffset, to: start)
            {
                let p = position(ofRawOffset: bad, recordLine: recordLine)
                let byte = "0x" + String(buffer[bad], radix: 16, uppercase: true)
                if !encodingForced && tolerates(from: recordStartOffset, to: start) {
                    // A stray byte in a file that is overwhelmingly UTF-8: read as U+FFFD.
                    if !warnedEncoding {
                        warnedEncoding = true
                        onError(
                            SyntaxError(
                                line: p.line, column: p.column,
                                message:
                                    "byte \(byte) is not valid UTF-8; the file is otherwise UTF-8 and is read as such, with U+FFFD for each such byte (further ones in this file are not shown)",
                                code: "bad-encoding", severity: .warning))
                    }
                } else {
                    // One message for the file: once a record is not UTF-8, none of it is.
                    onError(
                        SyntaxError(
                            line: p.line, column: p.column,
                            message:
                                "the file is not valid UTF-8 here (byte \(byte)); if it is Windows-1251, pass --encoding cp1251; the rest of the file is not read",
                            code: "bad-encoding"))
                    return
                }
            }
            let proceed: Bool
            let record = Record(line: recordLine, fields: fieldScratch.items, reader: self)
            if isHeader {
                header = (0..<record.count).map { record.string($0) }
                proceed = onHeader(header, record)
            } else {
                body(record)
                proceed = true
            }
            if isHeader && proceed && headerOnly {
                hasHeader = false  // the next call goes on with the records
                return
            }
            if !proceed { return }
            isHeader = false
        }
    }

    /// Whether invalid bytes in `buffer[from..<to]` (a record of a file detected as UTF-8)
    /// are stray ones: the sample's evidence, with this record's if it lies past the sample,
    /// is still overwhelmingly UTF-8. Decided record by record from the same evidence, so a
    /// table read in chunks decides as one read whole.
    private func tolerates(from: Int, to: Int) -> Bool {
        var e = evidence
        if shifted + from >= sampleEnd {
            e.add(TextEncoding.evidence(UnsafeBufferPointer(start: buffer + from, count: to - from)))
        }
        return e.isOverwhelminglyUTF8
    }

    /// Whether fields with invalid UTF-8 are decoded with replacement characters (a detected
    /// UTF-8 file with stray bytes); otherwise such records never reach the caller.
    var decodesInvalidUTF8: Bool { !encodingForced && encoding == .utf8 }

    /// The capacity of the parse buffer (tests check that a long line is not held).
    var bufferCapacity: Int { capacity }

    private enum RecordEvent {
        /// A record was split into `fieldScratch`; its first line.
        case record(Int)
        /// A line was reported and skipped (past a cap).
        case refused
    }

    /// Splits the next record. Field slices point into `buffer`, which stays put until the
    /// next call (a refill can only happen before the record's slices are taken).
    private func nextRecord(onError: (SyntaxError) -> Void) -> RecordEvent? {
        while true {
            switch scanRecord(onError: onError) {
            case .record(let recordLine):
                return .record(recordLine)
            case .refused:
                return .refused
            case .blank:
                continue
            case .needMore:
                if count - start > CSVReader.maxLineBytes {
                    skipOverlongLine(onError: onError)
                    return .refused
                }
                if !refill() {
                    // The file ends inside a record: take what there is.
                    if start < count {
                        switch scanRecord(atEOF: true, onError: onError) {
                        case .record(let recordLine): return .record(recordLine)
                        case .refused: return .refused
                        default: return nil
                        }
                    }
                    return nil
                }
            case .end:
                return nil
            }
        }
    }

    static let overlongMessage =
        "the line is longer than 1 MiB (\(maxLineBytes) bytes), the most a line may hold; it is skipped"

    /// Reports the line starting at `start`, longer than the cap, and skips it: up to the
    /// first line feed past the cap (the quoting inside it is not trusted), dropping what is
    /// read as it goes, so that the buffer never holds more than the cap and a block.
    private func skipOverlongLine(onError: (SyntaxError) -> Void) {
        onError(SyntaxError(line: line, column: 1, message: CSVReader.overlongMessage, code: "line-too-long"))
        var lineFeeds = 0
        var untilCap = CSVReader.maxLineBytes
        while true {
            var i = start
            while i < count {
                if buffer[i] == 0x0A {
                    lineFeeds += 1
                    if untilCap <= 0 {
                        line += lineFeeds
                        start = i + 1
                        return
                    }
                }
                untilCap -= 1
                i += 1
            }
            start = count
            if !refill() {
                line += lineFeeds
                return
            }
        }
    }

    private enum ScanResult {
        /// A record was split into `fieldScratch`; its first line.
        case record(Int)
        /// A record of more than `maxFields` fields, reported and skipped.
        case refused
        case blank
        case needMore
        case end
    }

    private struct RawSpan {
        var start: Int
        var end: Int
        var quoted: Bool
        var doubled: Bool
    }

    private var spans = ScratchList<RawSpan>(capacity: 32)

    private func scanRecord(atEOF: Bool = false, onError: (SyntaxError) -> Void) -> ScanResult {
        let count = self.count
        if start >= count { return eof ? .end : .needMore }
        let sep = separator
        let quote = UInt8(ascii: "\"")
        let separatorWord = UInt64(sep) &* 0x0101_0101_0101_0101
        let lineFeedWord: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
        // Local copies of the lists (pointers, nothing counted) keep exclusivity checks out
        // of the byte loop; written back, since a list may have grown.
        var spans = self.spans
        spans.removeAll()
        var fields = self.fieldScratch
        fields.removeAll()
        defer {
            self.spans = spans
            self.fieldScratch = fields
        }
        var lines = 0
        var pos = start
        var complete = false
        var pendingErrors: [(offset: Int, message: String)] = []
        scan: do {
            let buf = buffer
            var fieldStart = pos
            while true {
                if pos >= count {
                    if atEOF || eof {
                        spans.append(RawSpan(start: fieldStart, end: pos, quoted: false, doubled: false))
                        complete = true
                    }
                    break scan
                }
                var b = buf[pos]
                if pos == fieldStart && b == quote {
                    // Quoted field.
                    var doubled = false
                    var q = pos + 1
                    var closed = false
                    while q < count {
                        let c = buf[q]
                        if c == quote {
                            if q + 1 < count && buf[q + 1] == quote {
                                doubled = true
                                q += 2
                                continue
                            }
                            if q + 1 >= count && !(atEOF || eof) { break scan }  // need to see the next byte
                            closed = true
                            break
                        }
                        if c == 0x0A { lines += 1 }
                        q += 1
                    }
                    if !closed {
                        if atEOF || eof {
                            endedInQuote = true
                            pendingErrors.append((pos, "unterminated quoted field; expected a closing '\"'"))
                            spans.append(RawSpan(start: pos + 1, end: count, quoted: true, doubled: doubled))
                            pos = count
                            complete = true
                        }
                        break scan
                    }
                    let contentEnd = q
                    pos = q + 1
                    // After the closing quote: separator, end of line, or junk.
                    var junkReported = false
                    while pos < count {
                        b = buf[pos]
                        if b == sep || b == 0x0A { break }
                        if b == 0x0D && (pos + 1 >= count || buf[pos + 1] == 0x0A) {
                            pos += 1
                            continue
                        }
                        if b != UInt8(ascii: " ") && !junkReported {
                            pendingErrors.append(
                                (
                                    pos,
                                    "unexpected text after a closing quote; expected a separator or the end of the line"
                                ))
                            junkReported = true
                        }
                        pos += 1
                    }
                    spans.append(RawSpan(start: fieldStart + 1, end: contentEnd, quoted: true, doubled: doubled))
                    if pos >= count {
                        if atEOF || eof { complete = true }
                        break scan
                    }
                    if buf[pos] == 0x0A {
                        pos += 1
                        lines += 1
                        complete = true
                        break scan
                    }
                    pos += 1  // separator
                    fieldStart = pos
                    continue
                }
                if b == sep {
                    spans.append(RawSpan(start: fieldStart, end: pos, quoted: false, doubled: false))
                    pos += 1
                    fieldStart = pos
                } else if b == 0x0A {
                    var end = pos
                    if end > fieldStart && buf[end - 1] == 0x0D { end -= 1 }
                    spans.append(RawSpan(start: fieldStart, end: end, quoted: false, doubled: false))
                    pos += 1
                    lines += 1
                    complete = true
                    break scan
                } else {
                    // Inside an unquoted field: skip eight bytes at a time while none of them
                    // is the separator or a line feed.
                    pos += 1
                    while pos + 8 <= count {
                        let word = UnsafeRawPointer(buf + pos).loadUnaligned(as: UInt64.self)
                        if CSVReader.hasByte(word, separatorWord) || CSVReader.hasByte(word, lineFeedWord) { break }
                        pos += 8
                    }
                }
            }
        }
        if !complete { return .needMore }
        // A trailing CR on the last field at end of file.
        if var last = spans.last, !last.quoted, last.end > last.start, buffer[last.end - 1] == 0x0D {
            last.end -= 1
            spans[spans.count - 1] = last
        }
        let recordLine = line
        recordStartOffset = start
        recordSerial += 1
        if pos - start > CSVReader.maxLineBytes {
            // Whole in the buffer (a block is larger than the cap), but too long all the same.
            onError(SyntaxError(line: recordLine, column: 1, message: CSVReader.overlongMessage, code: "line-too-long"))
            line += lines
            start = pos
            return .refused
        }
        for e in pendingErrors {
            let p = position(ofRawOffset: e.offset, recordLine: recordLine)
            onError(SyntaxError(line: p.line, column: p.column, message: e.message))
        }
        line += lines
        start = pos
        if spans.count == 1 && spans[0].end == spans[0].start && !spans[0].quoted { return .blank }
        if spans.count > CSVReader.maxFields {
            let first = spans[CSVReader.maxFields]
            let p = position(ofRawOffset: first.quoted ? first.start - 1 : first.start, recordLine: recordLine)
            onError(
                SyntaxError(
                    line: p.line, column: p.column,
                    message:
                        "more than 1,000 fields on one line (\(spans.count)), the most a line may hold; the line is skipped",
                    code: "too-many-fields"))
            return .refused
        }
        // Build the fields: unquote doubled quotes into the scratch area, trim spaces.
        let needed = spans.items.reduce(0) { $0 + ($1.doubled ? $1.end - $1.start : 0) }
        if needed > scratchCapacity {
            scratch.deallocate()
            scratchCapacity = needed * 2
            scratch = .allocate(capacity: scratchCapacity)
        }
        var used = 0
        for s in spans.items {
            var slice: UnsafeBufferPointer<UInt8>
            if s.doubled {
                let begin = used
                var i = s.start
                while i < s.end {
                    scratch[used] = buffer[i]
                    used += 1
                    i += buffer[i] == quote && i + 1 < s.end && buffer[i + 1] == quote ? 2 : 1
                }
                slice = UnsafeBufferPointer(start: scratch + begin, count: used - begin)
            } else {
                slice = UnsafeBufferPointer(start: buffer + s.start, count: s.end - s.start)
            }
            if !s.quoted { slice = CSVReader.trim(slice) }
            fields.append(Field(bytes: slice, rawStart: s.quoted ? s.start - 1 : s.start))
        }
        return .record(recordLine)
    }

    /// A list of plain values in memory of its own, grown by doubling and freed by its owner:
    /// appending counts no references.
    struct ScratchList<Element> {
        private var base: UnsafeMutablePointer<Element>
        private(set) var count = 0
        private var capacity: Int

        init(capacity: Int) {
            precondition(_isPOD(Element.self), "only plain values")
            base = .allocate(capacity: capacity)
            self.capacity = capacity
        }

        var items: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: count) }
        var last: Element? { count > 0 ? base[count - 1] : nil }

        subscript(i: Int) -> Element {
            get { base[i] }
            nonmutating set { base[i] = newValue }
        }

        @inline(__always) mutating func append(_ e: Element) {
            if count == capacity {
                capacity *= 2
                let grown = UnsafeMutablePointer<Element>.allocate(capacity: capacity)
                grown.moveInitialize(from: base, count: count)
                base.deallocate()
                base = grown
            }
            (base + count).initialize(to: e)
            count += 1
        }

        mutating func removeAll() { count = 0 }
        func free() { base.deallocate() }
    }

    /// Whether any byte of `word` equals the byte repeated in `pattern` (the classic
    /// zero-byte test on `word ^ pattern`).
    @inline(__always) static func hasByte(_ word: UInt64, _ pattern: UInt64) -> Bool {
        let v = word ^ pattern
        return (v &- 0x0101_0101_0101_0101) & ~v & 0x8080_8080_8080_8080 != 0
    }

    static func trim(_ s: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var lo = 0
        var hi = s.count
        while lo < hi, s[lo] == 0x20 || s[lo] == 0x09 { lo += 1 }
        while hi > lo, s[hi - 1] == 0x20 || s[hi - 1] == 0x09 { hi -= 1 }
        // A non-breaking space (C2 A0) at either end, common in spreadsheet exports.
        while hi - lo >= 2, s[lo] == 0xC2, s[lo + 1] == 0xA0 { lo += 2 }
        while hi - lo >= 2, s[hi - 2] == 0xC2, s[hi - 1] == 0xA0 { hi -= 2 }
        return UnsafeBufferPointer(rebasing: s[lo..<hi])
    }
}
