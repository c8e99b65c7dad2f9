import ArgumentParser
import MayakAlerts
import MayakEngine
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
        guard let reader = try? CSVReader(path: truth, displayName: truth) else {
            Terminal.error("error: cannot read \(truth)")
            throw ExitCode.failure
        }
        var header: [String] = []
        var rows: [[String: String]] = []
        reader.forEachRecord(header: { h, _ in header = h; return true }, { r in
            var row: [String: String] = [:]
            for i in 0..<min(r.count, header.count) { row[header[i]] = r.string(i) }
            rows.append(row)
        }, onError: { e in Terminal.error("\(self.truth):\(e.line):\(e.column): error: \(e.message)") })
        let findings = Scanner.scan(pack, index: SnapshotIndex(snapshot))
        let result = ScanResult(findings: findings, snapshot: snapshot, pack: pack)
        print(TruthCheck(result: result, truth: rows).rendered, terminator: "")
    }
}
