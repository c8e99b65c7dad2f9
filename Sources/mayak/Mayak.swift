import ArgumentParser
import Foundation
import MayakSnapshot

@main
struct Mayak: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mayak",
        abstract: "Mayak (Маяк): an early-warning scanner for schools.",
        discussion: "Reads gradebook snapshots of a district, runs declarative early-warning rules over them, and reports alerts with evidence, individual plans and the figures departments use.",
        version: "0.1.0",
        subcommands: [Demo.self, Check.self, Scan.self, Runs.self, Alerts.self, Plans.self, Diff.self, Explain.self, Report.self, TestRules.self, Generate.self, Validate.self]
    )
}

/// Options for reading a snapshot, shared by every command that loads one.
struct SnapshotOptions: ParsableArguments {
    @Argument(help: "The snapshot folder (manifest.yaml and CSV tables).")
    var snapshot: String

    @Option(help: "Text encoding of the CSV files: auto, utf8 or cp1251.")
    var encoding: TextEncoding = .auto

    @Option(help: "Field separator: auto, comma, semicolon or tab.")
    var separator: FieldSeparator = .auto

    @Option(help: "Report at most this many problems.")
    var maxProblems: Int = 200

    @Flag(help: "Read the CSVs even if a valid binary cache of this snapshot exists (and do not write one).")
    var noCache = false

    /// Loads the snapshot (through the binary cache unless --no-cache), printing warnings; on
    /// errors prints them all and exits with 1.
    func load() throws -> Snapshot {
        try SnapshotOptions.load(snapshot, encoding: encoding, separator: separator, maxProblems: maxProblems, useCache: !noCache)
    }

    static func load(_ snapshot: String, encoding: TextEncoding = .auto, separator: FieldSeparator = .auto, maxProblems: Int = 200,
                     useCache: Bool = true) throws -> Snapshot {
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

enum Terminal {
    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }
}
