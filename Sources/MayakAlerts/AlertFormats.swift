import Foundation
import MayakEngine
import MayakFiles
import MayakRules
import MayakSnapshot

/// Output formats of `mayak scan` (docs/alerts-json.md documents the JSON).
public enum AlertFormat: String, Sendable, CaseIterable { case table, json, csv, ndjson }

/// CSV that a Russian Excel opens as it is: UTF-8 with a byte-order mark, `;` between
/// fields, CRLF, fields quoted when they hold `;`, quotes or line breaks.
public enum ExcelCSV {
    /// One cell. A cell that a spreadsheet would read as a formula — starting with `=`, `+`,
    /// `-`, `@`, a tab or a carriage return, or their full-width forms — gets a leading `'`
    /// and quotes (OWASP's CSV-injection advice), so that Excel shows the text and runs nothing.
    public static func field(_ s: String) -> String {
        let formula =
            s.unicodeScalars.first.map { "=+-@\t\r\u{FF1D}\u{FF0B}\u{FF0D}\u{FF20}".unicodeScalars.contains($0) }
            ?? false
        let text = formula ? "'" + s : s
        return formula || text.contains(where: { $0 == ";" || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
            ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }

    public static func document(header: [String], rows: [[String]]) -> String {
        var out = "\u{FEFF}" + header.map(field).joined(separator: ";") + "\r\n"
        for row in rows { out += row.map(field).joined(separator: ";") + "\r\n" }
        return out
    }
}

/// A tiny JSON writer that keeps keys in the order given (the documented order).
public enum JSON {
    public static func string(_ s: String) -> String {
        var out = ""
        append(s, to: &out)
        return out
    }

    /// `s` quoted and escaped, appended to `out`.
    static func append(_ s: String, to out: inout String) {
        // Most texts need no escaping: copied whole. (Their bytes read in place: `contains`
        // over the UTF-8 view steps through an iterator, a third of a JSON's writing.)
        func special(_ b: UInt8) -> Bool { b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") }
        let clean =
            s.utf8.withContiguousStorageIfAvailable { bytes in !bytes.contains(where: special) } ?? !s.utf8.contains(
                where: special)
        if clean {
            out += "\""
            out += s
            out += "\""
            return
        }
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        out += "\""
    }

    static func number(_ d: Double) -> String {
        if d == d.rounded() && abs(d) < 1e15 { return String(Int(d)) }
        return String(d)
    }

    /// Appends to one growing text (no text per value): objects and arrays opened and closed,
    /// the commas between their items put in by the writer.
    struct Writer {
        private(set) var text = ""
        /// For each open object or array: whether an item has been written in it.
        private var filled: [Bool] = []
        /// A key was just written: its value takes no comma.
        private var afterKey = false

        init(capacity: Int, prefix: String = "") {
            text.reserveCapacity(capacity)
            text += prefix
        }

        /// The text in storage of its own size: a region's alerts are all held until written,
        /// and the room reserved for writing would otherwise stay with each.
        var compacted: String {
            text.utf8.withContiguousStorageIfAvailable { String(decoding: $0, as: UTF8.self) } ?? text
        }

        private mutating func item() {
            if afterKey {
                afterKey = false
                return
            }
            if let last = filled.last {
                if last { text += "," } else { filled[filled.count - 1] = true }
            }
        }

        /// A key of the open object; its value comes next.
        mutating func key(_ k: String) {
            item()
            JSON.append(k, to: &text)
            text += ":"
            afterKey = true
        }
        mutating func raw(_ literal: String) {
            item()
            text += literal
        }
        mutating func string(_ s: String) {
            item()
            JSON.append(s, to: &text)
        }
        mutating func optional(_ s: String?) { if let s { string(s) } else { raw("null") } }
        mutating func field(_ k: String, _ s: String) {
            key(k)
            string(s)
        }
        mutating func field(_ k: String, _ s: String?) {
            key(k)
            optional(s)
        }
        mutating func object(_ body: (inout Writer) -> Void) { container("{", "}", body) }
        mutating func array(_ body: (inout Writer) -> Void) { container("[", "]", body) }

        private mutating func container(_ open: String, _ close: String, _ body: (inout Writer) -> Void) {
            item()
            text += open
            filled.append(false)
            body(&self)
            filled.removeLast()
            text += close
        }

        mutating func value(_ v: EvidenceValue) {
            switch v {
            case .null: raw("null")
            case .bool(let b): raw(b ? "true" : "false")
            case .number(let d): raw(JSON.number(d))
            case .string(let s): string(s)
            case .list(let items): array { w in for item in items { w.value(item) } }
            case .object, .mark, .absence:
                // Marks and absences are written as the objects they stand for, without making them.
                object { w in
                    _ = v.forEachField { k, x in
                        w.key(k)
                        w.value(x)
                    }
                }
            }
        }
    }

    static func object(_ fields: [(String, String)]) -> String {
        "{" + fields.map { string($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }
}

extension Alert {
    /// One alert as a JSON object.
    public var json: String { json(prefix: "") }

    /// The JSON after `prefix` (an indent), in one text.
    func json(prefix: String) -> String {
        var w = JSON.Writer(capacity: 8192, prefix: prefix)
        w.object { w in
            w.field("fingerprint", fingerprint)
            w.field("rule", ruleID)
            w.field("title", ruleTitle)
            w.field("severity", severity.rawValue)
            w.field("indicator", indicator)
            w.key("subject")
            w.object { w in
                w.field("kind", subject.kind.rawValue)
                w.field("id", subject.id)
                w.field("name", subject.name)
                w.field("class_id", subject.classID)
                w.field("class", subject.className)
                w.field("class_teacher", subject.classTeacher)
                w.field("school_id", subject.schoolID)
                w.field("school", subject.schoolName)
            }
            w.field("key", key)
            w.field("message", message)
            w.key("evidence")
            w.object { w in
                for e in evidence {
                    w.key(e.name)
                    w.value(e.value)
                }
            }
            w.key("parameters")
            w.object { w in for p in parameters { w.field(p.name, p.value) } }
            w.key("plan")
            w.array { w in
                for step in plan {
                    w.object { w in
                        w.field("action", step.action)
                        w.field("role", step.role)
                        w.field("due", step.due.description)
                        w.field("check", step.check)
                        w.key("priority")
                        w.raw(String(step.priority))
                    }
                }
            }
        }
        return w.compacted
    }

    /// Evidence in one line of Russian, for tables, spreadsheets and pages (`EvidenceWords`):
    /// marks grouped by subject, absences as dates, works by title and status, dates as
    /// DD.MM.YYYY.
    public var evidenceText: String {
        var out = ""
        evidence.withUnsafeBufferPointer { items in
            for i in items.indices {
                if i > 0 { out += "; " }
                out += EvidenceWords.name(items[i].name)
                out += ": "
                if items[i].name == "indicators", case .list(let groups) = items[i].value {
                    out += groups.map { g in
                        if case .string(let s) = g { return EvidenceWords.indicator(s) }
                        return Alert.text(g)
                    }.joined(separator: ", ")
                } else {
                    Alert.append(items[i].value, to: &out)
                }
            }
        }
        return out
    }

    static func field(_ fields: [(String, EvidenceValue)], _ name: String) -> EvidenceValue? {
        fields.first { $0.0 == name }?.1
    }

    /// `DD.MM` of an ISO date's text; empty when it is not one.
    static func shortDate(_ v: EvidenceValue?) -> String {
        guard case .string(let s)? = v, let d = Day(s) else { return "" }
        return d.dayAndMonth
    }

    public static func text(_ v: EvidenceValue) -> String {
        var out = ""
        append(v, to: &out)
        return out
    }

    /// `v` as text, appended to `out` (evidence is written for every alert of a table or a
    /// spreadsheet: no lists of pieces are built and joined on the way).
    static func append(_ v: EvidenceValue, to out: inout String) {
        switch v {
        case .null: out += "—"
        case .bool(let b): out += b ? "да" : "нет"
        case .number(let d): out += Evaluator.format(d)
        case .string(let s):
            // A date reads as one («20.03.2026»), not as ISO.
            if s.utf8.count == 10, let day = Day(s) { out += day.russian } else { out += s }
        case .list(let items): append(list: items, to: &out)
        case .mark, .absence: append(.object(v.fields ?? []), to: &out)
        case .object(let fields):
            if field(fields, "year") != nil, let subject = field(fields, "subject") {
                // A ВПР result.
                append(subject, to: &out)
                out += " "
                // A year names, not counts: no thousands' space.
                if case .number(let y)? = field(fields, "year"), y == y.rounded(), abs(y) < 1e6 {
                    out += String(Int(y))
                } else {
                    append(field(fields, "year") ?? .null, to: &out)
                }
                out += ": "
                append(field(fields, "score") ?? .null, to: &out)
                out += "/"
                append(field(fields, "max_score") ?? .null, to: &out)
                out += " ("
                append(field(fields, "percent") ?? .null, to: &out)
                out += " %), отметка "
                append(field(fields, "mark") ?? .null, to: &out)
                return
            }
            // A record: «учеников 6, аттестовано 6, неуспевающих 1, …».
            var first = true
            for (name, value) in fields {
                if case .null = value { continue }
                if !first { out += ", " }
                first = false
                out += EvidenceWords.name(name)
                out += " "
                append(value, to: &out)
            }
        }
    }

    /// Calls `body` for each item of a list, the items of lists in it read as its own (marks
    /// per subject read as one list of marks).
    static func forEachFlat(_ items: [EvidenceValue], _ body: (EvidenceValue) -> Void) {
        for item in items {
            if case .list(let inner) = item { inner.forEach(body) } else { body(item) }
        }
    }

    private static func append(list items: [EvidenceValue], to out: inout String) {
        var count = 0
        var objects = 0
        var firstRecord: EvidenceValue?
        forEachFlat(items) { item in
            count += 1
            switch item {
            case .object, .mark, .absence:
                objects += 1
                if firstRecord == nil { firstRecord = item }
            default: break
            }
        }
        // One record's fields, made once per list, tell what the list holds.
        let first = firstRecord?.fields
        if count == 0 {
            out += "—"
            return
        }
        if objects == count, let first {
            if field(first, "work_type") != nil { return append(marks: items, to: &out) }
            if field(first, "code") != nil { return append(absences: items, count: count, to: &out) }
            if field(first, "title") != nil {
                // Works: «Контрольная работа» 12.03 — absent.
                var k = 0
                forEachFlat(items) { item in
                    guard let o = item.fields else { return }
                    if k > 0 { out += ", " }
                    k += 1
                    out += "«"
                    append(field(o, "title") ?? .null, to: &out)
                    out += "» "
                    out += shortDate(field(o, "date"))
                    out += " — "
                    if case .string(let status)? = field(o, "status") {
                        out += EvidenceWords.status(status)
                    } else {
                        out += "нет результата"
                    }
                }
                return
            }
        }
        var k = 0
        forEachFlat(items) { item in
            guard k < 12 else { return }
            if k > 0 { out += ", " }
            k += 1
            append(item, to: &out)
        }
        if count > 12 { out += ", …" }
    }

    /// Marks: «Алгебра: 2 3 2 (12.01–13.03); Физика: …», subjects in the order they first come.
    private static func append(marks items: [EvidenceValue], to out: inout String) {
        // Subjects found by a search of the few seen, not a dictionary: hashing a Cyrillic
        // text normalizes it first, while equal names are one storage.
        var subjects: [String] = []
        forEachFlat(items) { item in
            if let m = markFacts(item), !subjects.contains(m.subject) { subjects.append(m.subject) }
        }
        for (g, subject) in subjects.enumerated() {
            if g > 0 { out += "; " }
            out += subject
            out += ": "
            var k = 0
            var first: String?
            var last = ""
            forEachFlat(items) { item in
                guard let m = markFacts(item), m.subject == subject else { return }
                if k > 0 { out += " " }
                k += 1
                out += m.value
                if first == nil { first = m.day }
                last = m.day
            }
            out += " ("
            out += first ?? ""
            out += "–"
            out += last
            out += ")"
        }
    }

    /// What a table shows of a mark — its subject, value and day (`DD.MM`) — from a mark as
    /// findings keep it (no object made) or from the object of one.
    private static func markFacts(_ item: EvidenceValue) -> (subject: String, value: String, day: String)? {
        switch item {
        case .mark(let m): return (m.subject, m.value.description, m.day.dayAndMonth)
        case .object(let o):
            return (text(field(o, "subject") ?? .null), text(field(o, "value") ?? .null), shortDate(field(o, "date")))
        default: return nil
        }
    }

    /// Absences: «уроков 5: 02.03 Н, 03.03 Б, …», a day and code once however many lessons.
    private static func append(absences items: [EvidenceValue], count: Int, to out: inout String) {
        out += "уроков \(count): "
        var shown = 0
        var more = false
        var last = ""
        forEachFlat(items) { item in
            let day: String
            if case .absence(let a) = item {
                day = a.day.dayAndMonth + " " + a.code
            } else {
                guard let o = item.fields else { return }
                day = shortDate(field(o, "date")) + " " + text(field(o, "code") ?? .null)
            }
            guard day != last || shown == 0 else { return }
            last = day
            if shown == 12 {
                more = true
                return
            }
            if shown > 0 { out += ", " }
            shown += 1
            out += day
        }
        if more { out += ", …" }
    }
}

extension IndividualPlan {
    public var json: String { json(prefix: "") }

    func json(prefix: String) -> String {
        var w = JSON.Writer(capacity: 4096, prefix: prefix)
        w.object { w in
            w.field("pupil_id", pupilID)
            w.field("name", pupilName)
            w.field("class_id", classID)
            w.field("class", className)
            w.field("school_id", schoolID)
            w.key("gaps")
            w.array { w in for g in gaps { w.string(g) } }
            w.key("items")
            w.array { w in
                for i in items {
                    w.object { w in
                        w.field("action", i.action)
                        w.field("role", i.role)
                        w.field("due", i.due.description)
                        w.field("check", i.check)
                        w.key("priority")
                        w.raw(String(i.priority))
                        w.field("severity", i.severity.rawValue)
                        w.key("rules")
                        w.array { w in for r in i.rules { w.string(r) } }
                    }
                }
            }
        }
        return w.compacted
    }
}

extension ScanResult {
    public func render(_ format: AlertFormat, color: Bool = false) -> String {
        pieces(format, color: color).joined()
    }

    /// The document in pieces, in order, to be written one after another: a region's JSON
    /// (hundreds of megabytes) is never joined into one string.
    public func pieces(_ format: AlertFormat, color: Bool = false) -> [String] {
        var out: [String] = []
        write(format, color: color) { out.append($0) }
        return out
    }

    /// The alerts in `format`, handed to `emit` piece by piece. The long lists of JSON and
    /// NDJSON are written a batch of alerts at a time, each batch on every core, so that a
    /// region's JSON (a third of a gigabyte) is never held whole.
    public func write(_ format: AlertFormat, color: Bool = false, to emit: (String) throws -> Void) rethrows {
        switch format {
        case .json: try writeJSON(emit)
        case .ndjson: try ScanResult.inBatches(alerts, separator: "", { $0.json + "\n" }, emit)
        case .csv: try emit(csv)
        case .table: for piece in tablePieces(color: color) { try emit(piece) }
        }
    }

    public var json: String { pieces(.json).joined() }

    /// `{`, the head, the alerts and the plans one per line, `}`.
    func writeJSON(_ emit: (String) throws -> Void) rethrows {
        var counts: [(String, String)] = []
        for s in Severity.allCases.reversed() { counts.append((s.rawValue, String(count(s)))) }
        func key(_ name: String) -> String { "  " + JSON.string(name) + ": " }
        let head = [
            ("format", "\"mayak-alerts/1\""), ("district", JSON.string(district)),
            ("as_of", JSON.string(asOf.description)),
            ("rules", String(ruleCount)), ("rules_hash", JSON.string(rulesHash)), ("counts", JSON.object(counts)),
        ].map { key($0.0) + $0.1 }.joined(separator: ",\n")
        try emit("{\n" + head + ",\n" + key("alerts") + "[\n")
        try ScanResult.inBatches(alerts, separator: ",\n", { $0.json(prefix: "    ") }, emit)
        try emit("\n  ],\n" + key("plans") + "[\n")
        try ScanResult.inBatches(plans, separator: ",\n", { $0.json(prefix: "    ") }, emit)
        try emit("\n  ]\n}\n")
    }

    /// The texts of `items`, `separator` between them, made a batch at a time on every core
    /// (items read in place: a copy of an alert retains each of its texts).
    static func inBatches<T>(
        _ items: [T], separator: String, _ text: (borrowing T) -> String, _ emit: (String) throws -> Void
    ) rethrows {
        let batch = 1 << 14
        try items.withUnsafeBufferPointer { items in
            for start in stride(from: 0, to: items.count, by: batch) {
                let texts = Parallel.map(Array(start..<min(items.count, start + batch))) { text(items[$0]) }
                for (i, t) in texts.enumerated() {
                    if start + i > 0 && !separator.isEmpty { try emit(separator) }
                    try emit(t)
                }
            }
        }
    }

    /// For a Russian Excel: UTF-8 with a byte-order mark, `;` between fields, CRLF.
    public var csv: String {
        ExcelCSV.document(
            header: [
                "Школа", "Класс", "Классный руководитель", "Тип", "Код", "ФИО / объект", "Правило", "Название правила",
                "Важность", "Сообщение", "Доказательства", "Отпечаток",
            ],
            rows: alerts.map { a in
                [
                    a.subject.schoolName, a.subject.className ?? "", a.subject.classTeacher ?? "",
                    a.subject.kind.russian,
                    a.subject.id, a.subject.name, a.ruleID, a.ruleTitle, a.severity.russian, a.message, a.evidenceText,
                    a.fingerprint,
                ]
            })
    }

    /// Grouped school → class → pupil, readable in a terminal; colour only when asked.
    public func table(color: Bool) -> String { tablePieces(color: color).joined() }

    /// The table in pieces: which group headings each alert opens is settled in one pass,
    /// then the alerts are written on every core.
    func tablePieces(color: Bool) -> [String] {
        func paint(_ s: String, _ severity: Severity) -> String {
            guard color else { return s }
            let code: String
            switch severity {
            case .critical: code = "1;31"
            case .high: code = "31"
            case .medium: code = "33"
            case .low: code = "36"
            case .info: code = "2"
            }
            return "\u{1B}[\(code)m\(s)\u{1B}[0m"
        }
        func bold(_ s: String) -> String { color ? "\u{1B}[1m\(s)\u{1B}[0m" : s }
        // Every text from data is shown, not acted on by the terminal (see TerminalText).
        func safe(_ s: String) -> String { TerminalText.escaped(s) }
        func who(_ a: borrowing Alert) -> String {
            switch a.subject.kind {
            case .pupil: return "\(safe(a.subject.name)) (\(safe(a.subject.id)))"
            case .class: return "весь класс"
            case .school: return "вся школа"
            }
        }
        var head = "\(safe(district)): проверка на \(asOf.russian), правил: \(ruleCount)\n"
        let counts = Severity.allCases.reversed().map { "\($0.russian): \(count($0))" }.joined(separator: ", ")
        head += "Предупреждений: \(alerts.count) (\(counts))\n"
        // Bit 0: a new school, bit 1: a new class, bit 2: a new pupil (or «весь класс», …).
        var opens = [UInt8](repeating: 0, count: alerts.count)
        var school: Int?
        var klass: String?
        var entity: (kind: RuleScope, index: Int)?
        // Alerts are read in place (through the buffer): a copy of an alert retains each of its texts.
        alerts.withUnsafeBufferPointer { alerts in
            for i in alerts.indices {
                if alerts[i].subject.schoolIndex != school || i == 0 {
                    school = alerts[i].subject.schoolIndex
                    klass = nil
                    entity = nil
                    opens[i] |= 1
                }
                if let c = alerts[i].subject.className, c != klass {
                    klass = c
                    entity = nil
                    opens[i] |= 2
                }
                let e = (
                    kind: alerts[i].subject.kind,
                    index: alerts[i].subject.pupilIndex ?? alerts[i].subject.classIndex ?? alerts[i].subject.schoolIndex
                )
                if entity == nil || entity! != e {
                    entity = e
                    opens[i] |= 4
                }
            }
        }
        func write(_ a: borrowing Alert, _ opens: UInt8, to out: inout String) {
            if opens & 1 != 0 { out += "\n" + bold(safe(a.subject.schoolName)) + "\n" }
            if opens & 2 != 0, let c = a.subject.className {
                out +=
                    "  " + bold("\(safe(c)) класс")
                    + (a.subject.classTeacher.map { " — кл. руководитель \(safe($0))" } ?? "") + "\n"
            }
            let indent = a.subject.kind == .school ? "  " : "    "
            if opens & 4 != 0 { out += indent + who(a) + "\n" }
            let tag = "[\(a.severity.russian)]"
            out += indent + "  " + paint(tag, a.severity) + " " + safe(a.message) + "\n"
            if !a.evidence.isEmpty { out += indent + "      " + safe(a.evidenceText) + "\n" }
        }
        let ranges = Parallel.chunks(alerts.count, minimum: 256)
        return [head]
            + alerts.withUnsafeBufferPointer { alerts in
                Parallel.collect(ranges.count) { k -> String in
                    var out = ""
                    for i in ranges[k] { write(alerts[i], opens[i], to: &out) }
                    return out
                }
            }
    }
}

extension RuleScope {
    public var russian: String {
        switch self {
        case .pupil: return "ученик"
        case .class: return "класс"
        case .school: return "школа"
        }
    }
}

extension IndividualPlan {
    /// A plan as text: what a deputy head reads before adopting it.
    public var text: String {
        func safe(_ s: String) -> String { TerminalText.escaped(s) }
        var out = "Индивидуальный план: \(safe(pupilName)), \(safe(className)) класс\n"
        out += "Выявленные проблемы:\n" + gaps.map { "  • \(safe($0))\n" }.joined()
        out += "Мероприятия:\n"
        for (n, item) in items.enumerated() {
            out +=
                "  \(n + 1). \(safe(item.action))\n     Ответственный: \(safe(item.role)); срок: до \(item.due.russian)\n     Контроль: \(safe(item.check))\n"
        }
        return out
    }
}
