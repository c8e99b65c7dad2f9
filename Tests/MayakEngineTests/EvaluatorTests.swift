import Testing
import MayakSnapshot
@testable import MayakEngine

/// What expressions evaluate to, above all when values are missing (docs/rule-language.md).
@Suite struct EvaluatorTests {
    /// P1: marks in Алгебра only, ВПР only in 2025; P2: nothing at all.
    let data = """
    pupils:
      - id: P1
        grade: 7
        subjects: [Алгебра, История]
        marks:
          Алгебра: ["2@2026-03-02", "3:2@2026-03-05", "4@2026-03-10", "н/а@2026-03-11"]
        vpr:
          - { year: 2025, subject: Математика, score: 10, max: 20 }
        absences:
          - { date: 2026-03-10, code: Н, subject: Алгебра }
          - { date: 2026-03-11, code: О, subject: Алгебра }
      - id: P2
        grade: 7
    """

    func v(_ e: String, pupil: String = "P1") throws -> String { try Support.value(e, pupil: pupil, in: data) }

    @Test func aggregatesAndWindows() throws {
        #expect(try v("pupil.marks.count()") == "4")
        #expect(try v("pupil.marks.count(m, m.value != null)") == "3")
        #expect(try v("pupil.marks.mean(m, m.value)") == "3")           // н/а is skipped
        #expect(try v("pupil.marks.wmean(m, m.value, m.weight)") == "3")   // (2 + 6 + 4) / 4
        #expect(try v("pupil.marks.last_days(7).count()") == "2")  // (06.03, 13.03]
        #expect(try v("pupil.marks.between(date(\"2026-03-01\"), date(\"2026-03-05\")).map(m, m.text).join(\" \")") == "2 3")
        #expect(try v("pupil.marks.max(m, m.value)") == "4")
        #expect(try v("pupil.marks.share(m, m.failing)") == "0,5")
        #expect(try v("round(pupil.marks.slope(m, m.value), 2)") == "1,71")  // per week, over days 0, 3, 8
        #expect(try v("pupil.subjects.map(s, s.name).join(\", \")") == "Алгебра, История")
        #expect(try v("pupil.absences.count(a, a.unexcused)") == "1")
        #expect(try v("pupil.absences.count(a, not a.late)") == "1")
        #expect(try v("as_of - 14") == "27.02.2026")
        #expect(try v("date(\"2026-03-13\") - date(\"2026-03-01\")") == "12")
        #expect(try v("current_period.name") == "III четверть")
        #expect(try v("pupil.period_before(current_period).id") == "Q2")
        #expect(try v("\"ВПР\".lower() + \" \" + text(last_year)") == "впр 2025")
        #expect(try v("pupil.marks.map(m, m.type).distinct().count()") == "1")
    }

    @Test func aSubjectWithNoMarks() throws {
        // История has no marks: aggregates of nothing are missing, counts are zero.
        let history = "pupil.subjects.filter(s, s.name == \"История\").first()"
        #expect(try v("\(history).marks.count()") == "0")
        #expect(try v("\(history).mean(current_period)") == "—")
        #expect(try v("\(history).forecast(2.5, 3)") == "—")
        #expect(try v("\(history).forecast(2.5, 3) in [\"2\", \"н/а\"]") == "нет")
        #expect(try v("\(history).marks.mean(m, m.value)") == "—")
        #expect(try v("\(history).marks.sum(m, m.value)") == "0")
        #expect(try v("\(history).marks.any(m, m.failing)") == "нет")
        #expect(try v("\(history).marks.all(m, m.failing)") == "да")
        #expect(try v("\(history).marks.share(m, m.failing)") == "—")
        #expect(try v("\(history).marks.slope(m, m.value)") == "—")
        #expect(try v("\(history).marks.first().value") == "—")
        // Algebra: 3 numeric marks, weighted mean (2 + 6 + 4) / 4 = 3.
        #expect(try v("pupil.subjects.first().forecast(2.5, 3)") == "3")
        #expect(try v("pupil.subjects.first().forecast(3.5, 3)") == "2")
        #expect(try v("pupil.subjects.first().forecast(2.5, 4)") == "—")
    }

    @Test func noVPRLastYear() throws {
        let earlier = "pupil.vpr.filter(w, w.year == last_year - 1).first()"
        #expect(try v("\(earlier).percent") == "—")
        #expect(try v("\(earlier).percent - 50") == "—")
        #expect(try v("\(earlier).percent < 50") == "нет")
        #expect(try v("\(earlier).percent >= 50") == "нет")
        #expect(try v("not (\(earlier).percent >= 50)") == "да")
        #expect(try v("\(earlier) == null") == "да")
        #expect(try v("\(earlier).percent ?? 0") == "0")
        #expect(try v("pupil.vpr.first().percent") == "50")
        #expect(try v("pupil.vpr.count()", pupil: "P2") == "0")
    }

    @Test func arithmeticOfMissingValues() throws {
        #expect(try v("1 / 0") == "—")
        #expect(try v("null + 1") == "—")
        #expect(try v("null > 1 or 2 > 1") == "да")
        #expect(try v("null and true") == "нет")
        #expect(try v("7 / 2") == "3,5")
        #expect(try v("7 % 2") == "1")
        #expect(try v("null ? 1 : 2") == "2")
        #expect(try v("[1, 2, null].mean()") == "1,5")
        #expect(try v("[1, 2.5].sum()") == "3,5")
        #expect(try v("round(2.675, 1)") == "2,7")
        #expect(try v("fmt(1234.5, 0)") == "1235")
    }

    @Test func aRuleWhoseConditionIsMissingDoesNotFire() throws {
        let yaml = """
        id: t
        title: t
        severity: low
        scope: pupil
        when: pupil.vpr.first().percent < 60
        message: m
        """
        let (rule, d) = Support.compile(yaml)
        #expect(d.isEmpty)
        let s = try Support.snapshot(data)
        let e = Evaluator(index: SnapshotIndex(s))
        #expect(e.evaluate(try required(rule), on: .pupil(0)).count == 1)
        #expect(e.evaluate(try required(rule), on: .pupil(1)).isEmpty)   // P2 has no ВПР
    }
}
