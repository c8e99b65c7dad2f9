import ArgumentParser
import Foundation
import MayakBuiltIn
import MayakEngine
import MayakFiles
import MayakHistory
import MayakRules
import MayakSnapshot

/// Options for choosing and tuning rules, shared by scan, explain and test-rules.
struct RuleOptions: ParsableArguments {
    @Option(name: .customLong("rules"), help: Help.Rules.rules)
    var rules: [String] = []

    @Option(help: Help.Rules.overrides)
    var overrides: String?

    @Option(name: .customLong("set"), help: Help.Rules.set)
    var assignments: [String] = []

    /// The rules to read: the flag's, else the pack built into the program.
    var paths: [String] { rules.isEmpty ? [BuiltIn.scheme] : rules }

    func parameterOverrides(log: inout DiagnosticLog) -> ParameterOverrides {
        var o = ParameterOverrides()
        if let overrides { o.read(file: overrides, log: &log) }
        for a in assignments {
            if let problem = o.set(a) { log.error("bad-override", file: "--set", problem) }
        }
        return o
    }

    /// Loads and checks the pack; prints every diagnostic and exits 1 on errors. `settings`:
    /// the district's parameters kept in the history, applied under `--overrides` and `--set`.
    func load(settings: RuleSettings? = nil) throws -> RulePack {
        var log = DiagnosticLog(cap: 500)
        let o = parameterOverrides(log: &log)
        let pack =
            settings.map {
                RulePack.load(
                    paths: paths, settings: $0.assignments, origin: RuleOptions.origin($0), overrides: o, log: &log)
            } ?? RulePack.load(paths: paths, overrides: o, log: &log)
        if !log.diagnostics.isEmpty { Terminal.error(log.rendered(byPosition: true)) }
        guard let pack, !log.hasErrors else { throw ExitCode.failure }
        return pack
    }
}

extension RuleOptions {
    /// Where a setting came from, as diagnostics name it.
    static func origin(_ s: RuleSettings) -> String { Messages.settingsOrigin(s) }

    /// The district's parameters in force in the history at `db` (the newest version the
    /// department applied), when the file exists; said on standard error when there are any.
    static func settings(in db: String?) throws -> RuleSettings? {
        guard let db, FileManager.default.fileExists(atPath: db) else { return nil }
        let found: RuleSettings?
        do { found = try SQLiteHistoryStore(path: db, access: .write).currentRuleSettings() } catch {
            Terminal.error(Messages.store(error, db))
            throw ExitCode.failure
        }
        if let s = found {
            Terminal.error(Messages.settingsInForce(s))
        }
        return found
    }
}

extension Severity: ExpressibleByArgument {}

/// Writes what the user names with `--out` (standard output when none): see `OutputFile`
/// (atomic for files, straight through devices and pipes, `-` for standard output). A refused
/// path or a failed write is printed, with exit code 1.
enum Output {
    /// Opens the output first, so that a refused path is said before a long run.
    static func open(_ path: String?) throws -> OutputFile {
        do {
            let file = try OutputFile(path ?? "-")
            TestHooks.pause("output-open")
            return file
        } catch let error as FileError { throw refused(error) }
    }

    static func write(_ text: String, to path: String?) throws {
        try write(to: try open(path)) { emit in try emit(text) }
    }

    /// Writes what `produce` hands its `emit`, piece after piece, as one output: complete, or
    /// not at all.
    static func write(to file: OutputFile, _ produce: (_ emit: (String) throws -> Void) throws -> Void) throws {
        do { try file.complete(produce) } catch let error as FileError { throw refused(error) }
    }

    private static func refused(_ error: FileError) -> ExitCode {
        // The reader went away (`| head`): nothing to say, and the status a shell expects.
        if error.code == "broken-pipe" { return ExitCode(128 + SIGPIPE) }
        Terminal.error(Messages.cannotWrite(error))
        return ExitCode.failure
    }
}
