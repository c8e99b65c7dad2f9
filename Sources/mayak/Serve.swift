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
    static let configuration = CommandConfiguration(abstract: Help.Serve.abstract)
    @OptionGroup var store: StoreOptions
    @Option(help: Help.Serve.snapshot) var snapshot: String
    @OptionGroup var rules: RuleOptions
    @Option(help: Help.Serve.host) var host = "127.0.0.1"
    @Option(help: Help.Serve.port) var port = 8080
    @Flag(help: Help.Serve.secureCookies) var secureCookies = false
    @Option(help: Help.Serve.pageCache) var pageCache = 64

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError(Messages.badPort(port)) }
        guard (0...16384).contains(pageCache) else { throw ValidationError(Messages.badPageCache(pageCache)) }
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
            Terminal.error(Messages.noAccountsYet(store.db))
        }
        // Written at once (print would wait in its buffer until the server stops).
        let line = TerminalText.escaped(Messages.serving(host: host, port: port), keepingLines: true)
        FileHandle.standardOutput.write(Data(line.utf8))
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        Task {
            do { try await app.application().runService() } catch { outcome.error = error }
            done.signal()
        }
        done.wait()
        if let error = outcome.error {
            Terminal.error(Messages.serverStopped(host: host, port: port, error))
            throw ExitCode.failure
        }
    }

    final class Outcome: @unchecked Sendable { var error: (any Error)? }
}
