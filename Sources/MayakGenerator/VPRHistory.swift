import MayakSnapshot

/// ВПР results of the two previous school years, and the score-to-mark scales they used.
///
/// A pupil now in grade g wrote ВПР for grade g−1 last spring and g−2 the spring before,
/// where those grades write ВПР (4–8, 10–11). Results follow the pupil's ability with
/// year-to-year noise; a few pupils get a planted drop. Journal marks run above the ВПР mark
/// in schools with inflated marking, which the objectivity check should notice.
enum VPRHistory {
    struct ScaleKey: Hashable, Comparable {
        var year: Int, grade: Int, subject: String
        static func < (a: ScaleKey, b: ScaleKey) -> Bool { (a.year, a.grade, a.subject) < (b.year, b.grade, b.subject) }
    }

    static let vprGrades: Set<Int> = [4, 5, 6, 7, 8, 10, 11]

    /// Subjects a class wrote in a given year: Russian and mathematics in 4–8, plus subjects
    /// assigned by the national schedule (drawn per class and year here).
    static func subjects(grade: Int, rng: inout SeededRandom) -> [String] {
        switch grade {
        case 4: return ["Русский язык", "Математика", "Окружающий мир"]
        case 5: return ["Русский язык", "Математика", "История", "Биология"]
        case 6, 7, 8:
            var pool = ["История", "Обществознание", "География", "Биология"]
            if grade >= 7 { pool.append("Физика") }
            if grade == 8 { pool.append("Химия") }
            pool.shuffle(using: &rng)
            return ["Русский язык", "Математика"] + pool.prefix(2)
        default:
            var pool = ["История", "Обществознание", "География", "Физика", "Химия", "Биология"]
            pool.shuffle(using: &rng)
            return Array(pool.prefix(2))
        }
    }

    /// A stable hash of a scale key, so scales do not depend on generation order.
    static func hash(_ key: ScaleKey) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in "\(key.year)|\(key.grade)|\(key.subject)".utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        return SeededRandom.splitMix(h)
    }

    static func maxScore(_ key: ScaleKey) -> Int {
        let base: Int
        switch key.subject {
        case "Русский язык": base = [4: 38, 5: 45, 6: 51, 7: 47, 8: 51][key.grade] ?? 45
        case "Математика": base = [4: 20, 5: 20, 6: 20, 7: 19, 8: 25][key.grade] ?? 20
        case "Окружающий мир": base = 32
        default: base = 20 + Int(hash(ScaleKey(year: 0, grade: key.grade, subject: key.subject)) % 16)
        }
        return base + Int(hash(key) % 5) - 2
    }

    /// Lowest scores for marks 3, 4 and 5.
    static func thresholds(_ key: ScaleKey) -> [Int] {
        let max = Double(maxScore(key))
        let h = hash(key)
        let shift = Double(Int((h >> 8) % 7) - 3) / 100
        return [0.30, 0.55, 0.80].map { Int(((($0 + shift) * max)).rounded()) }
    }

    static func mark(score: Int, key: ScaleKey) -> Int {
        let t = thresholds(key)
        return score >= t[2] ? 5 : (score >= t[1] ? 4 : (score >= t[0] ? 3 : 2))
    }

    static func write(
        pupils: [LatentPupil], grade: Int, school: SchoolPlan, classEffect: Double, calendar: SchoolCalendar,
        rng: inout SeededRandom, ctx: inout GenerationContext
    ) throws {
        let spring = calendar.schoolYear.springYear
        // With edge cases, this spring's ВПР too once it is written (by the end of April).
        let thisSpringWritten = ctx.edgeCases && ctx.asOf >= Day(year: spring, month: 4, day: 30)!
        let years = ((thisSpringWritten ? 0 : 1)...2).map { spring - $0 }.filter {
            vprGrades.contains(grade - (spring - $0))
        }
        guard !years.isEmpty else { return }
        let classSubjects = years.map { y in subjects(grade: grade - (spring - y), rng: &rng) }
        let plan = Curriculum.plan(grade: grade)
        let w = ctx.tables.vprResults
        for p in pupils {
            // The planted drop: one subject written in both years falls sharply in the later one.
            var dropSubject: String?
            if years.count >= 2 {
                let common = classSubjects[0].filter { classSubjects[1].contains($0) }
                if !common.isEmpty && rng.chance(ctx.edgeCases ? 0.3 : 0.05) { dropSubject = rng.pick(common) }
            }
            var shares: [String: (year: Int, share: Double, mark: Int)] = [:]
            for (k, year) in years.enumerated().reversed() {  // earlier year first
                let g = grade - (spring - year)
                for subject in classSubjects[k] {
                    let key = ScaleKey(year: year, grade: g, subject: subject)
                    let points = maxScore(key)
                    ctx.vprScalesUsed[key] = points
                    let planIndex = plan.firstIndex {
                        $0.name == subject || (subject == "Математика" && $0.name == "Алгебра")
                    }
                    let mean = planIndex.map { p.base[$0] } ?? (p.ability + 0.1)
                    var share = 0.42 + 0.21 * (mean - 3) + rng.normal(0, 0.06)
                    if let earlier = shares[subject] {
                        share = earlier.share * 0.6 + share * 0.4
                        if subject == dropSubject { share -= rng.uniform(0.22, 0.40) }
                    }
                    share = min(1, max(0.02, share))
                    let score = Int((share * Double(points)).rounded())
                    let mark = self.mark(score: score, key: key)
                    let journal = Int(min(5, Swift.max(2, (mean + school.inflation + rng.normal(0, 0.3)).rounded())))
                    w.bytes(p.idBytes)
                    w.comma()
                    w.int(year)
                    w.comma()
                    w.int(g)
                    w.comma()
                    w.text(subject)
                    w.comma()
                    w.int(score)
                    w.comma()
                    w.int(points)
                    w.comma()
                    w.int(mark)
                    w.comma()
                    w.int(journal)
                    try w.endRow()
                    if let earlier = shares[subject], let truth = ctx.tables.truth {
                        let before = Double(earlier.share)
                        let after = Double(score) / Double(points)
                        let fell = (before - after) * 100
                        if subject == dropSubject || fell >= 20 || (mark == 2 && earlier.mark >= 3) {
                            truth.bytes(p.idBytes)
                            truth.comma()
                            truth.text("vpr-drop")
                            truth.comma()
                            truth.text(subject)
                            truth.comma()
                            truth.comma()
                            truth.text(
                                GeneratorText.vprDrop(
                                    earlier: earlier.year, before: before * 100, markBefore: earlier.mark, year: year,
                                    after: after * 100, mark: mark))
                            truth.comma()
                            truth.text(subject == dropSubject ? "yes" : "no")
                            try truth.endRow()
                        }
                    }
                    shares[subject] = (year, Double(score) / Double(points), mark)
                }
            }
        }
    }

    static func writeScales(context ctx: GenerationContext) throws {
        let w = ctx.tables.vprScales
        for key in ctx.vprScalesUsed.keys.sorted() {
            let max = maxScore(key)
            let t = thresholds(key)
            let bands = [(2, 0, t[0] - 1), (3, t[0], t[1] - 1), (4, t[1], t[2] - 1), (5, t[2], max)]
            for (mark, lo, hi) in bands {
                w.int(key.year)
                w.comma()
                w.int(key.grade)
                w.comma()
                w.text(key.subject)
                w.comma()
                w.int(mark)
                w.comma()
                w.int(lo)
                w.comma()
                w.int(hi)
                try w.endRow()
            }
        }
    }
}
