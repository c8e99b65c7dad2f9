import MayakSnapshot

/// Fields and methods of the snapshot's records.
extension Evaluator {
    func field(_ target: Value, _ f: Field) -> Value {
        switch target {
        case .pupil(let p): return pupilField(p, f)
        case .subject(let p, let subj): return subjectField(p, subj, f)
        case .mark(let i): return markField(Int(i), f)
        case .absence(let i):
            let a = Int(i)
            let code = AttendanceCode(rawValue: s.attendance.code[a])
            switch f {
            case .date: return .date(s.attendance.day[a])
            case .lesson: return s.attendance.lesson[a] > 0 ? .int(Int(s.attendance.lesson[a])) : .null
            case .subject: return s.attendance.subject[a] >= 0 ? .string(s.subjects[s.attendance.subject[a]]) : .null
            case .code: return code.map { .string($0.description) } ?? .null
            case .excused: return .bool(code == .ill || code == .excused)
            case .unexcused: return .bool(code?.isUnexcused ?? false)
            case .late: return .bool(code == .late)
            default: return .null
            }
        case .work(let w, let p): return workField(Int(w), p, f)
        case .vpr(let i):
            let v = Int(i)
            let r = s.vprResults
            switch f {
            case .year: return .int(Int(r.year[v]))
            case .grade: return .int(Int(r.grade[v]))
            case .subject: return .string(s.subjects[r.subject[v]])
            case .score: return .number(Double(r.score[v]))
            case .maxScore: return .number(Double(r.maxScore[v]))
            case .percent: return .number(100 * Double(r.score[v]) / Double(r.maxScore[v]))
            case .mark: return .int(Int(r.mark[v]))
            case .journalMark: return r.journalMark[v] > 0 ? .int(Int(r.journalMark[v])) : .null
            case .pupil: return r.pupilIndex[v] >= 0 ? .pupil(r.pupilIndex[v]) : .null
            default: return .null
            }
        case .periodMark(let i):
            let r = Int(i)
            let value = MarkValue(raw: s.periodMarks.value[r])
            switch f {
            case .period: return .period(Int16(s.periodMarks.period[r]))
            case .subject: return .string(s.subjects[s.periodMarks.subject[r]])
            case .text: return .string(value.description)
            case .value: return value.numeric.map { .number(Double($0)) } ?? .null
            case .failing: return .bool(value.isFailing)
            default: return .null
            }
        case .class(let c): return classField(Int(c), f)
        case .school(let sc):
            let i = Int(sc)
            switch f {
            case .id: return .string(s.schools.id[i])
            case .name: return .string(s.schools.name[i])
            case .municipality: return .string(s.schools.municipality[i])
            case .classes: return .list(index.schoolClasses[i].map { .class($0) })
            case .pupils: return .list(index.schoolClasses[i].flatMap { index.classPupils[Int($0)] }.map { .pupil($0) })
            default: return .null
            }
        case .period(let i):
            let p = s.manifest.periods[Int(i)]
            switch f {
            case .id: return .string(p.id)
            case .name: return .string(p.name)
            case .kind: return .string(p.kind.rawValue)
            case .start: return .date(p.start.number)
            case .end: return .date(p.end.number)
            default: return .null
            }
        case .figures(let fig):
            switch f {
            case .pupils: return .int(fig.pupils)
            case .assessed: return .int(fig.assessed)
            case .succeeding: return .int(fig.succeeding)
            case .quality: return .int(fig.quality)
            case .failing: return .int(fig.failing)
            case .successRate: return fig.successRate.map { .number($0) } ?? .null
            case .qualityRate: return fig.qualityRate.map { .number($0) } ?? .null
            case .sou: return fig.degreeOfLearning.map { .number($0) } ?? .null
            default: return .null
            }
        case .alert(let i):
            let a = alertTable[Int(i)]
            switch f {
            case .rule: return .string(a.rule)
            case .title: return .string(a.title)
            case .indicator: return .string(a.indicator)
            case .severity: return .string(a.severity.rawValue)
            default: return .null
            }
        default: return .null
        }
    }

    func period(_ i: Int) -> Value { i >= 0 ? .period(Int16(i)) : .null }

    func pupilField(_ p: Int32, _ f: Field) -> Value {
        let i = Int(p)
        let c = Int(s.pupils.classIndex[i])
        let grade = Int(s.classes.grade[c])
        switch f {
        case .id: return .string(s.pupils.id[i])
        case .name: return .string(s.pupils.fullName[i])
        case .grade: return .int(grade)
        case .class: return .class(Int32(c))
        case .school: return .school(s.classes.school[c])
        case .subjects:
            return .list(
                index.classSubjectRows[c].map { .subject(pupil: p, subject: s.classSubjects.subject[Int($0)]) })
        case .marks: return .list(index.marks(ofPupil: p).map { .mark($0) })
        case .absences: return .list(index.absences(ofPupil: p).map { .absence($0) })
        case .works: return .list(index.classWorks[c].map { .work(work: $0, pupil: p) })
        case .vpr: return .list(index.vpr(ofPupil: p).map { .vpr($0) })
        case .periodMarks: return .list(index.periodMarks(ofPupil: p).map { .periodMark($0) })
        case .currentPeriod: return period(index.currentPeriod[grade])
        case .previousPeriod: return period(index.previousPeriod[grade])
        case .lastFinishedPeriod: return period(index.lastFinishedPeriod[grade])
        case .alerts:
            return .list(
                (alertsByPupil[p] ?? []).map { a in
                    alertTable.append(a)
                    return .alert(Int32(alertTable.count - 1))
                })
        default: return .null
        }
    }

    func subjectField(_ p: Int32, _ subject: Int32, _ f: Field) -> Value {
        switch f {
        case .name: return .string(s.subjects[subject])
        case .teacher:
            let c = Int(s.pupils.classIndex[Int(p)])
            let row = index.classSubjectRows[c].first { s.classSubjects.subject[Int($0)] == subject }
            return row.map { .string(s.classSubjects.teacher[Int($0)]) } ?? .null
        case .marks:
            return .list(index.marks(ofPupil: p).filter { s.marks.subject[Int($0)] == subject }.map { .mark($0) })
        case .absences:
            return .list(
                index.absences(ofPupil: p).filter { s.attendance.subject[Int($0)] == subject }.map { .absence($0) })
        case .periodMarks:
            return .list(
                index.periodMarks(ofPupil: p).filter { s.periodMarks.subject[Int($0)] == subject }.map {
                    .periodMark($0)
                })
        case .pupil: return .pupil(p)
        default: return .null
        }
    }

    func markField(_ i: Int, _ f: Field) -> Value {
        let value = MarkValue(raw: s.marks.value[i])
        switch f {
        case .value: return value.numeric.map { .number(Double($0)) } ?? .null
        case .text: return .string(value.description)
        case .failing: return .bool(value.isFailing)
        case .date: return .date(s.marks.date(i))
        case .weight: return .number(s.marks.weight.value(i))
        case .type: return .string(s.workTypes[s.marks.workType[i]])
        case .subject: return .string(s.subjects[s.marks.subject[i]])
        case .absent: return .bool(value.absence?.isAbsence ?? false)
        default: return .null
        }
    }

    /// A work's status for a pupil: written, absent, excused, missing (past, no result), scheduled (future).
    func workStatus(_ w: Int, _ p: Int32) -> (status: String, row: Int32?) {
        if let r = index.result(work: Int32(w), pupil: p) { return (s.workResults.status[Int(r)].rawValue, r) }
        return Day(number: s.works.day[w]) <= index.asOf ? ("missing", nil) : ("scheduled", nil)
    }

    func workField(_ w: Int, _ p: Int32, _ f: Field) -> Value {
        let works = s.works
        switch f {
        case .id: return .string(works.id[w])
        case .title: return .string(works.title[w])
        case .kind: return .string(works.kind[w].rawValue)
        case .subject: return .string(s.subjects[works.subject[w]])
        case .date: return .date(works.day[w])
        case .maxScore: return works.maxScore[w] > 0 ? .number(Double(works.maxScore[w])) : .null
        case .status: return .string(workStatus(w, p).status)
        case .missed:
            let st = workStatus(w, p).status
            return .bool(st == "absent" || st == "missing")
        case .score, .mark, .percent:
            guard let r = workStatus(w, p).row.map(Int.init) else { return .null }
            let score = s.workResults.score[r]
            switch f {
            case .score: return score >= 0 ? .number(Double(score)) : .null
            case .mark: return s.workResults.mark[r] > 0 ? .int(Int(s.workResults.mark[r])) : .null
            default:
                return score >= 0 && works.maxScore[w] > 0
                    ? .number(100 * Double(score) / Double(works.maxScore[w])) : .null
            }
        default: return .null
        }
    }

    func classField(_ c: Int, _ f: Field) -> Value {
        let grade = Int(s.classes.grade[c])
        switch f {
        case .id: return .string(s.classes.id[c])
        case .name: return .string(s.classes.displayName(c))
        case .grade: return .int(grade)
        case .letter: return .string(s.classes.letter[c])
        case .teacher: return .string(s.classes.classTeacher[c])
        case .school: return .school(s.classes.school[c])
        case .pupils: return .list(index.classPupils[c].map { .pupil($0) })
        case .works: return .list(index.classWorks[c].map { .work(work: $0, pupil: -1) })
        case .vpr: return .list(index.classPupils[c].flatMap { index.vpr(ofPupil: $0) }.map { .vpr($0) })
        case .currentPeriod: return period(index.currentPeriod[grade])
        case .previousPeriod: return period(index.previousPeriod[grade])
        case .lastFinishedPeriod: return period(index.lastFinishedPeriod[grade])
        default: return .null
        }
    }

    func method(_ target: Value, _ m: Method, _ args: [Value]) -> Value {
        switch (target, m) {
        case (.subject(let p, let subject), .periodMark):
            guard case .period(let period) = args[0],
                let row = index.periodMark(pupil: p, subject: subject, period: Int(period))
            else { return .null }
            return .string(MarkValue(raw: s.periodMarks.value[Int(row)]).description)
        case (.subject(let p, let subject), .mean):
            guard case .period(let period) = args[0] else { return .null }
            return weightedMean(p, subject, Int(period), minimum: 1).map { .number($0) } ?? .null
        case (.subject(let p, let subject), .forecast):
            guard let threshold = args[0].number, case .int(let minimum) = args[1] else { return .null }
            let grade = index.grade(ofPupil: p)
            let period = index.currentPeriod[grade]
            guard period >= 0 else { return .null }
            // Once the period mark is set, it is the forecast.
            if let row = index.periodMark(pupil: p, subject: subject, period: period) {
                return .string(MarkValue(raw: s.periodMarks.value[Int(row)]).description)
            }
            guard let mean = weightedMean(p, subject, period, minimum: minimum) else { return .null }
            return .string(mean < threshold ? "2" : (mean < 3.5 ? "3" : (mean < 4.5 ? "4" : "5")))
        case (.pupil(let p), .lessons):
            guard case .period(let period) = args[0] else { return .null }
            let c = Int(s.pupils.classIndex[Int(p)])
            var hours = 0.0
            for row in index.classSubjectRows[c] {
                let h = s.classSubjects.hoursPerWeek[Int(row)]
                if h > 0 { hours += Double(h) }
            }
            let lessons = hours * Double(index.periodWeekdays[Int(period)]) / 5
            return Checked.round(lessons).map { .int($0) }
                ?? fail("pupil.lessons(): \(lessons) planned lessons are beyond the whole numbers")
        case (.pupil(let p), .extra):
            guard case .string(let name) = args[0], let col = s.pupils.extraColumns.firstIndex(of: name) else {
                return .null
            }
            let v = s.pupils.extraValues[col][Int(p)]
            return v.isEmpty ? .null : .string(v)
        case (.pupil(let p), .periodBefore):
            return periodBefore(args[0], grade: index.grade(ofPupil: p))
        case (.class(let c), .periodBefore):
            return periodBefore(args[0], grade: Int(s.classes.grade[Int(c)]))
        case (.class(let c), .figures):
            guard case .period(let period) = args[0] else { return .null }
            return .figures(index.figures(pupils: index.classPupils[Int(c)], period: { _ in Int(period) }))
        case (.school(let sc), .figures):
            let pupils = index.schoolClasses[Int(sc)].flatMap { index.classPupils[Int($0)] }
            return .figures(
                index.figures(pupils: pupils, period: { self.index.lastFinishedPeriod[self.index.grade(ofPupil: $0)] }))
        default: return .null
        }
    }

    /// The assessment period of a grade just before the given one.
    func periodBefore(_ v: Value, grade: Int) -> Value {
        guard case .period(let p) = v else { return .null }
        let m = s.manifest
        let list = m.periods.indices.filter { m.periods[$0].kind != .year && m.periods[$0].grades.contains(grade) }
            .sorted { m.periods[$0].start < m.periods[$1].start }
        guard let i = list.firstIndex(of: Int(p)), i > 0 else { return .null }
        return .period(Int16(list[i - 1]))
    }

    /// The weighted mean of a pupil's numeric marks in a subject within a period, up to the
    /// as-of date; nil with fewer than `minimum` marks. Weights are summed in hundredths, as
    /// they are stored, so sums are whole numbers and the mean is rounded once.
    func weightedMean(_ p: Int32, _ subject: Int32, _ period: Int, minimum: Int) -> Double? {
        let range = s.manifest.periods[period]
        let start = range.start.number
        let end = min(range.end, index.asOf).number
        var sum = 0.0
        var weights = 0.0
        var count = 0
        for row in index.marks(ofPupil: p) {
            let i = Int(row)
            guard s.marks.subject[i] == subject, s.marks.date(i) >= start, s.marks.date(i) <= end,
                let v = MarkValue(raw: s.marks.value[i]).numeric
            else { continue }
            let w = Double(s.marks.weight[i])  // hundredths
            sum += w * Double(v)
            weights += w
            count += 1
        }
        guard count >= max(1, minimum), weights > 0 else { return nil }
        return sum / weights
    }
}
