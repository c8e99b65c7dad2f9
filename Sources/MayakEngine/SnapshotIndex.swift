import Foundation
import MayakSnapshot

/// The snapshot regrouped for evaluation: each pupil's marks, absences, period marks and
/// ВПР as contiguous runs; classes' pupils and works; schools' classes; each grade's periods.
///
/// Marks need no order of their own: the index keeps them in the snapshot in the order it
/// reads them (by pupil, subject, day; the loader and the cache already hand them so), and
/// notes where each pupil's start.
///
/// ```
/// marks:      [ p0: Алгебра d1 d2 … | Русский … ][ p1: … ]
/// markStart:  p0 ─┘                            p1 ─┘
/// ```
public final class SnapshotIndex: @unchecked Sendable {
    public let snapshot: Snapshot
    public let markStart: [Int32]
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

    public init(_ snapshot: Snapshot) {
        var ordered = snapshot
        let n = ordered.pupils.count
        if let start = ordered.marks.starts(pupils: n) {
            markStart = start
        } else {
            ordered.marks.putInOrder(pupils: n)
            markStart = ordered.marks.starts(pupils: n)!
        }
        self.snapshot = ordered
        let s = ordered
        // The other groupings are independent: built side by side.
        let groups = Parallel.collect(4) { k -> ([Int32], [Int32]) in
            switch k {
            case 0:
                return Grouping.group(
                    groups: n, key: s.attendance.pupil, s.attendance.day, s.attendance.lesson.map(Int32.init))
            case 1:
                return Grouping.group(
                    groups: n, key: s.periodMarks.pupil, s.periodMarks.subject, s.periodMarks.period.map(Int32.init))
            case 2:
                return Grouping.group(
                    groups: n, key: s.vprResults.pupilIndex, s.vprResults.subject, s.vprResults.year.map(Int32.init))
            default:
                return Grouping.group(
                    groups: n, key: s.workResults.pupil, s.workResults.work,
                    [Int32](repeating: 0, count: s.workResults.count))
            }
        }
        (absenceOrder, absenceStart) = groups[0]
        (periodMarkOrder, periodMarkStart) = groups[1]
        (vprOrder, vprStart) = groups[2]
        (resultOrder, resultStart) = groups[3]
        // Columns taken out of the snapshot first: read through it inside loops and closures,
        // the snapshot was copied (every column retained) again and again.
        let pupilClass = s.pupils.classIndex
        let workClass = s.works.classIndex
        let workDay = s.works.day
        let subjectClass = s.classSubjects.classIndex
        let classSchool = s.classes.school
        var pupilsOf = [[Int32]](repeating: [], count: s.classes.count)
        for p in 0..<n { pupilsOf[Int(pupilClass[p])].append(Int32(p)) }
        classPupils = pupilsOf
        var worksOf = [[Int32]](repeating: [], count: s.classes.count)
        for w in 0..<workClass.count { worksOf[Int(workClass[w])].append(Int32(w)) }
        classWorks = worksOf.map { $0.sorted { (workDay[Int($0)], $0) < (workDay[Int($1)], $1) } }
        var subjectsOf = [[Int32]](repeating: [], count: s.classes.count)
        for r in 0..<subjectClass.count { subjectsOf[Int(subjectClass[r])].append(Int32(r)) }
        classSubjectRows = subjectsOf
        var classesOf = [[Int32]](repeating: [], count: s.schools.count)
        for c in 0..<classSchool.count { classesOf[Int(classSchool[c])].append(Int32(c)) }
        schoolClasses = classesOf
        let m = s.manifest
        var current = [Int](repeating: -1, count: 12)
        var previous = [Int](repeating: -1, count: 12)
        var finished = [Int](repeating: -1, count: 12)
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
            while d <= last {
                if d.weekday <= 5 { count += 1 }
                d = d + 1
            }
            return count
        }
    }

    /// The row of work_results for a work and pupil.
    func result(work w: Int32, pupil p: Int32) -> Int32? {
        guard p >= 0 else { return nil }
        let works = snapshot.workResults.work
        var a = Int(resultStart[Int(p)])
        var b = Int(resultStart[Int(p) + 1])
        while a < b {
            let m = (a + b) / 2
            if works[Int(resultOrder[m])] < w { a = m + 1 } else { b = m }
        }
        return a < Int(resultStart[Int(p) + 1]) && works[Int(resultOrder[a])] == w ? resultOrder[a] : nil
    }

    /// The pupil's rows of `snapshot.marks`, by subject, then day.
    public func marks(ofPupil p: Int32) -> Range<Int32> { markStart[Int(p)]..<markStart[Int(p) + 1] }
    public func absences(ofPupil p: Int32) -> ArraySlice<Int32> {
        absenceOrder[Int(absenceStart[Int(p)])..<Int(absenceStart[Int(p) + 1])]
    }
    public func periodMarks(ofPupil p: Int32) -> ArraySlice<Int32> {
        periodMarkOrder[Int(periodMarkStart[Int(p)])..<Int(periodMarkStart[Int(p) + 1])]
    }
    public func vpr(ofPupil p: Int32) -> ArraySlice<Int32> {
        vprOrder[Int(vprStart[Int(p)])..<Int(vprStart[Int(p) + 1])]
    }

    public func grade(ofPupil p: Int32) -> Int { Int(snapshot.classes.grade[Int(snapshot.pupils.classIndex[Int(p)])]) }

    /// The pupil's period mark in a subject and period, as a row of period_marks (the first
    /// in file order if there are several): a binary search, a pupil's period marks being
    /// ordered by subject, period, then row.
    public func periodMark(pupil: Int32, subject: Int32, period: Int) -> Int32? {
        let subjects = snapshot.periodMarks.subject
        let periods = snapshot.periodMarks.period
        let end = Int(periodMarkStart[Int(pupil) + 1])
        var a = Int(periodMarkStart[Int(pupil)])
        var b = end
        while a < b {
            let m = (a + b) >> 1
            let row = Int(periodMarkOrder[m])
            if (subjects[row], Int(periods[row])) < (subject, period) { a = m + 1 } else { b = m }
        }
        guard a < end else { return nil }
        let row = periodMarkOrder[a]
        return subjects[Int(row)] == subject && Int(periods[Int(row)]) == period ? row : nil
    }

    /// Figures of a set of pupils for the given period of each.
    public func figures(pupils: [Int32], period: (Int32) -> Int) -> PeriodFigures {
        var total = PeriodFigures()
        // The columns taken out of the snapshot first, a pupil's marks gathered into a scratch
        // array: class and school rules run this on every core, and reading through the
        // snapshot (copied, every column retained) or allocating a closure per pupil from
        // every core was most of its time.
        let periods = snapshot.periodMarks.period
        let values = snapshot.periodMarks.value
        let classOf = snapshot.pupils.classIndex
        let grades = snapshot.classes.grade
        var marks: [MarkValue] = []
        for p in pupils {
            guard grades[Int(classOf[Int(p)])] >= 2 else { continue }
            let target = period(p)
            marks.removeAll(keepingCapacity: true)
            for k in Int(periodMarkStart[Int(p)])..<Int(periodMarkStart[Int(p) + 1]) {
                let row = Int(periodMarkOrder[k])
                if Int(periods[row]) == target { marks.append(MarkValue(raw: values[row])) }
            }
            total += PeriodFigures(pupilPeriodMarks: marks)
        }
        return total
    }
}
