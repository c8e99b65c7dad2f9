import ArgumentParser
import MayakFiles
import MayakHistory
import MayakSnapshot

struct Runs: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The recorded runs: when, which snapshot and rules, how long, how many alerts.")
    @OptionGroup var store: StoreOptions
    func run() throws {
        let s = try store.open(.read)
        for r in try s.runs() {
            Terminal.say(
                "№\(r.id)  \(Russian.moment(r.recordedAt))  данные на \(Russian.moment(r.asOf))  правил \(r.ruleCount) (\(r.rulesVersion), \(r.rulesHash))  предупреждений \(r.alertCount)  загрузка \(r.loadMilliseconds) мс, проверка \(r.scanMilliseconds) мс\(r.scope.isEmpty ? "" : "  [\(r.scope)]")\(r.overrides.isEmpty ? "" : "  {\(r.overrides)}")"
            )
        }
    }
}
