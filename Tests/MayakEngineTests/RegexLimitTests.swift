import MayakRules
import MayakSnapshot
import Testing

@testable import MayakEngine

/// PCRE2's limits never give a silent "no match": a pattern that runs away on a probe is a
/// load error; a text one gives up on during a scan is a warning, the same on both engines.
@Suite struct RegexLimitTests {
    @Test func anOutcomeTellsALimitFromNoMatch() throws {
        let r = try Regex("(x+x+)+y|z")
        #expect(r.outcome(String(repeating: "x", count: 40)) == .limit)
        #expect(r.outcome("xxy") == .match)
        #expect(r.outcome("abc") == .noMatch)
        #expect(r.probe() != nil)
        #expect(try Regex("диагност|административн|пробн").probe() == nil)
        #expect(try Regex("^(\\d+)-(\\d+)$").probe() == nil)
    }

    @Test func aCatastrophicPatternIsALoadError() {
        let yaml =
            "id: t\ntitle: t\nseverity: low\nscope: pupil\nwhen: 'pupil.works.any(w, w.title.matches(\"(a|a)*b|c\"))'\nmessage: m\n"
        #expect(
            Support.compile(yaml).1.map { "\($0.line):\($0.column): \($0.message)" } == [
                "5:43: the regular expression backtracks catastrophically: on 'aaaa… (40 characters)' it passes PCRE2's match limit; "
                    + "avoid nested repetition such as (a+)+ or (a|a)*"
            ])
    }

    @Test func aTextAPatternGivesUpOnIsAWarningOnBothEngines() throws {
        let yaml =
            "id: t\ntitle: t\nseverity: low\nscope: pupil\n"
            + "when: 'pupil.works.any(w, w.title.matches(\"(\\\\x{416}+\\\\x{416}+)+y|z\"))'\nmessage: m\n"
        let (rule, d) = Support.compile(yaml)
        let compiled = try #require(rule, "\(d)")
        let title = String(repeating: "Ж", count: 40)
        let data = """
            pupils: [{ id: P1, grade: 7 }, { id: P2, grade: 7 }]
            works:
              - { id: W1, class: 7А, subject: Алгебра, date: 2026-02-10, title: \(title) }
              - { id: W2, class: 7А, subject: Алгебра, date: 2026-02-11, title: z }
            """
        let index = SnapshotIndex(try Support.snapshot(data))
        let pack = RulePack(rules: [compiled], hash: "")
        let reference = Scanner.run(pack, index: index, engine: .reference)
        let fast = Scanner.run(pack, index: index, engine: .compiled)
        let warning =
            "warning: rule t: the pattern '(\\x{416}+\\x{416}+)+y|z' passed PCRE2's match limit on 1 text (taken as not matching), such as «\(title)»"
        #expect(reference.warnings == [warning])
        #expect(fast.warnings == [warning])
        #expect(reference.findings.count == 2 && fast.findings.count == 2)
    }
}
