import Foundation
import Hummingbird
import Logging
import MayakEngine
import MayakHistory
import MayakSnapshot
import NIOCore
import NIOPosix

/// How `mayak serve` runs.
public struct WebConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// Mark cookies `Secure`: set when the server is reached over TLS (behind a proxy that
    /// terminates it).
    public var secureCookies = false
    /// A session ends after this long unused, and this long after sign-in in any case.
    public var idleSeconds: Int64 = 2 * 3600
    public var absoluteSeconds: Int64 = 12 * 3600
    /// Failed sign-ins allowed per account and per address within `throttleWindow` seconds.
    public var throttleFailures = 5
    public var throttleWindow: Int64 = 15 * 60
    /// The bcrypt cost of passwords set through the web app.
    public var bcryptCost: UInt8 = 12
    /// Bytes of rendered pages kept for their readers while nothing they show has changed
    /// (`PageCache`); 0 renders every page anew.
    public var pageCacheBytes = 64 << 20

    public init() {}
}

/// The request context: who is signed in (once the guard has looked), the form of a
/// state-changing request (read and checked by the guard), and the peer's address.
public struct WebContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    var user: SignedIn?
    var form = Form("")
    /// The body of a state-changing API call, as sent (JSON).
    var body = ""
    var address: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        address = source.channel.remoteAddress?.ipAddress ?? "?"
    }

    /// The maximum body the guard reads: forms are small.
    public var maxUploadSize: Int { WebApp.maximumBody }
}

/// A signed-in member of staff.
struct SignedIn: Sendable {
    var account: Account
    var session: WebSession
    var scope: Scope
    /// How the history names them in events.
    var actor: String { "\(account.name) (\(account.login))" }
}

/// The web app over a history database and a snapshot: the pages, the guard every request
/// passes (session, CSRF, scope, security headers), and the actions.
///
/// Immutable after `init` (the store is GRDB's pool, safe across threads), hence Sendable.
public final class WebApp: @unchecked Sendable {
    static let maximumBody = 64 * 1024
    static let sessionCookie = "mayak_session"
    static let loginCookie = "mayak_login"

    let store: SQLiteHistoryStore
    let snapshot: Snapshot
    let index: SnapshotIndex
    let directory: Directory
    /// The latest finished period's figures per school and for the district (the report's).
    let summary: SnapshotSummary
    /// The rules in force (replaced when the department applies new parameters).
    let rules: RulesInForce
    var pack: RulePack { rules.current.pack }
    var suggestions: Suggestions { rules.current.suggestions }
    var baseline: Baseline { rules.current.baseline }
    /// Where the pack came from: for the department's previews of other parameters.
    let ruleSource: RuleSource?
    /// The snapshot's fingerprint, for the runs the server records (a rerun from the browser).
    let snapshotFingerprint: String
    let reruns = Reruns()
    let configuration: WebConfiguration
    let throttle: LoginThrottle
    let pages: PageCache
    /// Changes whenever the server's own state that pages show changes (its rules, a rerun).
    let generation = Generation()
    /// Seconds since 1970; the tests move it.
    let now: @Sendable () -> Int64

    public init(
        store: SQLiteHistoryStore, snapshot: Snapshot, pack: RulePack, ruleSource: RuleSource? = nil,
        settings: RuleSettings? = nil, snapshotFingerprint: String = "",
        configuration: WebConfiguration = WebConfiguration(),
        now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }
    ) {
        self.store = store
        self.snapshot = snapshot
        self.index = SnapshotIndex(snapshot)
        self.directory = Directory(snapshot)
        self.summary = SnapshotSummary(snapshot)
        self.rules = RulesInForce(
            RulesInForce.Current(pack: pack, settings: settings, snapshot: snapshot, index: index))
        self.snapshotFingerprint = snapshotFingerprint
        self.ruleSource = ruleSource
        self.configuration = configuration
        self.throttle = LoginThrottle(failures: configuration.throttleFailures, window: configuration.throttleWindow)
        self.pages = PageCache(capacity: configuration.pageCacheBytes)
        self.now = now
    }

    /// The router with every route behind the guard.
    public func router() -> Router<WebContext> {
        let router = Router(context: WebContext.self)
        router.add(middleware: Guard(app: self))
        addRoutes(to: router)
        addAPIRoutes(to: router)
        return router
    }

    public func application() -> some ApplicationProtocol {
        var logger = Logger(label: "mayak.web")
        logger.logLevel = .notice
        return Application(
            router: router(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            logger: logger)
    }

    /// Runs a blocking store call (SQLite, bcrypt) off the event loop.
    func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(work)
    }

    // MARK: - Sessions

    /// The signed-in user of a request, or nil: no cookie, an unknown or expired session, a
    /// disabled account. A live session's last use is recorded (at most once a minute).
    func signedIn(_ request: Request) async throws -> SignedIn? {
        guard let token = request.cookies[WebApp.sessionCookie]?.value, token.count == 64 else { return nil }
        let id = token
        let now = self.now()
        let config = configuration
        return try await blocking { [store] in
            guard let s = try store.session(id) else { return nil }
            if s.lastSeenAt < now - config.idleSeconds || s.createdAt < now - config.absoluteSeconds {
                try store.deleteSession(id)
                return nil
            }
            guard let account = try store.account(s.login), !account.disabled else {
                try store.deleteSession(id)
                return nil
            }
            if now - s.lastSeenAt >= 60 { try store.touchSession(id, at: now) }
            return SignedIn(account: account, session: s, scope: Scope(account))
        }
    }

    /// What a kept page must have been built from to be served again.
    func pageVersion() async throws -> PageCache.Version {
        let stamp = try await blocking { [store] in try store.changeStamp() }
        return PageCache.Version(store: stamp, server: generation.value, day: today().description)
    }

    func cookie(_ name: String, _ value: String, maxAge: Int?) -> Cookie {
        Cookie(
            name: name, value: value, maxAge: maxAge, path: "/", secure: configuration.secureCookies, httpOnly: true,
            sameSite: .strict)
    }
}

/// A counter read by every request and moved by the rare change of the server's own state.
final class Generation: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func advance() { lock.withLock { count += 1 } }
}

/// Failed sign-ins, per account and per address: after `failures` within `window` seconds,
/// further tries are refused until the oldest failure leaves the window. Kept in memory (one
/// server process); a restart forgets them, bcrypt still makes each try slow.
actor LoginThrottle {
    let failures: Int
    let window: Int64
    private var byKey: [String: [Int64]] = [:]

    init(failures: Int, window: Int64) {
        self.failures = failures
        self.window = window
    }

    /// Seconds until a try is allowed for any of these keys (0: allowed now).
    func wait(_ keys: [String], now: Int64) -> Int64 {
        var longest: Int64 = 0
        for k in keys {
            let recent = (byKey[k] ?? []).filter { $0 > now - window }
            byKey[k] = recent
            if recent.count >= failures, let oldest = recent.first { longest = max(longest, oldest + window - now) }
        }
        return longest
    }

    func failed(_ keys: [String], now: Int64) {
        for k in keys { byKey[k, default: []].append(now) }
    }

    func succeeded(_ key: String) { byKey[key] = nil }
}
