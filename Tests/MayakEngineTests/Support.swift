import Foundation
import MayakRules
import MayakSnapshot
import MayakTestSupport
import Yams

@testable import MayakEngine

enum Support {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static var coreRules: String { packageRoot.appendingPathComponent("rules").path }

    /// Writes a rule file and loads it; returns the rule or the diagnostics (file named r.yaml).
    static func compile(_ yaml: String, overrides: [String: (text: String, origin: String)] = [:]) -> (
        CompiledRule?, [Diagnostic]
    ) {
        let dir = TemporaryFolders.fresh("engine")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("r.yaml").path
        TemporaryFolders.write(Data(yaml.utf8), to: file)
        var log = DiagnosticLog()
        guard let definition = RuleLoader().loadFile(file, log: &log) else {
            return (nil, log.sortedByPosition.map { rename($0) })
        }
        let rule = Checker.compile(definition, overrides: overrides, log: &log)
        return (rule, log.sortedByPosition.map { rename($0) })
    }

    static func rename(_ d: Diagnostic) -> Diagnostic {
        var d = d
        d.file = "r.yaml"
        return d
    }

    static func snapshot(_ yaml: String) throws -> Snapshot {
        guard let node = try Yams.compose(yaml: yaml) else { throw TestFixture.Problem(message: "empty", line: 0) }
        return try TestFixture.build(node)
    }

    /// The text of `expression` evaluated for pupil `pupil` of the fixture (as a message shows it).
    static func value(_ expression: String, pupil: String = "P1", in data: String, lets: String = "") throws -> String {
        let yaml = """
            id: probe
            title: probe
            severity: info
            scope: pupil
            let:
            \(lets)  probe_value: \(quoteYAML(expression))
            when: "true"
            message: "{probe_value}"
            """
        let (rule, diagnostics) = compile(yaml)
        guard let rule else {
            throw TestFixture.Problem(message: diagnostics.map(\.description).joined(separator: "\n"), line: 0)
        }
        let s = try snapshot(data)
        let p = try required(s.pupils.id.firstIndex(of: pupil))
        let index = SnapshotIndex(s)
        let evaluator = Evaluator(index: index)
        let findings = evaluator.evaluate(rule, on: .pupil(Int32(p)))
        let message = findings.first?.message ?? "(did not fire)"
        // The compiled engine must compute the same value.
        let compiled = CompiledEngine(index: index, rules: [rule]).value(
            of: rule, letNamed: "probe_value", for: .pupil(Int32(p)))
        let text = compiled.map { evaluator.text($0) } ?? "(no value)"
        if text != message {
            throw TestFixture.Problem(
                message: "the compiled engine gives «\(text)», the reference evaluator «\(message)» for \(expression)",
                line: 0)
        }
        return message
    }

    static func quoteYAML(_ s: String) -> String {
        "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
    }
}

func required<T>(_ value: T?) throws -> T {
    guard let value else { throw TestFixture.Problem(message: "required value missing", line: 0) }
    return value
}
