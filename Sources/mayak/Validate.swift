import ArgumentParser
import MayakAlerts
import MayakEngine
import MayakFiles
import MayakSnapshot

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: Help.Validate.abstract)

    @OptionGroup var input: SnapshotOptions
    @OptionGroup var rules: RuleOptions

    @Option(help: Help.Validate.truth)
    var truth: String

    func run() throws {
        let pack = try rules.load()
        let snapshot = try input.load()
        let rows: [[String: String]]
        do {
            rows = try CSVReader.rows(path: truth) { e in
                Terminal.error(Messages.error(file: self.truth, line: e.line, column: e.column, e.message))
            }
        } catch {
            Terminal.error(Messages.cannotRead(truth))
            throw ExitCode.failure
        }
        if let problem = Validate.mismatch(truth: rows, manifest: snapshot.manifest) {
            Terminal.error(Messages.truthMismatch(truth, problem))
            throw ExitCode.failure
        }
        let findings = try Scanning.scan(pack, index: SnapshotIndex(snapshot))
        let result = ScanResult(findings: findings, snapshot: snapshot, pack: pack)
        Terminal.say(TruthCheck(result: result, truth: rows).rendered, terminator: "")
    }
}

extension Validate {
    /// Why the truth file does not belong to the snapshot, if it does not: it must come from
    /// the same `mayak generate` run (the seed and the as-of date every row ends with), or the
    /// figures compare one district's plants with another's pupils.
    static func mismatch(truth rows: [[String: String]], manifest: Manifest) -> String? {
        guard let generated = manifest.generated else {
            return Messages.notGenerated
        }
        let made = Set(rows.map { "\($0["seed"] ?? "?")|\($0["as_of"] ?? "?")" })
        if rows.contains(where: { $0["seed"] == nil || $0["as_of"] == nil }) {
            return Messages.truthWithoutSeed
        }
        let snapshot = "\(generated.seed)|\(manifest.asOf)"
        guard made == [snapshot] || made.isEmpty else {
            let described = made.sorted().map { key -> String in
                let parts = key.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
                return Messages.truthOfSeed(parts[0], Day(parts[1])?.russian ?? parts[1])
            }
            return Messages.truthOfAnother(described, seed: generated.seed, asOf: manifest.asOf.russian)
        }
        return nil
    }
}
