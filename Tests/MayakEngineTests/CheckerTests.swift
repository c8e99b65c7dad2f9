import MayakSnapshot
import Testing

@testable import MayakEngine

@Suite struct CheckerTests {
    func diagnostics(_ body: String) -> [String] {
        let yaml = "id: t\ntitle: t\nseverity: low\nscope: pupil\n" + body
        return Support.compile(yaml).1.map {
            "\($0.line):\($0.column): \($0.message)" + ($0.hint.map { " [\($0)]" } ?? "")
        }
    }

    @Test func unknownFieldPointsAtTheName() {
        #expect(
            diagnostics("when: pupil.marks.any(m, m.wieght > 1)\nmessage: m\n")
                == ["5:28: unknown field 'wieght' of mark [did you mean 'weight'?]"])
    }

    @Test func unknownNamesAndMethods() {
        #expect(
            diagnostics("when: pupl.grade > 5\nmessage: m\n") == [
                "5:7: unknown name 'pupil'".replacingOccurrences(of: "'pupil'", with: "'pupl' [did you mean 'pupil'?]")
            ])
        #expect(
            diagnostics("when: pupil.marks.cout() > 1\nmessage: m\n") == [
                "5:19: unknown list method 'cout' [did you mean 'count'?]"
            ])
        #expect(
            diagnostics("when: pupil.marks.count > 1\nmessage: m\n") == [
                "5:19: 'count' is a method of lists; call it: .count(…)"
            ])
        #expect(
            diagnostics("when: count(pupil.marks) > 1\nmessage: m\n") == [
                "5:7: unknown function 'count' ['count' is a list method: write list.count(…)]"
            ])
    }

    @Test func typeErrors() {
        #expect(
            diagnostics("when: pupil.name\nmessage: m\n") == ["5:7: 'when' must be true or false, but this is text"])
        #expect(diagnostics("when: pupil.grade + \"а\" > 1\nmessage: m\n") == ["5:7: '+' cannot combine int and text"])
        #expect(
            diagnostics("when: pupil.marks.last_days(\"14\").count() > 0\nmessage: m\n") == [
                "5:29: 'last_days' expects int here, but this is text"
            ])
        #expect(
            diagnostics("when: pupil.vpr.last_days(14).count() > 0\nmessage: m\n") == [
                "5:17: 'last_days' needs dated elements (marks, absences, works); these are vpr"
            ])
        #expect(
            diagnostics("when: pupil.name in pupil.marks\nmessage: m\n") == [
                "5:7: 'in' needs a list of text on its right, but this is list of mark"
            ])
        #expect(
            diagnostics("when: pupil.subjects.any(s, s.forecast(2.5) == \"2\")\nmessage: m\n")
                == ["5:31: 'forecast' takes 2 arguments (number, int), given 1"])
    }

    @Test func regularExpressionsAreCompiledWhenRulesLoad() {
        #expect(
            diagnostics("when: pupil.works.any(w, w.title.matches(\"(a\"))\nmessage: m\n")
                == ["5:45: invalid regular expression: missing closing parenthesis"])
        #expect(
            diagnostics("when: pupil.works.any(w, w.title.matches(w.kind))\nmessage: m\n")
                == [
                    "5:34: 'matches' takes one pattern written as text or a text parameter, like matches(\"^диагност\")"
                ])
    }

    @Test func parameters() {
        #expect(
            diagnostics("params:\n  limit: 3\n  spare: 1\nwhen: pupil.marks.count() > limit\nmessage: m\n")
                == ["7:3: parameter 'spare' is never used; use it in an expression or remove it"])
        let (_, d) = Support.compile(
            "id: t\ntitle: t\nseverity: low\nscope: pupil\nparams:\n  limit: 3\nwhen: pupil.marks.count() > limit\nmessage: m\n",
            overrides: ["limit": ("three", "overrides.yaml:2:10"), "limt": ("4", "--set t.limt=4")])
        #expect(d.count == 2)
        #expect(d.contains { $0.message == "rule t has no parameter 'limt'; did you mean 'limit'?" })
        #expect(d.contains { $0.message == "parameter t.limit takes int values; 'three' is not one" })
    }

    @Test func scopeShorthands() {
        let yaml = "id: t\ntitle: t\nseverity: low\nscope: school\nwhen: current_period != null\nmessage: m\n"
        #expect(
            Support.compile(yaml).1.map(\.message) == [
                "'current_period' depends on the grade; in a school rule ask a class or pupil: c.current_period"
            ])
    }

    @Test func allDiagnosticsAtOnceAndNoCascades() {
        let d = diagnostics(
            "let:\n  bad: pupil.nmae\n  uses_bad: bad + 1\nwhen: pupil.wrong > 1 and bad != null\nmessage: \"{pupil.alsowrong}\"\n"
        )
        let fields =
            "pupil has: absences, alerts, class, current_period, extra, grade, id, last_finished_period, lessons, marks, name, period_before, period_marks, previous_period, school, subjects, vpr, works"
        // The failed let `bad` is reported once; its uses are not.
        #expect(
            d == [
                "6:14: unknown field 'nmae' of pupil [did you mean 'name'?]",
                "8:13: unknown field 'wrong' of pupil [\(fields)]",
                "9:18: unknown field 'alsowrong' of pupil [\(fields)]",
            ])
    }
}
