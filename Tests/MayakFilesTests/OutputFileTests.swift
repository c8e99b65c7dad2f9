import Foundation
import MayakTestSupport
import Testing

@testable import MayakFiles

#if canImport(Glibc)
    import Glibc
#endif

/// What `OutputFile` does to each kind of path: replace files atomically, write through
/// devices, pipes and symlinks, refuse the rest, and leave no temporary file behind.
@Suite struct OutputFileTests {
    let folder: URL

    init() throws {
        folder = TemporaryFolders.fresh("output")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    func write(_ text: String, to path: String) throws {
        let file = try OutputFile(path)
        try file.write(text)
        try file.commit()
    }

    func read(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    func leftovers() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".mayak-") }
    }

    @Test func newFileAndReplacedFileKeepingItsPermissions() throws {
        let target = path("alerts.csv")
        try write("one", to: target)
        #expect(read(target) == "one")
        chmod(target, 0o640)
        try write("two", to: target)
        #expect(read(target) == "two")
        var st = stat()
        stat(target, &st)
        #expect(st.st_mode & 0o777 == 0o640)
        #expect(try leftovers().isEmpty)
        #expect(TemporaryFiles.pending.allSatisfy { !$0.hasPrefix(folder.path) })
    }

    @Test func aSymlinkIsWrittenThroughAndStays() throws {
        let target = path("real.txt")
        try "old".write(toFile: target, atomically: false, encoding: .utf8)
        let link = path("link.txt")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "real.txt")
        try write("new", to: link)
        #expect(try PathKind(link) == .symlink)
        #expect(read(target) == "new")
        // A dangling symlink names the file to create.
        let dangling = path("dangling.txt")
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: "created.txt")
        try write("made", to: dangling)
        #expect(try PathKind(dangling) == .symlink)
        #expect(read(path("created.txt")) == "made")
    }

    @Test func aSymlinkLoopIsRefused() throws {
        try FileManager.default.createSymbolicLink(atPath: path("a"), withDestinationPath: "b")
        try FileManager.default.createSymbolicLink(atPath: path("b"), withDestinationPath: "a")
        #expect(throws: FileError("symlink-loop", path: path("a"), "too many levels of symbolic links (a loop?)")) {
            try OutputFile(path("a"))
        }
    }

    @Test func foldersAndMissingFoldersAreRefused() throws {
        #expect(throws: FileError("is-a-folder", path: folder.path, "is a folder; give the name of a file to write")) {
            try OutputFile(folder.path)
        }
        let inMissing = path("missing/out.csv")
        #expect(throws: FileError("no-folder", path: inMissing, "no such folder: \(path("missing"))")) {
            try OutputFile(inMissing)
        }
        #expect(try leftovers().isEmpty)
    }

    @Test func aCharacterDeviceIsWrittenThroughNotReplaced() throws {
        try write("discarded", to: "/dev/null")
        #expect(try PathKind("/dev/null") == .characterDevice)
        let stray = try FileManager.default.contentsOfDirectory(atPath: "/dev").filter { $0.contains(".mayak-") }
        #expect(stray.isEmpty)
    }

    @Test func aFIFOIsWrittenThrough() throws {
        let fifo = path("pipe")
        #expect(mkfifo(fifo, 0o600) == 0)
        // The reader opens the FIFO on another thread; the writer's open waits for it.
        let received = ReceivedText()
        let reader = Thread {
            let handle = FileHandle(forReadingAtPath: fifo)
            received.text = handle.map { String(decoding: $0.readDataToEndOfFile(), as: UTF8.self) } ?? "unreadable"
            received.done.signal()
        }
        reader.start()
        try write("through the pipe", to: fifo)
        received.done.wait()
        #expect(received.text == "through the pipe")
        #expect(try PathKind(fifo) == .fifo)
    }

    @Test func aDiscardedOutputLeavesTheTargetAndNoTemporaryFile() throws {
        let target = path("kept.txt")
        try "kept".write(toFile: target, atomically: false, encoding: .utf8)
        let file = try OutputFile(target)
        try file.write("half")
        #expect(try leftovers().count == 1)
        file.discard()
        #expect(read(target) == "kept")
        #expect(try leftovers().isEmpty)
        // An output dropped without a commit is discarded too.
        do {
            let dropped = try OutputFile(target)
            try dropped.write("lost")
        }
        #expect(read(target) == "kept")
        #expect(try leftovers().isEmpty)
    }
}

final class ReceivedText: @unchecked Sendable {
    var text = ""
    let done = DispatchSemaphore(value: 0)
}
