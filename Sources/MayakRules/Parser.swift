/// A syntax error in an expression, at a character offset.
public struct ParseError: Error, Sendable {
    public var offset: Int
    public var length: Int
    public var message: String
}

/// Reads the expression language: a small, CEL-like grammar.
///
/// ```
/// expr        = conditional
/// conditional = coalesce [ "?" expr ":" expr ]
/// coalesce    = or { "??" or }
/// or          = and { ("or" | "||") and }
/// and         = not { ("and" | "&&") not }
/// not         = ("not" | "!") not | comparison
/// comparison  = additive [ ("==" | "!=" | "<" | "<=" | ">" | ">=" | "in") additive ]
/// additive    = term { ("+" | "-") term }
/// term        = unary { ("*" | "/" | "%") unary }
/// unary       = "-" unary | postfix
/// postfix     = primary { "." name [ "(" args ")" ] }
/// primary     = number | string | "true" | "false" | "null" | name [ "(" args ")" ]
///             | "(" expr ")" | "[" [ expr { "," expr } ] "]"
/// ```
///
/// Nesting is bounded (`maxDepth`): brackets, `not`, `-` and `? :` inside one another, and
/// the tree a long chain of operators builds (`a and b and …`, `x + y + …`, `a.b.c…`), so
/// that no input can exhaust the stack of the parser or of what walks the tree after it.
public struct Parser {
    /// The deepest an expression may nest (see docs/rule-language.md).
    public static let maxDepth = 200
    /// The longest an expression or a message template may be, in bytes of UTF-8 (see
    /// docs/rule-language.md); the core rules' longest is under 400.
    public static let maxLength = 65_536

    enum Token: Equatable {
        case integer(Int)
        case number(Double)
        case string(String)
        case name(String)
        case symbol(String)
        case end
    }

    struct Lexeme {
        var token: Token
        var start: Int
        var end: Int
    }

    private let chars: [Character]
    private var lexemes: [Lexeme] = []
    private var index = 0
    /// How many of `expression`, `not` and `unary` are open.
    private var nesting = 0

    /// Parses a whole expression.
    public static func parse(_ text: String) -> Result<Expr, ParseError> {
        if let tooLong = tooLong(text, "expression") { return .failure(tooLong) }
        var p = Parser(text)
        do {
            try p.tokenize()
            let e = try p.expression()
            guard case .end = p.current.token else {
                throw ParseError(
                    offset: p.current.start, length: max(1, p.current.end - p.current.start),
                    message: "unexpected \(p.describe(p.current.token)) after the end of the expression")
            }
            return .success(e)
        } catch let e as ParseError {
            return .failure(e)
        } catch {
            return .failure(ParseError(offset: 0, length: 1, message: "\(error)"))
        }
    }

    /// Parses a template: text with `{expression}` holes.
    public static func parseTemplate(_ text: String) -> Result<[TemplatePiece], ParseError> {
        if let tooLong = tooLong(text, "text") { return .failure(tooLong) }
        let chars = Array(text)
        var pieces: [TemplatePiece] = []
        var literal = ""
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "{" && i + 1 < chars.count && chars[i + 1] == "{" {
                literal.append("{")
                i += 2
                continue
            }
            if c == "}" && i + 1 < chars.count && chars[i + 1] == "}" {
                literal.append("}")
                i += 2
                continue
            }
            if c == "}" {
                return .failure(
                    ParseError(offset: i, length: 1, message: "unmatched '}' in the text; write '}}' for a brace"))
            }
            if c == "{" {
                // Find the matching brace, skipping string literals.
                var j = i + 1
                var depth = 1
                var quote: Character?
                while j < chars.count {
                    let d = chars[j]
                    if let q = quote {
                        if d == "\\" { j += 1 } else if d == q { quote = nil }
                    } else if d == "\"" || d == "'" {
                        quote = d
                    } else if d == "{" {
                        depth += 1
                    } else if d == "}" {
                        depth -= 1
                        if depth == 0 { break }
                    }
                    j += 1
                }
                guard j < chars.count else {
                    return .failure(
                        ParseError(
                            offset: i, length: 1, message: "unclosed '{' in the text; expected '}' after the expression"
                        ))
                }
                if !literal.isEmpty {
                    pieces.append(.text(literal))
                    literal = ""
                }
                let inner = String(chars[(i + 1)..<j])
                switch parse(inner) {
                case .success(let e): pieces.append(.expr(e, offset: i + 1))
                case .failure(var err):
                    err.offset += i + 1
                    return .failure(err)
                }
                i = j + 1
                continue
            }
            literal.append(c)
            i += 1
        }
        if !literal.isEmpty { pieces.append(.text(literal)) }
        return .success(pieces)
    }

    public enum TemplatePiece {
        case text(String)
        /// An expression whose offsets are relative to `offset` in the template.
        case expr(Expr, offset: Int)
    }

    init(_ text: String) { chars = Array(text) }

    var current: Lexeme { lexemes[index] }

    func describe(_ t: Token) -> String {
        switch t {
        case .integer(let v): return "number \(v)"
        case .number(let v): return "number \(v)"
        case .string: return "text"
        case .name(let n): return "'\(n)'"
        case .symbol(let s): return "'\(s)'"
        case .end: return "end of the expression"
        }
    }

    // MARK: - Lexer

    mutating func tokenize() throws {
        var i = 0
        let n = chars.count
        while i < n {
            let c = chars[i]
            if c == " " || c == "\t" || c == "\n" || c == "\r" {
                i += 1
                continue
            }
            let start = i
            if c.isASCII && (c.isLetter || c == "_") {
                while i < n && chars[i].isASCII && (chars[i].isLetter || chars[i].isNumber || chars[i] == "_") {
                    i += 1
                }
                lexemes.append(Lexeme(token: .name(String(chars[start..<i])), start: start, end: i))
                continue
            }
            if c.isLetter {
                throw ParseError(
                    offset: i, length: 1,
                    message: "unexpected '\(c)'; names are written in Latin letters, and text goes in quotes: \"…\"")
            }
            if c.isASCII && c.isNumber {
                while i < n && chars[i].isASCII && chars[i].isNumber { i += 1 }
                var isDecimal = false
                if i + 1 < n && chars[i] == "." && chars[i + 1].isASCII && chars[i + 1].isNumber {
                    isDecimal = true
                    i += 1
                    while i < n && chars[i].isASCII && chars[i].isNumber { i += 1 }
                }
                let text = String(chars[start..<i])
                if isDecimal {
                    guard let d = Double(text), d.isFinite else {
                        throw ParseError(offset: start, length: i - start, message: "number \(text) is too large")
                    }
                    lexemes.append(Lexeme(token: .number(d), start: start, end: i))
                } else if let v = Int(text) {
                    lexemes.append(Lexeme(token: .integer(v), start: start, end: i))
                } else {
                    throw ParseError(offset: start, length: i - start, message: "number \(text) is too large")
                }
                continue
            }
            if c == "\"" || c == "'" {
                i += 1
                var value = ""
                var closed = false
                while i < n {
                    let d = chars[i]
                    if d == "\\" && i + 1 < n {
                        let e = chars[i + 1]
                        switch e {
                        case "n": value.append("\n")
                        case "t": value.append("\t")
                        default: value.append(e)
                        }
                        i += 2
                        continue
                    }
                    if d == c {
                        closed = true
                        i += 1
                        break
                    }
                    value.append(d)
                    i += 1
                }
                if !closed {
                    throw ParseError(offset: start, length: 1, message: "unterminated text; expected a closing \(c)")
                }
                lexemes.append(Lexeme(token: .string(value), start: start, end: i))
                continue
            }
            let two = i + 1 < n ? String(chars[i...(i + 1)]) : ""
            if ["==", "!=", "<=", ">=", "&&", "||", "??"].contains(two) {
                lexemes.append(Lexeme(token: .symbol(two), start: i, end: i + 2))
                i += 2
                continue
            }
            if "+-*/%<>!?:.,()[]".contains(c) {
                lexemes.append(Lexeme(token: .symbol(String(c)), start: i, end: i + 1))
                i += 1
                continue
            }
            if c == "=" {
                throw ParseError(offset: i, length: 1, message: "unexpected '='; compare with '=='")
            }
            throw ParseError(offset: i, length: 1, message: "unexpected character '\(c)'")
        }
        lexemes.append(Lexeme(token: .end, start: n, end: n))
    }

    // MARK: - Grammar

    mutating func advance() -> Lexeme {
        let l = lexemes[index]
        if index < lexemes.count - 1 { index += 1 }
        return l
    }

    func isSymbol(_ s: String) -> Bool { current.token == .symbol(s) }
    func isName(_ s: String) -> Bool { current.token == .name(s) }

    mutating func expect(_ s: String, _ context: String) throws -> Lexeme {
        guard isSymbol(s) else {
            throw ParseError(
                offset: current.start, length: max(1, current.end - current.start),
                message: "expected '\(s)' \(context), found \(describe(current.token))")
        }
        return advance()
    }

    /// Opens one more level of nesting; an error past `maxDepth`, at the current token.
    mutating func enter() throws {
        nesting += 1
        if nesting > Parser.maxDepth { throw tooDeep(at: current) }
    }

    /// An error at the start of a text longer than `maxLength`; nil for one within it.
    static func tooLong(_ text: String, _ what: String) -> ParseError? {
        let bytes = text.utf8.count
        guard bytes > maxLength else { return nil }
        return ParseError(
            offset: 0, length: 1,
            message:
                "the \(what) is \(bytes) bytes long; expected at most \(maxLength) — split it into named parts with 'let'"
        )
    }

    func tooDeep(at l: Lexeme) -> ParseError {
        ParseError(
            offset: l.start, length: max(1, l.end - l.start),
            message:
                "the expression nests more than \(Parser.maxDepth) levels deep; split it into named parts with 'let'")
    }

    /// A node built by an operator (`op`), checked against `maxDepth`: chains of operators
    /// deepen the tree without the parser's recursion.
    func node(_ kind: Expr.Kind, start: Int, end: Int, nameStart: Int? = nil, at op: Lexeme) throws -> Expr {
        let e = Expr(kind, start: start, end: end, nameStart: nameStart)
        if e.depth > Parser.maxDepth { throw tooDeep(at: op) }
        return e
    }

    mutating func expression() throws -> Expr {
        try enter()
        defer { nesting -= 1 }
        let condition = try coalesce()
        guard isSymbol("?") else { return condition }
        let op = advance()
        let then = try expression()
        _ = try expect(":", "between the branches of '? :'")
        let otherwise = try expression()
        return try node(.conditional(condition, then, otherwise), start: condition.start, end: otherwise.end, at: op)
    }

    mutating func coalesce() throws -> Expr {
        var left = try or()
        while isSymbol("??") {
            let op = advance()
            let right = try or()
            left = try node(.binary(.coalesce, left, right), start: left.start, end: right.end, at: op)
        }
        return left
    }

    mutating func or() throws -> Expr {
        var left = try and()
        while isName("or") || isSymbol("||") {
            let op = advance()
            let right = try and()
            left = try node(.binary(.or, left, right), start: left.start, end: right.end, at: op)
        }
        return left
    }

    mutating func and() throws -> Expr {
        var left = try not()
        while isName("and") || isSymbol("&&") {
            let op = advance()
            let right = try not()
            left = try node(.binary(.and, left, right), start: left.start, end: right.end, at: op)
        }
        return left
    }

    mutating func not() throws -> Expr {
        if isName("not") || isSymbol("!") {
            try enter()
            defer { nesting -= 1 }
            let op = advance()
            let operand = try not()
            return try node(.unary(.not, operand), start: op.start, end: operand.end, at: op)
        }
        return try comparison()
    }

    mutating func comparison() throws -> Expr {
        let left = try additive()
        let ops: [String: BinaryOperator] = [
            "==": .equal, "!=": .notEqual, "<": .less, "<=": .lessEqual, ">": .greater, ">=": .greaterEqual,
        ]
        var op: BinaryOperator?
        if case .symbol(let s) = current.token { op = ops[s] }
        if isName("in") { op = .in }
        guard let op else { return left }
        let opLexeme = advance()
        let right = try additive()
        if case .symbol(let s) = current.token, ops[s] != nil {
            throw ParseError(
                offset: current.start, length: current.end - current.start,
                message: "comparisons do not chain; join them with 'and'")
        }
        return try node(
            .binary(op, left, right), start: left.start, end: right.end, nameStart: opLexeme.start, at: opLexeme)
    }

    mutating func additive() throws -> Expr {
        var left = try term()
        while isSymbol("+") || isSymbol("-") {
            let opLexeme = advance()
            let op: BinaryOperator = opLexeme.token == .symbol("+") ? .add : .subtract
            let right = try term()
            left = try node(.binary(op, left, right), start: left.start, end: right.end, at: opLexeme)
        }
        return left
    }

    mutating func term() throws -> Expr {
        var left = try unary()
        while isSymbol("*") || isSymbol("/") || isSymbol("%") {
            let opLexeme = advance()
            let t = opLexeme.token
            let op: BinaryOperator = t == .symbol("*") ? .multiply : (t == .symbol("/") ? .divide : .remainder)
            let right = try unary()
            left = try node(.binary(op, left, right), start: left.start, end: right.end, at: opLexeme)
        }
        return left
    }

    mutating func unary() throws -> Expr {
        if isSymbol("-") {
            try enter()
            defer { nesting -= 1 }
            let op = advance()
            let operand = try unary()
            return try node(.unary(.negate, operand), start: op.start, end: operand.end, at: op)
        }
        return try postfix()
    }

    mutating func arguments() throws -> [Expr] {
        _ = try expect("(", "to open the arguments")
        var args: [Expr] = []
        if !isSymbol(")") {
            args.append(try expression())
            while isSymbol(",") {
                _ = advance()
                args.append(try expression())
            }
        }
        _ = try expect(")", "to close the arguments")
        return args
    }

    mutating func postfix() throws -> Expr {
        var e = try primary()
        while isSymbol(".") {
            let dot = advance()
            guard case .name(let name) = current.token else {
                throw ParseError(
                    offset: current.start, length: max(1, current.end - current.start),
                    message: "expected a field or method name after '.', found \(describe(current.token))")
            }
            let nameLexeme = advance()
            if isSymbol("(") {
                let args = try arguments()
                e = try node(
                    .method(e, name, args), start: e.start, end: lexemes[index - 1].end, nameStart: nameLexeme.start,
                    at: dot)
            } else {
                e = try node(
                    .member(e, name), start: e.start, end: nameLexeme.end, nameStart: nameLexeme.start, at: dot)
            }
        }
        return e
    }

    mutating func primary() throws -> Expr {
        let l = current
        switch l.token {
        case .integer(let v):
            _ = advance()
            return Expr(.integer(v), start: l.start, end: l.end)
        case .number(let v):
            _ = advance()
            return Expr(.number(v), start: l.start, end: l.end)
        case .string(let s):
            _ = advance()
            return Expr(.string(s), start: l.start, end: l.end)
        case .name(let n):
            _ = advance()
            switch n {
            case "true": return Expr(.bool(true), start: l.start, end: l.end)
            case "false": return Expr(.bool(false), start: l.start, end: l.end)
            case "null": return Expr(.null, start: l.start, end: l.end)
            case "and", "or", "not", "in":
                throw ParseError(
                    offset: l.start, length: l.end - l.start, message: "expected a value, found the keyword '\(n)'")
            default: break
            }
            if isSymbol("(") {
                let args = try arguments()
                return try node(.call(n, args), start: l.start, end: lexemes[index - 1].end, at: l)
            }
            return Expr(.name(n), start: l.start, end: l.end)
        case .symbol("("):
            _ = advance()
            let e = try expression()
            _ = try expect(")", "to close '('")
            return e
        case .symbol("["):
            _ = advance()
            var items: [Expr] = []
            if !isSymbol("]") {
                items.append(try expression())
                while isSymbol(",") {
                    _ = advance()
                    items.append(try expression())
                }
            }
            let close = try expect("]", "to close the list")
            return try node(.list(items), start: l.start, end: close.end, at: l)
        default:
            throw ParseError(
                offset: l.start, length: max(1, l.end - l.start),
                message: "expected a value, found \(describe(l.token))")
        }
    }
}
