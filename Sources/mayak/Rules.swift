import ArgumentParser
import Foundation
import MayakAlerts
import MayakBuiltIn
import MayakEngine
import MayakFiles
import MayakRules
import MayakSnapshot

/// `mayak rules`: the rule pack built into the program, and the packs a department keeps.
struct Rules: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: Help.RuleCommands.abstract,
        subcommands: [RulesExport.self, RulesList.self])
}

/// Writes the built-in pack out, for a department to edit and run with `--rules DIR`.
struct RulesExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: Help.RuleCommands.Export.abstract, discussion: Help.RuleCommands.Export.discussion)

    @Argument(help: Help.RuleCommands.Export.folder)
    var folder: String

    func run() throws {
        let files = BuiltIn.ruleFiles(under: BuiltIn.scheme)
        let output: OutputFolder
        do { output = try OutputFolder(folder, kind: .rules, replace: false) } catch let error as FileError {
            let why = error.code == "output-exists" ? Messages.rulesExportExists : "\(error)"
            Terminal.error(Messages.cannotExportRules(folder, why))
            throw ExitCode.failure
        }
        var written: [String] = []
        do {
            for file in files {
                guard let text = BuiltIn.ruleFile(file) else { continue }
                let relative = String(file.dropFirst(BuiltIn.scheme.count))
                let target = (output.staging as NSString).appendingPathComponent(relative)
                try FileManager.default.createDirectory(
                    atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try Data(text.utf8).write(to: URL(fileURLWithPath: target))
                written.append(relative)
            }
            try output.commit(files: written)
        } catch {
            output.discard()
            Terminal.error(Messages.cannotExportRules(folder, "\(error)"))
            throw ExitCode.failure
        }
        let rules = written.filter { $0.hasSuffix(".yaml") }.count
        Terminal.say(Messages.rulesExported(rules, version: BuiltIn.rulesVersion, folder: folder))
    }
}

/// Lists the rules of a pack: id, severity, scope, title.
struct RulesList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: Help.RuleCommands.List.abstract)

    @OptionGroup var rules: RuleOptions

    func run() throws {
        let pack = try rules.load()
        Terminal.say(Messages.rulePack(version: pack.version, hash: pack.hash, rules: pack.rules.count))
        let rows = pack.rules.map { r in
            [r.id, r.definition.severity.russian, r.definition.scope.russian, r.definition.title]
        }
        Terminal.say(TextTable.render(header: Messages.ruleListHeader, rows: rows))
    }
}
