import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A command run to its end as a child process, for code Mayak does not trust with its own
/// memory (`IsolatedBIFFReader`): its stdout read into memory up to a bound, the first bytes of
/// its stderr kept (never shown on the user's terminal), and the child killed when it outruns
/// a wall-clock timeout or the bound.
///
/// The child gets /dev/null as stdin, no other descriptor of Mayak's (all from 3 up are closed
/// in it), no blocked signals (Mayak blocks its stop signals in every thread but one, see
/// `TemporaryFiles`), and SIGPIPE at its default. It stays in Mayak's process group, so that a
/// Ctrl-C at the terminal stops it as well. It is always waited for: no end leaves a zombie,
/// and the pipes are closed on every path.
struct ChildProcess {
    enum End: Equatable {
        case exited(Int32)
        case signaled(Int32)
        /// Killed (SIGKILL) at the timeout.
        case timedOut
        /// Killed (SIGKILL) when its stdout went past the bound.
        case outputTooLarge
    }

    var pid: pid_t
    var end: End
    var output: [UInt8]
    /// The first `maxErrorBytes` of its stderr.
    var errors: [UInt8]

    struct Failure: Error, Equatable {
        var message: String
    }

    static let maxErrorBytes = 64 << 10

    /// Runs `arguments` (the first is the program, looked up in PATH when it has no slash) with
    /// Mayak's environment and `environment` added to it.
    static func run(
        _ arguments: [String], environment: [String: String] = [:], timeout: Duration, maxOutputBytes: Int
    ) throws(Failure) -> ChildProcess {
        guard let program = arguments.first else { throw Failure(message: ImportText.noCommand) }
        let deadline = ContinuousClock.now + timeout
        var out: [Int32] = [-1, -1]
        var err: [Int32] = [-1, -1]
        defer { for fd in out + err where fd >= 0 { close(fd) } }
        guard makePipe(&out), makePipe(&err) else { throw Failure(message: ImportText.cannotMakePipe(errnoText())) }
        let pid = try spawn(program, arguments, environment: environment, stdout: out[1], stderr: err[1])
        // Only the child writes: with these closed, the pipes end when it (and anything it
        // started) has closed them.
        close(out[1])
        close(err[1])
        out[1] = -1
        err[1] = -1
        var child = ChildProcess(pid: pid, end: .exited(0), output: [], errors: [])
        let cut = child.collect(out[0], err[0], until: deadline, maxOutputBytes: maxOutputBytes)
        child.end = cut ?? wait(pid, until: deadline)
        if cut != nil || child.end == .timedOut {
            kill(pid, SIGKILL)
            _ = reap(pid)
        }
        return child
    }

    /// Reads both pipes until both end; the end to kill the child with when the deadline or
    /// the bound comes first.
    private mutating func collect(
        _ outFD: Int32, _ errFD: Int32, until deadline: ContinuousClock.Instant, maxOutputBytes: Int
    )
        -> End?
    {
        var fds = [
            pollfd(fd: outFD, events: Int16(POLLIN), revents: 0), pollfd(fd: errFD, events: Int16(POLLIN), revents: 0),
        ]
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while fds.contains(where: { $0.fd >= 0 }) {
            let left = deadline - ContinuousClock.now
            guard left > .zero else { return .timedOut }
            let ms = left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1
            for i in fds.indices { fds[i].revents = 0 }
            let ready = poll(&fds, nfds_t(fds.count), Int32(clamping: ms))
            guard ready > 0 else {
                // EINTR, or a failure to try again after a pause (the deadline still holds).
                if ready < 0 && errno != EINTR { usleep(1000) }
                continue
            }
            for i in fds.indices where fds[i].fd >= 0 && fds[i].revents != 0 {
                let n = buffer.withUnsafeMutableBytes { read(fds[i].fd, $0.baseAddress, $0.count) }
                if n < 0 && (errno == EINTR || errno == EAGAIN) { continue }
                guard n > 0 else {
                    // The end of the pipe (or an error reading it, which ends it as well; the
                    // descriptor itself is closed by `run`).
                    fds[i].fd = -1
                    continue
                }
                if i == 0 {
                    guard output.count + n <= maxOutputBytes else { return .outputTooLarge }
                    output.append(contentsOf: buffer[0..<n])
                } else {
                    errors.append(contentsOf: buffer[0..<min(n, Self.maxErrorBytes - errors.count)])
                }
            }
        }
        return nil
    }

    /// How the child ended, once its pipes have: it may still be running (it closed them, or
    /// left them to a process of its own), so it is waited for until the deadline.
    private static func wait(_ pid: pid_t, until deadline: ContinuousClock.Instant) -> End {
        var status: Int32 = 0
        while true {
            let got = waitpid(pid, &status, WNOHANG)
            if got == pid { return end(status) }
            if got < 0 && errno != EINTR { return .exited(-1) }
            if ContinuousClock.now >= deadline { return .timedOut }
            usleep(2000)
        }
    }

    /// Waits for a child that was killed.
    private static func reap(_ pid: pid_t) -> End {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { return .exited(-1) }
        }
        return end(status)
    }

    /// A wait status as an exit or a signal (the W… macros are not visible to Swift).
    private static func end(_ status: Int32) -> End {
        let signal = status & 0x7F
        return signal == 0 ? .exited((status >> 8) & 0xFF) : .signaled(signal)
    }

    private static func spawn(
        _ program: String, _ arguments: [String], environment: [String: String], stdout: Int32, stderr: Int32
    ) throws(Failure) -> pid_t {
        #if canImport(Glibc)
            var actions = posix_spawn_file_actions_t()
            var attributes = posix_spawnattr_t()
        #else
            var actions: posix_spawn_file_actions_t?
            var attributes: posix_spawnattr_t?
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        #if canImport(Glibc)
            // Every other descriptor closed in the child, whether or not it is close-on-exec.
            addCloseFrom(&actions, 3)
        #else
            flags |= Int32(POSIX_SPAWN_CLOEXEC_DEFAULT)
        #endif
        posix_spawnattr_setflags(&attributes, Int16(flags))
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &pipeSignal)
        let variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in argv + envp { free(p) } }
        var pid: pid_t = 0
        let status = posix_spawnp(&pid, program, &actions, &attributes, argv, envp)
        guard status == 0 else {
            throw Failure(message: ImportText.cannotStart(program, ImportText.systemError(status)))
        }
        return pid
    }

    /// A pipe whose ends are close-on-exec (made so atomically where the system can).
    private static func makePipe(_ fds: inout [Int32]) -> Bool {
        #if canImport(Glibc)
            return pipe2(&fds, O_CLOEXEC) == 0
        #else
            guard pipe(&fds) == 0 else { return false }
            for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            return true
        #endif
    }

    private static func errnoText() -> String { ImportText.systemError(errno) }
}

#if canImport(Glibc)
    // glibc declares these only for _GNU_SOURCE, which Swift's Glibc module is built without.
    @_silgen_name("posix_spawn_file_actions_addclosefrom_np")
    @discardableResult
    private func addCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ from: Int32) -> Int32

    @_silgen_name("pipe2")
    private func pipe2(_ fds: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32
#endif
