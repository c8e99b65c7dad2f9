import Foundation
import MayakSnapshot
import Yams

/// Parameter overrides without editing rule files: a district's `overrides.yaml`
/// (`rule-id: { param: value }`) and `--set rule-id.param=value` flags, later ones winning.
public struct ParameterOverrides: Sendable {
    /// rule id → parameter → (value as text, where it was given).
    public private(set) var values: [String: [String: (text: String, origin: String)]] = [:]

    public init() {}

    public mutating func set(rule: String, parameter: String, text: String, origin: String) {
        values[rule, default: [:]][parameter] = (text, origin)
    }

    /// Reads an overrides file; problems go to `log`.
    public mutating func read(file: String, log: inout DiagnosticLog) {
        guard let text = RuleText.read(file, "overrides file", log: &log) else { return }
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch {
            log.error("bad-yaml", file: file, "invalid YAML: \(error)")
            return
        }
        guard let node else { return }
        guard case .mapping(let rules) = node else {
            log.error(
                "bad-overrides", file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1,
                "expected a mapping of rule ids to parameters, like 'failing-two-subjects: { threshold: 2.6 }'")
            return
        }
        for (ruleNode, params) in rules {
            guard let rule = ruleNode.string, case .mapping(let m) = params else {
                log.error(
                    "bad-overrides", file: file, line: params.mark?.line ?? 1, column: params.mark?.column ?? 1,
                    "expected parameters of \(ruleNode.string ?? "a rule") as a mapping")
                continue
            }
            for (k, v) in m {
                guard let name = k.string, case .scalar(let scalar) = v else { continue }
                set(
                    rule: rule, parameter: name, text: scalar.string,
                    origin: "\(file):\(v.mark?.line ?? 0):\(v.mark?.column ?? 0)")
            }
        }
    }

    /// Reads `rule-id.param=value`; returns an error message when it is not of that form.
    public mutating func set(_ assignment: String) -> String? {
        guard let eq = assignment.firstIndex(of: "="), let dot = assignment[..<eq].firstIndex(of: ".") else {
            return "--set takes rule-id.parameter=value, found '\(assignment)'"
        }
        set(
            rule: String(assignment[..<dot]), parameter: String(assignment[assignment.index(after: dot)..<eq]),
            text: String(assignment[assignment.index(after: eq)...]), origin: "--set \(assignment)")
        return nil
    }
}
