/// What every stage after loading relies on, checked in one place: the columns of a table have
/// one length, every reference names a row of its table, codes are codes, and dates lie in the
/// calendar's range. The CSV loader builds snapshots this way; a snapshot decoded from a
/// binary cache — a file anyone able to write the cache folder could have made — is checked
/// here and, if it fails, not used (the CSVs are read instead).
extension Snapshot {
    /// The first broken invariant, or nil when the snapshot is whole.
    public var integrityProblem: String? {
        func within(_ column: [Int32], _ count: Int, allowing missing: Bool = false) -> Bool {
            column.allSatisfy { ($0 >= 0 && Int($0) < count) || (missing && $0 == -1) }
        }
        let firstDay = Day(year: 1900, month: 1, day: 1)!.number
        let lastDay = Day(year: 2200, month: 12, day: 31)!.number
        func isDate(_ d: Int32) -> Bool { d >= firstDay && d <= lastDay }
        let m = manifest
        guard isDate(m.schoolYear.start.number), isDate(m.schoolYear.end.number), isDate(m.asOf.number),
            m.periods.count <= Int(UInt8.max),
            m.periods.allSatisfy({
                isDate($0.start.number) && isDate($0.end.number) && $0.grades.lowerBound >= 1
                    && $0.grades.upperBound <= 11
            })
        else { return "manifest dates or periods out of range" }
        // Ids are unique, as the loader requires (later stages key dictionaries by them).
        func unique(_ ids: [String]) -> Bool { Set(ids).count == ids.count }
        guard unique(m.periods.map(\.id)), unique(schools.id), unique(classes.id), unique(pupils.id), unique(works.id)
        else {
            return "ids that repeat"
        }
        let sc = schools.count
        let cl = classes.count
        let pu = pupils.count
        let su = subjects.count
        guard schools.name.count == sc, schools.municipality.count == sc else {
            return "schools' columns differ in length"
        }
        guard classes.school.count == cl, classes.grade.count == cl, classes.letter.count == cl,
            classes.classTeacher.count == cl,
            within(classes.school, sc), classes.grade.allSatisfy({ (1...11).contains($0) })
        else { return "classes" }
        guard pupils.classIndex.count == pu, pupils.fullName.count == pu,
            pupils.extraValues.count == pupils.extraColumns.count,
            pupils.extraValues.allSatisfy({ $0.count == pu }), within(pupils.classIndex, cl)
        else { return "pupils" }
        let cs = classSubjects.count
        guard classSubjects.subject.count == cs, classSubjects.teacher.count == cs,
            classSubjects.hoursPerWeek.count == cs,
            within(classSubjects.classIndex, cl), within(classSubjects.subject, su)
        else { return "class subjects" }
        let n = marks.count
        guard marks.subject.count == n, marks.day.count == n, marks.value.count == n, marks.workType.count == n,
            marks.weight.count == n,
            within(marks.pupil.pupils, pu), marks.subject.allSatisfy({ Int($0) < su }),
            marks.workType.allSatisfy({ Int($0) < workTypes.count }),
            marks.weight.codes.allSatisfy({ Int($0) < marks.weight.table.count }),
            marks.weight.table.allSatisfy({ WeightColumn.range.contains($0) })
        else { return "marks" }
        let pm = periodMarks.count
        guard periodMarks.subject.count == pm, periodMarks.period.count == pm, periodMarks.value.count == pm,
            within(periodMarks.pupil, pu), within(periodMarks.subject, su),
            periodMarks.period.allSatisfy({ Int($0) < m.periods.count })
        else { return "period marks" }
        let at = attendance.count
        guard attendance.day.count == at, attendance.lesson.count == at, attendance.subject.count == at,
            attendance.code.count == at,
            within(attendance.pupil, pu), within(attendance.subject, su, allowing: true),
            attendance.day.allSatisfy(isDate),
            attendance.code.allSatisfy({ AttendanceCode(rawValue: $0) != nil }),
            attendance.lesson.allSatisfy({ $0 >= 0 })
        else { return "attendance" }
        let wo = works.count
        guard works.classIndex.count == wo, works.subject.count == wo, works.day.count == wo, works.kind.count == wo,
            works.title.count == wo, works.maxScore.count == wo, within(works.classIndex, cl),
            within(works.subject, su),
            works.day.allSatisfy(isDate)
        else { return "works" }
        let wr = workResults.count
        guard workResults.pupil.count == wr, workResults.status.count == wr, workResults.score.count == wr,
            workResults.mark.count == wr, within(workResults.work, wo), within(workResults.pupil, pu)
        else { return "work results" }
        let vr = vprResults.count
        guard vprResults.pupilIndex.count == vr, vprResults.year.count == vr, vprResults.grade.count == vr,
            vprResults.subject.count == vr, vprResults.score.count == vr, vprResults.maxScore.count == vr,
            vprResults.mark.count == vr, vprResults.journalMark.count == vr,
            within(vprResults.pupilIndex, pu, allowing: true),
            within(vprResults.subject, su)
        else { return "ВПР results" }
        let vs = vprScales.count
        guard vprScales.grade.count == vs, vprScales.subject.count == vs, vprScales.mark.count == vs,
            vprScales.minScore.count == vs, vprScales.maxScore.count == vs, within(vprScales.subject, su)
        else { return "ВПР scales" }
        return nil
    }
}
