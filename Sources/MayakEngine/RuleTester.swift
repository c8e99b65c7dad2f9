import Foundation
import MayakRules
import MayakSnapshot
import Yams

/// Runs the test cases kept in rule files: each builds a small snapshot, runs its rule, and
/// compares what fired with what the case expects.
///
/// ```yaml
/// tests:
///   - name: две двойки — срабатывает
///     set: { threshold: 2.7 }          # optional parameter overrides for this case
///     alerts:                          # for rules that count other rules' indicators:
///       P1: [attendance, { indicator: performance, severity: low }]   # medium unless said
///     pupils: [...]                    # or `snapshot: ../fixtures/x` (a snapshot folder)
///     expect:
///       - { pupil: P1, severity: high, message_contains: "по 2 предметам", count: 1 }
///       - { pupil: P3, measure: 2, worse_text_contains: "стало 2" }   # the `worse_when` measure
///     expect_none: [P2]                # pupils, classes or schools with no alert of this rule
///     other_alerts: allowed            # optional: alerts no expectation names do not fail it
/// ```
///
/// A case with `expect` fails on an alert that none of its expectations matches, unless it
/// says `other_alerts: allowed`; `expect_none` must name a pupil, class or school of the case's
/// data. (The keys of a case, its expectations and its injected alerts are checked when the
/// rule file loads: a misspelt `severity` is an error there, not a silent match.)
public enum RuleTester {
    public struct Outcome: Sendable {
        public var rule: String
        public var name: String
        public var file: String
        public var line: Int
        public var passed: Bool
        public var details: [String]
    }

    public static func run(_ definitions: [RuleDefinition], overrides: ParameterOverrides = ParameterOverrides())
        -> [Outcome]
    {
        var outcomes: [Outcome] = []
        for rule in definitions {
            for test in rule.tests {
                outcomes.append(run(rule, test, overrides: overrides))
            }
        }
        return outcomes
    }

    static func run(_ definition: RuleDefinition, _ test: RuleTestDecl, overrides: ParameterOverrides) -> Outcome {
        var outcome = Outcome(
            rule: definition.id, name: test.name, file: test.file, line: test.line, passed: false, details: [])
        guard let node = (test.node as? NodeBox)?.node else {
            outcome.details = ["the test case could not be read"]
            return outcome
        }
        // The case's own parameter values.
        var caseOverrides = overrides
        if case .mapping(let set)? = node["set"] {
            for (k, v) in set {
                if let name = k.string, let value = v.string {
                    caseOverrides.set(
                        rule: definition.id, parameter: name, text: value, origin: "\(test.file):\(v.mark?.line ?? 0)")
                }
            }
        }
        var log = DiagnosticLog()
        guard let rule = Checker.compile(definition, overrides: caseOverrides.values[definition.id] ?? [:], log: &log)
        else {
            outcome.details = log.sorted.map(\.description)
            return outcome
        }
        let snapshot: Snapshot
        do {
            if let path = node["snapshot"]?.string {
                let folder = ((test.file as NSString).deletingLastPathComponent as NSString).appendingPathComponent(
                    path)
                snapshot = try SnapshotLoader(folder: folder).load().snapshot
            } else {
                snapshot = try TestFixture.build(node)
            }
        } catch let e as TestFixture.Problem {
            outcome.details = ["\(test.file):\(e.line):\(e.column): the test's data: \(e.message)"]
            return outcome
        } catch let e as SnapshotLoadError {
            outcome.details = e.log.sorted.map(\.description)
            return outcome
        } catch {
            outcome.details = ["\(error)"]
            return outcome
        }
        let index = SnapshotIndex(snapshot)
        let evaluator = Evaluator(index: index)
        if case .mapping(let given)? = node["alerts"] {
            for (pupilNode, list) in given {
                guard let id = pupilNode.string, let p = snapshot.pupils.id.firstIndex(of: id),
                    case .sequence(let indicators) = list
                else { continue }
                // Checked when the file loaded: an indicator, or one with its severity and rule.
                let given = indicators.compactMap { item -> AlertSummary? in
                    guard let indicator = item.string ?? item["indicator"]?.string else { return nil }
                    let rule = item["rule"]?.string ?? indicator
                    let severity = item["severity"]?.string.flatMap(Severity.init(rawValue:)) ?? .medium
                    return AlertSummary(rule: rule, title: rule, indicator: indicator, severity: severity)
                }
                evaluator.alertsByPupil[Int32(p)] = given
            }
        }
        var findings: [Finding] = []
        let entities: [Value]
        switch definition.scope {
        case .pupil: entities = (0..<snapshot.pupils.count).map { .pupil(Int32($0)) }
        case .class: entities = (0..<snapshot.classes.count).map { .class(Int32($0)) }
        case .school: entities = (0..<snapshot.schools.count).map { .school(Int32($0)) }
        }
        // Every case also checks that the compiled engine decides as the reference does.
        let compiled = CompiledEngine(index: index, rules: [rule])
        let context = compiled.makeContext()
        context.ref.alertsByPupil = evaluator.alertsByPupil
        var disagreements: [String] = []
        for entity in entities {
            let found = evaluator.evaluate(rule, on: entity)
            findings += found
            context.reset()
            func described(_ f: Finding) -> String {
                "[\(f.severity.rawValue)] \(f.message) \(f.evidence) \(f.worse.map { "worse: \($0.measure) \($0.text)" } ?? "")"
            }
            let fast = context.findings(compiled.program(rule)!, context.scalar(entity)).map(described)
            let slow = found.map(described)
            if fast != slow {
                disagreements.append(
                    "on \(evaluator.text(entity)) the compiled engine gives \(fast), the reference evaluator \(slow)")
            }
        }
        func subjectID(_ f: Finding) -> String {
            switch f.entity {
            case .pupil(let p): return snapshot.pupils.id[Int(p)]
            case .class(let c): return snapshot.classes.id[Int(c)]
            case .school(let sc): return snapshot.schools.id[Int(sc)]
            default: return "?"
            }
        }
        let actual = findings.map {
            "\(subjectID($0)) [\($0.severity.rawValue)] \($0.message)"
                + ($0.worse.map { w in
                    " (measure \(Evaluator.format(Double(w.measure) / 1000, digits: 3)): \(w.text))"
                } ?? "")
        }
        // A rule that could not be evaluated (an overflow) fails its case, on either engine.
        if evaluator.faults != context.faults {
            disagreements.append(
                "the compiled engine fails with \(context.faults), the reference evaluator with \(evaluator.faults)")
        }
        var problems: [String] = disagreements + evaluator.faults.map(\.description)
        // Which findings some expectation matched: the others are alerts the case did not expect.
        var matched = [Bool](repeating: false, count: findings.count)
        if case .sequence(let expected)? = node["expect"] {
            for e in expected {
                guard let id = (e["pupil"] ?? e["class"] ?? e["school"])?.string else {
                    problems.append("an expectation needs pupil, class or school")
                    continue
                }
                var matching = findings.indices.filter { subjectID(findings[$0]) == id }
                var wanted = "an alert on \(id)"
                if let sev = e["severity"]?.string {
                    matching = matching.filter { findings[$0].severity.rawValue == sev }
                    wanted += " with severity \(sev)"
                }
                if let text = e["message_contains"]?.string {
                    matching = matching.filter { findings[$0].message.contains(text) }
                    wanted += " whose message contains «\(text)»"
                }
                if let text = e["measure"]?.string,
                    let value = Double(text.replacingOccurrences(of: ",", with: "."))
                {
                    // The history compares measures in thousandths.
                    let thousandths = Finding.Worse.number(.number(value))
                    matching = matching.filter { findings[$0].worse?.measure == thousandths }
                    wanted += " with the measure \(text)"
                }
                if let text = e["worse_text_contains"]?.string {
                    matching = matching.filter { findings[$0].worse?.text.contains(text) == true }
                    wanted += " whose worse_when text contains «\(text)»"
                }
                for i in matching { matched[i] = true }
                if let count = e["count"]?.int {
                    if matching.count != count {
                        problems.append("expected \(count) × \(wanted), found \(matching.count)")
                    }
                } else if matching.isEmpty {
                    problems.append("expected \(wanted)")
                }
            }
        }
        if case .sequence(let none)? = node["expect_none"] {
            let known = Set(snapshot.pupils.id + snapshot.classes.id + snapshot.schools.id)
            for n in none {
                guard let id = n.string else { continue }
                guard known.contains(id) else {
                    problems.append(
                        "\(test.file):\(n.mark?.line ?? 0): expect_none names '\(id)', which is not a pupil, class or "
                            + "school of the case's data")
                    continue
                }
                if findings.contains(where: { subjectID($0) == id }) { problems.append("expected no alert on \(id)") }
            }
        }
        let othersAllowed = node["other_alerts"]?.string == "allowed"
        if let other = node["other_alerts"]?.string, other != "allowed" {
            problems.append(
                "\(test.file):\(node["other_alerts"]?.mark?.line ?? 0): other_alerts is 'allowed' or absent")
        }
        if node["expect"] != nil, !othersAllowed {
            for (i, f) in findings.enumerated() where !matched[i] {
                problems.append("an alert no expectation names: \(subjectID(f)) [\(f.severity.rawValue)] \(f.message)")
            }
        }
        if node["expect"] == nil && node["expect_none"] == nil {
            problems.append("the case has neither 'expect' nor 'expect_none'")
        }
        outcome.passed = problems.isEmpty
        if !problems.isEmpty {
            outcome.details = problems + ["actual alerts:"] + (actual.isEmpty ? ["  (none)"] : actual.map { "  " + $0 })
        }
        return outcome
    }
}
