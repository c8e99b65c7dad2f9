import ArgumentParser
import Foundation
import MayakAlerts
import MayakEngine
import MayakHistory
import MayakRules
import MayakSnapshot

/// Where the history lives: `--db PATH`, else ./mayak.sqlite.
struct StoreOptions: ParsableArguments {
    @Option(help: Help.Store.db)
    var db: String = "mayak.sqlite"

    /// Opens the store: `.read` for commands that only look (never changing the file), `.write`
    /// for triage and plans (the store must exist).
    func open(_ access: SQLiteHistoryStore.Access) throws -> SQLiteHistoryStore {
        do { return try SQLiteHistoryStore(path: db, access: access) } catch {
            Terminal.error(Messages.store(error, db))
            throw ExitCode.failure
        }
    }

    /// Makes one change to the store; a refused change (an unknown alert or plan, a closed
    /// plan) is printed as an error, with exit code 1.
    static func change(_ body: () throws -> Void) throws {
        do { try body() } catch {
            // One line per problem (a bulk action may name several).
            for line in "\(error)".split(separator: "\n") { Terminal.error(Messages.error(String(line))) }
            throw ExitCode.failure
        }
    }
}

/// Who is acting: `--as NAME` or $MAYAK_USER.
struct ActorOptions: ParsableArguments {
    @Option(name: .customLong("as"), help: Help.Store.actor)
    var actor: String?

    func name() throws -> String {
        if let actor, !actor.isEmpty { return actor }
        if let env = ProcessInfo.processInfo.environment["MAYAK_USER"], !env.isEmpty { return env }
        Terminal.error(Messages.whoAreYou)
        throw ExitCode.failure
    }
}

enum Clock {
    static func now() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: Date())
    }
    /// Today in the machine's zone (or `TZ`): past midnight in Moscow is not yesterday.
    static func today() -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .current
        let c = calendar.dateComponents([.year, .month, .day], from: Date())
        return Day(year: c.year ?? 1970, month: c.month ?? 1, day: c.day ?? 1)?.description ?? String(now().prefix(10))
    }
}

/// A cheap fingerprint of a snapshot folder: names, sizes and modification times of its files
/// and the manifest's text.
enum SnapshotFingerprint {
    static func of(_ folder: String) -> String {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        func mix(_ s: String) { for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 } }
        let fm = FileManager.default
        for name in ((try? fm.contentsOfDirectory(atPath: folder)) ?? []).sorted() {
            let attributes = (try? fm.attributesOfItem(atPath: folder + "/" + name)) ?? [:]
            mix(name)
            mix(String(describing: attributes[.size] ?? ""))
            mix(String(describing: (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0))
        }
        mix((try? String(contentsOfFile: folder + "/manifest.yaml", encoding: .utf8)) ?? "")
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

extension LifecycleStatus: ExpressibleByArgument {}
