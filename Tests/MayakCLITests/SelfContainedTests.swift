import Foundation
import Testing

/// The program as a school installs it: one file copied into a `bin` folder, run from an
/// empty folder with no `rules/` or `mappings/` beside it. The rule pack and the mapping
/// files are built in.
@Suite struct SelfContainedTests {
    /// A copy of this build's binary in `PREFIX/bin` of a fresh folder (what scripts/install
    /// does, minus the build), and an empty working folder beside it.
    static func installed() throws -> (binary: URL, work: URL, root: URL) {
        let root = try MayakBinary.temporaryFolder()
        let bin = root.appendingPathComponent("prefix/bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let binary = bin.appendingPathComponent("mayak")
        try FileManager.default.copyItem(at: try #require(MayakBinary.url), to: binary)
        let work = root.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        return (binary, work, root)
    }

    @Test func versionNamesTheProgramAndItsPack() throws {
        let (binary, work, root) = try Self.installed()
        defer { try? FileManager.default.removeItem(at: root) }
        let r = try MayakBinary.run(["--version"], in: work, binary: binary)
        #expect(r.status == 0)
        let pack = try String(contentsOf: MayakBinary.rules.appendingPathComponent("VERSION"), encoding: .utf8)
            .split(separator: "\n")[0]
        #expect(r.stdout.hasPrefix("mayak "))
        #expect(r.stdout.contains("встроенный набор правил \(pack)"), "\(r.stdout)")
    }

    /// Demo, scan and report work from an empty folder, with the pack built in; the built-in
    /// pack gives exactly what the repository's rules/ give.
    @Test func runsFromAnEmptyFolder() throws {
        let (binary, work, root) = try Self.installed()
        defer { try? FileManager.default.removeItem(at: root) }
        let demo = try MayakBinary.run(["demo"], in: work, binary: binary)
        #expect(demo.status == 0, "\(demo.stderr)")
        #expect(demo.stdout.contains("Проверка правилами (14 правил"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: work.path).isEmpty, "demo leaves nothing behind")

        #expect(try MayakBinary.run(["generate", "--out", "d"], in: work, binary: binary).status == 0)
        let builtIn = try MayakBinary.run(["scan", "d", "--format", "json"], in: work, binary: binary)
        #expect(builtIn.status == 0, "\(builtIn.stderr)")
        let repository = try MayakBinary.run(
            ["scan", "d", "--format", "json", "--rules", MayakBinary.rules.path], in: work, binary: binary)
        #expect(repository.status == 0)
        #expect(builtIn.stdout == repository.stdout)
        #expect(builtIn.stdout.contains("\"rules\": 14") || builtIn.stdout.contains("\"rules\":14"))

        let report = try MayakBinary.run(["report", "d", "--out", "site"], in: work, binary: binary)
        #expect(report.status == 0, "\(report.stderr)")
        #expect(FileManager.default.fileExists(atPath: work.appendingPathComponent("site/index.html").path))
        let tested = try MayakBinary.run(["test-rules", "--quiet"], in: work, binary: binary)
        #expect(tested.status == 0, "\(tested.stdout)")
    }

    /// The department exports the pack, edits it, and scans with its own copy; a second export
    /// never overwrites the first (its edits).
    @Test func exportedPackIsTheBuiltInOne() throws {
        let (binary, work, root) = try Self.installed()
        defer { try? FileManager.default.removeItem(at: root) }
        let export = try MayakBinary.run(["rules", "export", "ours"], in: work, binary: binary)
        #expect(export.status == 0, "\(export.stderr)")
        #expect(export.stdout.hasPrefix("Выгружено 14 правил набора "))
        let files = try FileManager.default.contentsOfDirectory(
            atPath: work.appendingPathComponent("ours/core").path)
        #expect(files.count == 14)
        for name in files {
            let exported = try Data(contentsOf: work.appendingPathComponent("ours/core/\(name)"))
            let source = try Data(contentsOf: MayakBinary.rules.appendingPathComponent("core/\(name)"))
            #expect(exported == source, "\(name)")
        }
        let ours = try MayakBinary.run(["rules", "list", "--rules", "ours"], in: work, binary: binary)
        let builtIn = try MayakBinary.run(["rules", "list"], in: work, binary: binary)
        #expect(ours.status == 0 && builtIn.status == 0)
        #expect(ours.stdout == builtIn.stdout, "the same pack, the same hash and version")

        // An edit, then a second export into the same folder: refused, the edit kept.
        let edited = work.appendingPathComponent("ours/core/truancy.yaml")
        try Data("# правка отдела\n".utf8).write(to: edited)
        let again = try MayakBinary.run(["rules", "export", "ours"], in: work, binary: binary)
        #expect(again.status == 1)
        #expect(again.stderr.contains("назовите новую папку"), "\(again.stderr)")
        #expect(try String(contentsOf: edited, encoding: .utf8) == "# правка отдела\n")
        // A user's folder with files of its own is refused too.
        let mine = work.appendingPathComponent("mine")
        try FileManager.default.createDirectory(at: mine, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: mine.appendingPathComponent("notes.txt"))
        let refused = try MayakBinary.run(["rules", "export", "mine"], in: work, binary: binary)
        #expect(refused.status == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: mine.path) == ["notes.txt"])
    }

    /// Adding rules to the built-in pack names both; a built-in path that names nothing says
    /// what is built in.
    @Test func builtInPathsAndMappings() throws {
        let (binary, work, root) = try Self.installed()
        defer { try? FileManager.default.removeItem(at: root) }
        let extra = work.appendingPathComponent("extra.yaml")
        let truancy = try String(
            contentsOf: MayakBinary.rules.appendingPathComponent("core/truancy.yaml"), encoding: .utf8)
        try Data(truancy.replacingOccurrences(of: "id: truancy", with: "id: truancy-copy").utf8).write(to: extra)
        let both = try MayakBinary.run(
            ["rules", "list", "--rules", "builtin:", "--rules", "extra.yaml"], in: work, binary: binary)
        #expect(both.status == 0, "\(both.stderr)")
        #expect(both.stdout.contains("правил: 15"))
        let one = try MayakBinary.run(
            ["rules", "list", "--rules", "builtin:core/truancy.yaml"], in: work, binary: binary)
        #expect(one.status == 0)
        #expect(one.stdout.contains("правил: 1"))
        let none = try MayakBinary.run(["rules", "list", "--rules", "builtin:nothing"], in: work, binary: binary)
        #expect(none.status == 1)
        #expect(none.stderr.contains("builtin:nothing"))

        // The UCI data through the built-in mapping, as the README's example does with the file.
        let data = MayakBinary.fixtures.appendingPathComponent("real/uci-student-performance")
        let imported = try MayakBinary.run(
            [
                "import", data.appendingPathComponent("student-mat.csv").path,
                data.appendingPathComponent("student-por.csv").path, "--into", "uci", "--mapping",
                "builtin:uci-student-performance", "--calendar", "trimesters/1-11", "--school-year", "2025/2026",
            ], in: work, binary: binary)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(try MayakBinary.run(["check", "uci"], in: work, binary: binary).status == 0)
        let unknown = try MayakBinary.run(
            [
                "import", data.appendingPathComponent("student-mat.csv").path, "--into", "x", "--mapping",
                "builtin:nope",
            ],
            in: work, binary: binary)
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("builtin:uci-student-performance"), "\(unknown.stderr)")
    }
}
