import MayakRules

/// Makes the mutants of a rule: small changes to its `each`, `let`s, `when`, `key` and
/// `escalate` conditions, its `worse_when` measure, its escalations and its parameters'
/// defaults.
///
/// An expression's mutant is its source text with one place changed (spliced at the offsets
/// the parser gives its nodes) and parsed again, so that every mutant has an exact position
/// in the rule file and is the rule a person would get by making that edit.
public enum RuleMutator {
    public static func mutants(of rule: RuleDefinition) -> [Mutant] {
        var out: [Mutant] = []
        let windows = windowParameters(rule)
        for (i, p) in rule.params.enumerated() {
            out += parameterMutants(rule, i, p, window: windows.contains(p.name))
        }
        for site in sites(rule) {
            let edits = ExpressionEdits(site.source.source.text, site.root).edits
            for edit in edits {
                let source = site.source.source
                let p = source.position(edit.offset)
                var m = Mutant(
                    rule: rule.id, file: rule.file, at: site.at, kind: edit.kind, mutation: edit.mutation,
                    line: p.line, column: p.column, length: edit.length, excerpt: line(source.fileLines, p.line))
                m.definition = site.rebuild(rule, splice(source, edit.range, edit.replacement))
                if m.definition == nil { m.problem = "the changed expression does not parse" }
                out.append(m)
            }
        }
        for (i, e) in rule.escalations.enumerated() {
            let source = e.when.source
            let p = source.position(e.when.expr.start)
            var changed = rule
            changed.escalations.remove(at: i)
            out.append(
                Mutant(
                    rule: rule.id, file: rule.file, at: "escalate[\(i + 1)]", kind: .escalation,
                    mutation: "escalation to \(e.severity.rawValue) removed", line: p.line, column: p.column,
                    length: e.when.expr.end - e.when.expr.start, excerpt: line(source.fileLines, p.line),
                    definition: changed))
        }
        // In reading order (stable: the mutants of one place in the order made).
        return out.enumerated().sorted { ($0.1.line, $0.1.column, $0.0) < ($1.1.line, $1.1.column, $1.0) }.map(\.1)
    }

    static func line(_ lines: [Substring], _ n: Int) -> String? {
        lines.indices.contains(n - 1) ? String(lines[n - 1]) : nil
    }

    // MARK: - Expressions

    /// An expression of the rule that mutants change, and how a changed text goes back in.
    struct Site {
        var at: String
        var source: SourcedExpr
        /// The node walked (for `each`, the list after `in`).
        var root: Expr
        var rebuild: (RuleDefinition, ExpressionSource) -> RuleDefinition?
    }

    static func sites(_ rule: RuleDefinition) -> [Site] {
        var sites: [Site] = []
        if let each = rule.each, case .binary(.in, _, let list) = each.list.expr.kind {
            sites.append(
                Site(at: "each", source: each.list, root: list) { rule, source in
                    guard case .success(let e) = Parser.parse(source.text), case .binary(.in, _, let list) = e.kind
                    else { return nil }
                    var r = rule
                    r.each = (each.variable, SourcedExpr(expr: list, source: source))
                    return r
                })
        }
        /// A site whose changed text, parsed, goes back in with `put`.
        func site(
            _ at: String, _ e: SourcedExpr, _ put: @escaping @Sendable (inout RuleDefinition, SourcedExpr) -> Void
        )
            -> Site
        {
            Site(at: at, source: e, root: e.expr) { rule, source in
                guard case .success(let parsed) = Parser.parse(source.text) else { return nil }
                var r = rule
                put(&r, SourcedExpr(expr: parsed, source: source))
                return r
            }
        }
        for (i, b) in rule.lets.enumerated() { sites.append(site("let.\(b.name)", b.value) { $0.lets[i].value = $1 }) }
        sites.append(site("when", rule.when) { $0.when = $1 })
        if let key = rule.key { sites.append(site("key", key) { $0.key = $1 }) }
        for (i, e) in rule.escalations.enumerated() {
            sites.append(site("escalate[\(i + 1)]", e.when) { $0.escalations[i].when = $1 })
        }
        if let worse = rule.worse {
            sites.append(site("worse_when.measure", worse.measure) { $0.worse?.measure = $1 })
        }
        return sites
    }

    /// The source with `range` replaced: positions before and after it stay those of the
    /// file, the replacement stands where the range started.
    static func splice(_ source: ExpressionSource, _ range: Range<Int>, _ replacement: String) -> ExpressionSource {
        let chars = Array(source.text)
        let text = String(chars[..<range.lowerBound]) + replacement + String(chars[range.upperBound...])
        let at = source.position(range.lowerBound)
        let positions =
            Array(source.positions[..<range.lowerBound]) + Array(repeating: at, count: replacement.count)
            + Array(source.positions[min(range.upperBound, source.positions.count)...])
        return ExpressionSource(file: source.file, text: text, positions: positions, fileLines: source.fileLines)
    }

    // MARK: - Parameters

    /// Parameters some expression of the rule passes straight to `last_days`: their defaults
    /// are windows.
    static func windowParameters(_ rule: RuleDefinition) -> Set<String> {
        var names = Set<String>()
        func walk(_ e: Expr) {
            if case .method(_, "last_days", let args) = e.kind, case .name(let n)? = args.first?.kind {
                names.insert(n)
            }
            ExpressionEdits.children(e).forEach(walk)
        }
        var all = [rule.when] + rule.lets.map(\.value) + rule.escalations.map(\.when) + rule.evidence.map(\.value)
        if let k = rule.key { all.append(k) }
        if let e = rule.each { all.append(e.list) }
        for e in all { walk(e.expr) }
        return names
    }

    static func parameterMutants(_ rule: RuleDefinition, _ i: Int, _ p: ParameterDecl, window: Bool) -> [Mutant] {
        guard p.kind == .int || p.kind == .number else { return [] }
        let lines = rule.when.source.fileLines
        let found = defaultText(lines, p)
        let written = found?.text ?? p.defaultValue.description
        return Steps.of(written, whole: p.kind == .int).map { stepped in
            var m = Mutant(
                rule: rule.id, file: rule.file, at: "params.\(p.name)", kind: window ? .window : .constant,
                mutation: "\(window ? "window " : "")default \(written) → \(stepped)", line: p.line,
                column: found?.column ?? p.column, length: found?.text.count ?? p.name.count,
                excerpt: line(lines, p.line))
            if let v = p.value(from: stepped), p.inRange(v) {
                var r = rule
                r.params[i].defaultValue = v
                m.definition = r
            } else {
                m.problem = "default \(stepped) is outside the range \(p.rangeText)"
            }
            return m
        }
    }

    /// Where a parameter's default is written on its line (`min_marks: 3` or
    /// `threshold: { type: number, default: 2.5, … }`): its 1-based column and text.
    static func defaultText(_ lines: [Substring], _ p: ParameterDecl) -> (column: Int, text: String)? {
        guard lines.indices.contains(p.line - 1) else { return nil }
        let chars = Array(lines[p.line - 1])
        var i = p.column - 1 + p.name.count
        func skipSpaces() { while i < chars.count && chars[i] == " " { i += 1 } }
        guard i < chars.count, chars[i] == ":" else { return nil }
        i += 1
        skipSpaces()
        if i < chars.count && chars[i] == "{" {
            let rest = String(chars[i...])
            guard let r = rest.range(of: "default:") else { return nil }
            i += rest.distance(from: rest.startIndex, to: r.upperBound)
            skipSpaces()
        }
        let start = i
        while i < chars.count && !",} #".contains(chars[i]) { i += 1 }
        let text = String(chars[start..<i])
        return text.isEmpty ? nil : (start + 1, text)
    }
}

/// The one-step moves of a number as written: a whole number ±1, a decimal by one unit of
/// its last digit (`2.5` → `2.4`, `2.6`; `1.0` → `0.9`, `1.1`). Down first.
enum Steps {
    static func of(_ written: String, whole: Bool) -> [String] {
        let text = written.replacingOccurrences(of: ",", with: ".")
        if let v = Int(text) {
            return [v.subtractingReportingOverflow(1), v.addingReportingOverflow(1)].compactMap {
                $0.overflow ? nil : String($0.partialValue)
            }
        }
        guard !whole, let dot = text.firstIndex(of: "."), let units = Int(text.replacingOccurrences(of: ".", with: ""))
        else { return [] }
        let scale = text.distance(from: dot, to: text.endIndex) - 1
        return [units - 1, units + 1].map { u in
            var digits = String(u.magnitude)
            if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
            let cut = digits.index(digits.endIndex, offsetBy: -scale)
            return (u < 0 ? "-" : "") + digits[..<cut] + "." + digits[cut...]
        }
    }
}

/// The mutations of one expression: each a range of its text and what replaces it.
struct ExpressionEdits {
    struct Edit {
        var kind: Mutant.Kind
        var mutation: String
        /// Where the caret goes, and how long it is.
        var offset: Int
        var length: Int
        var range: Range<Int>
        var replacement: String
    }

    let chars: [Character]
    /// Each bracket outside text literals → the bracket that closes or opens it.
    let partner: [Int: Int]
    /// Whether each character is inside a text literal.
    let quoted: [Bool]
    private(set) var edits: [Edit] = []

    static let flips: [BinaryOperator: BinaryOperator] = [
        .greaterEqual: .greater, .greater: .greaterEqual, .lessEqual: .less, .less: .lessEqual,
        .equal: .notEqual, .notEqual: .equal,
    ]

    init(_ text: String, _ root: Expr) {
        chars = Array(text)
        var partner: [Int: Int] = [:]
        var quoted = [Bool](repeating: false, count: chars.count)
        var open: [Int] = []
        var quote: Character?
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if let q = quote {
                quoted[i] = true
                if c == "\\" && i + 1 < chars.count {
                    quoted[i + 1] = true
                    i += 1
                } else if c == q {
                    quote = nil
                }
            } else if c == "\"" || c == "'" {
                quote = c
                quoted[i] = true
            } else if c == "(" {
                open.append(i)
            } else if c == ")", let o = open.popLast() {
                partner[o] = i
                partner[i] = o
            }
            i += 1
        }
        self.partner = partner
        self.quoted = quoted
        walk(root, parent: nil)
        edits.sort { $0.offset < $1.offset }
    }

    static func children(_ e: Expr) -> [Expr] {
        switch e.kind {
        case .integer, .number, .string, .bool, .null, .name: return []
        case .member(let t, _): return [t]
        case .call(_, let args): return args
        case .method(let t, _, let args): return [t] + args
        case .unary(_, let x): return [x]
        case .binary(_, let a, let b): return [a, b]
        case .conditional(let c, let a, let b): return [c, a, b]
        case .list(let items): return items
        }
    }

    /// The node's characters, with the brackets its operands open or close before or after
    /// it (the parser's ranges leave out the brackets around an operand: `(a) + b` starts at `a`).
    func balanced(_ e: Expr) -> Range<Int> {
        var lo = e.start
        var hi = e.end
        var changed = true
        while changed {
            changed = false
            for i in lo..<hi where !quoted[i] {
                if chars[i] == ")", let o = partner[i], o < lo {
                    lo = o
                    changed = true
                    break
                }
                if chars[i] == "(", let c = partner[i], c >= hi {
                    hi = c + 1
                    changed = true
                    break
                }
            }
        }
        return lo..<hi
    }

    /// `balanced` with the brackets written around the whole node: `(a or b)`.
    func grouped(_ e: Expr) -> Range<Int> {
        var r = balanced(e)
        while true {
            var lo = r.lowerBound - 1
            while lo >= 0 && chars[lo].isWhitespace { lo -= 1 }
            var hi = r.upperBound
            while hi < chars.count && chars[hi].isWhitespace { hi += 1 }
            guard lo >= 0, hi < chars.count, chars[lo] == "(", !quoted[lo], partner[lo] == hi else { return r }
            r = lo..<(hi + 1)
        }
    }

    /// The text of `range` with its runs of white space as one space.
    func text(_ range: Range<Int>) -> String {
        String(chars[range]).split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    mutating func walk(_ e: Expr, parent: Expr?) {
        switch e.kind {
        case .binary(let op, _, _):
            if let flip = Self.flips[op] {
                let n = op.rawValue.count
                edits.append(
                    Edit(
                        kind: .comparison, mutation: "\(op.rawValue) → \(flip.rawValue) in \(text(balanced(e)))",
                        offset: e.nameStart, length: n, range: e.nameStart..<(e.nameStart + n),
                        replacement: flip.rawValue))
            }
            if op == .and || op == .or, !isSameChain(parent, op, e) { removals(e, op) }
        case .integer, .number:
            let written = String(chars[e.start..<e.end])
            var window = false
            if let parent, case .method(_, "last_days", let args) = parent.kind, args.first === e { window = true }
            var context = written
            if let parent {
                let t = text(balanced(parent))
                if t.count <= 60 { context = t }
            }
            for stepped in Steps.of(written, whole: false) {
                edits.append(
                    Edit(
                        kind: window ? .window : .constant,
                        mutation: "\(window ? "window " : "")\(written) → \(stepped) in \(context)", offset: e.start,
                        length: e.end - e.start, range: e.start..<e.end,
                        replacement: stepped.hasPrefix("-") ? "(\(stepped))" : stepped))
            }
        case .unary(.not, let x):
            let operand = grouped(x)
            edits.append(
                Edit(
                    kind: .negation, mutation: "\(text(balanced(e))) → \(text(operand))", offset: e.start,
                    length: chars[e.start] == "!" ? 1 : 3, range: e.start..<operand.lowerBound, replacement: ""))
        default: break
        }
        for child in Self.children(e) { walk(child, parent: e) }
    }

    /// Whether `e` is the left operand of an operator `op` above it: part of that chain.
    func isSameChain(_ parent: Expr?, _ op: BinaryOperator, _ e: Expr) -> Bool {
        guard let parent, case .binary(op, let left, _) = parent.kind else { return false }
        return left === e
    }

    /// One mutant per operand of the chain `a op b op c …`: that operand left out.
    mutating func removals(_ chain: Expr, _ op: BinaryOperator) {
        var operands: [Expr] = []
        var e = chain
        while case .binary(op, let left, let right) = e.kind {
            operands.insert(right, at: 0)
            e = left
        }
        operands.insert(e, at: 0)
        let extents = operands.map(grouped)
        for (i, operand) in operands.enumerated() {
            let range =
                i + 1 < operands.count
                ? extents[i].lowerBound..<extents[i + 1].lowerBound
                : extents[i - 1].upperBound..<extents[i].upperBound
            let shown = balanced(operand)
            edits.append(
                Edit(
                    kind: op == .and ? .conjunct : .disjunct,
                    mutation: "\(op == .and ? "conjunct" : "disjunct") removed: \(text(shown))",
                    offset: shown.lowerBound, length: shown.count, range: range, replacement: ""))
        }
    }
}
