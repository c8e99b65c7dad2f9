import ArgumentParser
import MayakEngine

/// Every command's scan: faults (a rule that could not be evaluated for an entity) are
/// printed as errors and end the command with 1; warnings (a pattern that gave up on a
/// text) are printed to standard error and the command goes on.
enum Scanning {
    static func scan(
        _ pack: RulePack, index: SnapshotIndex, scope: ScanScope = ScanScope(),
        engine: ScanEngine = .compiled
    ) throws -> [Finding] {
        let outcome = Scanner.run(pack, index: index, scope: scope, engine: engine)
        guard outcome.faults.isEmpty else {
            Terminal.error(ScanFailure(faults: outcome.faults).rendered())
            throw ExitCode.failure
        }
        if !outcome.warnings.isEmpty { Terminal.error(outcome.warnings.joined(separator: "\n")) }
        return outcome.findings
    }
}
