import Foundation
import MayakEngine
import MayakImport
import MayakSnapshot

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

/// What the harnesses share: a private copy of the tiny snapshot to write inputs into, and
/// the default rule pack, made once per fuzzing process.
public enum FuzzSupport {
    /// Runs libFuzzer's driver over `callback`. SwiftPM links an executable's `main` to
    /// `<module>_main`, so each harness defines that symbol and hands over to libFuzzer here.
    public static func main(
        _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
        _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
    ) -> CInt {
        var count = argc
        var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
        return runFuzzerDriver(&count, &arguments, callback)
    }

    /// The repository's root (this file is Fuzz/Support/FuzzSupport.swift).
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// A fresh folder of this process, removed at exit.
    public static let work: String = {
        let path = NSTemporaryDirectory() + "mayak-fuzz-\(getpid())"
        try? FileManager.default.removeItem(atPath: path)
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: FuzzSupport.work) }
        return path
    }()

    /// A copy of Tests/Fixtures/snapshots/tiny in the work folder.
    public static let snapshot: String = {
        let path = work + "/snapshot"
        try? FileManager.default.copyItem(atPath: root + "/Tests/Fixtures/snapshots/tiny", toPath: path)
        return path
    }()

    /// The tiny snapshot's files as they are, to put back after an input replaced one.
    public static let originals: [String: Data] = {
        var files: [String: Data] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: snapshot)) ?? [] {
            files[name] = FileManager.default.contents(atPath: snapshot + "/" + name)
        }
        return files
    }()

    /// The default pack (rules/), loaded once.
    public static let pack: RulePack? = {
        var log = DiagnosticLog(cap: 50)
        return RulePack.load(paths: [root + "/rules"], log: &log)
    }()

    /// Writes an input as `name` in the snapshot copy (the other files as in the fixture).
    public static func put(_ data: UnsafePointer<UInt8>, _ size: Int, as name: String) {
        for (file, contents) in originals where file != name {
            if FileManager.default.contents(atPath: snapshot + "/" + file) != contents {
                FileManager.default.createFile(atPath: snapshot + "/" + file, contents: contents)
            }
        }
        FileManager.default.createFile(atPath: snapshot + "/" + name, contents: Data(bytes: data, count: size))
    }

    /// Loads the snapshot copy from its CSVs and, when it loads, scans it with the default pack
    /// on both engines (which must agree) and computes its figures: what a user's run would do.
    public static func loadAndScan() {
        guard let (snapshot, _) = try? SnapshotLoader(folder: self.snapshot).load() else { return }
        scan(snapshot)
    }

    /// Summarises a snapshot and scans it on both engines, which must agree.
    public static func scan(_ snapshot: Snapshot) {
        _ = SnapshotSummary(snapshot).rendered()
        guard let pack else { return }
        let index = SnapshotIndex(snapshot)
        let compiled = Scanner.run(pack, index: index, engine: .compiled)
        let reference = Scanner.run(pack, index: index, engine: .reference)
        if compiled.findings.count != reference.findings.count || compiled.faults.count != reference.faults.count {
            fatalError(
                "the engines disagree: \(compiled.findings.count) findings and \(compiled.faults.count) faults against \(reference.findings.count) and \(reference.faults.count)"
            )
        }
    }

    /// Every built-in layout that recognises a workbook, run over it as an import would
    /// (layouts read cells, merges and header lines from hostile sources too).
    public static func readLayouts(_ book: Workbook) {
        var log = ImportLog()
        let context = LayoutContext(options: ImportOptions(schoolYearStart: 2025))
        for layout in Layouts.all where layout.recognises(book) {
            _ = layout.read(book, context: context, log: &log)
        }
    }
}
