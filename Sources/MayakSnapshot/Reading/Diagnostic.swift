/// One problem found in an input file, positioned like a compiler's message:
/// `marks.csv:12:18: error: unknown mark token 'б5'; expected 1–5, н/а, осв, зач, незач …`.
public struct Diagnostic: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Sendable, Comparable {
        case warning, error
        public static func < (a: Severity, b: Severity) -> Bool { a == .warning && b == .error }
    }

    public var severity: Severity
    /// A stable, machine-readable code such as `unknown-mark` (documented in docs/snapshot-format.md).
    public var code: String
    /// The file as the user named it (relative to the snapshot folder's parent where possible).
    public var file: String
    /// 1-based; 0 when the problem concerns the whole file.
    public var line: Int
    /// 1-based, counted in characters; 0 when the problem concerns the whole line or file.
    public var column: Int
    public var message: String
    /// The source line the diagnostic points into, shown under the message with a caret.
    public var excerpt: String?
    /// How many characters the caret underlines (at least one).
    public var length: Int
    /// A suggestion shown after the excerpt ("did you mean 'weight'?").
    public var hint: String?

    public init(
        _ severity: Severity, _ code: String, file: String, line: Int = 0, column: Int = 0, _ message: String,
        excerpt: String? = nil, length: Int = 1, hint: String? = nil
    ) {
        self.severity = severity
        self.code = code
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.excerpt = excerpt
        self.length = length
        self.hint = hint
    }

    public var description: String {
        var position = file
        if line > 0 { position += ":\(line)" }
        if column > 0 { position += ":\(column)" }
        var text = "\(position): \(severity.rawValue): \(message)"
        if let excerpt, column > 0 {
            let line = excerpt.replacingTabs()
            text +=
                "\n    " + line + "\n    " + String(repeating: " ", count: column - 1) + "^"
                + String(repeating: "~", count: max(0, min(length, line.count - column + 1) - 1))
        }
        if let hint { text += "\n    note: " + hint }
        return text
    }
}

/// Collects the diagnostics of one load: all of them up to a cap, with counts beyond it.
///
/// A load reports everything it finds rather than stopping at the first problem, so that a
/// deputy head fixing an export sees every broken row in one pass.
public struct DiagnosticLog: Sendable {
    public private(set) var diagnostics: [Diagnostic] = []
    public private(set) var errorCount = 0
    public private(set) var warningCount = 0
    /// Diagnostics found but not kept because the cap was reached.
    public private(set) var suppressed = 0
    public let cap: Int

    public init(cap: Int = 200) { self.cap = cap }

    public var hasErrors: Bool { errorCount > 0 }

    public func contains(code: String, file: String) -> Bool {
        diagnostics.contains { $0.code == code && $0.file == file }
    }

    /// Drops the diagnostics of one code and severity in one file (counts included).
    mutating func remove(_ severity: Diagnostic.Severity, code: String, file: String) {
        func matches(_ d: Diagnostic) -> Bool { d.severity == severity && d.code == code && d.file == file }
        let n = diagnostics.filter(matches).count
        if severity == .error { errorCount -= n } else { warningCount -= n }
        diagnostics.removeAll(where: matches)
    }

    public mutating func report(_ diagnostic: Diagnostic) {
        if diagnostic.severity == .error { errorCount += 1 } else { warningCount += 1 }
        if diagnostics.count < cap { diagnostics.append(diagnostic) } else { suppressed += 1 }
    }

    public mutating func error(_ code: String, file: String, line: Int = 0, column: Int = 0, _ message: String) {
        report(Diagnostic(.error, code, file: file, line: line, column: column, message))
    }

    public mutating func warning(_ code: String, file: String, line: Int = 0, column: Int = 0, _ message: String) {
        report(Diagnostic(.warning, code, file: file, line: line, column: column, message))
    }

    public mutating func append(contentsOf other: DiagnosticLog) {
        for d in other.diagnostics { report(d) }
        suppressed += other.suppressed
        // Counts of suppressed diagnostics carry over by severity as best known.
        errorCount += other.errorCount - other.diagnostics.filter { $0.severity == .error }.count
        warningCount += other.warningCount - other.diagnostics.filter { $0.severity == .warning }.count
    }

    /// The same log with the lines of `file` moved down by `lines` (a table read in chunks
    /// numbers each chunk's lines from 1).
    public func shiftingLines(by lines: Int, in file: String) -> DiagnosticLog {
        var out = self
        out.diagnostics = diagnostics.map { d in
            var d = d
            if d.file == file && d.line > 0 { d.line += lines }
            return d
        }
        return out
    }

    /// Diagnostics in reading order: files in the order they were read (a snapshot's tables
    /// load in dependency order, so root causes come first), then by line and column.
    public var sorted: [Diagnostic] {
        var fileOrder: [String: Int] = [:]
        for d in diagnostics where fileOrder[d.file] == nil { fileOrder[d.file] = fileOrder.count }
        return diagnostics.sorted {
            (fileOrder[$0.file]!, $0.line, $0.column) < (fileOrder[$1.file]!, $1.line, $1.column)
        }
    }

    /// Diagnostics by position: file name, then line, then column (for rule packs, whose
    /// files are checked in several passes).
    public var sortedByPosition: [Diagnostic] {
        diagnostics.sorted { ($0.file, $0.line, $0.column) < ($1.file, $1.line, $1.column) }
    }

    /// The rendered report: one line per diagnostic, then a count.
    public func rendered(byPosition: Bool = false) -> String {
        var out = (byPosition ? sortedByPosition : sorted).map(\.description).joined(separator: "\n")
        if suppressed > 0 { out += "\nnote: \(suppressed) more problems not shown (raise --max-problems to see them)" }
        if !diagnostics.isEmpty {
            out +=
                "\n\(errorCount) error\(errorCount == 1 ? "" : "s"), \(warningCount) warning\(warningCount == 1 ? "" : "s")"
        }
        return out
    }
}

/// A load that found errors: no snapshot, only the log.
public struct SnapshotLoadError: Error, Sendable {
    public var log: DiagnosticLog
    public init(log: DiagnosticLog) { self.log = log }
}

extension String {
    fileprivate func replacingTabs() -> String { String(map { $0 == "\t" ? " " : $0 }) }
}
