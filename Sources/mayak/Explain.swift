import ArgumentParser
import MayakEngine
import MayakFiles
import MayakRules
import MayakSnapshot

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: Help.Explain.abstract)

    @OptionGroup var input: SnapshotOptions
    @OptionGroup var rules: RuleOptions

    @Option(help: Help.Common.pupil)
    var pupil: String

    @Option(help: Help.Common.rule)
    var rule: String?

    func run() throws {
        let pack = try rules.load()
        let snapshot = try input.load()
        guard let p = snapshot.pupils.id.firstIndex(of: pupil) else {
            Terminal.error(Messages.noPupil(pupil))
            throw ExitCode.failure
        }
        if let rule, pack.rule(id: rule) == nil {
            Terminal.error(Messages.noRule(rule, closest: Suggest.closest(rule, in: pack.rules.map(\.id))))
            throw ExitCode.failure
        }
        let index = SnapshotIndex(snapshot)
        // Other rules' alerts, for the rules that count indicators. A rule that cannot be
        // evaluated is shown where it fails for this pupil (below), not a reason to explain nothing.
        let outcome = Scanner.run(
            pack, index: index, scope: ScanScope(classID: snapshot.classes.id[Int(snapshot.pupils.classIndex[p])]))
        if !outcome.warnings.isEmpty { Terminal.error(outcome.warnings.joined(separator: "\n")) }
        let evaluator = Evaluator(index: index)
        evaluator.alertsByPupil = Scanner.alertsByPupil(outcome.findings)
        let c = Int(snapshot.pupils.classIndex[p])
        Terminal.say(
            Messages.explainPupil(
                name: snapshot.pupils.fullName[p], id: pupil, className: snapshot.classes.displayName(c),
                school: snapshot.schools.name[Int(snapshot.classes.school[c])]))
        var o = ParameterOverrides()
        var log = DiagnosticLog()
        o = rules.parameterOverrides(log: &log)
        for compiled in pack.rules where rule == nil || compiled.id == rule {
            let def = compiled.definition
            let entity: Value
            switch def.scope {
            case .pupil: entity = .pupil(Int32(p))
            case .class: entity = .class(Int32(c))
            case .school: entity = .school(snapshot.classes.school[c])
            }
            let faultsBefore = evaluator.faults.count
            defer {
                var seen = Set<String>()
                for f in evaluator.faults[faultsBefore...] where seen.insert(f.message).inserted {
                    Terminal.say(Messages.explainFault(f.message))
                }
            }
            let fired = evaluator.evaluate(compiled, on: entity)
            Terminal.say(Messages.explainRule(def.id, scope: def.scope.russian, fired: !fired.isEmpty))
            for f in fired { Terminal.say(Messages.explainFinding(f.severity, f.message)) }
            guard let explained = Checker.explain(def, overrides: o.values[def.id] ?? [:]) else { continue }
            let params = compiled.parameters.map { "\($0.name) = \($0.value)" }.joined(separator: ", ")
            if !params.isEmpty { Terminal.say(Messages.explainParameters(params)) }
            var items: [Value?] = [nil]
            if let each = explained.rule.each {
                evaluator.prepare(explained.rule, entity: entity)
                if case .list(let list) = evaluator.value(of: each.list) { items = list }
            }
            for item in items {
                evaluator.prepare(explained.rule, entity: entity, item: item)
                if let item { Terminal.say(Messages.explainItem(def.each?.variable ?? "x", evaluator.text(item))) }
                let indent = item == nil ? "    " : "      "
                for part in explained.parts {
                    let value = evaluator.text(evaluator.value(of: part.node))
                    Terminal.say(
                        indent + String(repeating: "  ", count: part.depth)
                            + "\(part.text) = \(value.count > 300 ? String(value.prefix(300)) + "…" : value)")
                }
            }
        }
        // As a scan would: a rule that could not be evaluated fails the command.
        var seen = Set<String>()
        let faults = evaluator.faults.filter { seen.insert($0.description).inserted }
        if !faults.isEmpty {
            Terminal.error(ScanFailure(faults: faults).rendered(consequence: Messages.explainConsequence))
            throw ExitCode.failure
        }
    }
}
