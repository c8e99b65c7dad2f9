import Testing

@testable import MayakEngine

/// `forecast(threshold, minimum)` and the weighted mean at their edges, in both engines
/// (`Support.value` fails when they differ): the thresholds themselves, the period mark, the
/// minimum number of marks, the first day of the period and the as-of date (13.03.2026, in the
/// III четверть from 12.01.2026).
@Suite struct ForecastTests {
    func forecast(
        _ marks: [String], periodMark: String? = nil, threshold: String = "2.5", minimum: Int = 2
    ) throws -> String {
        let list = marks.map { "\"\($0)\"" }.joined(separator: ", ")
        let data = """
            pupils:
              - id: P1
                grade: 7
                subjects: [Алгебра]
                marks:
                  Алгебра: [\(list)]
            \(periodMark.map { "    period_marks: { Алгебра: { Q3: \"\($0)\" } }" } ?? "")
            """
        return try Support.value("pupil.subjects.first().forecast(\(threshold), \(minimum))", in: data)
    }

    @Test func aMeanOnAThresholdTakesTheHigherMark() throws {
        #expect(try forecast(["2@2026-03-02", "3@2026-03-03"]) == "3")  // 2,5
        #expect(try forecast(["3@2026-03-02", "4@2026-03-03"]) == "4")  // 3,5
        #expect(try forecast(["4@2026-03-02", "5@2026-03-03"]) == "5")  // 4,5
        #expect(try forecast(["2@2026-03-02", "3@2026-03-03", "2@2026-03-04"]) == "2")  // 2,33
        #expect(try forecast(["3@2026-03-02", "4@2026-03-03", "3@2026-03-04"]) == "3")  // 3,33
        #expect(try forecast(["4@2026-03-02", "5@2026-03-03", "4@2026-03-04"]) == "4")  // 4,33
        // The threshold is the rule's: 3 and 4 average 3,5, below a threshold of 3,6.
        #expect(try forecast(["3@2026-03-02", "4@2026-03-03"], threshold: "3.6") == "2")
    }

    @Test func marksAreWeighted() throws {
        // (2·2 + 3·1) / 3 = 2,33: a «2» of weight 2 outweighs a «3»; unweighted it would be 2,5.
        #expect(try forecast(["2:2@2026-03-02", "3@2026-03-03"]) == "2")
        // (3·0,5 + 2·2 + 3·0,5) / 3 = 2,33; with the weights ignored, 2,67.
        #expect(try forecast(["3:0.5@2026-03-02", "2:2@2026-03-03", "3:0.5@2026-03-04"]) == "2")
    }

    @Test func theSetPeriodMarkIsTheForecast() throws {
        #expect(try forecast(["5@2026-03-02", "5@2026-03-03"], periodMark: "2") == "2")
        #expect(try forecast(["2@2026-03-02", "2@2026-03-03"], periodMark: "4") == "4")
        // Even with too few marks to forecast.
        #expect(try forecast([], periodMark: "3") == "3")
    }

    @Test func exactlyTheMinimumNumberOfMarksIsEnough() throws {
        #expect(try forecast(["2@2026-03-02", "2@2026-03-03"], minimum: 2) == "2")
        #expect(try forecast(["2@2026-03-02", "2@2026-03-03"], minimum: 3) == "—")
        #expect(try forecast(["2@2026-03-02"], minimum: 1) == "2")
        #expect(try forecast(["2@2026-03-02"], minimum: 0) == "2")
        #expect(try forecast([], minimum: 0) == "—")
    }

    @Test func thePeriodRunsFromItsFirstDayToTheAsOfDate() throws {
        // 11.01 is in the holidays before the III четверть: not counted.
        #expect(try forecast(["2@2026-01-11", "5@2026-01-12", "5@2026-03-13"]) == "5")
        // Both ends count: 12.01 (the first day) and 13.03 (the as-of date).
        #expect(try forecast(["2@2026-01-12", "2@2026-02-02", "5@2026-02-03"], minimum: 3) == "3")
        #expect(try forecast(["5@2026-03-13", "2@2026-03-01", "2@2026-03-02"], minimum: 3) == "3")
    }
}
