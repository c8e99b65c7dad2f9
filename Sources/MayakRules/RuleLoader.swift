import Foundation
import MayakBuiltIn
import MayakSnapshot
import Yams

/// Reads rule files: one rule per YAML file, in packs (folders) under a rules directory.
///
/// Every problem of a load is reported at once, positioned in its file with the source line
/// and a caret; syntax only — names and types are the checker's job.
public struct RuleLoader {
    public init() {}

    /// All `*.yaml` files under `path` (or `path` itself), sorted, skipping `overrides.yaml`;
    /// under a `builtin:` path, the program's own.
    public static func ruleFiles(at path: String) -> [String] {
        if BuiltIn.names(path) {
            return BuiltIn.ruleFiles(under: path).filter { $0.hasSuffix(".yaml") && !$0.hasSuffix("/overrides.yaml") }
        }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { return [] }
        guard isDir.boolValue else { return [path] }
        let enumerator = FileManager.default.enumerator(atPath: path)
        var files: [String] = []
        while let item = enumerator?.nextObject() as? String {
            let name = (item as NSString).lastPathComponent
            guard name.hasSuffix(".yaml") || name.hasSuffix(".yml"), name != "overrides.yaml", !name.hasPrefix(".")
            else { continue }
            files.append((path as NSString).appendingPathComponent(item))
        }
        return files.sorted()
    }

    /// The bytes of a rule file or of a built-in one (`builtin:…`), or nil when there is none.
    public static func contents(of file: String) -> [UInt8]? {
        if BuiltIn.names(file) { return BuiltIn.ruleFile(file).map { Array($0.utf8) } }
        return FileManager.default.contents(atPath: file).map { [UInt8]($0) }
    }

    public func load(paths: [String], log: inout DiagnosticLog) -> [RuleDefinition] {
        var rules: [RuleDefinition] = []
        for path in paths {
            let files = RuleLoader.ruleFiles(at: path)
            if files.isEmpty {
                log.error(
                    "missing-rules", file: path, "no rule files here; expected a folder of *.yaml rules or a rule file")
            }
            for file in files {
                if let rule = loadFile(file, log: &log) { rules.append(rule) }
            }
        }
        // Duplicate ids across files.
        var seen: [String: RuleDefinition] = [:]
        for rule in rules {
            if let first = seen[rule.id] {
                var reader = RuleFileReader(file: rule.file, text: "")
                reader.lines =
                    RuleLoader.contents(of: rule.file).map { String(decoding: $0, as: UTF8.self) }?.split(
                        separator: "\n", omittingEmptySubsequences: false) ?? []
                reader.error(
                    "duplicate-rule", line: rule.line, column: 5, length: rule.id.count,
                    "duplicate rule id '\(rule.id)'; also defined in \(first.file):\(first.line)")
                log.append(contentsOf: reader.log)
            } else {
                seen[rule.id] = rule
            }
        }
        return rules
    }

    public func loadFile(_ file: String, log: inout DiagnosticLog) -> RuleDefinition? {
        guard let text = RuleText.read(file, "rule file", log: &log) else { return nil }
        var reader = RuleFileReader(file: file, text: text)
        var rule = reader.read()
        rule?.equivalentMutants = reader.equivalentMutants
        log.append(contentsOf: reader.log)
        return reader.log.hasErrors ? nil : rule
    }
}

/// Walks one rule file's YAML tree.
struct RuleFileReader {
    let file: String
    let text: String
    var lines: [Substring]
    var log = DiagnosticLog(cap: 1000)
    /// The rule's `equivalent_mutants:`, read by `read()`.
    var equivalentMutants: [EquivalentMutantDecl] = []

    init(file: String, text: String) {
        self.file = file
        self.text = text
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    static let keys = [
        "id", "title", "description", "severity", "status", "scope", "indicator", "params", "each", "let",
        "when", "key", "escalate", "message", "evidence", "worse_when", "plan", "tests",
    ]

    mutating func error(_ code: String, line: Int, column: Int, length: Int = 1, _ message: String, hint: String? = nil)
    {
        let excerpt = line >= 1 && line <= lines.count ? String(lines[line - 1]) : nil
        log.report(
            Diagnostic(
                .error, code, file: file, line: line, column: column, message, excerpt: excerpt, length: length,
                hint: hint))
    }

    mutating func error(_ node: Node?, _ message: String, code: String = "bad-rule", hint: String? = nil) {
        let length =
            node.flatMap { n -> Int? in if case .scalar(let s) = n { return max(1, s.string.count) } else { return nil }
            } ?? 1
        error(code, line: node?.mark?.line ?? 0, column: node?.mark?.column ?? 0, length: length, message, hint: hint)
    }

    // MARK: - Top level

    mutating func read() -> RuleDefinition? {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                error(
                    "bad-rule", line: 1, column: 1,
                    "the rule file is empty; expected a mapping with id, title, severity, scope, when, message …")
                return nil
            }
            root = node
        } catch let e as YamlError {
            let (line, column, message) = Self.describe(e)
            error("bad-yaml", line: line, column: column, message)
            return nil
        } catch let other {
            self.error("bad-yaml", line: 1, column: 1, "invalid YAML: \(other)")
            return nil
        }
        guard let top = mapping(root, "a rule", keys: Self.keys + Self.mutationKeys) else { return nil }
        let id = string(top, "id", at: root)
        if let id, let node = top["id"]?.value,
            id.range(of: "^[a-z][a-z0-9]*(-[a-z0-9]+)*$", options: .regularExpression) == nil
        {
            error(
                node,
                "rule id '\(id)' is not kebab-case; expected lower-case words joined by '-', like failing-two-subjects")
        }
        let title = string(top, "title", at: root)
        let description = top["description"] == nil ? "" : (string(top, "description", at: root) ?? "")
        let severity: Severity? = enumValue(top, "severity", at: root)
        let status: RuleStatus = top["status"] == nil ? .stable : (enumValue(top, "status", at: root) ?? .stable)
        let scope: RuleScope? = enumValue(top, "scope", at: root)
        let indicator: Indicator? = top["indicator"] == nil ? nil : enumValue(top, "indicator", at: root)
        let params = top["params"].map { parameters($0.value) } ?? []
        var each: (String, SourcedExpr)?
        if let e = top["each"] { each = eachClause(e.value) }
        let lets = top["let"].map { bindings($0.value, what: "let") } ?? []
        let when = top["when"].flatMap { expression($0.value, what: "when") }
        if top["when"] == nil { error(root, "missing key 'when': the condition under which the rule fires") }
        let key = top["key"].flatMap { expression($0.value, what: "key") }
        var escalations: [(Severity, SourcedExpr)] = []
        if let e = top["escalate"] { escalations = escalate(e.value) }
        let message = top["message"].flatMap { template($0.value, what: "message") }
        if top["message"] == nil { error(root, "missing key 'message': the alert's text, with {expressions}") }
        let evidence = top["evidence"].map { bindings($0.value, what: "evidence") } ?? []
        let worse = top["worse_when"].flatMap { worseWhen($0.value) }
        let plan = top["plan"].map { planItems($0.value) } ?? []
        let tests = top["tests"].map { testCases($0.value) } ?? []
        equivalentMutants = top["equivalent_mutants"].map { equivalentMutants($0.value) } ?? []
        guard let id, let title, let severity, let scope, let when, let message else { return nil }
        return RuleDefinition(
            file: file, id: id, line: top["id"]?.value.mark?.line ?? 1, title: title, description: description,
            severity: severity, status: status, scope: scope, indicator: indicator?.rawValue, params: params,
            each: each.map { (variable: $0.0, list: $0.1) }, lets: lets, when: when, key: key,
            escalations: escalations.map { (severity: $0.0, when: $0.1) }, message: message,
            evidence: evidence, worse: worse, plan: plan, tests: tests)
    }

    static func describe(_ error: YamlError) -> (Int, Int, String) {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return (mark.line, mark.column, "invalid YAML: \(problem)")
        default:
            return (1, 1, "invalid YAML: \(error)")
        }
    }

    // MARK: - Nodes

    typealias Fields = [String: (key: Node, value: Node)]

    mutating func mapping(_ node: Node, _ what: String, keys: [String]?) -> Fields? {
        guard case .mapping(let m) = node else {
            error(node, "expected \(what) as a mapping\(keys.map { " with keys " + $0.joined(separator: ", ") } ?? "")")
            return nil
        }
        var out: Fields = [:]
        for (k, v) in m {
            let name = k.string ?? ""
            if let keys, !keys.contains(name) {
                error(
                    k, "unknown key '\(name)' in \(what)", code: "unknown-key",
                    hint: Suggest.closest(name, in: keys).map { "did you mean '\($0)'?" })
                continue
            }
            out[name] = (k, v)
        }
        return out
    }

    mutating func string(_ fields: Fields, _ key: String, at node: Node) -> String? {
        guard let entry = fields[key] else {
            error(node, "missing key '\(key)'")
            return nil
        }
        guard case .scalar(let s) = entry.value, !s.string.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        else {
            error(entry.value, "expected text for '\(key)'")
            return nil
        }
        return s.string.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    mutating func enumValue<E: RawRepresentable & CaseIterable>(_ fields: Fields, _ key: String, at node: Node) -> E?
    where E.RawValue == String {
        guard let text = string(fields, key, at: node) else { return nil }
        if let v = E(rawValue: text) { return v }
        let options = E.allCases.map(\.rawValue)
        error(
            fields[key]?.value, "unknown \(key) '\(text)'; expected one of \(options.joined(separator: ", "))",
            hint: Suggest.closest(text, in: options).map { "did you mean '\($0)'?" })
        return nil
    }

    mutating func integer(_ fields: Fields, _ key: String, at node: Node, range: ClosedRange<Int>) -> Int? {
        guard let entry = fields[key] else {
            error(node, "missing key '\(key)'")
            return nil
        }
        guard let v = entry.value.int, range.contains(v) else {
            error(entry.value, "expected a whole number \(range.lowerBound)…\(range.upperBound) for '\(key)'")
            return nil
        }
        return v
    }

    /// Maps each character of a scalar's value to its place in the file, by walking the file
    /// from the node's mark (quotes, block indicators and indentation are skipped; folded
    /// line breaks match spaces).
    func source(of node: Node) -> ExpressionSource? {
        guard case .scalar(let s) = node, let mark = s.mark else { return nil }
        let value = Array(s.string)
        var line = mark.line
        var column = mark.column
        var positions: [(line: Int, column: Int)] = []
        positions.reserveCapacity(value.count + 1)
        // The characters of the line being walked, read once (indexing a line by offset
        // walks it from the start each time: a long expression took quadratic time).
        var cachedLine = 0
        var chars: [Character] = []
        func char(_ l: Int, _ c: Int) -> Character? {
            guard l >= 1, l <= lines.count else { return nil }
            if l != cachedLine {
                chars = Array(lines[l - 1])
                cachedLine = l
            }
            guard c >= 1, c <= chars.count else { return c == chars.count + 1 ? "\n" : nil }
            return chars[c - 1]
        }
        func advance() {
            if let c = char(line, column), c != "\n" {
                column += 1
            } else {
                line += 1
                column = 1
            }
        }
        if s.style == .literal || s.style == .folded {
            line += 1
            column = 1
        }
        for ch in value {
            var guardSteps = 0
            while let c = char(line, column), guardSteps < 10_000 {
                if c == ch || (ch.isWhitespace && c.isWhitespace) || (ch == "\n" && c == "\n") { break }
                advance()
                guardSteps += 1
            }
            positions.append((line, column))
            advance()
        }
        positions.append(positions.last.map { ($0.line, $0.column + 1) } ?? (mark.line, mark.column))
        return ExpressionSource(file: file, text: s.string, positions: positions, fileLines: lines)
    }

    mutating func report(_ e: ParseError, in source: ExpressionSource) {
        let p = source.position(e.offset)
        error("syntax", line: p.line, column: p.column, length: e.length, e.message)
    }

    mutating func expression(_ node: Node, what: String) -> SourcedExpr? {
        guard case .scalar = node, let src = source(of: node) else {
            error(node, "expected an expression for '\(what)'")
            return nil
        }
        switch Parser.parse(src.text) {
        case .success(let e): return SourcedExpr(expr: e, source: src)
        case .failure(let err):
            report(err, in: src)
            return nil
        }
    }

    mutating func template(_ node: Node, what: String) -> Template? {
        guard case .scalar = node, let src = source(of: node) else {
            error(node, "expected text for '\(what)'")
            return nil
        }
        switch Parser.parseTemplate(src.text) {
        case .success(let pieces):
            // Expression offsets become offsets in the whole template.
            let segments: [Template.Segment] = pieces.map { piece in
                switch piece {
                case .text(let t): return .text(t)
                case .expr(let e, let offset): return .expr(Self.shift(e, by: offset))
                }
            }
            return Template(segments: segments, source: src)
        case .failure(let err):
            report(err, in: src)
            return nil
        }
    }

    /// Re-bases an expression's offsets (templates parse each hole on its own).
    static func shift(_ e: Expr, by d: Int) -> Expr {
        func s(_ x: Expr) -> Expr { shift(x, by: d) }
        let kind: Expr.Kind
        switch e.kind {
        case .member(let t, let n): kind = .member(s(t), n)
        case .call(let f, let args): kind = .call(f, args.map(s))
        case .method(let t, let f, let args): kind = .method(s(t), f, args.map(s))
        case .unary(let op, let x): kind = .unary(op, s(x))
        case .binary(let op, let a, let b): kind = .binary(op, s(a), s(b))
        case .conditional(let c, let a, let b): kind = .conditional(s(c), s(a), s(b))
        case .list(let items): kind = .list(items.map(s))
        default: kind = e.kind
        }
        return Expr(kind, start: e.start + d, end: e.end + d, nameStart: e.nameStart + d)
    }

    mutating func bindings(_ node: Node, what: String) -> [Binding] {
        guard case .mapping(let m) = node else {
            error(node, "expected '\(what)' as a mapping of names to expressions")
            return []
        }
        var out: [Binding] = []
        for (k, v) in m {
            guard let name = k.string, name.range(of: "^[a-z_][a-z0-9_]*$", options: .regularExpression) != nil else {
                error(k, "'\(k.string ?? "")' is not a name; expected lower-case letters, digits and '_'")
                continue
            }
            if out.contains(where: { $0.name == name }) {
                error(k, "'\(name)' is defined twice in '\(what)'")
                continue
            }
            if let e = expression(v, what: "\(what).\(name)") {
                out.append(Binding(name: name, value: e, line: k.mark?.line ?? 0, column: k.mark?.column ?? 0))
            }
        }
        return out
    }

    mutating func eachClause(_ node: Node) -> (String, SourcedExpr)? {
        guard let sourced = expression(node, what: "each") else { return nil }
        // `each: s in pupil.subjects` parses as a membership test: take it apart.
        guard case .binary(.in, let variable, let list) = sourced.expr.kind, case .name(let name) = variable.kind else {
            let p = sourced.source.position(0)
            error(
                "bad-rule", line: p.line, column: p.column, length: sourced.source.text.count,
                "expected 'each: NAME in LIST', for example 'each: s in pupil.subjects'")
            return nil
        }
        return (name, SourcedExpr(expr: list, source: sourced.source))
    }

    mutating func worseWhen(_ node: Node) -> WorseDecl? {
        guard let f = mapping(node, "'worse_when'", keys: ["measure", "text"]) else { return nil }
        let measure = f["measure"].flatMap { expression($0.value, what: "worse_when.measure") }
        if f["measure"] == nil {
            error(node, "missing key 'measure' in 'worse_when': a number that grows as the alert gets worse")
        }
        let text = f["text"].flatMap { template($0.value, what: "worse_when.text") }
        if f["text"] == nil {
            error(node, "missing key 'text' in 'worse_when': what a reopened alert says, with {expressions}")
        }
        guard let measure, let text else { return nil }
        return WorseDecl(measure: measure, text: text)
    }

    mutating func escalate(_ node: Node) -> [(Severity, SourcedExpr)] {
        guard case .sequence(let seq) = node else {
            error(node, "expected 'escalate' as a list of { severity, when }")
            return []
        }
        var out: [(Severity, SourcedExpr)] = []
        for item in seq {
            guard let f = mapping(item, "an escalation", keys: ["severity", "when"]) else { continue }
            let severity: Severity? = enumValue(f, "severity", at: item)
            let when = f["when"].flatMap { expression($0.value, what: "escalate.when") }
            if f["when"] == nil { error(item, "missing key 'when' in an escalation") }
            if let severity, let when { out.append((severity, when)) }
        }
        return out
    }

    mutating func parameters(_ node: Node) -> [ParameterDecl] {
        guard case .mapping(let m) = node else {
            error(node, "expected 'params' as a mapping of parameter names")
            return []
        }
        var out: [ParameterDecl] = []
        for (k, v) in m {
            guard let name = k.string, name.range(of: "^[a-z_][a-z0-9_]*$", options: .regularExpression) != nil else {
                error(k, "'\(k.string ?? "")' is not a parameter name; expected lower-case letters, digits and '_'")
                continue
            }
            var kind: ParameterDecl.Kind?
            var valueNode = v
            var description = ""
            var bounds: [String: (node: Node, value: Double)] = [:]
            if case .mapping = v {
                guard let f = mapping(v, "parameter '\(name)'", keys: ["type", "default", "description", "min", "max"])
                else { continue }
                kind = enumValue(f, "type", at: v)
                guard let d = f["default"]?.value else {
                    error(v, "missing key 'default' for parameter '\(name)'")
                    continue
                }
                valueNode = d
                description = f["description"]?.value.string ?? ""
                for key in ["min", "max"] {
                    guard let n = f[key]?.value else { continue }
                    guard case .scalar(let b) = n, let x = Double(b.string.replacingOccurrences(of: ",", with: ".")),
                        x.isFinite
                    else {
                        error(n, "'\(key)' of parameter '\(name)' must be a number")
                        continue
                    }
                    bounds[key] = (n, x)
                }
            }
            guard case .scalar(let scalar) = valueNode else {
                error(valueNode, "expected a default value")
                continue
            }
            let inferred: ParameterDecl.Kind
            if let kind {
                inferred = kind
            } else if valueNode.int != nil {
                inferred = .int
            } else if valueNode.float != nil {
                inferred = .number
            } else if valueNode.bool != nil && scalar.style == .plain {
                inferred = .bool
            } else {
                inferred = .string
            }
            let decl = ParameterDecl(
                name: name, kind: inferred, defaultValue: .string(""), description: description,
                line: k.mark?.line ?? 0, column: k.mark?.column ?? 0,
                minimum: bounds["min"]?.value, maximum: bounds["max"]?.value)
            if !bounds.isEmpty, inferred != .int && inferred != .number {
                error(
                    bounds["min"]?.node ?? bounds["max"]?.node,
                    "'min' and 'max' bound int and number parameters; '\(name)' is \(inferred.rawValue)")
                continue
            }
            if inferred == .int, let bad = bounds.values.first(where: { $0.value != $0.value.rounded() }) {
                error(bad.node, "parameter '\(name)' is an int; its bounds must be whole numbers")
                continue
            }
            if let lo = bounds["min"], let hi = bounds["max"], lo.value > hi.value {
                error(hi.node, "'max' of parameter '\(name)' is below its 'min'")
                continue
            }
            guard let value = decl.value(from: scalar.string) else {
                error(
                    valueNode,
                    "default '\(scalar.string)' is not a \(inferred == .number ? "finite number" : inferred.rawValue)")
                continue
            }
            guard decl.inRange(value) else {
                error(valueNode, "default \(value) of parameter '\(name)' is outside its range \(decl.rangeText)")
                continue
            }
            var d = decl
            d.defaultValue = value
            out.append(d)
        }
        return out
    }

    mutating func planItems(_ node: Node) -> [PlanItemDecl] {
        guard case .sequence(let seq) = node else {
            error(node, "expected 'plan' as a list of items with action, role, due_days, check")
            return []
        }
        var out: [PlanItemDecl] = []
        for item in seq {
            guard let f = mapping(item, "a plan item", keys: ["action", "role", "due_days", "check", "priority"]) else {
                continue
            }
            let action = f["action"].flatMap { template($0.value, what: "plan.action") }
            if f["action"] == nil { error(item, "missing key 'action' in a plan item") }
            let role = string(f, "role", at: item)
            let due = integer(f, "due_days", at: item, range: 0...365)
            let check = f["check"].flatMap { template($0.value, what: "plan.check") }
            if f["check"] == nil { error(item, "missing key 'check' in a plan item: how progress is checked") }
            let priority = f["priority"] == nil ? 3 : integer(f, "priority", at: item, range: 1...5)
            if let action, let role, let due, let check, let priority {
                out.append(PlanItemDecl(action: action, role: role, dueDays: due, check: check, priority: priority))
            }
        }
        return out
    }

    mutating func testCases(_ node: Node) -> [RuleTestDecl] {
        guard case .sequence(let seq) = node else {
            error(node, "expected 'tests' as a list of test cases")
            return []
        }
        var out: [RuleTestDecl] = []
        for (i, item) in seq.enumerated() {
            guard case .mapping(let m) = item else {
                error(item, "expected a test case as a mapping")
                continue
            }
            checkTestCase(item)
            let name = m["name"]?.string ?? "case \(i + 1)"
            out.append(RuleTestDecl(name: name, line: item.mark?.line ?? 0, node: NodeBox(item), file: file))
        }
        return out
    }
}

/// Keeps a YAML node for later stages without making them import the syntax layer's types.
public final class NodeBox {
    public let node: Node
    init(_ node: Node) { self.node = node }
}

/// "Did you mean …?": the closest candidate by edit distance, if close enough.
public enum Suggest {
    public static func closest(_ word: String, in candidates: [String]) -> String? {
        var best: (String, Int)?
        for c in candidates {
            let d = distance(Array(word.lowercased()), Array(c.lowercased()))
            if d <= max(1, word.count / 3), best == nil || d < best!.1 { best = (c, d) }
        }
        return best?.0
    }

    /// Edit distance counting a swap of neighbours as one edit ("nmae" → "name").
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }
}
