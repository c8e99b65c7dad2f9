import Testing

@testable import MayakSnapshot

/// The period figures of domain.md, worked out by hand for each kind of pupil and for a class.
@Suite struct PeriodFiguresTests {
    static func pupil(_ marks: String...) -> PeriodFigures {
        PeriodFigures(
            pupilPeriodMarks: marks.map { text -> MarkValue in
                guard case .success(let v) = MarkValue.parse(text) else { fatalError("not a mark: \(text)") }
                return v
            })
    }

    /// (assessed, succeeding, quality, failing) of one pupil.
    static func verdict(_ f: PeriodFigures) -> [Int] { [f.assessed, f.succeeding, f.quality, f.failing] }

    @Test func whoIsAssessedSucceedingOfQualityOrFailing() {
        #expect(Self.verdict(Self.pupil("5", "4")) == [1, 1, 1, 0])
        #expect(Self.verdict(Self.pupil("5", "3")) == [1, 1, 0, 0])
        #expect(Self.verdict(Self.pupil("5", "2")) == [1, 0, 0, 1])
        #expect(Self.verdict(Self.pupil("5", "1")) == [1, 0, 0, 1])
        #expect(Self.verdict(Self.pupil("5", "н/а")) == [1, 0, 0, 1])
        #expect(Self.verdict(Self.pupil("5", "незач")) == [1, 0, 0, 1])
        // Credits only: succeeding, but качество знаний needs marks of 4 and 5.
        #expect(Self.verdict(Self.pupil("зач")) == [1, 1, 0, 0])
        #expect(Self.verdict(Self.pupil("5", "зач")) == [1, 1, 1, 0])
        // Exempt from everything: on the roll, not assessed; exempt from one subject: assessed by the rest.
        #expect(Self.verdict(Self.pupil("осв")) == [0, 0, 0, 0])
        #expect(Self.verdict(Self.pupil("осв", "4")) == [1, 1, 1, 0])
        #expect(Self.verdict(Self.pupil()) == [0, 0, 0, 0])
        #expect(Self.pupil("осв").pupils == 1)
    }

    @Test func marksAreCountedForTheDegreeOfLearning() {
        let f = Self.pupil("5", "5", "4", "3", "2", "1", "н/а", "зач", "незач", "осв")
        #expect([f.fives, f.fours, f.threes, f.twos, f.notAssessed] == [2, 1, 1, 2, 1])
        // (100·2 + 64·1 + 36·1 + 16·2 + 7·1) / 7 = 339 / 7
        #expect(f.degreeOfLearning == 339.0 / 7)
        #expect(Self.pupil("зач").degreeOfLearning == nil)
    }

    /// A class of five: two of quality, one with a 3, one failing with «н/а», one exempt.
    @Test func aClassSumsItsPupils() {
        var c = PeriodFigures()
        for p in [
            Self.pupil("5", "5"), Self.pupil("4", "5"), Self.pupil("3", "4"), Self.pupil("2", "н/а"),
            Self.pupil("осв"),
        ] {
            c += p
        }
        #expect([c.pupils, c.assessed, c.succeeding, c.quality, c.failing] == [5, 4, 3, 2, 1])
        #expect([c.fives, c.fours, c.threes, c.twos, c.notAssessed] == [3, 2, 1, 1, 1])
        #expect(c.successRate == 75)  // 3 of the 4 assessed, not of the 5 on the roll
        #expect(c.qualityRate == 50)
        // (100·3 + 64·2 + 36·1 + 16·1 + 7·1) / 8 = 487 / 8
        #expect(c.degreeOfLearning == 487.0 / 8)
        var two = c
        two += c
        #expect([two.pupils, two.assessed, two.succeeding, two.quality, two.failing] == [10, 8, 6, 4, 2])
        #expect(PeriodFigures().successRate == nil && PeriodFigures().qualityRate == nil)
    }
}
