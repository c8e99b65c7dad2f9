import ArgumentParser
import Foundation
import MayakEngine
import MayakRules
import MayakSnapshot

/// Options for choosing and tuning rules, shared by scan, explain and test-rules.
struct RuleOptions: ParsableArguments {
    @Option(name: .customLong("rules"), help: "A rules folder or file (repeatable). Default: ./rules, or the rules next to the mayak package.")
    var rules: [String] = []

    @Option(help: "A district overrides file (rule-id: { parameter: value }).")
    var overrides: String?

    @Option(name: .customLong("set"), help: "Override one parameter: rule-id.parameter=value (repeatable).")
    var assignments: [String] = []

    /// The rule folders to read: the flag, else ./rules, else the package's own rules.
    var paths: [String] {
        if !rules.isEmpty { return rules }
        let local = FileManager.default.currentDirectoryPath + "/rules"
        if FileManager.default.fileExists(atPath: local) { return ["rules"] }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = dir.appendingPathComponent("rules/core")
            if FileManager.default.fileExists(atPath: candidate.path) { return [dir.appendingPathComponent("rules").path] }
            dir = dir.deletingLastPathComponent()
        }
        return ["rules"]
    }

    func parameterOverrides(log: inout DiagnosticLog) -> ParameterOverrides {
        var o = ParameterOverrides()
        if let overrides { o.read(file: overrides, log: &log) }
        for a in assignments {
            if let problem = o.set(a) { log.error("bad-override", file: "--set", problem) }
        }
        return o
    }

    /// Loads and checks the pack; prints every diagnostic and exits 1 on errors.
    func load() throws -> RulePack {
        var log = DiagnosticLog(cap: 500)
        let o = parameterOverrides(log: &log)
        let pack = RulePack.load(paths: paths, overrides: o, log: &log)
        if !log.diagnostics.isEmpty { Terminal.error(log.rendered(byPosition: true)) }
        guard let pack, !log.hasErrors else { throw ExitCode.failure }
        return pack
    }
}

extension Severity: ExpressibleByArgument {}

/// Writes output atomically: to a temporary file beside the target, then renamed.
enum Output {
    static func write(_ text: String, to path: String?) throws {
        try write(to: path) { emit in try emit(text) }
    }

    /// Writes what `produce` hands its `emit`, piece after piece (through a buffer), to
    /// standard output or to a temporary file renamed over `path` once complete.
    static func write(to path: String?, _ produce: (_ emit: (String) throws -> Void) throws -> Void) throws {
        func send(_ handle: FileHandle) throws {
            var buffer = Data()
            buffer.reserveCapacity(1 << 22)
            try produce { piece in
                buffer.append(contentsOf: piece.utf8)
                if buffer.count >= 1 << 22 { try handle.write(contentsOf: buffer); buffer.removeAll(keepingCapacity: true) }
            }
            try handle.write(contentsOf: buffer)
        }
        guard let path else {
            try send(FileHandle.standardOutput)
            return
        }
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            guard FileManager.default.createFile(atPath: temporary.path, contents: nil),
                  let handle = FileHandle(forWritingAtPath: temporary.path) else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))])
            }
            do { try send(handle); try handle.close() } catch { try? handle.close(); throw error }
            // rename(2) replaces the target atomically: readers see the old file or the new one.
            guard rename(temporary.path, path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))])
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            Terminal.error("error: cannot write \(path): \(error.localizedDescription)")
            throw ExitCode.failure
        }
    }
}
