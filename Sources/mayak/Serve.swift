import ArgumentParser
import Dispatch
import Foundation
import Hummingbird
import MayakFiles
import MayakHistory
import MayakSnapshot
import MayakWeb

/// `mayak serve`: the web app over a history database and the snapshot its runs scanned.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the web app: the week's lists, pupils, triage (sign in with mayak users accounts).")
    @OptionGroup var store: StoreOptions
    @Option(help: "The snapshot folder the history's runs scanned.") var snapshot: String
    @OptionGroup var rules: RuleOptions
    @Option(help: "The address to listen on (loopback by default).") var host = "127.0.0.1"
    @Option(help: "The port to listen on.") var port = 8080
    @Flag(help: "Mark cookies Secure: the server is reached over HTTPS (a proxy terminates TLS).")
    var secureCookies = false
    @Option(
        help: ArgumentHelp(
            "Megabytes of rendered pages kept for their readers while nothing they show changes (0: none).",
            valueName: "MB"))
    var pageCache = 64

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port \(port): expected 1 to 65535") }
        guard (0...16384).contains(pageCache) else {
            throw ValidationError("--page-cache \(pageCache): expected 0 to 16384 (megabytes)")
        }
    }

    func run() throws {
        let s = try store.open(.write)
        let snapshot = try SnapshotOptions.load(self.snapshot)
        // The rules suggest the individual plans staff adopt in the browser, with the district's
        // parameters kept in the history.
        let settings = try RuleOptions.settings(in: store.db)
        let pack = try rules.load(settings: settings)
        var log = DiagnosticLog(cap: 50)
        let source = RuleSource(paths: rules.paths, overrides: rules.parameterOverrides(log: &log))
        var config = WebConfiguration()
        config.host = host
        config.port = port
        config.secureCookies = secureCookies
        config.pageCacheBytes = pageCache << 20
        let app = WebApp(
            store: s, snapshot: snapshot, pack: pack, ruleSource: source, settings: settings,
            snapshotFingerprint: SnapshotFingerprint.of(self.snapshot), configuration: config)
        if try s.accounts().isEmpty {
            Terminal.error("warning: \(store.db) holds no accounts yet: add one with mayak users add")
        }
        // Written at once (print would wait in its buffer until the server stops).
        let line = TerminalText.escaped("Маяк: http://\(host):\(port)/ (остановить: Ctrl+C)\n", keepingLines: true)
        FileHandle.standardOutput.write(Data(line.utf8))
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        Task {
            do { try await app.application().runService() } catch { outcome.error = error }
            done.signal()
        }
        done.wait()
        if let error = outcome.error {
            Terminal.error("error: the server on \(host):\(port) stopped: \(error)")
            throw ExitCode.failure
        }
    }

    final class Outcome: @unchecked Sendable { var error: (any Error)? }
}
