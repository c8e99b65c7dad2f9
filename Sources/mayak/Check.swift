import ArgumentParser
import MayakFiles
import MayakSnapshot

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate a snapshot and print its summary: counts, успеваемость, качество знаний, СОУ, неуспевающие."
    )

    @OptionGroup var input: SnapshotOptions

    func run() throws {
        let snapshot = try input.load()
        Terminal.say(SnapshotSummary(snapshot).rendered(), terminator: "")
    }
}
