import Foundation
import MayakSnapshot
import MayakTestSupport
import Testing

@testable import MayakRules

#if canImport(Glibc)
    import Glibc
#endif

/// A rule file or an overrides file is a regular file of at most 1 MiB in UTF-8, and an
/// expression or a message at most `Parser.maxLength` bytes: anything else is an error naming
/// the file, never a hang on a pipe, an unbounded read or a silent skip.
@Suite struct RuleInputLimitTests {
    func load(_ setUp: (String) throws -> Void) rethrows -> [String] {
        let dir = TemporaryFolders.fresh("rule-input")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("r.yaml").path
        try setUp(file)
        var log = DiagnosticLog()
        let rule = RuleLoader().loadFile(file, log: &log)
        #expect(rule == nil || !log.hasErrors)
        return log.sorted.map { "\($0.line):\($0.column): \($0.code): \($0.message)" }
    }

    func rule(when: String, message: String = "m") -> String {
        "id: t\ntitle: t\nseverity: low\nscope: pupil\nwhen: \(when)\nmessage: \(message)\n"
    }

    @Test func aPipeOrADeviceIsRefusedWithoutBeingRead() throws {
        let fifo = load { #expect(mkfifo($0, 0o600) == 0) }
        #expect(
            fifo == ["0:0: unreadable-file: the rule file is a named pipe (FIFO), not a regular file; it is not read"])
        let device = load { #expect(symlink("/dev/zero", $0) == 0) }
        #expect(device == ["0:0: unreadable-file: the rule file is a device, not a regular file; it is not read"])
        let missing = load { _ in }
        #expect(missing == ["0:0: missing-file: no such rule file"])
    }

    @Test func aFileOverOneMebibyteIsRefused() throws {
        let big = try load { file in
            let filler = "# " + String(repeating: "x", count: 1022) + "\n"
            try Data((rule(when: "true") + String(repeating: filler, count: 1025)).utf8).write(
                to: URL(fileURLWithPath: file))
        }
        #expect(big.count == 1)
        #expect(big.first?.hasPrefix("0:0: file-too-large: the rule file is 10") == true)
        #expect(big.first?.hasSuffix("bytes or more; expected at most 1 MiB (1048576 bytes)") == true)
    }

    @Test func anExpressionOrAMessageOverTheLimitIsAPositionedError() throws {
        let long = Array(repeating: "pupil.grade > 1", count: 5_000).joined(separator: " or ")
        #expect(long.utf8.count > Parser.maxLength)
        let expression = try load { try Data(rule(when: long).utf8).write(to: URL(fileURLWithPath: $0)) }
        #expect(
            expression == [
                "5:7: syntax: the expression is \(long.utf8.count) bytes long; expected at most 65536 — split it into named parts with 'let'"
            ])
        let text = String(repeating: "ы", count: 40_000)
        let message = try load { try Data(rule(when: "true", message: text).utf8).write(to: URL(fileURLWithPath: $0)) }
        #expect(
            message == [
                "6:10: syntax: the text is 80000 bytes long; expected at most 65536 — split it into named parts with 'let'"
            ])
        // Just within the limit, it loads (the parser is linear in the length).
        let within = "pupil.grade in [" + (1...10_000).map(String.init).joined(separator: ", ") + "]"
        #expect(within.utf8.count > 48_000 && within.utf8.count < Parser.maxLength)
        #expect(try load { try Data(rule(when: within).utf8).write(to: URL(fileURLWithPath: $0)) } == [])
    }
}
