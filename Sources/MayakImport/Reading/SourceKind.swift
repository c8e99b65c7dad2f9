/// What a source file is, told from its first bytes — never from its name: СГО saves HTML
/// under an `.xls` name, and a school's «.xls» may be a CSV or an XLSX renamed.
public enum SourceKind: String, Sendable, CaseIterable {
    /// Office Open XML (a ZIP: `PK\u{3}\u{4}`).
    case xlsx
    /// Excel 97–2003 binary (BIFF in an OLE2 compound file: `D0 CF 11 E0 A1 B1 1A E1`).
    case xls
    /// An HTML page (after an optional byte-order mark and spaces, `<`).
    case html
    /// Anything else that is text: delimited values.
    case csv

    /// The kind of a file from its first bytes (the first 4 KiB are plenty).
    public static func detect(_ head: [UInt8]) -> SourceKind {
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return .xlsx }
        if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return .xls }
        var i = head.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while i < head.count, [0x20, 0x09, 0x0A, 0x0D].contains(head[i]) { i += 1 }
        if i < head.count, head[i] == UInt8(ascii: "<") { return .html }
        return .csv
    }

    /// As the user would name it.
    public var title: String {
        switch self {
        case .xlsx: return "XLSX"
        case .xls: return "Excel 97–2003 (BIFF)"
        case .html: return "HTML"
        case .csv: return "CSV"
        }
    }
}

/// A problem with a source file as a whole or with one cell: `location: ошибка: message`.
public struct ImportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `file`, `file:sheet!D14` or `file:12:5`.
    public var location: String
    public var message: String

    public init(_ location: String, _ message: String) {
        self.location = location
        self.message = message
    }

    public var description: String { "\(location): \(ImportText.severity("error")): \(message)" }
}
