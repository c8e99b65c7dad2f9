/// The figures every department reports for a period (domain.md):
/// успеваемость, качество знаний, СОУ and the number of неуспевающие.
public struct PeriodFigures: Hashable, Sendable {
    /// Pupils on the roll in grades that are assessed with marks (2–11).
    public var pupils = 0
    /// Pupils with at least one period mark other than «осв» (including «н/а»).
    public var assessed = 0
    /// Assessed pupils with no 2, 1, «н/а» or «незач».
    public var succeeding = 0
    /// Assessed pupils whose numeric marks are all 4 and 5 and who fail nothing.
    public var quality = 0
    /// Неуспевающие: at least one 2, 1, «н/а» or «незач».
    public var failing = 0
    /// Period marks by value, for СОУ.
    public var fives = 0, fours = 0, threes = 0, twos = 0, notAssessed = 0

    public init() {}

    /// успеваемость, % (nil with no pupils assessed).
    public var successRate: Double? { assessed == 0 ? nil : 100 * Double(succeeding) / Double(assessed) }
    /// качество знаний, %.
    public var qualityRate: Double? { assessed == 0 ? nil : 100 * Double(quality) / Double(assessed) }
    /// СОУ = (100·n5 + 64·n4 + 36·n3 + 16·n2 + 7·n_на) / N, %.
    public var degreeOfLearning: Double? {
        let n = fives + fours + threes + twos + notAssessed
        guard n > 0 else { return nil }
        return Double(100 * fives + 64 * fours + 36 * threes + 16 * twos + 7 * notAssessed) / Double(n)
    }

    public static func += (a: inout PeriodFigures, b: PeriodFigures) {
        a.pupils += b.pupils; a.assessed += b.assessed; a.succeeding += b.succeeding
        a.quality += b.quality; a.failing += b.failing
        a.fives += b.fives; a.fours += b.fours; a.threes += b.threes; a.twos += b.twos; a.notAssessed += b.notAssessed
    }
}

extension Snapshot {
    /// For each pupil, the index (into `manifest.periods`) of the latest assessment period of
    /// their grade that ended by the as-of date, or -1 (grade 1, or nothing finished yet).
    public func latestFinishedPeriodByPupil() -> [Int] {
        let periodIndex = Dictionary(uniqueKeysWithValues: manifest.periods.enumerated().map { ($1.id, $0) })
        var byGrade = [Int](repeating: -1, count: 12)
        for g in 1...11 {
            if let p = manifest.latestFinishedPeriod(grade: g), let i = periodIndex[p.id] { byGrade[g] = i }
        }
        return pupils.classIndex.map { byGrade[Int(classes.grade[Int($0)])] }
    }

    /// Figures of the latest finished period, per pupil, ready to be summed by class, school
    /// or district. Grade 1 (no marks) is left out.
    public func pupilFigures() -> [PeriodFigures] {
        let latest = latestFinishedPeriodByPupil()
        var result = [PeriodFigures](repeating: PeriodFigures(), count: pupils.count)
        var anyMark = [Bool](repeating: false, count: pupils.count)
        var anyNumeric = [Bool](repeating: false, count: pupils.count)
        var fails = [Bool](repeating: false, count: pupils.count)
        var belowFour = [Bool](repeating: false, count: pupils.count)
        for i in 0..<periodMarks.count {
            let p = Int(periodMarks.pupil[i])
            guard latest[p] >= 0, Int(periodMarks.period[i]) == latest[p] else { continue }
            let value = MarkValue(raw: periodMarks.value[i])
            guard let grade = value.grade, grade != .exempt else { continue }
            anyMark[p] = true
            switch grade {
            case .five: result[p].fives += 1; anyNumeric[p] = true
            case .four: result[p].fours += 1; anyNumeric[p] = true
            case .three: result[p].threes += 1; anyNumeric[p] = true; belowFour[p] = true
            case .two, .one: result[p].twos += 1; anyNumeric[p] = true; fails[p] = true
            case .notAssessed: result[p].notAssessed += 1; fails[p] = true
            case .failed: fails[p] = true
            case .passed, .exempt: break
            }
        }
        for p in 0..<pupils.count {
            let grade = classes.grade[Int(pupils.classIndex[p])]
            guard grade >= 2 else { continue }
            result[p].pupils = 1
            guard anyMark[p] else { continue }
            result[p].assessed = 1
            if fails[p] { result[p].failing = 1 } else {
                result[p].succeeding = 1
                if anyNumeric[p] && !belowFour[p] { result[p].quality = 1 }
            }
        }
        return result
    }
}
