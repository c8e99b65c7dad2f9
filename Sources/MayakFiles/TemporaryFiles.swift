import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The temporary files and folders this process is writing before it renames them into place,
/// so that none outlives the run: each is removed when its write fails (by its owner) and when
/// the process is stopped by SIGINT, SIGTERM or SIGHUP (here).
///
/// Signals are taken by one thread waiting in `sigwait` (so the cleanup may take locks and
/// call anything); every other thread has them blocked. For that, `interceptSignals()` must
/// run first thing in `main`, before any other thread exists: threads inherit the mask.
public enum TemporaryFiles {
    static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    private final class Registry: @unchecked Sendable {
        let lock = NSLock()
        var entries: [String: Bool] = [:]  // path → is a folder
        var intercepting = false
    }

    private static let registry = Registry()

    /// Routes SIGINT, SIGTERM and SIGHUP to a cleanup thread, which removes the registered
    /// temporary paths and then ends the process by the same signal (exit status as before).
    /// Signals the parent set to be ignored stay ignored.
    public static func interceptSignals() {
        registry.lock.lock()
        defer { registry.lock.unlock() }
        guard !registry.intercepting else { return }
        registry.intercepting = true
        // A reader that goes away (`mayak demo | head`) makes writes fail with EPIPE instead of
        // killing the process where it stands, so that its temporary files are still removed.
        signal(SIGPIPE, SIG_IGN)
        var set = sigset_t()
        sigemptyset(&set)
        for s in signals where !isIgnored(s) { sigaddset(&set, s) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
        let waited = set
        let thread = Thread {
            var set = waited
            var received: Int32 = 0
            while sigwait(&set, &received) != 0 {}
            removeAll()
            // End the process as the signal would have: default action, unblocked, raised.
            signal(received, SIG_DFL)
            var one = sigset_t()
            sigemptyset(&one)
            sigaddset(&one, received)
            pthread_sigmask(SIG_UNBLOCK, &one, nil)
            raise(received)
            _exit(128 + received)
        }
        thread.name = "mayak-signals"
        thread.start()
    }

    private static func isIgnored(_ s: Int32) -> Bool {
        var old = sigaction()
        sigaction(s, nil, &old)
        #if canImport(Glibc)
            let handler = old.__sigaction_handler.sa_handler
        #else
            let handler = old.__sigaction_u.__sa_handler
        #endif
        // SIG_IGN is the handler whose address is 1.
        return handler.map { unsafeBitCast($0, to: Int.self) } == 1
    }

    /// Records a temporary path this process created (exclusively) and will rename or remove.
    public static func register(_ path: String, folder: Bool) {
        registry.lock.lock()
        registry.entries[path] = folder
        registry.lock.unlock()
    }

    /// Runs `body` (a rename into place, say) and forgets `path`, with no signal cleanup in
    /// between: the cleanup sees the temporary path either before the body or not at all.
    public static func settle<T>(_ path: String, _ body: () throws -> T) rethrows -> T {
        registry.lock.lock()
        defer { registry.lock.unlock() }
        let result = try body()
        registry.entries[path] = nil
        return result
    }

    /// Removes a registered temporary path (after a failed write) and forgets it.
    public static func discard(_ path: String) {
        registry.lock.lock()
        defer { registry.lock.unlock() }
        guard let folder = registry.entries.removeValue(forKey: path) else { return }
        remove(path, folder: folder)
    }

    /// The paths registered now (for tests).
    public static var pending: [String] {
        registry.lock.lock()
        defer { registry.lock.unlock() }
        return registry.entries.keys.sorted()
    }

    static func removeAll() {
        registry.lock.lock()
        defer { registry.lock.unlock() }
        for (path, folder) in registry.entries { remove(path, folder: folder) }
        registry.entries.removeAll()
    }

    private static func remove(_ path: String, folder: Bool) {
        if folder {
            try? FileManager.default.removeItem(atPath: path)
        } else {
            unlink(path)
        }
    }

    /// A name for a temporary sibling of `name` in the same folder: hidden, with this process's
    /// id and a random part, so that it never names an existing file of the user's.
    public static func siblingName(of name: String, _ role: String) -> String {
        let random = UInt32.random(in: 0...UInt32.max)
        let short = name.utf8.count > 100 ? String(decoding: name.utf8.prefix(100), as: UTF8.self) : name
        return ".\(short).mayak-\(role)-\(getpid())-\(String(random, radix: 16))"
    }
}
