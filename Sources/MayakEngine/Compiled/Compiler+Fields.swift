import MayakSnapshot

/// Fields and methods, read straight from the snapshot's columns.
extension Compiler {
    /// The reference evaluator's answer, for fields with no native form.
    static func delegated(_ t: @escaping Fn, _ f: Field) -> Fn {
        { ctx in ctx.scalar(ctx.ref.field(ctx.value(t(ctx)), f)) }
    }

    /// A field of a record: read natively from the columns when the record is of the
    /// expected kind; a missing record gives a missing value; anything else goes to the reference.
    mutating func field(_ t: @escaping Fn, _ entity: Entity, _ f: Field) -> Fn {
        guard let (tag, read) = reader(entity, f) else { return Compiler.delegated(t, f) }
        return { ctx in Compiler.field(ctx, t(ctx), tag, read, f) }
    }

    /// Field `f` of `v`: read natively when `v` has the tag, missing when `v` is.
    @inline(__always) static func field(
        _ ctx: CompiledEngine.Context, _ v: Scalar, _ tag: Scalar.Tag, _ read: Read, _ f: Field
    ) -> Scalar {
        if v.tag == tag { return read(ctx, v) }
        return v.isNull ? .null : ctx.scalar(ctx.ref.field(ctx.value(v), f))
    }

    typealias Read = (CompiledEngine.Context, Scalar) -> Scalar

    /// How a field is read from the columns, for records of one tag; nil when the compiled
    /// engine has no native form of it.
    func reader(_ entity: Entity, _ f: Field) -> (Scalar.Tag, Read)? {
        let pool = self.pool
        func on(_ tag: Scalar.Tag, _ body: @escaping Read) -> (Scalar.Tag, Read)? { (tag, body) }
        switch (entity, f) {
        // A mark
        case (.mark, .value):
            return on(.mark) { ctx, v in Compiler.markValue(ctx.s.marks.value[Int(v.a)]) }
        case (.mark, .text): return on(.mark) { ctx, v in .string(pool.markText[Int(ctx.s.marks.value[Int(v.a)])]) }
        case (.mark, .failing): return on(.mark) { ctx, v in .bool(pool.markFailing[Int(ctx.s.marks.value[Int(v.a)])]) }
        case (.mark, .absent): return on(.mark) { ctx, v in .bool(pool.markAbsent[Int(ctx.s.marks.value[Int(v.a)])]) }
        case (.mark, .date): return on(.mark) { ctx, v in .date(ctx.s.marks.date(Int(v.a))) }
        case (.mark, .weight): return on(.mark) { ctx, v in .number(ctx.s.marks.weight.value(Int(v.a))) }
        case (.mark, .type):
            return on(.mark) { ctx, v in .string(pool.workTypeName[Int(ctx.s.marks.workType[Int(v.a)])]) }
        case (.mark, .subject):
            return on(.mark) { ctx, v in .string(pool.subjectName[Int(ctx.s.marks.subject[Int(v.a)])]) }
        // An absence
        case (.absence, .date): return on(.absence) { ctx, v in .date(ctx.s.attendance.day[Int(v.a)]) }
        case (.absence, .lesson):
            return on(.absence) { ctx, v in
                let l = ctx.s.attendance.lesson[Int(v.a)]
                return l > 0 ? .int(Int(l)) : .null
            }
        case (.absence, .subject):
            return on(.absence) { ctx, v in
                let sj = ctx.s.attendance.subject[Int(v.a)]
                return sj >= 0 ? .string(pool.subjectName[Int(sj)]) : .null
            }
        case (.absence, .code):
            return on(.absence) { ctx, v in
                let id = pool.absenceCode[Int(ctx.s.attendance.code[Int(v.a)])]
                return id >= 0 ? .string(id) : .null
            }
        case (.absence, .excused):
            return on(.absence) { ctx, v in .bool(pool.absenceExcused[Int(ctx.s.attendance.code[Int(v.a)])]) }
        case (.absence, .unexcused):
            return on(.absence) { ctx, v in .bool(pool.absenceUnexcused[Int(ctx.s.attendance.code[Int(v.a)])]) }
        case (.absence, .late):
            return on(.absence) { ctx, v in .bool(pool.absenceLate[Int(ctx.s.attendance.code[Int(v.a)])]) }
        // A work, seen from a pupil
        // A work's id and title are texts of their own (not pooled: a region has a quarter of
        // a million works, and rules read these only for the few works they look at).
        case (.work, .id): return on(.work) { ctx, v in .string(ctx.intern(ctx.s.works.id[Int(v.a)])) }
        case (.work, .title): return on(.work) { ctx, v in .string(ctx.intern(ctx.s.works.title[Int(v.a)])) }
        case (.work, .kind): return on(.work) { _, v in .string(pool.workKind[Int(v.a)]) }
        case (.work, .subject):
            return on(.work) { ctx, v in .string(pool.subjectName[Int(ctx.s.works.subject[Int(v.a)])]) }
        case (.work, .date): return on(.work) { ctx, v in .date(ctx.s.works.day[Int(v.a)]) }
        case (.work, .maxScore):
            return on(.work) { ctx, v in
                let m = ctx.s.works.maxScore[Int(v.a)]
                return m > 0 ? .number(Double(m)) : .null
            }
        case (.work, .status): return on(.work) { ctx, v in .string(Compiler.status(ctx, v).id) }
        case (.work, .missed):
            return on(.work) { ctx, v in
                let st = Compiler.status(ctx, v).id
                return .bool(st == pool.absent || st == pool.missing)
            }
        case (.work, .score), (.work, .mark), (.work, .percent):
            return on(.work) { ctx, v in
                guard let r = Compiler.status(ctx, v).row.map(Int.init) else { return .null }
                let score = ctx.s.workResults.score[r]
                switch f {
                case .score: return score >= 0 ? .number(Double(score)) : .null
                case .mark:
                    let m = ctx.s.workResults.mark[r]
                    return m > 0 ? .int(Int(m)) : .null
                default:
                    let m = ctx.s.works.maxScore[Int(v.a)]
                    return score >= 0 && m > 0 ? .number(100 * Double(score) / Double(m)) : .null
                }
            }
        // A ВПР result
        case (.vpr, .year): return on(.vpr) { ctx, v in .int(Int(ctx.s.vprResults.year[Int(v.a)])) }
        case (.vpr, .grade): return on(.vpr) { ctx, v in .int(Int(ctx.s.vprResults.grade[Int(v.a)])) }
        case (.vpr, .subject):
            return on(.vpr) { ctx, v in .string(pool.subjectName[Int(ctx.s.vprResults.subject[Int(v.a)])]) }
        case (.vpr, .score): return on(.vpr) { ctx, v in .number(Double(ctx.s.vprResults.score[Int(v.a)])) }
        case (.vpr, .maxScore): return on(.vpr) { ctx, v in .number(Double(ctx.s.vprResults.maxScore[Int(v.a)])) }
        case (.vpr, .percent):
            return on(.vpr) { ctx, v in
                let r = ctx.s.vprResults
                let i = Int(v.a)
                return .number(100 * Double(r.score[i]) / Double(r.maxScore[i]))
            }
        case (.vpr, .mark): return on(.vpr) { ctx, v in .int(Int(ctx.s.vprResults.mark[Int(v.a)])) }
        case (.vpr, .journalMark):
            return on(.vpr) { ctx, v in
                let m = ctx.s.vprResults.journalMark[Int(v.a)]
                return m > 0 ? .int(Int(m)) : .null
            }
        // A period mark
        case (.periodMark, .period):
            return on(.periodMark) { ctx, v in .entity(.period, Int32(ctx.s.periodMarks.period[Int(v.a)])) }
        case (.periodMark, .subject):
            return on(.periodMark) { ctx, v in .string(pool.subjectName[Int(ctx.s.periodMarks.subject[Int(v.a)])]) }
        case (.periodMark, .text):
            return on(.periodMark) { ctx, v in .string(pool.markText[Int(ctx.s.periodMarks.value[Int(v.a)])]) }
        case (.periodMark, .failing):
            return on(.periodMark) { ctx, v in .bool(pool.markFailing[Int(ctx.s.periodMarks.value[Int(v.a)])]) }
        case (.periodMark, .value):
            return on(.periodMark) { ctx, v in Compiler.markValue(ctx.s.periodMarks.value[Int(v.a)]) }
        // A period
        case (.period, .id): return on(.period) { _, v in .string(pool.periodID[Int(v.a)]) }
        case (.period, .name): return on(.period) { _, v in .string(pool.periodName[Int(v.a)]) }
        case (.period, .kind): return on(.period) { _, v in .string(pool.periodKind[Int(v.a)]) }
        case (.period, .start): return on(.period) { ctx, v in .date(ctx.engine.periodStart[Int(v.a)]) }
        case (.period, .end): return on(.period) { ctx, v in .date(ctx.engine.periodEnd[Int(v.a)]) }
        // A pupil's subject
        case (.subject, .name): return on(.subject) { _, v in .string(pool.subjectName[Int(v.second)]) }
        case (.subject, .pupil): return on(.subject) { _, v in .entity(.pupil, v.a) }
        case (.subject, .marks): return on(.subject) { ctx, v in Compiler.subjectMarks(ctx, v.a, v.second) }
        // A pupil
        case (.pupil, .grade): return on(.pupil) { ctx, v in .int(ctx.index.grade(ofPupil: v.a)) }
        case (.pupil, .class): return on(.pupil) { ctx, v in .entity(.klass, ctx.s.pupils.classIndex[Int(v.a)]) }
        case (.pupil, .school):
            return on(.pupil) { ctx, v in .entity(.school, ctx.s.classes.school[Int(ctx.s.pupils.classIndex[Int(v.a)])])
            }
        case (.pupil, .marks):
            return on(.pupil) { ctx, v in
                .rows(.marks, owner: v.a, Int(ctx.markStart[Int(v.a)]), Int(ctx.markStart[Int(v.a) + 1]))
            }
        case (.pupil, .absences):
            return on(.pupil) { ctx, v in
                .rows(.absences, owner: v.a, Int(ctx.absenceStart[Int(v.a)]), Int(ctx.absenceStart[Int(v.a) + 1]))
            }
        case (.pupil, .works):
            return on(.pupil) { ctx, v in
                .rows(.works, owner: v.a, 0, ctx.index.classWorks[Int(ctx.s.pupils.classIndex[Int(v.a)])].count)
            }
        case (.pupil, .vpr):
            return on(.pupil) { ctx, v in
                .rows(.vpr, owner: v.a, Int(ctx.index.vprStart[Int(v.a)]), Int(ctx.index.vprStart[Int(v.a) + 1]))
            }
        case (.pupil, .periodMarks):
            return on(.pupil) { ctx, v in
                .rows(
                    .periodMarks, owner: v.a, Int(ctx.index.periodMarkStart[Int(v.a)]),
                    Int(ctx.index.periodMarkStart[Int(v.a) + 1]))
            }
        case (.pupil, .subjects):
            return on(.pupil) { ctx, v in
                if let l = ctx.subjects, ctx.subjectsOf == v.a { return l }
                let h = ctx.newList()
                let c = Int(ctx.s.pupils.classIndex[Int(v.a)])
                for row in ctx.index.classSubjectRows[c] {
                    ctx.append(h, .subject(pupil: v.a, subject: ctx.s.classSubjects.subject[Int(row)]))
                }
                ctx.subjects = .list(h)
                ctx.subjectsOf = v.a
                return .list(h)
            }
        case (.pupil, .currentPeriod), (.pupil, .previousPeriod), (.pupil, .lastFinishedPeriod),
            (.class, .currentPeriod), (.class, .previousPeriod), (.class, .lastFinishedPeriod):
            let table =
                f == .currentPeriod
                ? engine.index.currentPeriod
                : (f == .previousPeriod ? engine.index.previousPeriod : engine.index.lastFinishedPeriod)
            let isPupil = entity == .pupil
            return on(isPupil ? .pupil : .klass) { ctx, v in
                let grade = isPupil ? ctx.index.grade(ofPupil: v.a) : Int(ctx.s.classes.grade[Int(v.a)])
                let p = table[grade]
                return p >= 0 ? .entity(.period, Int32(p)) : .null
            }
        case (.class, .grade): return on(.klass) { ctx, v in .int(Int(ctx.s.classes.grade[Int(v.a)])) }
        case (.class, .school): return on(.klass) { ctx, v in .entity(.school, ctx.s.classes.school[Int(v.a)]) }
        default:
            return nil
        }
    }

    /// A work's status for the pupil it is seen from, as the reference evaluator gives it.
    @inline(__always) static func status(_ ctx: CompiledEngine.Context, _ v: Scalar) -> (id: Int32, row: Int32?) {
        let w = Int(v.a)
        if let r = ctx.index.result(work: v.a, pupil: v.second) {
            switch ctx.s.workResults.status[Int(r)] {
            case .written: return (ctx.pool.written, r)
            case .absent: return (ctx.pool.absent, r)
            case .excused: return (ctx.pool.excused, r)
            }
        }
        return (ctx.s.works.day[w] <= ctx.asOf ? ctx.pool.missing : ctx.pool.scheduled, nil)
    }

    /// One subject's run of a pupil's marks (by date). A pupil's marks are grouped by
    /// subject, so the runs of all subjects are found in one pass, the first time one is asked.
    @inline(__always) static func subjectMarks(_ ctx: CompiledEngine.Context, _ p: Int32, _ subject: Int32) -> Scalar {
        if ctx.runsOf != p { ctx.findRuns(of: p) }
        let i = Int(subject)
        guard i >= 0 && i < ctx.runStart.count && ctx.runStamp[i] == ctx.runsOf else {
            let at = Int(ctx.markStart[Int(p)])
            return .rows(.subjectMarks, owner: p, at, at)
        }
        return .rows(.subjectMarks, owner: p, Int(ctx.runStart[i]), Int(ctx.runEnd[i]))
    }

    /// The weighted mean of a pupil's numeric marks in a subject within a period (up to the
    /// as-of date); nil with fewer than `minimum` marks. The same sum, in the same order, as
    /// the reference evaluator's; the pass is shared (see `Compiler+Marks`): `forecast` in
    /// two rules and `s.marks.during(period).count(m, m.value != null)` read one summary.
    static func weightedMean(_ ctx: CompiledEngine.Context, _ p: Int32, _ subject: Int32, _ period: Int, minimum: Int)
        -> Double?
    {
        // The days of `during(period)`, as the time window computes them (so the summary is the one it shares).
        let days = Compiler.windowDays(ctx, .during, .entity(.period, Int32(period)), .null)!
        let summary = ctx.summary(
            subjectMarks(ctx, p, subject), from: days.from, to: days.to,
            test: CompiledEngine.gradedMarks, values: CompiledEngine.gradeValues)
        guard summary.count >= max(1, minimum), summary.weights > 0 else { return nil }
        return summary.weighted / summary.weights
    }

    mutating func method(_ t: @escaping Fn, _ entity: Entity, _ m: Method, _ nodes: [Node]) -> Fn {
        let pool = self.pool
        let a0 = argument(nodes, 0)
        let a1 = argument(nodes, 1)
        let args = nodes.map { compile($0) }  // for the reference evaluator
        switch (entity, m) {
        case (.subject, .forecast):
            return { ctx in
                let v = t(ctx)
                guard v.tag == .subject else { return Compiler.delegatedMethod(ctx, v, m, args) }
                let threshold = a0(ctx)
                let minimum = a1(ctx)
                var out = Scalar.null
                if let th = threshold.number, minimum.tag == .int {
                    let period = ctx.index.currentPeriod[ctx.index.grade(ofPupil: v.a)]
                    if period >= 0 {
                        if let row = ctx.index.periodMark(pupil: v.a, subject: v.second, period: period) {
                            out = .string(pool.markText[Int(ctx.s.periodMarks.value[Int(row)])])
                        } else if let mean = Compiler.weightedMean(ctx, v.a, v.second, period, minimum: minimum.int) {
                            out = .string(pool.forecastText[mean < th ? 0 : (mean < 3.5 ? 1 : (mean < 4.5 ? 2 : 3))])
                        }
                    }
                }
                return out
            }
        case (.subject, .mean), (.subject, .periodMark):
            let isMean = m == .mean
            return { ctx in
                let v = t(ctx)
                guard v.tag == .subject else { return Compiler.delegatedMethod(ctx, v, m, args) }
                let period = a0(ctx)
                guard period.tag == .period else { return .null }
                if isMean {
                    return Compiler.weightedMean(ctx, v.a, v.second, Int(period.a), minimum: 1).map { .number($0) }
                        ?? .null
                }
                return ctx.index.periodMark(pupil: v.a, subject: v.second, period: Int(period.a))
                    .map { .string(pool.markText[Int(ctx.s.periodMarks.value[Int($0)])]) } ?? .null
            }
        case (.pupil, .lessons):
            return { ctx in
                let v = t(ctx)
                guard v.tag == .pupil else { return Compiler.delegatedMethod(ctx, v, m, args) }
                let period = a0(ctx)
                guard period.tag == .period else { return .null }
                let c = Int(ctx.s.pupils.classIndex[Int(v.a)])
                var hours = 0.0
                for row in ctx.index.classSubjectRows[c] {
                    let h = ctx.s.classSubjects.hoursPerWeek[Int(row)]
                    if h > 0 { hours += Double(h) }
                }
                let lessons = hours * Double(ctx.index.periodWeekdays[Int(period.a)]) / 5
                return Checked.round(lessons).map { .int($0) }
                    ?? ctx.fail("pupil.lessons(): \(lessons) planned lessons are beyond the whole numbers")
            }
        case (.pupil, .periodBefore), (.class, .periodBefore):
            let isPupil = entity == .pupil
            return { ctx in
                let v = t(ctx)
                guard v.tag == (isPupil ? .pupil : .klass) else { return Compiler.delegatedMethod(ctx, v, m, args) }
                let period = a0(ctx)
                guard period.tag == .period else { return .null }
                let grade = isPupil ? ctx.index.grade(ofPupil: v.a) : Int(ctx.s.classes.grade[Int(v.a)])
                let before = ctx.engine.periodBefore[grade][Int(period.a)]
                return before >= 0 ? .entity(.period, Int32(before)) : .null
            }
        default:
            return { ctx in Compiler.delegatedMethod(ctx, t(ctx), m, args) }
        }
    }

    static func delegatedMethod(_ ctx: CompiledEngine.Context, _ target: Scalar, _ m: Method, _ args: [Fn]) -> Scalar {
        let values = args.map { ctx.value($0(ctx)) }
        return ctx.scalar(ctx.ref.method(ctx.value(target), m, values))
    }
}
