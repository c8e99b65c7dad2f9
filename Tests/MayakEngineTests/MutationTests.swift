import Foundation
import MayakRules
import MayakSnapshot
import MayakTestSupport
import Testing

@testable import MayakEngine

/// `mayak test-rules --mutate`: the mutants made of a rule, which of them its cases kill, and
/// the `equivalent_mutants:` markings.
@Suite struct MutationTests {
    /// Writes a rule file (r.yaml) and loads it; the definition, or the diagnostics.
    func load(_ yaml: String) throws -> RuleDefinition {
        let dir = TemporaryFolders.fresh("mutation")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("r.yaml").path
        TemporaryFolders.write(Data(yaml.utf8), to: file)
        var log = DiagnosticLog()
        let rule = RuleLoader().loadFile(file, log: &log)
        try #require(rule != nil, "\(log.rendered())")
        return try #require(rule)
    }

    static let header = "id: probe\ntitle: probe\nseverity: low\nscope: pupil\n"

    static let probe = """
        id: probe
        title: probe
        severity: medium
        scope: pupil
        params:
          min_twos: { type: int, default: 2, min: 1, max: 10 }
        let:
          twos: pupil.marks.last_days(14).filter(m, m.value <= 2)
        when: twos.count() >= min_twos and not (pupil.grade == 1)
        escalate:
          - severity: high
            when: twos.count() > 3
        message: "{twos.count()}"

        """

    @Test func theMutantsOfASmallRule() throws {
        let mutants = RuleMutator.mutants(of: try load(Self.probe))
        let listed = mutants.map { "\($0.line):\($0.column) \($0.at) [\($0.kind.rawValue)] \($0.mutation)" }
        #expect(
            listed == [
                "6:35 params.min_twos [constant] default 2 → 1",
                "6:35 params.min_twos [constant] default 2 → 3",
                "8:31 let.twos [window] window 14 → 13 in pupil.marks.last_days(14)",
                "8:31 let.twos [window] window 14 → 15 in pupil.marks.last_days(14)",
                "8:53 let.twos [comparison] <= → < in m.value <= 2",
                "8:56 let.twos [constant] 2 → 1 in m.value <= 2",
                "8:56 let.twos [constant] 2 → 3 in m.value <= 2",
                "9:7 when [conjunct] conjunct removed: twos.count() >= min_twos",
                "9:20 when [comparison] >= → > in twos.count() >= min_twos",
                "9:36 when [conjunct] conjunct removed: not (pupil.grade == 1)",
                "9:36 when [negation] not (pupil.grade == 1) → (pupil.grade == 1)",
                "9:53 when [comparison] == → != in pupil.grade == 1",
                "9:56 when [constant] 1 → 0 in pupil.grade == 1",
                "9:56 when [constant] 1 → 2 in pupil.grade == 1",
                "12:11 escalate[1] [escalation] escalation to high removed",
                "12:24 escalate[1] [comparison] > → >= in twos.count() > 3",
                "12:26 escalate[1] [constant] 3 → 2 in twos.count() > 3",
                "12:26 escalate[1] [constant] 3 → 4 in twos.count() > 3",
            ])
        // Each mutant is the rule with that one edit made.
        func when(_ i: Int) -> String? { mutants[i].definition?.when.source.text }
        #expect(when(7) == "not (pupil.grade == 1)")
        #expect(when(8) == "twos.count() > min_twos and not (pupil.grade == 1)")
        #expect(when(9) == "twos.count() >= min_twos")
        #expect(when(10) == "twos.count() >= min_twos and (pupil.grade == 1)")
        #expect(mutants[2].definition?.lets[0].value.source.text == "pupil.marks.last_days(13).filter(m, m.value <= 2)")
        #expect(mutants[0].definition?.params[0].defaultValue == .int(1))
        #expect(mutants[14].definition?.escalations.isEmpty == true)
        #expect(mutants[17].definition?.escalations[0].when.source.text == "twos.count() > 4")
        // The caret stands under the change, in the rule file's own line.
        #expect(
            mutants[8].rendered("survived")
                == "r.yaml:9:20: survived: >= → > in twos.count() >= min_twos".replacingOccurrences(
                    of: "r.yaml", with: mutants[8].file)
                + "\n    when: twos.count() >= min_twos and not (pupil.grade == 1)\n                       ^~")
    }

    @Test func numbersStepByTheirLastDigit() {
        #expect(Steps.of("2.5", whole: false) == ["2.4", "2.6"])
        #expect(Steps.of("1.0", whole: false) == ["0.9", "1.1"])
        #expect(Steps.of("0.05", whole: false) == ["0.04", "0.06"])
        #expect(Steps.of("0.0", whole: false) == ["-0.1", "0.1"])
        #expect(Steps.of("0", whole: false) == ["-1", "1"])
        #expect(Steps.of("2,5", whole: false) == ["2.4", "2.6"])
        #expect(Steps.of("2.5", whole: true) == [])
        #expect(Steps.of("9223372036854775807", whole: true) == ["9223372036854775806"])
    }

    @Test func bracketsStayBalancedWhenAnOperandGoes() throws {
        let rule = try load(
            Self.header + "when: (pupil.grade > 5 or pupil.grade < 2) and (pupil.marks.count() > 0)\nmessage: m\n")
        let removals = RuleMutator.mutants(of: rule).filter { $0.kind == .conjunct || $0.kind == .disjunct }
        #expect(
            removals.map { $0.definition?.when.source.text ?? "nil" } == [
                "(pupil.marks.count() > 0)", "(pupil.grade < 2) and (pupil.marks.count() > 0)",
                "(pupil.grade > 5) and (pupil.marks.count() > 0)", "(pupil.grade > 5 or pupil.grade < 2)",
            ])
    }

    static func twos(cases: String, marks: String = "") -> String {
        """
        id: twos
        title: twos
        severity: medium
        scope: pupil
        when: pupil.marks.count(m, m.value == 2) >= 3
        message: "{pupil.marks.count(m, m.value == 2)}"
        \(marks)tests:
          - name: три двойки
            pupils: [{ id: P1, grade: 7, marks: { Алгебра: [2, 2, 2] } }]
            expect: [{ pupil: P1 }]
        \(cases)
        """
    }

    static let boundary = """
          - name: две двойки — ещё нет
            pupils: [{ id: P1, grade: 7, marks: { Алгебра: [2, 2, 5] } }]
            expect_none: [P1]

        """

    @Test func casesWithTheBoundaryKillEveryMutant() throws {
        let report = MutationTester.run([try load(Self.twos(cases: Self.boundary))])
        #expect(report.results.count == 6)
        #expect(report.killed == 6)
        #expect(report.survivors.isEmpty && report.problems.isEmpty)
        #expect(report.summary == "6 mutants: 6 killed, 0 survived, 0 equivalent (0 invalid)")
    }

    @Test func aMissingBoundaryCaseLeavesANamedSurvivor() throws {
        let report = MutationTester.run([try load(Self.twos(cases: ""))])
        #expect(report.survivors.map(\.mutation) == ["3 → 2 in pupil.marks.count(m, m.value == 2) >= 3"])
        #expect(report.survivors.map { "\($0.line):\($0.column) \($0.at)" } == ["5:45 when"])
        #expect(report.summary == "6 mutants: 5 killed, 1 survived, 0 equivalent (0 invalid)")
    }

    /// The `worse_when` measure is mutated too: only a case that states the measure tells a
    /// changed one apart (what fires is the same; what reopens a dismissed alert is not).
    @Test func theWorseWhenMeasureIsMutatedAndAMeasureCaseKillsIt() throws {
        func rule(_ expectation: String) -> String {
            """
            id: probe
            title: probe
            severity: medium
            scope: pupil
            let:
              twos: pupil.marks.count(m, m.value == 2)
            when: twos >= 1
            message: "{twos}"
            worse_when: { measure: "twos * 10", text: "двоек: {twos}" }
            tests:
              - name: one two
                pupils: [{ id: P1, marks: { Алгебра: [2, 5] } }, { id: P2, marks: { Алгебра: [3] } }]
                expect: [\(expectation)]
                expect_none: [P2]

            """
        }
        let loose = MutationTester.run([try load(rule("{ pupil: P1 }"))])
        #expect(
            loose.survivors.map { "\($0.at) \($0.mutation)" } == [
                "worse_when.measure 10 → 9 in twos * 10", "worse_when.measure 10 → 11 in twos * 10",
            ])
        let stated = MutationTester.run([try load(rule("{ pupil: P1, measure: 10 }"))])
        #expect(stated.survivors.isEmpty)
        #expect(stated.results.filter { $0.mutant.at == "worse_when.measure" }.count == 2)
    }

    @Test func aMarkedMutantIsEquivalentAndAStaleMarkingIsAnError() throws {
        let marked = """
            equivalent_mutants:
              - at: when
                mutation: "3 → 2 in pupil.marks.count(m, m.value == 2) >= 3"
                reason: "для проверки"

            """
        let report = MutationTester.run([try load(Self.twos(cases: "", marks: marked))])
        #expect(report.survivors.isEmpty && report.problems.isEmpty)
        #expect(report.equivalent == 1)
        #expect(report.results.contains { $0.verdict == .equivalent(reason: "для проверки") })

        // A marking that matches no mutant (the rule changed under it) is an error at it.
        let stale = marked.replacingOccurrences(of: ">= 3", with: ">= 4")
        let staleReport = MutationTester.run([try load(Self.twos(cases: "", marks: stale))])
        #expect(staleReport.survivors.count == 1)
        #expect(
            staleReport.problems.map { "\($0.line):\($0.column) \($0.code): \($0.message)" } == [
                "9:15 equivalent-mutant: no mutant '3 → 2 in pupil.marks.count(m, m.value == 2) >= 4' at 'when'; "
                    + "the marking is stale"
            ])
        #expect(staleReport.problems.first?.hint == "did you mean '3 → 2 in pupil.marks.count(m, m.value == 2) >= 3'?")
        let nowhere = marked.replacingOccurrences(of: "at: when", with: "at: let.twos")
        let nowhereReport = MutationTester.run([try load(Self.twos(cases: "", marks: nowhere))])
        #expect(nowhereReport.problems.map(\.message) == ["no mutant at 'let.twos'"])

        // A marking of a mutant the cases kill is wrong: the mutant is not equivalent.
        let killed = MutationTester.run([try load(Self.twos(cases: Self.boundary, marks: marked))])
        #expect(
            killed.problems.map(\.message) == [
                "this mutant is killed by the test case «две двойки — ещё нет»; it is not equivalent"
            ])
    }

    @Test func aMarkingNeedsItsReason() throws {
        let dir = TemporaryFolders.fresh("mutation")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("r.yaml").path
        let yaml = Self.twos(cases: "", marks: "equivalent_mutants:\n  - { at: when, mutation: x }\n")
        TemporaryFolders.write(Data(yaml.utf8), to: file)
        var log = DiagnosticLog()
        #expect(RuleLoader().loadFile(file, log: &log) == nil)
        #expect(log.diagnostics.map(\.message) == ["missing key 'reason'"])
    }

    @Test func aParameterStepOutsideItsRangeIsInvalid() throws {
        let rule = try load(
            Self.header + """
                params:
                  gap: { type: int, default: 3, min: 1, max: 3 }
                when: pupil.grade >= gap
                message: m
                tests:
                  - name: седьмой класс
                    pupils: [{ id: P1, grade: 7 }]
                    expect: [{ pupil: P1 }]

                """)
        let report = MutationTester.run([rule])
        let invalid = report.results.filter { if case .invalid = $0.verdict { true } else { false } }
        #expect(invalid.map(\.mutant.mutation) == ["default 3 → 4"])
        #expect(invalid.first?.verdict == .invalid("default 4 is outside the range 1…3"))
        #expect(report.summary.hasSuffix("(1 invalid)"))
    }
}
