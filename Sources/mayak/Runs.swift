import ArgumentParser
import MayakFiles
import MayakHistory
import MayakSnapshot

struct Runs: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: Help.Runs.abstract)
    @OptionGroup var store: StoreOptions
    func run() throws {
        let s = try store.open(.read)
        for r in try s.runs() {
            Terminal.say(Messages.run(r))
        }
    }
}
