import Foundation

/// Where tests write their files: one folder per test process, removed when the process
/// ends, so that a test run leaves nothing behind in the temporary directory.
public enum TemporaryFolders {
    public static let root: URL = {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("mayak-tests-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        atexit { TemporaryFolders.removeRoot() }
        return url
    }()

    /// A fresh path in the root (nothing is created there): `<root>/<name>-<UUID>`, or
    /// `<root>/<name>-<UUID>.<extension>` when `name` has one.
    public static func fresh(_ name: String) -> URL {
        let parts = name.split(separator: ".", maxSplits: 1)
        let base = "\(parts[0])-\(UUID().uuidString)"
        return root.appendingPathComponent(parts.count == 2 ? base + "." + parts[1] : base)
    }

    /// Writes a test's file; a file that cannot be written stops the run there, rather than
    /// failing later on a fixture that is not what the test wrote.
    public static func write(_ contents: Data?, to path: String) {
        precondition(FileManager.default.createFile(atPath: path, contents: contents), "cannot write \(path)")
    }

    private static func removeRoot() { try? FileManager.default.removeItem(at: root) }
}
