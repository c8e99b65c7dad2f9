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
        abstract: "Наборы правил: встроенный в программу и свои.",
        subcommands: [RulesExport.self, RulesList.self])
}

/// Writes the built-in pack out, for a department to edit and run with `--rules DIR`.
struct RulesExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Выгрузить встроенный набор правил в папку, чтобы его править.",
        discussion:
            "Пишет в новую (или пустую) папку файл VERSION и папку core с правилами. Затем: mayak scan СНИМОК --rules ПАПКА. Уже существующую папку с файлами не трогает: правки отдела не пропадут."
    )

    @Argument(help: "Новая или пустая папка.")
    var folder: String

    func run() throws {
        let files = BuiltIn.ruleFiles(under: BuiltIn.scheme)
        let output: OutputFolder
        do { output = try OutputFolder(folder, kind: .rules, replace: false) } catch let error as FileError {
            let why =
                error.code == "output-exists"
                ? "в папке уже есть выгрузка правил, возможно с правками; назовите новую папку" : "\(error)"
            Terminal.error("ошибка: не могу выгрузить правила в \(folder): \(why)")
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
            Terminal.error("ошибка: не могу выгрузить правила в \(folder): \(error)")
            throw ExitCode.failure
        }
        let rules = written.filter { $0.hasSuffix(".yaml") }.count
        Terminal.say(
            "Выгружено \(Russian.number(rules)) \(Russian.plural(rules, "правило", "правила", "правил")) набора \(BuiltIn.rulesVersion) в \(folder). Запуск с ними: mayak scan СНИМОК --rules \(folder)"
        )
    }
}

/// Lists the rules of a pack: id, severity, scope, title.
struct RulesList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Перечислить правила набора: код, важность, уровень, название.")

    @OptionGroup var rules: RuleOptions

    func run() throws {
        let pack = try rules.load()
        Terminal.say("Набор правил \(pack.version), хеш \(pack.hash); правил: \(Russian.number(pack.rules.count))")
        let rows = pack.rules.map { r in
            [r.id, r.definition.severity.russian, r.definition.scope.russian, r.definition.title]
        }
        Terminal.say(TextTable.render(header: ["Код", "Важность", "Уровень", "Название"], rows: rows))
    }
}
