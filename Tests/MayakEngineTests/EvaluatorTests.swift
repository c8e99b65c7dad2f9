import Foundation
import MayakSnapshot
import Testing

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
        #expect(try v("pupil.marks.mean(m, m.value)") == "3")  // н/а is skipped
        #expect(try v("pupil.marks.wmean(m, m.value, m.weight)") == "3")  // (2 + 6 + 4) / 4
        #expect(try v("pupil.marks.last_days(7).count()") == "2")  // (06.03, 13.03]
        #expect(
            try v("pupil.marks.between(date(\"2026-03-01\"), date(\"2026-03-05\")).map(m, m.text).join(\" \")") == "2 3"
        )
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
        #expect(try v("fmt(1234.5, 0)") == "1\u{202F}235")
        #expect(try v("fmt(null, 1)") == "—")
        #expect(try v("fmt(2, 1) + ' / ' + fmt(2.25, 1)") == "2 / 2,3")
    }

    /// Comparisons: numbers (integers and fractions alike) in place, with a constant or
    /// not; texts, dates and missing values the general way.
    @Test func comparisons() throws {
        #expect(try v("2 <= 2.0") == "да")
        #expect(try v("1 != 1.5") == "да")
        #expect(try v("[1, 2].count() >= 2") == "да")
        #expect(try v("[1, 2].count() < [1].count()") == "нет")
        #expect(try v("7 / 2 > 3") == "да")
        #expect(try v("null < 1") == "нет")
        #expect(try v("null >= 1") == "нет")
        #expect(try v("null == null") == "да")
        #expect(try v("'а' < 'б'") == "да")
        #expect(try v("'б' <= 'а'") == "нет")
        #expect(try v("as_of >= as_of - 1") == "да")
        #expect(try v("as_of == as_of") == "да")
    }

    /// Numbers in messages are formatted without printf; they must read as printf's
    /// "%.*f" of the rounded number would, with a comma and no trailing zeros.
    @Test func numbersReadAsPrintfWouldPrintThem() {
        func printf(_ v: Double, _ digits: Int) -> String {
            let scale = pow(10, Double(digits))
            let rounded = (v * scale).rounded() / scale
            if rounded == rounded.rounded() && abs(rounded) < 1e15 { return typeset(String(Int(rounded))) }
            var text = String(format: "%.\(digits)f", rounded)
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
            return typeset(text.replacingOccurrences(of: ".", with: ","))
        }
        // As Russian text writes printf's digits: a real minus, thousands set off.
        func typeset(_ text: String) -> String {
            let negative = text.hasPrefix("-")
            let body = negative ? String(text.dropFirst()) : text
            let parts = body.split(separator: ",", omittingEmptySubsequences: false)
            var whole = Array(parts[0])
            var i = whole.count - 3
            while i > 0 {
                whole.insert("\u{202F}", at: i)
                i -= 3
            }
            return (negative ? "−" : "") + String(whole) + (parts.count > 1 ? "," + parts[1] : "")
        }
        // The same values every run (xorshift from a fixed seed), so a failure can be replayed.
        struct XorShift: RandomNumberGenerator {
            var x: UInt64 = 88_172_645_463_325_252
            mutating func next() -> UInt64 {
                x ^= x << 13
                x ^= x >> 7
                x ^= x << 17
                return x
            }
        }
        var generator = XorShift()
        var values: [Double] = [
            0, -0.0, 0.5, -0.5, 0.004, -0.005, 0.05, 2.675, 1234.5, 3.14159, -2.25, 99.995, 1e-9, 123_456_789.125,
            1e14 + 0.5,
        ]
        for _ in 0..<20_000 {
            let magnitude = pow(10, Double.random(in: -4.0...9.0, using: &generator))
            values.append(Double.random(in: -magnitude...magnitude, using: &generator))
        }
        for v in values {
            for digits in 0...6 {
                #expect(Evaluator.format(v, digits: digits) == printf(v, digits), "\(v) to \(digits) places")
            }
        }
        #expect(Evaluator.format(.nan) == "—")
        #expect(Evaluator.format(-0.004) == "0")
        #expect(Evaluator.format(1.5, digits: -1) == "2")
    }

    /// `plural(n, one, few, many)` and numbers in messages as Russian writes them, the same
    /// on both engines (`Support.value` checks both).
    @Test func pluralAndNumbersInMessages() throws {
        let cases: [(String, String)] = [
            ("plural(pupil.marks.count(m, m.failing), 'двойка', 'двойки', 'двоек')", "2 двойки"),
            ("plural(1, 'двойка', 'двойки', 'двоек')", "1 двойка"),
            ("plural(5, 'двойка', 'двойки', 'двоек')", "5 двоек"),
            ("plural(11, 'ученик', 'ученика', 'учеников')", "11 учеников"),
            ("plural(21, 'ученик', 'ученика', 'учеников')", "21 ученик"),
            ("plural(1350 + 1, 'ученик', 'ученика', 'учеников')", "1\u{202F}351 ученик"),
            ("plural(2.5, 'отметка', 'отметки', 'отметок')", "2,5 отметки"),
            ("plural(4 / 2, 'отметка', 'отметки', 'отметок')", "2 отметки"),
            ("plural(null, 'отметка', 'отметки', 'отметок')", "—"),
            ("0 - 5", "−5"),
            ("0 - 0.51", "−0,51"),
            ("1000000", "1\u{202F}000\u{202F}000"),
            ("fmt(1234.567, 1)", "1\u{202F}234,6"),
        ]
        for (expression, expected) in cases {
            #expect(try Support.value(expression, in: data) == expected, "\(expression)")
        }
        let (bad, diagnostics) = Support.compile(
            """
            id: t
            title: t
            severity: low
            scope: pupil
            when: "true"
            message: "{plural('много', 'a', 'b', 'c')}"
            """)
        #expect(bad == nil)
        #expect(diagnostics.contains { $0.message.contains("'plural' expects number here") }, "\(diagnostics)")
    }

    /// A year in a message is written as a year («2025»), a count with its thousands set off.
    @Test func yearsAreNotGroupedAsCounts() throws {
        let yaml = """
            id: t
            title: t
            severity: low
            scope: pupil
            when: pupil.vpr.count() > 0
            message: "ВПР {pupil.vpr.first().year} г., прошлый год {last_year}, до него {last_year - 1}; {pupil.vpr.first().year * 1}"
            """
        let (rule, d) = Support.compile(yaml)
        #expect(d.isEmpty, "\(d)")
        let s = try Support.snapshot(data)
        let findings = Evaluator(index: SnapshotIndex(s)).evaluate(try required(rule), on: .pupil(0))
        let message = try required(findings.first?.message)
        #expect(message.hasPrefix("ВПР 20"))
        #expect(message.contains("прошлый год 2025, до него 2024"), "\(message)")
        // A year multiplied is a number, no longer a year: written as a count.
        #expect(message.hasSuffix("; 2\u{202F}0" + String(message.suffix(2))), "\(message)")
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
        #expect(e.evaluate(try required(rule), on: .pupil(1)).isEmpty)  // P2 has no ВПР
    }

    /// Aggregates of a selection of marks (a subject's marks, windows, filters on the value
    /// byte) run as one pass on the compiled engine: the same values as the reference
    /// (`Support.value` checks both), and the pass taken where it should be.
    @Test func aggregatesOfMarkSelections() throws {
        // Алгебра: 02.03 «2», 05.03 «3» of weight 2, 10.03 «4», 11.03 «н/а»; as of 13.03.
        let algebra = "pupil.subjects.first()"
        let cases: [(expression: String, value: String, onePass: Bool)] = [
            ("\(algebra).marks.last_days(7).filter(m, m.value != null).count()", "1", true),
            ("\(algebra).marks.filter(m, m.value != null).last_days(7).count()", "1", true),
            ("\(algebra).marks.last_days(30).between(date(\"2026-03-03\"), as_of).count()", "3", true),
            ("\(algebra).marks.filter(m, m.value <= 2).is_empty()", "нет", true),
            ("\(algebra).marks.any(m, m.text == \"н/а\")", "да", true),
            ("\(algebra).marks.none(m, m.absent)", "да", true),
            ("\(algebra).marks.all(m, m.value >= 2)", "нет", true),  // «н/а» has no value
            ("\(algebra).marks.filter(m, m.value != null).all(m, m.value >= 2)", "да", true),
            ("\(algebra).marks.share(m, m.value >= 3 ? true : false)", "0,5", true),
            ("\(algebra).marks.sum(m, m.value)", "9", true),
            ("\(algebra).marks.min(m, m.value * 10)", "20", true),
            ("\(algebra).marks.max(m, 6 - m.value)", "4", true),
            ("\(algebra).marks.wmean(m, m.value, m.weight)", "3", true),
            ("\(algebra).marks.during(current_period).mean(m, m.value)", "3", true),
            ("\(algebra).marks.filter(m, m.text.matches(\"^[23]$\")).count()", "2", true),
            ("\(algebra).marks.before(date(\"2026-03-01\")).mean(m, m.value)", "—", true),
            ("pupil.marks.count(m, m.failing)", "2", true),
            // A subject that is not there: the general way, the same answer as an empty selection.
            ("pupil.subjects.filter(s, s.name == \"Химия\").first().marks.count(m, m.failing)", "0", true),
            // Not one pass: a test on the date, a window over every subject's marks, a list's own mean.
            ("\(algebra).marks.count(m, m.date > as_of - 7)", "2", false),
            ("pupil.marks.last_days(7).count(m, m.value != null)", "1", false),
            ("\(algebra).marks.map(m, m.value).mean()", "3", false),
        ]
        for c in cases {
            #expect(try v(c.expression) == c.value, "\(c.expression)")
            #expect(try Self.takesOnePass(c.expression, in: data) == c.onePass, "\(c.expression)")
        }
        // Through lets: `recent` read twice is one selection.
        let recent = "  recent: \(algebra).marks.last_days(7).filter(m, m.value != null)\n"
        #expect(try Support.value("recent.count() + recent.mean(m, m.value)", in: data, lets: recent) == "5")
    }

    /// Whether the compiled engine computes `expression` as one pass over a selection of marks.
    static func takesOnePass(_ expression: String, in data: String) throws -> Bool {
        let (rule, diagnostics) = Support.compile(
            """
            id: probe
            title: probe
            severity: info
            scope: pupil
            let:
              probe_value: \(Support.quoteYAML(expression))
            when: "true"
            message: "{probe_value}"
            """)
        let compiled = try required(rule)
        #expect(diagnostics.isEmpty)
        let engine = CompiledEngine(index: SnapshotIndex(try Support.snapshot(data)), rules: [])
        var compiler = Compiler(engine: engine)
        return compiler.markAggregate(try required(compiled.lets.first?.node)) != nil
    }
}
