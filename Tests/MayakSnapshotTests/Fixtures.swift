import Foundation
import MayakTestSupport

@testable import MayakSnapshot

/// Paths of the shared fixture folders under Tests/Fixtures.
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")
    static var tiny: String { root.appendingPathComponent("snapshots/tiny").path }
    static var tinyCP1251: String { root.appendingPathComponent("snapshots/tiny-cp1251").path }
    static var bad: URL { root.appendingPathComponent("bad") }

    /// The bad-input cases the loader can run by itself: those with a command line of their
    /// own (`args.txt`: options such as `--encoding`) or a work folder are for the CLI tests.
    static var badCases: [String] {
        let fm = FileManager.default
        // Loudly, never an empty list: a corpus that cannot be read must not pass as no cases.
        guard let names = try? fm.contentsOfDirectory(atPath: bad.path), !names.isEmpty else {
            fatalError("the bad-input corpus \(bad.path) cannot be read or is empty")
        }
        return names.sorted().filter { name in
            let folder = bad.appendingPathComponent(name)
            return !fm.fileExists(atPath: folder.appendingPathComponent("args.txt").path)
                && !fm.fileExists(atPath: folder.appendingPathComponent("work").path)
        }
    }

    /// A copy of the tiny snapshot with a bad fixture's files laid over it, in a fresh
    /// temporary folder named SNAPSHOT (the name the expected diagnostics use).
    static func materialize(badCase: String) throws -> (parent: URL, folder: URL, expected: String) {
        let fm = FileManager.default
        let parent = TemporaryFolders.fresh("fixture")
        let folder = parent.appendingPathComponent("SNAPSHOT")
        try fm.createDirectory(at: parent, withIntermediateDirectories: true)
        try fm.copyItem(atPath: tiny, toPath: folder.path)
        let overlay = bad.appendingPathComponent(badCase)
        var expected = ""
        for name in try fm.contentsOfDirectory(atPath: overlay.path) {
            let source = overlay.appendingPathComponent(name)
            if name == "expected.txt" {
                expected = try String(contentsOf: source, encoding: .utf8)
                continue
            }
            let target = folder.appendingPathComponent(name)
            try? fm.removeItem(at: target)
            try fm.copyItem(at: source, to: target)
        }
        return (parent, folder, expected)
    }

    static func temporaryFile(_ contents: [UInt8], name: String = "table.csv") throws -> String {
        let dir = TemporaryFolders.fresh("csv")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent(name).path
        TemporaryFolders.write(Data(contents), to: path)
        return path
    }
}
