import Foundation
import MayakTestSupport
import Testing

/// Runs the real `mayak` binary built next to the test bundle.
enum MayakBinary {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures")
    static let rules = packageRoot.appendingPathComponent("rules")

    /// The binary of this build: `MAYAK_BINARY`, or the `mayak` in the products folder the test
    /// runner lives in. Never another build's (a stale `.build/debug/mayak` under a release
    /// test run): when there is none, every run fails saying so.
    static let url: URL? = {
        if let explicit = ProcessInfo.processInfo.environment["MAYAK_BINARY"] { return URL(fileURLWithPath: explicit) }
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = runner.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("mayak")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }()

    struct NoBinary: Error, CustomStringConvertible {
        var description: String {
            "no mayak binary next to the test runner \(CommandLine.arguments[0]); build it with the tests "
                + "(swift build --build-tests) or set MAYAK_BINARY"
        }
    }

    /// What a run gave. Its exit status must be looked at: a result whose `status` nobody read
    /// fails the test that ran it, so that no test reads a command's output without knowing
    /// whether the command succeeded.
    final class Result: @unchecked Sendable {
        private let exitStatus: Int32
        let stdout: String
        let stderr: String
        let arguments: [String]
        private var statusRead = false

        init(status: Int32, stdout: String, stderr: String, arguments: [String] = []) {
            exitStatus = status
            self.stdout = stdout
            self.stderr = stderr
            self.arguments = arguments
        }

        var status: Int32 {
            statusRead = true
            return exitStatus
        }

        deinit {
            if !statusRead {
                Issue.record("the exit status of `mayak \(arguments.joined(separator: " "))` was never checked")
            }
        }
    }

    /// Runs the binary; `input` is its standard input (none: an empty one, never the test's).
    /// `binary`: another copy of the program (an installed one) instead of this build's.
    /// `environment`: variables set for this run, over the test's own.
    static func run(
        _ arguments: [String], in directory: URL? = nil, input: String? = nil, binary: URL? = nil,
        environment extra: [String: String] = [:]
    ) throws -> Result {
        guard let url = binary ?? url else { throw NoBinary() }
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        // The binary cache of snapshots goes to a folder of this test run, not the user's.
        var environment = ProcessInfo.processInfo.environment
        environment["MAYAK_CACHE_DIR"] = cacheDirectory
        environment.merge(extra) { _, new in new }
        process.environment = environment
        if let directory { process.currentDirectoryURL = directory }
        let inPath = TemporaryFolders.fresh("stdin")
        TemporaryFolders.write(Data((input ?? "").utf8), to: inPath.path)
        defer { try? FileManager.default.removeItem(at: inPath) }
        process.standardInput = try FileHandle(forReadingFrom: inPath)
        // stderr goes to a file and stdout to a pipe read to its end: neither can fill up
        // and block the child.
        let errPath = TemporaryFolders.fresh("stderr")
        TemporaryFolders.write(nil, to: errPath.path)
        defer { try? FileManager.default.removeItem(at: errPath) }
        let errHandle = try FileHandle(forWritingTo: errPath)
        let out = Pipe()
        process.standardOutput = out
        process.standardError = errHandle
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try errHandle.close()
        let errData = (try? Data(contentsOf: errPath)) ?? Data()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self), arguments: arguments)
    }

    /// A run that must succeed: its exit status is expected to be 0 (the failure shows stderr).
    static func ok(_ arguments: [String], in directory: URL? = nil, input: String? = nil) throws -> Result {
        let r = try run(arguments, in: directory, input: input)
        #expect(r.status == 0, "mayak \(arguments.joined(separator: " ")): \(r.stderr)")
        return r
    }

    static let cacheDirectory = TemporaryFolders.root.appendingPathComponent("cache").path

    static func temporaryFolder() throws -> URL {
        let url = TemporaryFolders.fresh("cli")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
