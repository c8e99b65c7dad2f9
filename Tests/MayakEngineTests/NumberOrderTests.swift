import MayakRules
import MayakSnapshot
import Testing

@testable import MayakEngine

/// Numbers compare in decimal terms and weighted means are exact: the same on both engines
/// (`Support.value` checks the compiled engine against the reference evaluator).
@Suite struct NumberOrderTests {
    let pupil = "pupils:\n  - { id: P1, grade: 7, marks: { Химия: [\"2:0,1\", \"2:0,6\", \"3:0,7\"] } }\n"

    @Test func comparisonsHoldInDecimalTerms() throws {
        // Binary: 0.30000000000000004, and 14.999999999999993.
        #expect(try Support.value("0.1 + 0.2 == 0.3", in: pupil) == "да")
        #expect(try Support.value("0.1 + 0.2 > 0.3", in: pupil) == "нет")
        #expect(try Support.value("11.0 / 15 * 100 - 28.0 / 48 * 100 >= 15", in: pupil) == "да")
        #expect(try Support.value("0.3 in [0.1 + 0.2]", in: pupil) == "да")
        // From the data, not folded when the rule loads.
        let count = "pupil.marks.count()"
        #expect(try Support.value("\(count) * 0.1 == 0.3", in: pupil) == "да")
        #expect(try Support.value("\(count) * 0.1 < 0.3", in: pupil) == "нет")
        #expect(try Support.value("\(count) * 0.1 <= 0.3 and \(count) * 0.1 >= 0.3", in: pupil) == "да")
        // Differences the data can mean are kept: a millionth, and whole numbers.
        #expect(try Support.value("\(count) * 0.1 + 0.000001 > 0.3", in: pupil) == "да")
        #expect(try Support.value("\(count) * 333333333 < 999999998 + 1", in: pupil) == "нет")
        #expect(try Support.value("\(count) * 333333333 - 1 < 999999998 + 1", in: pupil) == "да")
        #expect(try Support.value("\(count) * 333333333 == 999999998", in: pupil) == "нет")
    }

    @Test func weightedMeansAreExact() throws {
        // 0,2 + 1,2 + 2,1 = 3,5 over 1,4: 2,4999999 with weights kept as 32-bit floats.
        let subject = "pupil.subjects.first()"
        #expect(try Support.value("\(subject).mean(current_period) == 2.5", in: pupil) == "да")
        #expect(try Support.value("\(subject).mean(current_period) < 2.5", in: pupil) == "нет")
        #expect(try Support.value("\(subject).forecast(2.5, 3)", in: pupil) == "3")
        #expect(try Support.value("pupil.marks.wmean(m, m.value, m.weight) == 2.5", in: pupil) == "да")
        // The general way (a filtered list, no shared pass) agrees.
        let filtered = "pupil.marks.filter(m, m.value != null)"
        #expect(try Support.value("\(filtered).wmean(m, m.value, m.weight) == 2.5", in: pupil) == "да")
        #expect(try Support.value("\(filtered).wmean(m, m.value, m.weight * 3)", in: pupil) == "2,5")
        #expect(try Support.value("pupil.marks.map(m, m.weight)", in: pupil) == "0,1, 0,6, 0,7")
    }

    @Test func weightsWithMoreThanTwoDecimalPlacesAreRefused() throws {
        #expect(WeightColumn.hundredths(parsing: "1,5") == 150)
        #expect(WeightColumn.hundredths(parsing: "0.25") == 25)
        #expect(WeightColumn.hundredths(parsing: "2,500") == 250)
        #expect(WeightColumn.hundredths(parsing: "0,125") == nil)
        #expect(WeightColumn.hundredths(parsing: "0,05") == nil)
        #expect(WeightColumn.hundredths(parsing: "11") == nil)
        #expect(WeightColumn.hundredths(parsing: "1,5,") == nil)
        #expect(throws: TestFixture.Problem.self) {
            try Support.snapshot("pupils:\n  - { id: P1, grade: 7, marks: { Химия: [\"2:0,125\"] } }\n")
        }
    }
}
