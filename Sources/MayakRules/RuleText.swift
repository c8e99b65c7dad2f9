import Foundation
import MayakBuiltIn
import MayakFiles
import MayakSnapshot

/// The text of a rule file or an overrides file: a regular file (a pipe or a device is
/// refused by name, never waited on), at most `maxBytes` long, in UTF-8.
enum RuleText {
    /// 1 MiB: a rule file is a page of YAML; the 14 core rules are 2–5 KB each.
    static let maxBytes = 1 << 20

    /// The file's text, or nil with an error in `log` naming the file and what was expected.
    /// A `builtin:` path is read from the files built into the program.
    static func read(_ file: String, _ what: String, log: inout DiagnosticLog) -> String? {
        if BuiltIn.names(file) {
            if let text = BuiltIn.ruleFile(file) { return text }
            log.error(
                "missing-file", file: file,
                "no such built-in \(what); built in: \(BuiltIn.ruleFiles(under: BuiltIn.scheme).joined(separator: ", "))"
            )
            return nil
        }
        switch InputFile.contents(of: file, atMost: maxBytes) {
        case .failure(.absent):
            log.error("missing-file", file: file, "no such \(what)")
        case .failure(.refused(let why)):
            log.error("unreadable-file", file: file, "the \(what) \(why)")
        case .failure(.tooLarge(let size)):
            log.error(
                "file-too-large", file: file,
                "the \(what) is \(size) bytes or more; expected at most 1 MiB (\(maxBytes) bytes)")
        case .success(let bytes):
            guard let bad = firstInvalidByte(bytes) else { return String(decoding: bytes, as: UTF8.self) }
            let line = bytes[..<bad].reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
            let lineStart = bytes[..<bad].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
            log.error(
                "bad-encoding", file: file, line: line, column: bad - lineStart + 1,
                "byte 0x\(String(bytes[bad], radix: 16, uppercase: true)) is not UTF-8; expected the \(what) in UTF-8 (save it again as UTF-8)"
            )
        }
        return nil
    }

    /// The offset of the first byte that is not part of valid UTF-8; nil when all are.
    static func firstInvalidByte(_ bytes: [UInt8]) -> Int? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }
}
