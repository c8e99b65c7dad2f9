import Foundation
import MayakBuiltIn
import MayakFiles
import Yams

/// A mapping file: how to read a table whose layout Mayak has no profile for (documented in
/// docs/import.md). It names the header row and, for each thing the snapshot needs, the
/// column that holds it (or a constant, or a template over columns), value maps (a 0–20 scale
/// to 2–5), and groups of columns that are records of their own (a column per date, per
/// period or per subject: wide to long).
public struct Mapping: Sendable {
    /// Where a value comes from.
    public enum Source: Sendable, Equatable {
        case column(String)
        case constant(String)
        /// `{school}-{class}`: columns' values put into a text.
        case template(String)
        /// By the source file's name: the value of the first key the name contains
        /// (`{ by_file: { mat: Математика, por: Португальский язык } }`).
        case byFile([(String, String)])

        public static func == (a: Source, b: Source) -> Bool {
            switch (a, b) {
            case (.column(let x), .column(let y)), (.constant(let x), .constant(let y)),
                (.template(let x), .template(let y)):
                return x == y
            case (.byFile(let x), .byFile(let y)): return x.map(\.0) == y.map(\.0) && x.map(\.1) == y.map(\.1)
            default: return false
            }
        }
    }

    /// What a group of columns holds, one record per cell.
    public enum WideKind: String, Sendable, CaseIterable {
        /// Journal cells (marks and attendance codes) of the date in the column's header.
        case marks
        /// Period marks of the period the column stands for.
        case periodMarks = "period_marks"
    }

    public struct Wide: Sendable {
        public var kind: WideKind
        /// Header texts, or nil with `matching`.
        public var columns: [String]?
        /// A regular expression the headers match (NSRegularExpression syntax).
        public var matching: String?
        /// For period marks: header → period id.
        public var periods: [String: String] = [:]
        /// For marks: the subject (else the mapping's `subject`).
        public var subject: Source?
        public var workType: Source?
    }

    /// One rule of a value map: a number range or an exact text, to a mark token or `skip`.
    public struct ValueRule: Sendable, Equatable {
        public var range: ClosedRange<Double>?
        public var text: String?
        public var to: String
    }

    public var file: String
    public var title: String
    /// 1-based; nil: the first row holding every mapped column's header.
    public var headerRow: Int?
    /// A sheet name or 1-based number; nil: every sheet.
    public var sheet: String?
    public var school: Source?
    public var schoolName: Source?
    public var className: Source?
    public var grade: Source?
    public var pupil: Source?
    public var birthDate: Source?
    public var key: [String] = []
    public var numberDuplicateKeys = false
    public var subject: Source?
    public var date: Source?
    public var mark: Source?
    public var workType: Source?
    public var weight: Source?
    public var period: Source?
    public var keep: [String] = []
    public var wide: [Wide] = []
    /// Applied to mark cells before they are read.
    public var values: [ValueRule] = []

    /// 256 KiB: a mapping is a page of YAML.
    static let maxBytes = 256 << 10

    /// Reads a mapping file; an error names the file, the line and what was expected.
    /// `builtin:NAME` reads one of the mapping files built into the program.
    public static func load(_ path: String) throws(ImportError) -> Mapping {
        let bytes: [UInt8]
        if BuiltIn.names(path) {
            guard let text = BuiltIn.mapping(path) else {
                throw ImportError(
                    path, ImportText.noSuchBuiltInMapping(builtIn: BuiltIn.mappingNames.map { BuiltIn.scheme + $0 }))
            }
            bytes = Array(text.utf8)
        } else {
            bytes = try read(path)
        }
        return try parse(bytes, path: path)
    }

    private static func read(_ path: String) throws(ImportError) -> [UInt8] {
        let bytes: [UInt8]
        switch InputFile.contents(of: path, atMost: maxBytes) {
        case .success(let b): bytes = b
        case .failure(.absent): throw ImportError(path, ImportText.noSuchMappingFile)
        case .failure(.refused(let why)): throw ImportError(path, ImportText.mappingRefused(why))
        case .failure(.tooLarge): throw ImportError(path, ImportText.mappingTooLarge)
        }
        return bytes
    }

    private static func parse(_ bytes: [UInt8], path: String) throws(ImportError) -> Mapping {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ImportError(path, ImportText.mappingNotUTF8)
        }
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch { throw ImportError(yaml: error, file: path) }
        guard let node, case .mapping(let top) = node else {
            throw ImportError(path, ImportText.mappingNotAMapping)
        }
        var m = Mapping(file: path, title: (path as NSString).lastPathComponent)
        let reader = Reader(file: path)
        for (k, v) in top {
            guard let key = k.string else { continue }
            switch key {
            case "mapping":
                guard v.string == "1" else { throw reader.fail(v, ImportText.mappingFormat) }
            case "title": m.title = try reader.text(v, key)
            case "header_row":
                guard let n = Int(try reader.text(v, key)), (1...1_048_576).contains(n) else {
                    throw reader.fail(v, ImportText.mappingHeaderRow)
                }
                m.headerRow = n
            case "sheet": m.sheet = try reader.text(v, key)
            case "school": m.school = try reader.source(v, key)
            case "school_name": m.schoolName = try reader.source(v, key)
            case "class": m.className = try reader.source(v, key)
            case "grade": m.grade = try reader.source(v, key)
            case "pupil": m.pupil = try reader.source(v, key)
            case "birth_date": m.birthDate = try reader.source(v, key)
            case "key": m.key = try reader.texts(v, key)
            case "key_duplicates":
                switch try reader.text(v, key) {
                case "error": m.numberDuplicateKeys = false
                case "number": m.numberDuplicateKeys = true
                default: throw reader.fail(v, ImportText.mappingKeyDuplicates)
                }
            case "subject": m.subject = try reader.source(v, key)
            case "date": m.date = try reader.source(v, key)
            case "mark": m.mark = try reader.source(v, key)
            case "work_type": m.workType = try reader.source(v, key)
            case "weight": m.weight = try reader.source(v, key)
            case "period": m.period = try reader.source(v, key)
            case "keep": m.keep = try reader.texts(v, key)
            case "wide": m.wide = try reader.wide(v)
            case "values": m.values = try reader.values(v)
            default:
                let known = [
                    "mapping", "title", "header_row", "sheet", "school", "school_name", "class", "grade", "pupil",
                    "birth_date", "key", "key_duplicates", "subject", "date", "mark", "work_type", "weight", "period",
                    "keep", "wide", "values",
                ]
                let hint = known.min { a, b in distance(a, key) < distance(b, key) }
                throw reader.fail(k, ImportText.mappingUnknownKey(key, didYouMean: hint))
            }
        }
        guard m.pupil != nil || !m.key.isEmpty else {
            throw ImportError(path, ImportText.mappingNoPupil)
        }
        guard m.mark == nil || m.date != nil else {
            throw ImportError(path, ImportText.mappingMarkNeedsDate)
        }
        return m
    }

    /// Edit distance, for "did you mean".
    static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a)
        let y = Array(b)
        var row = Array(0...y.count)
        for i in 1...max(1, x.count) where !x.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: y.count, by: 1) {
                let saved = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (x[i - 1] == y[j - 1] ? 0 : 1))
                previous = saved
            }
        }
        return row[y.count]
    }

    /// Reads the YAML tree, each error at its node's line.
    struct Reader {
        var file: String

        func fail(_ node: Node, _ message: String) -> ImportError {
            let line = node.mark.map { ":\($0.line)" } ?? ""
            return ImportError(file + line, message)
        }

        func text(_ node: Node, _ key: String) throws(ImportError) -> String {
            guard let s = node.string else { throw fail(node, ImportText.mappingIsText(key)) }
            return s
        }

        func texts(_ node: Node, _ key: String) throws(ImportError) -> [String] {
            if let s = node.string { return [s] }
            guard case .sequence(let items) = node else { throw fail(node, ImportText.mappingIsColumnList(key)) }
            var out: [String] = []
            for item in items { out.append(try text(item, key)) }
            return out
        }

        func source(_ node: Node, _ key: String) throws(ImportError) -> Source {
            if let s = node.string { return .column(s) }
            if case .mapping(let m) = node, m.count == 1, let (k, v) = m.first, k.string == "by_file" {
                guard case .mapping(let files) = v else { throw fail(v, ImportText.mappingByFile) }
                var pairs: [(String, String)] = []
                for (f, value) in files { pairs.append((try text(f, "by_file"), try text(value, "by_file"))) }
                return .byFile(pairs)
            }
            guard case .mapping(let m) = node, m.count == 1, let (k, v) = m.first, let name = k.string,
                let value = v.string
            else {
                throw fail(node, ImportText.mappingSourceShape(key))
            }
            switch name {
            case "column": return .column(value)
            case "value": return .constant(value)
            case "template": return .template(value)
            default: throw fail(k, ImportText.mappingSourceKind(key, found: name))
            }
        }

        func wide(_ node: Node) throws(ImportError) -> [Wide] {
            guard case .sequence(let items) = node else { throw fail(node, ImportText.mappingWideList) }
            var out: [Wide] = []
            for item in items {
                guard case .mapping(let m) = item else { throw fail(item, ImportText.mappingWideGroup) }
                var kind: WideKind?
                var group = Wide(kind: .marks)
                for (k, v) in m {
                    switch k.string ?? "" {
                    case "as":
                        let s = try text(v, "as")
                        guard let kk = WideKind(rawValue: s) else { throw fail(v, ImportText.mappingWideAs) }
                        kind = kk
                    case "columns":
                        if case .mapping(let mm) = v, mm.count == 1, mm.first?.key.string == "matching" {
                            group.matching = try text(mm.first!.value, "matching")
                            if (try? NSRegularExpression(pattern: group.matching!)) == nil {
                                throw fail(v, ImportText.mappingNotARegex(group.matching!))
                            }
                        } else {
                            group.columns = try texts(v, "columns")
                        }
                    case "periods":
                        guard case .mapping(let pm) = v else { throw fail(v, ImportText.mappingWidePeriods) }
                        for (h, p) in pm { group.periods[try text(h, "periods")] = try text(p, "periods") }
                    case "subject": group.subject = try source(v, "subject")
                    case "work_type": group.workType = try source(v, "work_type")
                    case let other: throw fail(k, ImportText.mappingWideUnknownKey(other))
                    }
                }
                guard let kind else { throw fail(item, ImportText.mappingWideNeedsAs) }
                group.kind = kind
                guard group.columns != nil || group.matching != nil else {
                    throw fail(item, ImportText.mappingWideNeedsColumns)
                }
                if kind == .periodMarks, let columns = group.columns,
                    let missing = columns.first(where: { group.periods[$0] == nil })
                {
                    throw fail(item, ImportText.mappingWideNoPeriod(column: missing))
                }
                out.append(group)
            }
            return out
        }

        func values(_ node: Node) throws(ImportError) -> [ValueRule] {
            guard case .sequence(let items) = node else { throw fail(node, ImportText.mappingValuesList) }
            var out: [ValueRule] = []
            for item in items {
                guard case .mapping(let m) = item, let to = m["to"]?.string else {
                    throw fail(item, ImportText.mappingValueRule)
                }
                var rule = ValueRule(to: to)
                if let r = m["range"] {
                    let s = try text(r, "range")
                    let parts = s.split(separator: "-", maxSplits: 1).map {
                        Double($0.replacingOccurrences(of: ",", with: ".").trimmingCharacters(in: .whitespaces))
                    }
                    guard parts.count == 2, let a = parts[0], let b = parts[1], a <= b else {
                        throw fail(r, ImportText.mappingValueRange)
                    }
                    rule.range = a...b
                } else if let t = m["text"] {
                    rule.text = t.string ?? ""
                } else {
                    throw fail(item, ImportText.mappingValueRuleNeeds)
                }
                out.append(rule)
            }
            return out
        }
    }
}

extension ImportError {
    /// A mapping or calendar file that is not YAML: at the line and column libyaml names.
    init(yaml error: any Error, file: String) {
        switch error as? YamlError {
        case .scanner(_, let problem, let mark, _)?, .parser(_, let problem, let mark, _)?,
            .composer(_, let problem, let mark, _)?:
            self.init("\(file):\(mark.line):\(mark.column)", ImportText.notYAML(ImportText.yamlProblem(problem)))
        case .reader(let problem, _, _, _)?:
            self.init(file, ImportText.notYAML(ImportText.yamlProblem(problem)))
        case .duplicatedKeysInMapping(let duplicates, let context)?:
            self.init(
                "\(file):\(context.mark.line):\(context.mark.column)",
                ImportText.notYAML(ImportText.yamlDuplicateKeys(duplicates)))
        default:
            self.init(file, ImportText.notYAML(ImportText.yamlProblem("\(error)")))
        }
    }
}
