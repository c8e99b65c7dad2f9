import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How the importer reads Excel 97–2003 workbooks (`ImportRequest.biff`).
public enum BIFFReading: Sendable {
    /// FreeXL in this process: the library's default (the tests, the fuzzing harnesses).
    case inProcess
    /// FreeXL in a child process, as `mayak import` reads them.
    case isolated(IsolatedBIFFReader)

    public func read(path: String, file: String) throws(ImportError) -> Workbook {
        switch self {
        case .inProcess: return try BIFFReader.read(path: path, file: file)
        case .isolated(let reader): return try reader.read(path: path, file: file)
        }
    }
}

/// Excel 97–2003 workbooks read by `BIFFReader` in a child process, so that a memory error in
/// FreeXL (a C library Mayak cannot fix; Debian's 1.0.6 reads below a stack buffer on a crafted
/// text record) can neither corrupt nor crash Mayak, nor hang it.
///
/// The child is `command` with the file's path after it: for `mayak import`, the `mayak`
/// executable's hidden `read-xls` subcommand (`serve`), which reads the workbook in process and
/// writes its grids, or the error reading it, to stdout as a `GridWire` frame, exit status 0 or
/// 1. Mayak reads at most `maxOutputBytes` of it, within `timeout`, and checks how it ended:
/// a child killed by a signal (SIGSEGV, SIGABRT, …), one that outran the timeout or the bound
/// (killed then), an exit without a frame, or a frame that does not decode is an error naming
/// the file, never a workbook. The child's stderr is kept out of the user's terminal; its first
/// line is quoted when it ended without a result.
public struct IsolatedBIFFReader: Sendable {
    public var command: [String]
    public var timeout: Duration
    public var maxOutputBytes: Int

    /// Far more than FreeXL takes for the largest workbook read (64 MiB, 4,000,000 cells).
    public static let defaultTimeout = Duration.seconds(60)
    /// Four bytes of text for each byte of the largest file read, and 8 bytes more a cell (its
    /// length and its row's): what the largest workbook read can come to as a frame.
    public static let defaultMaxOutputBytes = 4 * BIFFReader.maxBytes + 8 * BIFFReader.maxCells

    public init(command: [String], timeout: Duration = defaultTimeout, maxOutputBytes: Int = defaultMaxOutputBytes) {
        self.command = command
        self.timeout = timeout
        self.maxOutputBytes = maxOutputBytes
    }

    public func read(path: String, file: String) throws(ImportError) -> Workbook {
        let run: ChildProcess
        do {
            // A crash in the child is reported here: the Swift runtime's backtrace would only
            // take its time and go to the stderr no one sees.
            run = try ChildProcess.run(
                command + [path], environment: ["SWIFT_BACKTRACE": "enable=no"], timeout: timeout,
                maxOutputBytes: maxOutputBytes)
        } catch {
            throw ImportError(file, ImportText.xlsReaderNotStarted(error.message))
        }
        let status: Int32
        switch run.end {
        case .signaled(let signal):
            throw ImportError(file, ImportText.freeXLSignaled(signal, name: Self.signalNames[signal]))
        case .timedOut:
            throw ImportError(file, ImportText.freeXLTimedOut(timeout))
        case .outputTooLarge:
            throw ImportError(file, ImportText.xlsOutputTooLarge(maxOutputBytes))
        case .exited(let code): status = code
        }
        guard status == 0 || status == 1 else {
            throw ImportError(file, ImportText.childNoResult(status: status, said: Self.said(run.errors)))
        }
        let frame: GridWire.Frame
        do { frame = try GridWire.decode(run.output, file: file) } catch {
            throw ImportError(
                file, ImportText.childMalformedResult(status: status, reason: error.reason, said: Self.said(run.errors))
            )
        }
        switch (status, frame) {
        case (0, .workbook(let grids)):
            return Workbook(file: file, kind: .xls, grids: grids)
        case (1, .error(let error)):
            // The child named the path it was given; the user knows the file by its name.
            let location = error.location.hasPrefix(path) ? file + error.location.dropFirst(path.count) : error.location
            throw ImportError(location, error.message)
        default:
            throw ImportError(file, ImportText.childContradicts(status: status))
        }
    }

    /// The child's side (`mayak read-xls PATH`): the workbook at `path` read in this process and
    /// written to stdout as a frame; the exit status to end with, 0 for a workbook, 1 for an
    /// error (the frame carries it) or a stdout that cannot be written.
    ///
    /// The process limits itself first: no core file of a crafted input, and at most the
    /// default timeout and 5 s in CPU time, which ends it (SIGXCPU) should the Mayak that
    /// started it be gone and not there to kill it.
    public static func serve(path: String) -> Int32 {
        var core = rlimit(rlim_cur: 0, rlim_max: 0)
        let cpuSeconds = rlim_t(defaultTimeout.components.seconds + 5)
        var cpu = rlimit(rlim_cur: cpuSeconds, rlim_max: cpuSeconds + 1)
        #if canImport(Glibc)
            setrlimit(__rlimit_resource_t(RLIMIT_CORE.rawValue), &core)
            setrlimit(__rlimit_resource_t(RLIMIT_CPU.rawValue), &cpu)
        #else
            setrlimit(RLIMIT_CORE, &core)
            setrlimit(RLIMIT_CPU, &cpu)
        #endif
        var status: Int32 = 0
        let frame: [UInt8]
        do { frame = GridWire.encode(try BIFFReader.read(path: path, file: path)) } catch {
            frame = GridWire.encode(error)
            status = 1
        }
        var written = 0
        while written < frame.count {
            let n = frame.withUnsafeBytes { write(1, $0.baseAddress! + written, $0.count - written) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return 1 }
            written += n
        }
        return status
    }

    static let signalNames: [Int32: String] = [
        SIGSEGV: "SIGSEGV", SIGBUS: "SIGBUS", SIGABRT: "SIGABRT", SIGILL: "SIGILL", SIGFPE: "SIGFPE",
        SIGTRAP: "SIGTRAP", SIGSYS: "SIGSYS", SIGKILL: "SIGKILL", SIGTERM: "SIGTERM", SIGINT: "SIGINT",
        SIGHUP: "SIGHUP", SIGPIPE: "SIGPIPE", SIGXCPU: "SIGXCPU", SIGXFSZ: "SIGXFSZ",
    ]

    /// `: «its first line»` of the child's stderr, or "".
    static func said(_ errors: [UInt8]) -> String {
        let text = String(decoding: errors, as: UTF8.self)
        guard let line = text.split(whereSeparator: \.isNewline).first(where: { $0.contains(where: \.isLetter) })
        else { return "" }
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return ": «\(trimmed.count > 200 ? trimmed.prefix(200) + "…" : trimmed)»"
    }
}
