import Foundation
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
    /// Each pupil's rows of work_results, by work.
    let resultOrder: [Int32], resultStart: [Int32]
    /// Per grade 0…11: indexes into manifest.periods.
    public let currentPeriod: [Int], previousPeriod: [Int], lastFinishedPeriod: [Int]
    /// Weekdays from each period's start to min(end, as-of), for lesson counts.
    let periodWeekdays: [Int]
    public var asOf: Day { snapshot.manifest.asOf }

    public init(_ s: Snapshot) {
        snapshot = s
        let n = s.pupils.count
        // The groupings are independent: built side by side.
        let groups = Parallel.collect(5) { k -> ([Int32], [Int32]) in
            switch k {
            case 0: return SnapshotIndex.group(groups: n, key: s.marks.pupil, s.marks.subject, s.marks.day)
            case 1: return SnapshotIndex.group(groups: n, key: s.attendance.pupil, s.attendance.day, s.attendance.lesson.map(Int32.init))
            case 2: return SnapshotIndex.group(groups: n, key: s.periodMarks.pupil, s.periodMarks.subject, s.periodMarks.period.map(Int32.init))
            case 3: return SnapshotIndex.group(groups: n, key: s.vprResults.pupilIndex, s.vprResults.subject, s.vprResults.year.map(Int32.init))
            default: return SnapshotIndex.group(groups: n, key: s.workResults.pupil, s.workResults.work, [Int32](repeating: 0, count: s.workResults.count))
            }
        }
        (markOrder, markStart) = groups[0]
        (absenceOrder, absenceStart) = groups[1]
        (periodMarkOrder, periodMarkStart) = groups[2]
        (vprOrder, vprStart) = groups[3]
        (resultOrder, resultStart) = groups[4]
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

    /// A counting sort by group (stable), then each group's rows ordered by (`first`,
    /// `second`, row). Exports usually list rows pupil by pupil, and a pupil's marks subject by
    /// subject in date order: groups are checked (on every core) before anything is sorted.
    static func group(groups: Int, key: [Int32], _ first: [Int32], _ second: [Int32]) -> ([Int32], [Int32]) {
        var start = [Int32](repeating: 0, count: groups + 1)
        var grouped = true
        var last: Int32 = -1
        for k in key {
            if k >= 0 { start[Int(k) + 1] += 1 }
            if k < last || k < 0 { grouped = false }
            last = k
        }
        for g in 0..<groups { start[g + 1] += start[g] }
        var rows: [Int32]
        if grouped {
            rows = (0..<Int32(key.count)).map { $0 }
        } else {
            var fill = start
            rows = [Int32](repeating: 0, count: Int(start[groups]))
            for (i, k) in key.enumerated() where k >= 0 {
                rows[Int(fill[Int(k)])] = Int32(i)
                fill[Int(k)] += 1
            }
        }
        let chunks = max(1, min(64, groups / 256))
        let bounds = start
        first.withUnsafeBufferPointer { first in second.withUnsafeBufferPointer { second in rows.withUnsafeMutableBufferPointer { rows in
            // Each iteration orders its own groups' rows.
            Parallel.forEach(chunks) { c in
                func before(_ a: Int32, _ b: Int32) -> Bool {
                    let (fa, fb) = (first[Int(a)], first[Int(b)])
                    if fa != fb { return fa < fb }
                    let (sa, sb) = (second[Int(a)], second[Int(b)])
                    return sa != sb ? sa < sb : a < b
                }
                for g in (groups * c / chunks)..<(groups * (c + 1) / chunks) {
                    let lo = Int(bounds[g]), hi = Int(bounds[g + 1])
                    guard hi - lo > 1 else { continue }
                    var sorted = true
                    for i in lo..<(hi - 1) where !before(rows[i], rows[i + 1]) { sorted = false; break }
                    if !sorted && !reorderRuns(rows, lo, hi, first, before) {
                        var part = UnsafeMutableBufferPointer(rebasing: rows[lo..<hi])
                        part.sort(by: before)
                    }
                }
            }
        }}}
        return (rows, start)
    }

    /// A pupil's marks listed subject by subject (each subject's in date order) but with the
    /// subjects in another order than their codes: the runs are put in order whole. False
    /// when the rows are not such runs.
    static func reorderRuns(_ rows: UnsafeMutableBufferPointer<Int32>, _ lo: Int, _ hi: Int, _ first: UnsafeBufferPointer<Int32>,
                            _ before: (Int32, Int32) -> Bool) -> Bool {
        var runs: [Range<Int>] = []
        var start = lo
        for i in (lo + 1)...hi where i == hi || first[Int(rows[i])] != first[Int(rows[i - 1])] {
            // Within a run, rows must already be in order.
            for j in start..<(i - 1) where !before(rows[j], rows[j + 1]) { return false }
            runs.append(start..<i)
            start = i
        }
        runs.sort { first[Int(rows[$0.lowerBound])] < first[Int(rows[$1.lowerBound])] }
        for k in 1..<max(1, runs.count) where first[Int(rows[runs[k].lowerBound])] == first[Int(rows[runs[k - 1].lowerBound])] {
            return false  // a subject in two runs
        }
        let reordered = runs.flatMap { rows[$0] }
        for (i, r) in reordered.enumerated() { rows[lo + i] = r }
        return true
    }

    /// The row of work_results for a work and pupil.
    func result(work w: Int32, pupil p: Int32) -> Int32? {
        guard p >= 0 else { return nil }
        let works = snapshot.workResults.work
        var a = Int(resultStart[Int(p)]), b = Int(resultStart[Int(p) + 1])
        while a < b { let m = (a + b) / 2; if works[Int(resultOrder[m])] < w { a = m + 1 } else { b = m } }
        return a < Int(resultStart[Int(p) + 1]) && works[Int(resultOrder[a])] == w ? resultOrder[a] : nil
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
