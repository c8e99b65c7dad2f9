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
        if let problem = Validate.mismatch(truth: rows, manifest: snapshot.manifest) {
            Terminal.error("ошибка: \(truth): \(problem)")
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
            return
                "снимок сделан не командой mayak generate (в manifest.yaml нет generated:), а validate сверяет с тем, что заложил генератор"
        }
        let made = Set(rows.map { "\($0["seed"] ?? "?")|\($0["as_of"] ?? "?")" })
        if rows.contains(where: { $0["seed"] == nil || $0["as_of"] == nil }) {
            return
                "в файле нет столбцов seed и as_of (его писала прежняя версия Маяка); сгенерируйте снимок и файл заново одной командой: mayak generate --truth ФАЙЛ --out ПАПКА"
        }
        let snapshot = "\(generated.seed)|\(manifest.asOf)"
        guard made == [snapshot] || made.isEmpty else {
            let described = made.sorted().map { key -> String in
                let parts = key.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
                return "seed \(parts[0]) на \(Day(parts[1])?.russian ?? parts[1])"
            }
            return
                "файл --truth написан для снимка \(described.joined(separator: ", ")), а этот снимок — seed \(generated.seed) на \(manifest.asOf.russian); сделайте их одной командой: mayak generate --seed N --as-of ДАТА --truth ФАЙЛ --out ПАПКА"
        }
        return nil
    }
}
