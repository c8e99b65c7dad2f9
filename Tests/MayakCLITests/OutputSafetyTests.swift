import Foundation
import MayakTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `--out` through the real binary: nothing that Mayak did not write is deleted, replaced or
/// truncated, and no temporary file outlives a run, even one stopped by a signal.
@Suite struct OutputSafetyTests {
    let tiny = MayakBinary.fixtures.appendingPathComponent("snapshots/tiny").path
    let rules = MayakBinary.rules.path

    func report(_ out: String, in work: URL) throws -> MayakBinary.Result {
        try MayakBinary.run(["report", tiny, "--rules", rules, "--out", out], in: work)
    }

    func names(_ folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    /// A work folder inside a parent holding a file of the user's, which must survive.
    func workWithNeighbour() throws -> (parent: URL, work: URL) {
        let parent = try MayakBinary.temporaryFolder()
        let work = parent.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try "the user's".write(to: parent.appendingPathComponent("notes.txt"), atomically: false, encoding: .utf8)
        return (parent, work)
    }

    @Test(arguments: ["..", ".", "./", "../", "//", "/", "/tmp/.."])
    func reportRefusesProtectedFolders(_ out: String) throws {
        let (parent, work) = try workWithNeighbour()
        let r = try report(out, in: work)
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("ошибка: не удалось записать отчёт в \(out): "), "\(r.stderr)")
        #expect(r.stderr.contains("Mayak never writes its output over it"))
        #expect(try names(parent) == ["notes.txt", "work"])
        #expect(try names(work).isEmpty)
    }

    @Test func reportRefusesAFileAndAUsersFolder() throws {
        let (parent, work) = try workWithNeighbour()
        let file = try report("../notes.txt", in: work)
        #expect(file.status == 1)
        #expect(
            file.stderr
                == "ошибка: не удалось записать отчёт в ../notes.txt: is a file, not a folder; give a new folder's name (Mayak does not replace files with folders)\n"
        )
        #expect(try String(contentsOf: parent.appendingPathComponent("notes.txt"), encoding: .utf8) == "the user's")
        let folder = try report(parent.path, in: work)
        #expect(folder.status == 1)
        #expect(try names(parent) == ["notes.txt", "work"])
    }

    @Test func reportReplacesItsOwnEarlierReportOnly() throws {
        let work = try MayakBinary.temporaryFolder()
        #expect(try report("site", in: work).status == 0)
        let first = try names(work.appendingPathComponent("site"))
        #expect(first.contains(".mayak-output") && first.contains("index.html"))
        #expect(try report("site", in: work).status == 0)
        #expect(try names(work.appendingPathComponent("site")) == first)
        try "mine".write(to: work.appendingPathComponent("site/notes.txt"), atomically: false, encoding: .utf8)
        let refused = try report("site", in: work)
        #expect(refused.status == 1)
        #expect(
            refused.stderr
                == "ошибка: не удалось записать отчёт в site: holds files Mayak did not write (notes.txt); move them out or give another folder's name\n"
        )
        #expect(FileManager.default.fileExists(atPath: work.appendingPathComponent("site/notes.txt").path))
        #expect(try names(work) == ["site"])
    }

    @Test func generateWithForceDoesNotReplaceAUsersFolder() throws {
        let work = try MayakBinary.temporaryFolder()
        let mine = work.appendingPathComponent("mine")
        try FileManager.default.createDirectory(at: mine, withIntermediateDirectories: true)
        try "x".write(to: mine.appendingPathComponent("thesis.docx"), atomically: false, encoding: .utf8)
        let r = try MayakBinary.run(["generate", "--out", "mine", "--force"], in: work)
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("ошибка: mine: already exists and is not an earlier Mayak output"))
        #expect(try names(mine) == ["thesis.docx"])
        #expect(try names(work) == ["mine"])
    }

    @Test func scanThroughADeviceASymlinkAndStandardOutput() throws {
        let work = try MayakBinary.temporaryFolder()
        let devNull = try MayakBinary.run(
            ["scan", tiny, "--rules", rules, "--format", "csv", "--out", "/dev/null"], in: work)
        #expect(devNull.status == 0)
        var st = stat()
        #expect(lstat("/dev/null", &st) == 0 && st.st_mode & S_IFMT == S_IFCHR)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: "/dev").filter {
                $0.contains(".mayak-") || $0.hasSuffix(".tmp") && $0.hasPrefix(".null")
            }.isEmpty)

        try "old".write(to: work.appendingPathComponent("target.csv"), atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(
            atPath: work.appendingPathComponent("latest.csv").path, withDestinationPath: "target.csv")
        let link = try MayakBinary.run(
            ["scan", tiny, "--rules", rules, "--format", "csv", "--out", "latest.csv"], in: work)
        #expect(link.status == 0)
        #expect(
            try FileManager.default.destinationOfSymbolicLink(atPath: work.appendingPathComponent("latest.csv").path)
                == "target.csv")
        let written = try String(contentsOf: work.appendingPathComponent("target.csv"), encoding: .utf8)
        #expect(written.contains("Школа;Класс"))

        let dash = try MayakBinary.run(["scan", tiny, "--rules", rules, "--format", "csv", "--out", "-"], in: work)
        #expect(dash.status == 0)
        let bytes = try Data(contentsOf: work.appendingPathComponent("target.csv"))
        #expect(Data(dash.stdout.utf8) == bytes)
        #expect(try names(work) == ["latest.csv", "target.csv"])
    }

    @Test func scanRefusesAFolderBeforeScanning() throws {
        let work = try MayakBinary.temporaryFolder()
        let r = try MayakBinary.run(["scan", tiny, "--rules", rules, "--out", work.path], in: work)
        #expect(r.status == 1)
        #expect(r.stderr == "ошибка: не удалось записать \(work.path): is a folder; give the name of a file to write\n")
    }

    /// Holds the binary right after it opened its output, stops it by `signal`, and checks
    /// that it ended by that signal and left nothing behind.
    func stopped(_ arguments: [String], by signal: Int32, in work: URL) throws {
        let process = Process()
        guard let binary = MayakBinary.url else { throw MayakBinary.NoBinary() }
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = work
        var environment = ProcessInfo.processInfo.environment
        environment["MAYAK_TEST_PAUSE"] = "output-open"
        environment["MAYAK_CACHE_DIR"] = MayakBinary.cacheDirectory
        process.environment = environment
        let input = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Wait for the binary to say it holds its output open (a line on standard error).
        var said = Data()
        while !said.contains(0x0A) {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            said.append(chunk)
        }
        #expect(String(decoding: said, as: UTF8.self) == "output-open\n")
        #expect(
            try names(work).contains { $0.contains(".mayak-") }, "the temporary output exists while the run holds it")
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        try? input.fileHandleForWriting.close()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(process.terminationStatus == signal)
        let left = try names(work)
        #expect(left.filter { $0.contains(".mayak-") }.isEmpty, "\(left)")
    }

    @Test func aStoppedScanLeavesNoTemporaryFile() throws {
        let work = try MayakBinary.temporaryFolder()
        try stopped(["scan", tiny, "--rules", rules, "--out", "alerts.txt"], by: SIGTERM, in: work)
        try stopped(["scan", tiny, "--rules", rules, "--out", "alerts.txt"], by: SIGINT, in: work)
        #expect(try names(work).isEmpty)
    }

    @Test func aStoppedReportLeavesNoStagingFolder() throws {
        let work = try MayakBinary.temporaryFolder()
        try stopped(["report", tiny, "--rules", rules, "--out", "site"], by: SIGTERM, in: work)
        #expect(try names(work).isEmpty)
    }
}

/// A reader that goes away early (`mayak demo | head`) leaves no temporary folder behind.
@Suite struct BrokenPipeTests {
    @Test func aDemoWhoseReaderLeavesCleansUp() throws {
        let temporary = try MayakBinary.temporaryFolder()
        let process = Process()
        guard let binary = MayakBinary.url else { throw MayakBinary.NoBinary() }
        process.executableURL = binary
        process.arguments = ["demo", "--rules", MayakBinary.rules.path]
        var environment = ProcessInfo.processInfo.environment
        environment["TMPDIR"] = temporary.path
        process.environment = environment
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Read the first line, then close the pipe, as `head -1` would.
        _ = out.fileHandleForReading.availableData
        try out.fileHandleForReading.close()
        process.waitUntilExit()
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path).isEmpty)
    }
}
