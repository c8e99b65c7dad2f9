import Foundation
import MayakRules
import MayakSnapshot
import MayakTestSupport
import Testing

@testable import MayakEngine

/// What the rule tester must be able to say: an alert nobody expected fails a case, an
/// expectation cannot name what is not there, and injected alerts carry their severity.
@Suite struct RuleTesterTests {
    /// The outcomes of a rule file's cases, by case name.
    func outcomes(_ yaml: String) throws -> [String: RuleTester.Outcome] {
        let dir = TemporaryFolders.fresh("tester")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("r.yaml").path
        TemporaryFolders.write(Data(yaml.utf8), to: file)
        var log = DiagnosticLog()
        let definition = try #require(RuleLoader().loadFile(file, log: &log), "\(log.sorted)")
        return Dictionary(uniqueKeysWithValues: RuleTester.run([definition]).map { ($0.name, $0) })
    }

    let twos = """
        id: two-twos
        title: Две двойки
        severity: medium
        scope: pupil
        indicator: performance
        let:
          twos: pupil.marks.filter(m, m.value == 2)
        when: twos.count() >= 2
        message: "{twos.count()} двойки"
        tests:

        """

    @Test func anAlertNoExpectationNamesFailsTheCase() throws {
        let o = try outcomes(
            twos + """
                  - name: both fire, one expected
                    pupils: [{ id: P1, marks: { Алгебра: [2, 2] } }, { id: P2, marks: { Физика: [2, 2, 2] } }]
                    expect: [{ pupil: P1 }]
                  - name: both fire, others allowed
                    pupils: [{ id: P1, marks: { Алгебра: [2, 2] } }, { id: P2, marks: { Физика: [2, 2, 2] } }]
                    expect: [{ pupil: P1 }]
                    other_alerts: allowed
                  - name: both expected
                    pupils: [{ id: P1, marks: { Алгебра: [2, 2] } }, { id: P2, marks: { Физика: [2, 2, 2] } }]
                    expect: [{ pupil: P1 }, { pupil: P2, message_contains: "3 двойки" }]
                """)
        let loose = try #require(o["both fire, one expected"])
        #expect(!loose.passed)
        #expect(loose.details.first == "an alert no expectation names: P2 [medium] 3 двойки")
        #expect(try #require(o["both fire, others allowed"]).passed)
        #expect(try #require(o["both expected"]).passed)
    }

    @Test func expectationsCannotNameWhatIsNotThere() throws {
        let o = try outcomes(
            twos + """
                  - name: a pupil who does not exist
                    pupils: [{ id: P1, marks: { Алгебра: [2, 3] } }]
                    expect_none: [P9]
                """)
        let missing = try #require(o["a pupil who does not exist"])
        #expect(!missing.passed)
        #expect(
            missing.details.first?.hasSuffix(
                "expect_none names 'P9', which is not a pupil, class or school of the case's data") == true)
    }

    @Test func injectedAlertsCarryTheirSeverity() throws {
        let o = try outcomes(
            """
            id: serious-alerts
            title: Серьёзные сигналы
            severity: high
            scope: pupil
            let:
              serious: pupil.alerts.filter(a, a.severity in ["medium", "high", "critical"])
            when: serious.map(a, a.indicator).distinct().count() >= 2
            message: "{serious.count()}"
            tests:
              - name: low alerts are not counted
                pupils: [{ id: P1 }, { id: P2 }]
                alerts:
                  P1: [attendance, { indicator: performance, severity: low }]
                  P2: [attendance, { indicator: performance, severity: high }]
                expect: [{ pupil: P2 }]
                expect_none: [P1]
            """)
        #expect(
            try #require(o["low alerts are not counted"]).passed, "\(o["low alerts are not counted"]?.details ?? [])")
    }

    /// The messages of a rule file that must not load.
    func loadErrors(_ yaml: String) throws -> [String] {
        let dir = TemporaryFolders.fresh("tester")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("r.yaml").path
        TemporaryFolders.write(Data(yaml.utf8), to: file)
        var log = DiagnosticLog()
        #expect(RuleLoader().loadFile(file, log: &log) == nil)
        return log.sortedByPosition.map(\.message)
    }

    @Test func misspeltKeysAndSeveritiesAreErrorsOfTheFile() throws {
        let messages = try loadErrors(
            twos + """
                  - name: a misspelt key
                    pupils: [{ id: P1, marks: { Алгебра: [2, 2] } }]
                    alerts: { P1: [{ indicator: performance, severity: huge }] }
                    expect: [{ pupil: P1, severty: high }]
                    other_alerts: sometimes
                """)
        #expect(messages.contains { $0.hasPrefix("unknown key 'severty' in an expectation") })
        #expect(messages.contains { $0.contains("'huge'") && $0.contains("severity") })
        #expect(messages.contains { $0.contains("'sometimes'") && $0.contains("other_alerts") })
    }

    /// `measure:` and `worse_text_contains:` check the `worse_when` measure (what decides
    /// whether a dismissed alert comes back) and its words.
    @Test func expectationsCheckTheWorseWhenMeasure() throws {
        let rule = twos.replacingOccurrences(
            of: "tests:\n",
            with: "worse_when: { measure: \"twos.count() / 2\", text: \"двоек стало {twos.count()}\" }\ntests:\n")
        let o = try outcomes(
            rule + """
                  - name: three twos measure 1,5
                    pupils: [{ id: P1, marks: { Алгебра: [2, 2, 2] } }]
                    expect: [{ pupil: P1, measure: 1.5, worse_text_contains: "стало 3" }]
                  - name: a decimal comma
                    pupils: [{ id: P1, marks: { Алгебра: [2, 2, 2] } }]
                    expect: [{ pupil: P1, measure: "1,5" }]
                  - name: a wrong measure
                    pupils: [{ id: P1, marks: { Алгебра: [2, 2, 2] } }]
                    expect: [{ pupil: P1, measure: 1 }]
                  - name: wrong words
                    pupils: [{ id: P1, marks: { Алгебра: [2, 2, 2] } }]
                    expect: [{ pupil: P1, worse_text_contains: "стало 4" }]
                """)
        #expect(try #require(o["three twos measure 1,5"]).passed)
        #expect(try #require(o["a decimal comma"]).passed)
        let wrong = try #require(o["a wrong measure"])
        #expect(!wrong.passed)
        #expect(wrong.details.first == "expected an alert on P1 with the measure 1")
        #expect(wrong.details.contains("  P1 [medium] 3 двойки (measure 1,5: двоек стало 3)"))
        let words = try #require(o["wrong words"])
        #expect(words.details.first == "expected an alert on P1 whose worse_when text contains «стало 4»")
    }

    @Test func aMeasureMustBeANumber() throws {
        let messages = try loadErrors(
            twos + """
                  - name: not a number
                    pupils: [{ id: P1, marks: { Алгебра: [2, 2] } }]
                    expect: [{ pupil: P1, measure: много }]
                """)
        #expect(messages.contains("measure 'много': expected a number"))
    }
}
