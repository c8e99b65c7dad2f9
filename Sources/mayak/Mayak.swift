import ArgumentParser
import Foundation
import MayakBuiltIn
import MayakFiles
import MayakSnapshot

@main
struct Mayak: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mayak",
        abstract: Help.Mayak.abstract,
        discussion: Help.Mayak.discussion,
        version: Help.Mayak.version(Mayak.version, rules: BuiltIn.rulesVersion),
        subcommands: [
            Demo.self, Check.self, Import.self, Scan.self, Runs.self, Alerts.self, Plans.self, Diff.self, Explain.self,
            Report.self,
            Rules.self, TestRules.self, Generate.self, Validate.self, Users.self, Serve.self, ReadXLS.self,
        ]
    )

    /// The program's version (the rule pack built in has its own, in rules/VERSION).
    static let version = "0.16.0"

    /// As ArgumentParser's, after routing stop signals to the cleanup of temporary files
    /// (first, before any other thread exists: see `TemporaryFiles.interceptSignals`), and
    /// with its help screens and usage errors in Russian (`finish`).
    static func main() {
        TemporaryFiles.interceptSignals()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            finish(error)
        }
    }

    /// Ends the program as ArgumentParser's `exit(withError:)` would, in Russian: help, the
    /// version and `help` on standard output with 0; an error's message on standard error, a
    /// usage error with 1 (not ArgumentParser's 64: every failure of ours is 1), an `ExitCode`
    /// with its own code.
    static func finish(_ error: any Error) -> Never {
        let code = exitCode(for: error)
        let full = fullMessage(for: error, columns: ParserOutput.unwrapped)
        if code == .success {
            if !full.isEmpty { print(ParserOutput.cleanText(full, width: ParserOutput.width)) }
            Foundation.exit(ExitCode.success.rawValue)
        }
        if !full.isEmpty { Terminal.error(ParserOutput.errorText(full, message: message(for: error))) }
        Foundation.exit(code == .validationFailure ? ExitCode.failure.rawValue : code.rawValue)
    }
}

/// Options for reading a snapshot, shared by every command that loads one.
struct SnapshotOptions: ParsableArguments {
    @Argument(help: Help.Snapshot.folder)
    var snapshot: String

    @Option(help: Help.Snapshot.encoding)
    var encoding: TextEncoding = .auto

    @Option(help: Help.Snapshot.separator)
    var separator: FieldSeparator = .auto

    @Option(help: Help.Snapshot.maxProblems)
    var maxProblems: Int = 200

    @Flag(help: Help.Snapshot.noCache)
    var noCache = false

    /// Loads the snapshot (through the binary cache unless --no-cache), printing warnings; on
    /// errors prints them all and exits with 1.
    func load() throws -> Snapshot {
        try SnapshotOptions.load(
            snapshot, encoding: encoding, separator: separator, maxProblems: maxProblems, useCache: !noCache)
    }

    static func load(
        _ snapshot: String, encoding: TextEncoding = .auto, separator: FieldSeparator = .auto, maxProblems: Int = 200,
        useCache: Bool = true
    ) throws -> Snapshot {
        let options = SnapshotLoader.Options(encoding: encoding, separator: separator, maxProblems: maxProblems)
        do {
            let (snapshot, warnings, _) = try SnapshotCache.load(folder: snapshot, options: options, useCache: useCache)
            if !warnings.diagnostics.isEmpty { Terminal.error(warnings.rendered()) }
            return snapshot
        } catch {
            Terminal.error(error.log.rendered())
            throw ExitCode.failure
        }
    }
}

extension TextEncoding: ExpressibleByArgument {}
extension FieldSeparator: ExpressibleByArgument {}

/// What the CLI prints: control characters from data are escaped (see `TerminalText`).
enum Terminal {
    static func error(_ text: String) {
        let safe = TerminalText.escaped(text, keepingLines: true)
        FileHandle.standardError.write(Data((safe.hasSuffix("\n") ? safe : safe + "\n").utf8))
    }

    static func say(_ text: String, terminator: String = "\n") {
        print(TerminalText.escaped(text, keepingLines: true), terminator: terminator)
    }
}

/// Points where a test can hold the real binary (MAYAK_TEST_PAUSE=POINT): it says the point's
/// name on standard error and waits for standard input to close, so that the test can signal
/// it there, not at a moment guessed by a timer.
enum TestHooks {
    static func pause(_ point: String) {
        guard ProcessInfo.processInfo.environment["MAYAK_TEST_PAUSE"] == point else { return }
        Terminal.error(point)
        _ = FileHandle.standardInput.readDataToEndOfFile()
    }
}
