import Foundation
import FuzzSupport
import MayakEngine
import MayakRules
import MayakSnapshot

/// A rule file from the input: loaded and checked (RuleLoader, Checker, compiler); when it
/// loads, its own test cases run and it scans the tiny snapshot on both engines.
let folder: String = {
    let path = FuzzSupport.work + "/rules"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}()
let snapshot = try? SnapshotLoader(folder: FuzzSupport.root + "/Tests/Fixtures/snapshots/tiny").load().snapshot

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FileManager.default.createFile(atPath: folder + "/rule.yaml", contents: Data(bytes: data, count: size))
    var log = DiagnosticLog(cap: 50)
    _ = log.rendered(byPosition: true)
    guard let pack = RulePack.load(paths: [folder], log: &log), !log.hasErrors else { return 0 }
    _ = RuleTester.run(RuleLoader().load(paths: [folder], log: &log))
    if let snapshot {
        let index = SnapshotIndex(snapshot)
        let compiled = Scanner.run(pack, index: index, engine: .compiled)
        let reference = Scanner.run(pack, index: index, engine: .reference)
        if compiled.findings.count != reference.findings.count || compiled.faults.count != reference.faults.count {
            fatalError("the engines disagree on a rule")
        }
    }
    return 0
}

/// The executable's entry (SwiftPM's name for `main`): libFuzzer's driver over `fuzz`.
@_cdecl("fuzz_rules_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    FuzzSupport.main(argc, argv, fuzz)
}
