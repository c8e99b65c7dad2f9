import ArgumentParser
import MayakFiles
import MayakSnapshot

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: Help.Check.abstract)

    @OptionGroup var input: SnapshotOptions

    func run() throws {
        let snapshot = try input.load()
        Terminal.say(SnapshotSummary(snapshot).rendered(), terminator: "")
    }
}
