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

    /// The figures of one pupil (grades 2–11) from their period marks of one period: the
    /// single place that says who is assessed, failing or of quality.
    /// Inlinable: called per pupil from other modules with their own sequences, it would
    /// otherwise run unspecialized.
    @inlinable public init(pupilPeriodMarks values: some Sequence<MarkValue>) {
        pupils = 1
        var any = false
        var numeric = false
        var fails = false
        var belowFour = false
        for value in values {
            guard let grade = value.grade, grade != .exempt else { continue }
            any = true
            switch grade {
            case .five:
                fives += 1
                numeric = true
            case .four:
                fours += 1
                numeric = true
            case .three:
                threes += 1
                numeric = true
                belowFour = true
            case .two, .one:
                twos += 1
                numeric = true
                fails = true
            case .notAssessed:
                notAssessed += 1
                fails = true
            case .failed: fails = true
            case .passed, .exempt: break
            }
        }
        guard any else { return }
        assessed = 1
        if fails {
            failing = 1
        } else {
            succeeding = 1
            if numeric && !belowFour { quality = 1 }
        }
    }

    public static func += (a: inout PeriodFigures, b: PeriodFigures) {
        a.pupils += b.pupils
        a.assessed += b.assessed
        a.succeeding += b.succeeding
        a.quality += b.quality
        a.failing += b.failing
        a.fives += b.fives
        a.fours += b.fours
        a.threes += b.threes
        a.twos += b.twos
        a.notAssessed += b.notAssessed
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
        var marks = [[MarkValue]](repeating: [], count: pupils.count)
        for i in 0..<periodMarks.count {
            let p = Int(periodMarks.pupil[i])
            if latest[p] >= 0 && Int(periodMarks.period[i]) == latest[p] {
                marks[p].append(MarkValue(raw: periodMarks.value[i]))
            }
        }
        return (0..<pupils.count).map { p in
            classes.grade[Int(pupils.classIndex[p])] >= 2 ? PeriodFigures(pupilPeriodMarks: marks[p]) : PeriodFigures()
        }
    }
}
