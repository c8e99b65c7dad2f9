import Foundation

/// A column that a table defines.
struct ColumnSpec {
    var name: String
    var required: Bool
    /// Other header spellings accepted for this column (lower-case).
    var aliases: [String] = []

    static func required(_ name: String, _ aliases: String...) -> ColumnSpec {
        ColumnSpec(name: name, required: true, aliases: aliases)
    }
    static func optional(_ name: String, _ aliases: String...) -> ColumnSpec {
        ColumnSpec(name: name, required: false, aliases: aliases)
    }
}

/// Reads one CSV table of a snapshot: maps the header to the columns the format defines,
/// reports missing and unknown columns, then hands each row to the caller with helpers that
/// parse fields and report problems at their exact position.
final class TableReader: @unchecked Sendable {
    let file: String
    typealias Columns = SIMD16<Int16>
    /// Index of each spec'd column in the row, or -1 — inline (tables have fewer than 16
    /// columns), so rows copy it without touching a reference count, which readers on
    /// several cores would otherwise fight over.
    private(set) var columns = Columns(repeating: -1)
    /// Header positions of columns the format does not define (kept or warned about).
    var extraColumns: [(name: String, index: Int)] = []
    var fieldCount = 0

    init(file: String) { self.file = file }

    /// Maps the header. Returns false (after reporting) when a required column is missing.
    func mapHeader(
        _ header: [String], record: CSVReader.Record, specs: [ColumnSpec],
        keepExtra: Bool, log: inout DiagnosticLog
    ) -> Bool {
        fieldCount = header.count
        let normalized = header.map { $0.lowercased().trimmingCharacters(in: [" ", "\u{FEFF}"]) }
        let columnIndex = specs.map { spec in
            normalized.firstIndex { $0 == spec.name || spec.aliases.contains($0) } ?? -1
        }
        precondition(columnIndex.count <= Columns.scalarCount, "a table of more than \(Columns.scalarCount) columns")
        // A header has at most CSVReader.maxFields fields, so every index fits.
        for (i, c) in columnIndex.enumerated() { columns[i] = Int16(exactly: c) ?? -1 }
        var ok = true
        for (i, spec) in specs.enumerated() where spec.required && columnIndex[i] < 0 {
            log.error(
                "missing-column", file: file, line: record.line, column: 1,
                "missing required column '\(spec.name)'; the header has: \(header.joined(separator: ", "))")
            ok = false
        }
        var seen = Set<String>()
        for (i, name) in normalized.enumerated() {
            let p = record.position(ofField: i)
            if !seen.insert(name).inserted {
                log.error(
                    "duplicate-column", file: file, line: p.line, column: p.column, "duplicate column '\(header[i])'")
                ok = false
                continue
            }
            if columnIndex.contains(i) { continue }
            if name.isEmpty {
                log.warning(
                    "unknown-column", file: file, line: p.line, column: p.column, "a column without a name is ignored")
            } else if keepExtra {
                extraColumns.append((header[i], i))
            } else {
                log.warning(
                    "unknown-column", file: file, line: p.line, column: p.column,
                    "column '\(header[i])' is not part of the format and is ignored; expected: \(specs.map(\.name).joined(separator: ", "))"
                )
            }
        }
        return ok
    }
}

/// One row being read: parses fields by spec'd column and reports problems at their place.
struct Row {
    let record: CSVReader.Record
    /// Not retained per row: the table outlives every row read from it.
    unowned(unsafe) let table: TableReader
    let columns: TableReader.Columns
    var failed = false

    init(_ record: CSVReader.Record, _ table: TableReader) {
        self.record = record
        self.table = table
        columns = table.columns
    }

    func has(_ column: Int) -> Bool {
        let i = Int(columns[column])
        return i >= 0 && i < record.count && record[i].count > 0
    }

    func bytes(_ column: Int) -> UnsafeBufferPointer<UInt8> { record[Int(columns[column])] }

    func text(_ column: Int) -> String { record.string(Int(columns[column])) }

    func position(_ column: Int) -> (line: Int, column: Int) {
        let i = Int(columns[column])
        return i >= 0 && i < record.count ? record.position(ofField: i) : (record.line, 1)
    }

    mutating func error(_ column: Int, _ code: String, _ message: String, log: inout DiagnosticLog) {
        let p = position(column)
        log.error(code, file: table.file, line: p.line, column: p.column, message)
        failed = true
    }

    func warning(_ column: Int, _ code: String, _ message: String, log: inout DiagnosticLog) {
        let p = position(column)
        log.warning(code, file: table.file, line: p.line, column: p.column, message)
    }

    /// Reports text that is not UTF-8 once per file: when one field is in another encoding,
    /// the whole file is.
    mutating func badEncoding(_ column: Int, _ name: String, log: inout DiagnosticLog) {
        failed = true
        guard !log.contains(code: "bad-encoding", file: table.file) else { return }
        error(
            column, "bad-encoding",
            "'\(name)' is not valid UTF-8; if the file is Windows-1251, pass --encoding cp1251 (further encoding errors in this file are not shown)",
            log: &log)
    }

    /// A required text field: present, non-empty, valid UTF-8.
    mutating func required(_ column: Int, _ name: String, log: inout DiagnosticLog) -> String? {
        guard has(column) else {
            error(column, "empty-field", "empty '\(name)'; a value is required", log: &log)
            return nil
        }
        guard let s = record.validString(Int(columns[column])) else {
            badEncoding(column, name, log: &log)
            return nil
        }
        return s
    }

    /// An optional text field (empty string when absent).
    mutating func optional(_ column: Int, _ name: String, log: inout DiagnosticLog) -> String {
        guard has(column) else { return "" }
        guard let s = record.validString(Int(columns[column])) else {
            badEncoding(column, name, log: &log)
            return ""
        }
        return s
    }

    mutating func day(_ column: Int, _ name: String, log: inout DiagnosticLog) -> Day? {
        guard has(column) else {
            error(column, "empty-field", "empty '\(name)'; expected a date as YYYY-MM-DD or DD.MM.YYYY", log: &log)
            return nil
        }
        switch Day.parse(bytes(column)) {
        case .day(let d): return d
        case .impossible:
            error(column, "impossible-date", "no such date '\(text(column))' in '\(name)'", log: &log)
        case .malformed:
            error(
                column, "bad-date", "expected a date as YYYY-MM-DD or DD.MM.YYYY in '\(name)', found '\(text(column))'",
                log: &log)
        }
        return nil
    }

    /// A date that must fall within the school year.
    mutating func dayInYear(_ column: Int, _ name: String, year: SchoolYear, log: inout DiagnosticLog) -> Day? {
        guard let d = day(column, name, log: &log) else { return nil }
        if !year.contains(d) {
            error(
                column, "date-outside-year",
                "date \(text(column)) in '\(name)' is outside the school year \(year.name) (\(year.start.russian) – \(year.end.russian))",
                log: &log)
            return nil
        }
        return d
    }

    mutating func integer(_ column: Int, _ name: String, in range: ClosedRange<Int>, log: inout DiagnosticLog) -> Int? {
        guard has(column) else {
            error(
                column, "empty-field",
                "empty '\(name)'; expected a whole number \(range.lowerBound)…\(range.upperBound)", log: &log)
            return nil
        }
        let b = bytes(column)
        var value = 0
        var digits = 0
        for byte in b {
            guard byte >= 0x30, byte <= 0x39, digits < 9 else {
                error(
                    column, "bad-number",
                    "expected a whole number \(range.lowerBound)…\(range.upperBound) in '\(name)', found '\(text(column))'",
                    log: &log)
                return nil
            }
            value = value * 10 + Int(byte - 0x30)
            digits += 1
        }
        guard range.contains(value) else {
            error(
                column, "out-of-range", "'\(name)' is \(value); expected \(range.lowerBound)…\(range.upperBound)",
                log: &log)
            return nil
        }
        return value
    }

    /// A decimal number; accepts a decimal comma (`1,5`) as exports write it.
    mutating func decimal(_ column: Int, _ name: String, in range: ClosedRange<Float>, log: inout DiagnosticLog)
        -> Float?
    {
        guard has(column) else {
            error(column, "empty-field", "empty '\(name)'; expected a number", log: &log)
            return nil
        }
        guard let v = Row.parseDecimal(bytes(column)) else {
            error(
                column, "bad-number", "expected a number such as 1,5 or 1.5 in '\(name)', found '\(self.text(column))'",
                log: &log)
            return nil
        }
        guard range.contains(v) else {
            error(
                column, "out-of-range",
                "'\(name)' is \(self.text(column)); expected \(Row.format(range.lowerBound))…\(Row.format(range.upperBound))",
                log: &log)
            return nil
        }
        return v
    }

    /// A decimal number with at most two decimal places, kept exactly in hundredths (`1,5` is
    /// 150); accepts a decimal comma as exports write it.
    mutating func hundredths(_ column: Int, _ name: String, in range: ClosedRange<UInt16>, log: inout DiagnosticLog)
        -> UInt16?
    {
        let bounds = "\(Row.format(hundredths: range.lowerBound))…\(Row.format(hundredths: range.upperBound))"
        guard has(column) else {
            error(column, "empty-field", "empty '\(name)'; expected a number \(bounds)", log: &log)
            return nil
        }
        guard let v = Row.parseFixed(bytes(column), places: 2) else {
            error(
                column, "bad-number",
                "expected a number with at most two decimal places, such as 1,5 or 0,25, in '\(name)', found '\(self.text(column))'",
                log: &log)
            return nil
        }
        guard let h = UInt16(exactly: v), range.contains(h) else {
            error(column, "out-of-range", "'\(name)' is \(self.text(column)); expected \(bounds)", log: &log)
            return nil
        }
        return h
    }

    /// Digits with at most one decimal point or comma and at most `places` decimal places
    /// (trailing zeros aside), as a whole number of 10^-places (`1,5` with 2 places is 150).
    static func parseFixed(_ b: UnsafeBufferPointer<UInt8>, places: Int) -> Int64? {
        var i = 0
        var negative = false
        if b.count > 0 && b[0] == UInt8(ascii: "-") {
            negative = true
            i = 1
        }
        var value: Int64 = 0
        var digits = 0
        var decimals = -1  // none seen: no point yet
        while i < b.count {
            let c = b[i]
            if c >= 0x30 && c <= 0x39 {
                if decimals >= places {
                    guard c == 0x30 else { return nil }
                } else {
                    guard digits < 15 else { return nil }
                    value = value * 10 + Int64(c - 0x30)
                    if decimals >= 0 { decimals += 1 }
                }
                digits += 1
            } else if (c == UInt8(ascii: ",") || c == UInt8(ascii: ".")) && decimals < 0 {
                decimals = 0
            } else {
                return nil
            }
            i += 1
        }
        guard digits > 0 else { return nil }
        for _ in max(decimals, 0)..<places { value *= 10 }
        return negative ? -value : value
    }

    /// Hundredths as a decimal written the Russian way (`150` is `1,5`).
    static func format(hundredths h: UInt16) -> String { WeightColumn.text(hundredths: h) }

    /// Digits with at most one decimal point or comma (`2`, `1,5`, `20.25`, `-1`).
    static func parseDecimal(_ b: UnsafeBufferPointer<UInt8>) -> Float? {
        var i = 0
        var negative = false
        if b.count > 0 && b[0] == UInt8(ascii: "-") {
            negative = true
            i = 1
        }
        var whole: Int64 = 0
        var fraction: Int64 = 0
        var scale: Int64 = 1
        var digits = 0
        var seenPoint = false
        while i < b.count {
            let c = b[i]
            if c >= 0x30 && c <= 0x39 {
                guard digits < 15 else { return nil }
                if seenPoint {
                    fraction = fraction * 10 + Int64(c - 0x30)
                    scale *= 10
                } else {
                    whole = whole * 10 + Int64(c - 0x30)
                }
                digits += 1
            } else if (c == UInt8(ascii: ",") || c == UInt8(ascii: ".")) && !seenPoint {
                seenPoint = true
            } else {
                return nil
            }
            i += 1
        }
        guard digits > 0 else { return nil }
        let v = Double(whole) + Double(fraction) / Double(scale)
        return Float(negative ? -v : v)
    }

    static func format(_ v: Float) -> String {
        if v == v.rounded(), let whole = Int(exactly: v) { return String(whole) }
        return String(v).replacingOccurrences(of: ".", with: ",")
    }

    mutating func mark(_ column: Int, _ name: String, log: inout DiagnosticLog) -> MarkValue? {
        switch MarkValue.parse(bytes(column)) {
        case .success(let v): return v
        case .failure(.empty):
            error(column, "empty-field", "empty '\(name)'; expected a mark 1–5, н/а, осв, зач or незач", log: &log)
        case .failure(.absenceWithoutMark):
            error(
                column, "absence-in-marks",
                "'\(text(column))' is an attendance code, not a mark; absences belong in attendance.csv (a cell may combine both, like 5/Н)",
                log: &log)
        case .failure(.unknownToken):
            error(
                column, "unknown-mark",
                "unknown mark '\(text(column))'; expected 1–5, н/а, осв, зач, незач, optionally with an attendance code like 5/Н",
                log: &log)
        }
        return nil
    }
}

extension String {
    func trimmingCharacters(in set: Set<Character>) -> String {
        var s = Substring(self)
        while let c = s.first, set.contains(c) { s.removeFirst() }
        while let c = s.last, set.contains(c) { s.removeLast() }
        return String(s)
    }
}

/// Looks up ids given as bytes without building a `String` per row: an open-addressing
/// table over the UTF-8 bytes (FNV-1a), with the keys kept in one byte arena. Rows of an
/// export come grouped by pupil, so the last hit is remembered too.
struct IDIndex {
    private var slots: [Int32] = Array(repeating: -1, count: 64)  // entry number or -1
    private var hashes: [UInt64] = []
    private var starts: [Int] = []
    private var lengths: [Int32] = []
    private var values: [Int32] = []
    private var arena: [UInt8] = []
    private var lastEntry = -1

    var count: Int { values.count }

    @inline(__always) static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        return h ^ (h >> 29)
    }

    @inline(__always) private func matches(_ entry: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard Int(lengths[entry]) == bytes.count else { return false }
        return arena.withUnsafeBufferPointer { a in
            memcmp(a.baseAddress! + starts[entry], bytes.baseAddress!, bytes.count) == 0
        }
    }

    private func find(_ bytes: UnsafeBufferPointer<UInt8>, hash h: UInt64) -> (slot: Int, entry: Int) {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let e = Int(slots[i])
            if e < 0 { return (i, -1) }
            if hashes[e] == h && matches(e, bytes) { return (i, e) }
            i = (i + 1) & mask
        }
    }

    /// Adds a key; returns the existing value if the key was there already.
    mutating func insert(_ key: String, _ value: Int32) -> Int32? {
        var copy = key
        return copy.withUTF8 { insert($0, value) }
    }

    mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>, _ value: Int32) -> Int32? {
        let h = IDIndex.hash(bytes)
        let (slot, entry) = find(bytes, hash: h)
        if entry >= 0 { return values[entry] }
        slots[slot] = Int32(values.count)
        hashes.append(h)
        starts.append(arena.count)
        lengths.append(Int32(bytes.count))
        arena.append(contentsOf: bytes)
        values.append(value)
        if values.count * 2 > slots.count { grow() }
        return nil
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for e in 0..<values.count {
            var i = Int(truncatingIfNeeded: hashes[e]) & mask
            while slots[i] >= 0 { i = (i + 1) & mask }
            slots[i] = Int32(e)
        }
    }

    subscript(key: String) -> Int32? {
        var copy = key
        return copy.withUTF8 { b in
            let e = find(b, hash: IDIndex.hash(b)).entry
            return e < 0 ? nil : values[e]
        }
    }

    mutating func lookup(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        if lastEntry >= 0 && matches(lastEntry, bytes) { return values[lastEntry] }
        guard !values.isEmpty else { return nil }
        let e = find(bytes, hash: IDIndex.hash(bytes)).entry
        guard e >= 0 else { return nil }
        lastEntry = e
        return values[e]
    }
}
