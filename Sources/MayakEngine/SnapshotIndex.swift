import MayakSnapshot

/// The snapshot regrouped for evaluation: each pupil's marks, absences, period marks and
/// ВПР as contiguous runs; classes' pupils and works; schools' classes; each grade's periods.
///
/// ```
/// markOrder:  [ p0: Алгебра d1 d2 … | Русский … ][ p1: … ]
/// markStart:  p0 ─┘                            p1 ─┘
/// ```
public final class SnapshotIndex: @unchecked Sendable {
    public let snapshot: Snapshot
    public let markOrder: [Int32], markStart: [Int32]
    let absenceOrder: [Int32], absenceStart: [Int32]
    let periodMarkOrder: [Int32], periodMarkStart: [Int32]
    let vprOrder: [Int32], vprStart: [Int32]
    public let classPupils: [[Int32]]
    public let classWorks: [[Int32]]
    public let classSubjectRows: [[Int32]]
    public let schoolClasses: [[Int32]]
    /// (work << 32 | pupil) → row of work_results.
    let results: [Int64: Int32]
    /// Per grade 0…11: indexes into manifest.periods.
    public let currentPeriod: [Int], previousPeriod: [Int], lastFinishedPeriod: [Int]
    /// Weekdays from each period's start to min(end, as-of), for lesson counts.
    let periodWeekdays: [Int]
    public var asOf: Day { snapshot.manifest.asOf }

    public init(_ s: Snapshot) {
        snapshot = s
        let n = s.pupils.count
        (markOrder, markStart) = SnapshotIndex.group(count: s.marks.count, groups: n, key: { s.marks.pupil[$0] },
                                                      order: { (s.marks.subject[$0], s.marks.day[$0]) })
        (absenceOrder, absenceStart) = SnapshotIndex.group(count: s.attendance.count, groups: n, key: { s.attendance.pupil[$0] },
                                                            order: { (s.attendance.day[$0], Int32(s.attendance.lesson[$0])) })
        (periodMarkOrder, periodMarkStart) = SnapshotIndex.group(count: s.periodMarks.count, groups: n, key: { s.periodMarks.pupil[$0] },
                                                                  order: { (s.periodMarks.subject[$0], Int32(s.periodMarks.period[$0])) })
        (vprOrder, vprStart) = SnapshotIndex.group(count: s.vprResults.count, groups: n, key: { s.vprResults.pupilIndex[$0] },
                                                    order: { (s.vprResults.subject[$0], Int32(s.vprResults.year[$0])) })
        var pupilsOf = [[Int32]](repeating: [], count: s.classes.count)
        for p in 0..<n { pupilsOf[Int(s.pupils.classIndex[p])].append(Int32(p)) }
        classPupils = pupilsOf
        var worksOf = [[Int32]](repeating: [], count: s.classes.count)
        for w in 0..<s.works.count { worksOf[Int(s.works.classIndex[w])].append(Int32(w)) }
        classWorks = worksOf.map { $0.sorted { (s.works.day[Int($0)], $0) < (s.works.day[Int($1)], $1) } }
        var subjectsOf = [[Int32]](repeating: [], count: s.classes.count)
        for r in 0..<s.classSubjects.count { subjectsOf[Int(s.classSubjects.classIndex[r])].append(Int32(r)) }
        classSubjectRows = subjectsOf
        var classesOf = [[Int32]](repeating: [], count: s.schools.count)
        for c in 0..<s.classes.count { classesOf[Int(s.classes.school[c])].append(Int32(c)) }
        schoolClasses = classesOf
        var r: [Int64: Int32] = [:]
        r.reserveCapacity(s.workResults.count)
        for i in 0..<s.workResults.count { r[Int64(s.workResults.work[i]) << 32 | Int64(s.workResults.pupil[i])] = Int32(i) }
        results = r
        let m = s.manifest
        var current = [Int](repeating: -1, count: 12), previous = [Int](repeating: -1, count: 12), finished = [Int](repeating: -1, count: 12)
        for g in 1...11 {
            let list = m.periods.indices.filter { m.periods[$0].kind != .year && m.periods[$0].grades.contains(g) }
                .sorted { m.periods[$0].start < m.periods[$1].start }
            let c = list.lastIndex { m.periods[$0].start <= m.asOf }
            if let c {
                current[g] = list[c]
                if c > 0 { previous[g] = list[c - 1] }
            }
            finished[g] = list.last { m.periods[$0].end <= m.asOf } ?? -1
        }
        currentPeriod = current
        previousPeriod = previous
        lastFinishedPeriod = finished
        periodWeekdays = m.periods.map { p in
            var count = 0
            var d = p.start
            let last = min(p.end, m.asOf)
            while d <= last { if d.weekday <= 5 { count += 1 }; d = d + 1 }
            return count
        }
    }

    /// A counting sort by group, then each group's rows ordered by `order`.
    static func group(count: Int, groups: Int, key: (Int) -> Int32, order: (Int) -> (Int32, Int32)) -> ([Int32], [Int32]) {
        var start = [Int32](repeating: 0, count: groups + 1)
        for i in 0..<count { let k = Int(key(i)); if k >= 0 { start[k + 1] += 1 } }
        for g in 0..<groups { start[g + 1] += start[g] }
        var fill = start
        var rows = [Int32](repeating: 0, count: Int(start[groups]))
        for i in 0..<count {
            let k = Int(key(i))
            guard k >= 0 else { continue }
            rows[Int(fill[k])] = Int32(i)
            fill[k] += 1
        }
        for g in 0..<groups {
            let lo = Int(start[g]), hi = Int(start[g + 1])
            if hi - lo > 1 {
                rows[lo..<hi].sort { a, b in
                    let x = order(Int(a)), y = order(Int(b))
                    return (x.0, x.1, a) < (y.0, y.1, b)
                }
            }
        }
        return (rows, start)
    }

    public func marks(ofPupil p: Int32) -> ArraySlice<Int32> { markOrder[Int(markStart[Int(p)])..<Int(markStart[Int(p) + 1])] }
    public func absences(ofPupil p: Int32) -> ArraySlice<Int32> { absenceOrder[Int(absenceStart[Int(p)])..<Int(absenceStart[Int(p) + 1])] }
    public func periodMarks(ofPupil p: Int32) -> ArraySlice<Int32> { periodMarkOrder[Int(periodMarkStart[Int(p)])..<Int(periodMarkStart[Int(p) + 1])] }
    public func vpr(ofPupil p: Int32) -> ArraySlice<Int32> { vprOrder[Int(vprStart[Int(p)])..<Int(vprStart[Int(p) + 1])] }

    public func grade(ofPupil p: Int32) -> Int { Int(snapshot.classes.grade[Int(snapshot.pupils.classIndex[Int(p)])]) }

    /// The pupil's period mark in a subject and period, as a row of period_marks.
    public func periodMark(pupil: Int32, subject: Int32, period: Int) -> Int32? {
        periodMarks(ofPupil: pupil).first { snapshot.periodMarks.subject[Int($0)] == subject && Int(snapshot.periodMarks.period[Int($0)]) == period }
    }

    /// Figures of a set of pupils for the given period of each.
    public func figures(pupils: [Int32], period: (Int32) -> Int) -> PeriodFigures {
        var total = PeriodFigures()
        for p in pupils {
            guard grade(ofPupil: p) >= 2 else { continue }
            let target = period(p)
            let f = PeriodFigures(pupilPeriodMarks: periodMarks(ofPupil: p)
                .filter { Int(snapshot.periodMarks.period[Int($0)]) == target }
                .map { MarkValue(raw: snapshot.periodMarks.value[Int($0)]) })
            total += f
        }
        return total
    }
}
