import Foundation
import MayakSnapshot
import MayakTestSupport
import Testing

@testable import MayakRules

@Suite struct RuleLoaderTests {
    func load(_ yaml: String) -> (RuleDefinition?, [Diagnostic]) {
        let dir = TemporaryFolders.fresh("rule")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("r.yaml").path
        TemporaryFolders.write(Data(yaml.utf8), to: file)
        var log = DiagnosticLog()
        let rule = RuleLoader().loadFile(file, log: &log)
        return (
            rule,
            log.sorted.map { d in
                var d = d
                d.file = "r.yaml"
                return d
            }
        )
    }

    @Test func aCompleteRule() throws {
        let (rule, diagnostics) = load(
            """
            id: two-twos
            title: Две двойки
            severity: medium
            scope: pupil
            indicator: performance
            params:
              limit: 2
              share: { type: number, default: 0.5, description: "доля" }
            each: s in pupil.subjects
            let:
              twos: s.marks.filter(m, m.value == 2)
            when: |
              twos.count() >= limit
                and twos.count() > 0
            key: s.name
            message: "«{s.name}»: {twos.count()} двойки"
            plan:
              - { action: "Пересдать {s.name}", role: учитель, due_days: 7, check: "Исправлено", priority: 1 }
            tests:
              - { name: пример, pupils: [], expect_none: [] }
            """)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let r = try #require(rule)
        #expect(r.id == "two-twos")
        #expect(r.severity == .medium)
        #expect(r.status == .stable)
        #expect(r.params.map(\.name) == ["limit", "share"])
        #expect(r.params[0].defaultValue == .int(2))
        #expect(r.params[1].defaultValue == .number(0.5))
        #expect(r.each?.variable == "s")
        #expect(r.lets.map(\.name) == ["twos"])
        #expect(r.plan.first?.dueDays == 7)
        #expect(r.tests.count == 1)
        // A literal block keeps its positions: the right operand of `and` is on line 14, column 9.
        guard case .binary(.and, _, let right) = r.when.expr.kind else {
            Issue.record("shape")
            return
        }
        let p = r.when.source.position(right.start)
        #expect(p.line == 14 && p.column == 9)
        // Template holes map into the file too.
        let hole = r.message.expressions[1]
        let q = r.message.source.position(hole.start)
        #expect(q.line == 16 && q.column == 24)
    }

    @Test func everyProblemOfAFileAtOnce() {
        let (rule, d) = load(
            """
            id: Bad_Id
            titel: x
            severity: urgnt
            scope: pupil
            when: a >= = 1
            message: "x {y"
            """)
        #expect(rule == nil)
        #expect(
            d.map { "\($0.line):\($0.column): \($0.message)" }
                == [
                    "1:5: rule id 'Bad_Id' is not kebab-case; expected lower-case words joined by '-', like failing-two-subjects",
                    "1:1: missing key 'title'",
                    "2:1: unknown key 'titel' in a rule",
                    "3:11: unknown severity 'urgnt'; expected one of info, low, medium, high, critical",
                    "5:12: unexpected '='; compare with '=='",
                    "6:13: unclosed '{' in the text; expected '}' after the expression",
                ].sorted { a, b in
                    let x = a.split(separator: ":").prefix(2).map { Int($0)! }
                    let y = b.split(separator: ":").prefix(2).map { Int($0)! }
                    return (x[0], x[1]) < (y[0], y[1])
                })
        #expect(d.first { $0.message.hasPrefix("unknown key") }?.hint == "did you mean 'title'?")
        #expect(d.first { $0.message.hasPrefix("unknown severity") }?.hint == nil)
    }

    @Test func caretRendering() {
        let (_, d) = load("id: x\ntitle: t\nseverity: high\nscope: pupil\nwhen: a >= = 1\nmessage: m\n")
        #expect(
            d.first?.description == """
                r.yaml:5:12: error: unexpected '='; compare with '=='
                    when: a >= = 1
                               ^
                """)
    }

    @Test func duplicateIdsAcrossFiles() {
        let dir = TemporaryFolders.fresh("dup")
        try? FileManager.default.createDirectory(
            at: dir.appendingPathComponent("pack"), withIntermediateDirectories: true)
        let body = "id: same\ntitle: t\nseverity: low\nscope: pupil\nwhen: true\nmessage: m\n"
        TemporaryFolders.write(Data(body.utf8), to: dir.appendingPathComponent("pack/a.yaml").path)
        TemporaryFolders.write(Data(body.utf8), to: dir.appendingPathComponent("pack/b.yaml").path)
        var log = DiagnosticLog()
        _ = RuleLoader().load(paths: [dir.path], log: &log)
        #expect(log.errorCount == 1)
        #expect(log.diagnostics.first?.message.hasPrefix("duplicate rule id 'same'; also defined in ") == true)
        #expect(log.diagnostics.first?.file.hasSuffix("pack/b.yaml") == true)
        #expect(log.diagnostics.first?.line == 1 && log.diagnostics.first?.column == 5)
    }
}
