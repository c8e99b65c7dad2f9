import Foundation
import Testing

/// The bad-input corpus (`Tests/Fixtures/bad/NAME/`), each case through the real binary, with
/// its exact diagnostics and exit code. A case folder holds:
/// - `expected.txt`: what the run prints on standard error, then a line `exit N`;
/// - `args.txt` (optional): the command line, one argument per line (default: `check SNAPSHOT`);
///   it runs in a fresh work folder holding `SNAPSHOT`, a copy of the tiny snapshot;
/// - `work/` (optional): copied into the work folder as it is (rule files, overrides, …);
/// - any other file: put into `SNAPSHOT` in place of the tiny snapshot's file of that name.
/// On a failure nothing may reach standard output.
@Suite struct BadInputCorpusTests {
    static let root = MayakBinary.fixtures.appendingPathComponent("bad")

    /// The corpus is found whole: as many cases as the folder holds, and not fewer than it had.
    @Test func theCorpusIsFound() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.root.path)
        #expect(names.count >= 74)
        #expect(names.allSatisfy { FileManager.default.fileExists(atPath: Self.root.path + "/\($0)/expected.txt") })
    }

    @Test(arguments: try FileManager.default.contentsOfDirectory(atPath: root.path).sorted())
    func badInput(name: String) throws {
        let fm = FileManager.default
        let work = try MayakBinary.temporaryFolder()
        defer { try? fm.removeItem(at: work) }
        let snapshot = work.appendingPathComponent("SNAPSHOT")
        try fm.copyItem(at: MayakBinary.fixtures.appendingPathComponent("snapshots/tiny"), to: snapshot)
        let overlay = Self.root.appendingPathComponent(name)
        var expected = ""
        var arguments = ["check", "SNAPSHOT"]
        for file in try fm.contentsOfDirectory(atPath: overlay.path) {
            let source = overlay.appendingPathComponent(file)
            switch file {
            case "expected.txt":
                expected = try String(contentsOf: source, encoding: .utf8)
            case "args.txt":
                arguments = try String(contentsOf: source, encoding: .utf8).split(separator: "\n").map(String.init)
            case "work":
                for item in try fm.contentsOfDirectory(atPath: source.path) {
                    try fm.copyItem(at: source.appendingPathComponent(item), to: work.appendingPathComponent(item))
                }
            default:
                try? fm.removeItem(at: snapshot.appendingPathComponent(file))
                try fm.copyItem(at: source, to: snapshot.appendingPathComponent(file))
            }
        }
        let r = try MayakBinary.run(arguments, in: work)
        #expect(r.stderr + "exit \(r.status)\n" == expected)
        if r.status != 0 { #expect(r.stdout.isEmpty) }
    }
}
