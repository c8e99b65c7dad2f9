import Foundation
import NIOCore

/// Pages already rendered, kept while nothing they were built from has changed: the same
/// member of staff (session) asking for the same address again gets the same bytes while the
/// history database (any commit by any connection: a triage, a plan, a scan recorded by the
/// CLI), the server's own state (its rules, its snapshot) and the day are what they were.
/// Bounded in bytes; the least recently used page goes first. `capacity` 0 keeps nothing.
///
/// Keyed by session, not by address alone: a page carries its reader's CSRF token, name and
/// scope, so one member of staff's page is never served to another.
final class PageCache: @unchecked Sendable {
    struct Version: Equatable {
        var store: Int
        var server: Int
        var day: String
    }

    private struct Entry {
        var version: Version
        var body: ByteBuffer
        var used: UInt64
    }

    let capacity: Int
    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    private var bytes = 0
    private var clock: UInt64 = 0
    private var hitCount = 0
    private var missCount = 0
    /// Pages served from the cache, and asked for but made anew (the tests read them).
    var hits: Int { lock.withLock { hitCount } }
    var misses: Int { lock.withLock { missCount } }

    init(capacity: Int) { self.capacity = capacity }

    static func key(session: String, uri: String) -> String { session + " " + uri }

    func page(_ key: String, _ version: Version) -> ByteBuffer? {
        guard capacity > 0 else { return nil }
        return lock.withLock {
            guard var e = entries[key], e.version == version else {
                missCount += 1
                return nil
            }
            clock += 1
            e.used = clock
            entries[key] = e
            hitCount += 1
            return e.body
        }
    }

    func keep(_ key: String, _ version: Version, _ body: ByteBuffer) {
        let size = body.readableBytes + key.utf8.count
        guard capacity > 0, size <= capacity / 4 else { return }
        lock.withLock {
            if let old = entries.removeValue(forKey: key) { bytes -= old.body.readableBytes + key.utf8.count }
            // Pages of an older version are of no use to anyone: dropped first.
            if bytes + size > capacity { evict { _, e in e.version != version } }
            while bytes + size > capacity, let oldest = entries.min(by: { $0.value.used < $1.value.used }) {
                remove(oldest.key)
            }
            clock += 1
            entries[key] = Entry(version: version, body: body, used: clock)
            bytes += size
        }
    }

    /// Forgets a session's pages (at sign-out).
    func forget(session: String) {
        let prefix = session + " "
        lock.withLock { evict { key, _ in key.hasPrefix(prefix) } }
    }

    var size: (pages: Int, bytes: Int) { lock.withLock { (entries.count, bytes) } }

    private func evict(_ stale: (String, Entry) -> Bool) {
        for (k, e) in entries where stale(k, e) { remove(k) }
    }

    private func remove(_ key: String) {
        if let e = entries.removeValue(forKey: key) { bytes -= e.body.readableBytes + key.utf8.count }
    }
}

/// Where `WebApp.html` leaves the bytes of the page it made, for the guard to keep (set for
/// the length of one request that may be kept).
final class PageCapture: @unchecked Sendable {
    var body: ByteBuffer?
    @TaskLocal static var current: PageCapture?
}
