import Foundation
import MayakTestSupport

/// Runs the real `mayak` binary built next to the test bundle.
enum MayakBinary {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures")
    static let rules = packageRoot.appendingPathComponent("rules")

    static var url: URL {
        if let explicit = ProcessInfo.processInfo.environment["MAYAK_BINARY"] { return URL(fileURLWithPath: explicit) }
        // The test runner lives in the products folder, next to the executable.
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = runner.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("mayak")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return packageRoot.appendingPathComponent(".build/debug/mayak")
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String], in directory: URL? = nil) throws -> Result {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        // The binary cache of snapshots goes to a folder of this test run, not the user's.
        var environment = ProcessInfo.processInfo.environment
        environment["MAYAK_CACHE_DIR"] = cacheDirectory
        process.environment = environment
        if let directory { process.currentDirectoryURL = directory }
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
            stderr: String(decoding: errData, as: UTF8.self))
    }

    static let cacheDirectory = TemporaryFolders.root.appendingPathComponent("cache").path

    static func temporaryFolder() throws -> URL {
        let url = TemporaryFolders.fresh("cli")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
