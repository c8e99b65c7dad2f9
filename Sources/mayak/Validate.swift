import ArgumentParser
import MayakAlerts
import MayakEngine
import MayakFiles
import MayakSnapshot

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the rules against what the generator planted: recall and false alarms per condition.")

    @OptionGroup var input: SnapshotOptions
    @OptionGroup var rules: RuleOptions

    @Option(help: "The truth file written by `mayak generate --truth`.")
    var truth: String

    func run() throws {
        let pack = try rules.load()
        let snapshot = try input.load()
        let rows: [[String: String]]
        do {
            rows = try CSVReader.rows(path: truth) { e in
                Terminal.error("\(self.truth):\(e.line):\(e.column): error: \(e.message)")
            }
        } catch {
            Terminal.error("error: cannot read \(truth)")
            throw ExitCode.failure
        }
        let findings = try Scanning.scan(pack, index: SnapshotIndex(snapshot))
        let result = ScanResult(findings: findings, snapshot: snapshot, pack: pack)
        Terminal.say(TruthCheck(result: result, truth: rows).rendered, terminator: "")
    }
}
