/// Row readers for the record tables: marks, period marks, attendance, works and ВПР.
extension LoadState {
    /// Marks' codes are narrow (docs/performance.md): what a snapshot past a limit is told.
    enum CodeLimit {
        case workTypes, weights

        var code: String { self == .workTypes ? "too-many-work-types" : "too-many-weights" }
        var message: String {
            switch self {
            case .workTypes:
                return
                    "more than 65,536 distinct work types; expected kinds of work (ответ на уроке, контрольная работа, …), not one text per lesson"
            case .weights: return "more than 256 distinct weights; expected a few (1, 1,5, 2, …)"
            }
        }
    }

    /// The most marks a snapshot holds: their runs count rows in 32 bits.
    static let maxMarks = Int(Int32.max) - 1
    static let tooManyMarks = "more than 2,147,483,646 marks; a snapshot holds at most that many"

    mutating func readMark(_ row: inout Row, _ log: inout DiagnosticLog) {
        let pupil = self.pupil(&row, 0, &log)
        let classIndex = pupil.map { snapshot.pupils.classIndex[Int($0)] }
        let subject = self.subject(&row, 1, classIndex: classIndex, &log)
        let day = row.dayInYear(2, "date", year: year, log: &log)
        let value = row.mark(3, "value", log: &log)
        var workType: Int32?
        if row.has(4) {
            if let t = workTypeByName.lookup(row.bytes(4)) {
                workType = t
            } else if let name = row.required(4, "work_type", log: &log) {
                if snapshot.workTypes.count > Int(UInt16.max) {
                    row.error(4, CodeLimit.workTypes.code, CodeLimit.workTypes.message, log: &log)
                } else {
                    let t = snapshot.workTypes.intern(name)
                    _ = workTypeByName.insert(name, t)
                    workType = t
                }
            }
        } else {
            row.error(
                4, "empty-field", "empty 'work_type'; expected the kind of work, e.g. «ответ на уроке»", log: &log)
        }
        var weight = UInt16(WeightColumn.unit)
        if row.has(5) {
            if let w = row.hundredths(5, "weight", in: WeightColumn.range, log: &log) { weight = w }
        }
        guard let pupil, let subject, let day, let value, let workType, !row.failed else { return }
        // Marks are counted in 32 bits (PupilRuns): past that a row is refused, not a trap.
        guard snapshot.marks.count < LoadState.maxMarks else {
            row.error(0, "too-many-rows", LoadState.tooManyMarks, log: &log)
            return
        }
        guard let subject16 = UInt16(exactly: subject) else {
            row.error(1, "too-many-subjects", "more than 65,536 distinct subjects", log: &log)
            return
        }
        guard let weightCode = snapshot.marks.weight.code(of: weight) else {
            row.error(5, CodeLimit.weights.code, CodeLimit.weights.message, log: &log)
            return
        }
        guard let dayOffset = MarkTable.dayOffset(day.number) else {
            row.error(
                2, "date-out-of-range",
                "mark dated \(day.russian); expected a date from 01.01.1900 to \(Day(number: MarkTable.date(UInt16.max)).russian)",
                log: &log)
            return
        }
        if day > snapshot.manifest.asOf {
            row.warning(
                2, "after-as-of",
                "mark dated \(day.russian), after the snapshot's as-of date \(snapshot.manifest.asOf.russian)",
                log: &log)
        }
        snapshot.marks.pupil.append(pupil)
        snapshot.marks.subject.append(subject16)
        snapshot.marks.day.append(dayOffset)
        snapshot.marks.value.append(value.raw)
        snapshot.marks.workType.append(UInt16(workType))
        snapshot.marks.weight.codes.append(weightCode)
    }

    mutating func readPeriodMark(_ row: inout Row, _ log: inout DiagnosticLog) {
        let pupil = self.pupil(&row, 0, &log)
        let classIndex = pupil.map { snapshot.pupils.classIndex[Int($0)] }
        let subject = self.subject(&row, 1, classIndex: classIndex, &log)
        var period: Int?
        if let id = row.required(2, "period", log: &log) {
            period = snapshot.manifest.periods.firstIndex { $0.id == id }
            if period == nil {
                row.error(
                    2, "unknown-period",
                    "unknown period '\(id)'; the manifest defines \(snapshot.manifest.periods.map(\.id).joined(separator: ", "))",
                    log: &log)
            }
        }
        let value = row.mark(3, "value", log: &log)
        guard let pupil, let subject, let period, let value, let classIndex, !row.failed else { return }
        let p = snapshot.manifest.periods[period]
        let grade = Int(snapshot.classes.grade[Int(classIndex)])
        if !p.grades.contains(grade) {
            row.warning(
                2, "period-not-for-grade",
                "period \(p.id) applies to grades \(p.grades.lowerBound)–\(p.grades.upperBound), but the pupil is in grade \(grade)",
                log: &log)
        }
        if p.end > snapshot.manifest.asOf {
            row.warning(
                2, "period-not-finished",
                "a mark for period \(p.id), which ends \(p.end.russian), after the as-of date", log: &log)
        }
        if !periodMarkKeys.insert(PeriodMarkKey(pupil: pupil, subject: subject, period: UInt8(period))).inserted {
            row.error(
                3, "duplicate-period-mark",
                "a second mark for pupil \(snapshot.pupils.id[Int(pupil)]), \(snapshot.subjects[subject]), period \(p.id)",
                log: &log)
            return
        }
        snapshot.periodMarks.pupil.append(pupil)
        snapshot.periodMarks.subject.append(subject)
        snapshot.periodMarks.period.append(UInt8(period))
        snapshot.periodMarks.value.append(value.raw)
    }

    mutating func readAttendance(_ row: inout Row, _ log: inout DiagnosticLog) {
        let pupil = self.pupil(&row, 0, &log)
        let day = row.dayInYear(1, "date", year: year, log: &log)
        var lesson = 0
        if row.has(2), let l = row.integer(2, "lesson", in: 0...12, log: &log) { lesson = l }
        var subject: Int32 = -1
        if row.has(3) {
            let classIndex = pupil.map { snapshot.pupils.classIndex[Int($0)] }
            subject = self.subject(&row, 3, classIndex: classIndex, &log) ?? -1
        } else if !row.has(2) {
            row.error(2, "empty-field", "an absence needs a lesson number or a subject; both are empty", log: &log)
        }
        var code: AttendanceCode?
        if let text = row.required(4, "code", log: &log) {
            code = AttendanceCode.parse(Substring(text))
            if code == nil {
                row.error(4, "unknown-code", "unknown attendance code '\(text)'; expected Н, Б, У, П or О", log: &log)
            }
        }
        guard let pupil, let day, let code, !row.failed else { return }
        snapshot.attendance.pupil.append(pupil)
        snapshot.attendance.day.append(day.number)
        snapshot.attendance.lesson.append(Int8(lesson))
        snapshot.attendance.subject.append(subject)
        snapshot.attendance.code.append(code.rawValue)
    }

    mutating func readWork(_ row: inout Row, _ log: inout DiagnosticLog) {
        guard let id = row.required(0, "work_id", log: &log) else { return }
        let classIndex = classRef(&row, 1, &log)
        let subject = self.subject(&row, 2, classIndex: classIndex, &log)
        let day = row.dayInYear(3, "date", year: year, log: &log)
        var kind: WorkKind?
        if let k = row.required(4, "kind", log: &log) {
            kind = WorkKind.parse(k)
            if kind == nil {
                row.error(
                    4, "unknown-work-kind",
                    "unknown work kind '\(k)'; expected control, diagnostic, administrative or vpr (or контрольная, диагностическая, административная, ВПР)",
                    log: &log)
            }
        }
        let title = row.required(5, "title", log: &log)
        var maxScore: Float = -1
        if row.has(6), let m = row.decimal(6, "max_score", in: 0.5...1000, log: &log) { maxScore = m }
        guard let classIndex, let subject, let day, let kind, let title, !row.failed else {
            rejectedIDs.insert("work:" + id)
            return
        }
        let index = Int32(snapshot.works.count)
        if let first = workByID.insert(id, index) {
            row.error(
                0, "duplicate-id", "duplicate work_id '\(id)'; first defined at line \(workLine[Int(first)])", log: &log
            )
            return
        }
        workLine.append(row.record.line)
        snapshot.works.id.append(id)
        snapshot.works.classIndex.append(classIndex)
        snapshot.works.subject.append(subject)
        snapshot.works.day.append(day.number)
        snapshot.works.kind.append(kind)
        snapshot.works.title.append(title)
        snapshot.works.maxScore.append(maxScore)
    }

    mutating func readWorkResult(_ row: inout Row, _ log: inout DiagnosticLog) {
        var work: Int32?
        if let id = row.required(0, "work_id", log: &log) {
            work = workByID[id]
            if work == nil && (incomplete.contains(.works) || rejectedIDs.contains("work:" + id)) {
                row.failed = true
            } else if work == nil {
                row.error(0, "unknown-work", "unknown work '\(id)'; works.csv has no such work_id", log: &log)
            }
        }
        let pupil = self.pupil(&row, 1, &log)
        var status: WorkStatus?
        if let s = row.required(2, "status", log: &log) {
            status = WorkStatus.parse(s)
            if status == nil {
                row.error(
                    2, "unknown-status",
                    "unknown status '\(s)'; expected written, absent or excused (писал, отсутствовал, уважительная)",
                    log: &log)
            }
        }
        var score: Float = -1
        if row.has(3), let s = row.decimal(3, "score", in: 0...1000, log: &log) { score = s }
        var mark: UInt8 = 0
        if row.has(4), let m = row.integer(4, "mark", in: 1...5, log: &log) { mark = UInt8(m) }
        guard let work, let pupil, let status, !row.failed else { return }
        let w = Int(work)
        let workClass = snapshot.works.classIndex[w]
        let pupilClass = snapshot.pupils.classIndex[Int(pupil)]
        if workClass != pupilClass {
            row.error(
                1, "work-of-another-class",
                "pupil '\(snapshot.pupils.id[Int(pupil)])' is in class \(snapshot.classes.id[Int(pupilClass)]), but work '\(snapshot.works.id[w])' is for class \(snapshot.classes.id[Int(workClass)])",
                log: &log)
            return
        }
        let max = snapshot.works.maxScore[w]
        if score >= 0, max > 0, score > max {
            row.error(
                3, "score-above-max", "score \(Row.format(score)) is above the work's maximum \(Row.format(max))",
                log: &log)
            return
        }
        if status == .written && score < 0 && mark == 0 {
            row.warning(2, "result-without-score", "status 'written' but neither score nor mark is given", log: &log)
        }
        if status != .written && (score >= 0 || mark != 0) {
            row.warning(
                2, "score-without-writing", "status '\(status.rawValue)' but a score or mark is given", log: &log)
        }
        if !workResultKeys.insert(Int64(work) << 32 | Int64(pupil)).inserted {
            row.error(
                0, "duplicate-result",
                "a second result of work '\(snapshot.works.id[w])' for pupil '\(snapshot.pupils.id[Int(pupil)])'",
                log: &log)
            return
        }
        snapshot.workResults.work.append(work)
        snapshot.workResults.pupil.append(pupil)
        snapshot.workResults.status.append(status)
        snapshot.workResults.score.append(score)
        snapshot.workResults.mark.append(mark)
    }

    /// The first year of the all-Russian tests (ВПР).
    static let firstVPRYear = 2015

    mutating func readVPRScale(_ row: inout Row, _ log: inout DiagnosticLog) {
        let y = row.integer(0, "year", in: LoadState.firstVPRYear...2100, log: &log)
        let grade = row.integer(1, "grade", in: 4...11, log: &log)
        let subjectName = row.required(2, "subject", log: &log)
        let mark = row.integer(3, "mark", in: 2...5, log: &log)
        let lo = row.decimal(4, "min_score", in: 0...1000, log: &log)
        let hi = row.decimal(5, "max_score", in: 0...1000, log: &log)
        guard let y, let grade, let subjectName, let mark, let lo, let hi, !row.failed else { return }
        if hi < lo {
            row.error(5, "bad-scale", "max_score \(Row.format(hi)) is below min_score \(Row.format(lo))", log: &log)
            return
        }
        let s = snapshot.subjects.intern(subjectName)
        _ = subjectByName.insert(subjectName, s)
        let key = ScaleKey(year: Int16(y), grade: UInt8(grade), subject: s)
        for band in scaleBands[key, default: []] where band.mark == UInt8(mark) || (lo <= band.max && band.min <= hi) {
            row.error(
                4, "bad-scale",
                "this band overlaps the band for mark \(band.mark) (\(Row.format(band.min))–\(Row.format(band.max))) of the same year, grade and subject",
                log: &log)
            return
        }
        scaleBands[key, default: []].append((UInt8(mark), lo, hi))
        snapshot.vprScales.year.append(Int16(y))
        snapshot.vprScales.grade.append(UInt8(grade))
        snapshot.vprScales.subject.append(s)
        snapshot.vprScales.mark.append(UInt8(mark))
        snapshot.vprScales.minScore.append(lo)
        snapshot.vprScales.maxScore.append(hi)
    }

    mutating func readVPRResult(_ row: inout Row, _ log: inout DiagnosticLog) {
        guard let pupilID = row.required(0, "pupil_id", log: &log) else { return }
        let pupil = pupilByID[pupilID] ?? -1
        // ВПР were first written in 2015: a snapshot of an earlier school year has no year
        // a result can be of (and no range to check one against).
        guard year.springYear >= LoadState.firstVPRYear else {
            row.error(
                1, "out-of-range",
                "a ВПР result in the school year \(year.name); ВПР are written from \(LoadState.firstVPRYear), so vpr_results.csv must be empty for this year",
                log: &log)
            return
        }
        let y = row.integer(1, "year", in: LoadState.firstVPRYear...year.springYear, log: &log)
        let grade = row.integer(2, "grade", in: 4...11, log: &log)
        let subjectName = row.required(3, "subject", log: &log)
        let max = row.decimal(5, "max_score", in: 1...1000, log: &log)
        let score = row.decimal(4, "score", in: 0...1000, log: &log)
        let mark = row.integer(6, "mark", in: 2...5, log: &log)
        var journal: UInt8 = 0
        if row.has(7), let j = row.integer(7, "journal_mark", in: 1...5, log: &log) { journal = UInt8(j) }
        guard let y, let grade, let subjectName, let max, let score, let mark, !row.failed else { return }
        if score > max {
            row.error(
                4, "score-above-max", "score \(Row.format(score)) is above max_score \(Row.format(max))", log: &log)
            return
        }
        if pupil < 0 {
            row.warning(
                0, "unknown-pupil", "pupil '\(pupilID)' is not in pupils.csv; the result is kept as history", log: &log)
        }
        let s = snapshot.subjects.intern(subjectName)
        _ = subjectByName.insert(subjectName, s)
        if !vprKeys.insert(VPRKey(pupil: pupilID, year: Int16(y), subject: s)).inserted {
            row.error(
                3, "duplicate-result", "a second ВПР result for pupil '\(pupilID)', \(subjectName), \(y)", log: &log)
            return
        }
        if let expected = scaleBands[ScaleKey(year: Int16(y), grade: UInt8(grade), subject: s)]?.first(where: {
            score >= $0.min && score <= $0.max
        })?.mark,
            expected != UInt8(mark)
        {
            row.warning(
                6, "mark-off-scale",
                "mark \(mark) does not match the \(y) scale, which gives \(expected) for score \(Row.format(score))",
                log: &log)
        }
        snapshot.vprResults.pupilID.append(pupilID)
        snapshot.vprResults.pupilIndex.append(pupil)
        snapshot.vprResults.year.append(Int16(y))
        snapshot.vprResults.grade.append(UInt8(grade))
        snapshot.vprResults.subject.append(s)
        snapshot.vprResults.score.append(score)
        snapshot.vprResults.maxScore.append(max)
        snapshot.vprResults.mark.append(UInt8(mark))
        snapshot.vprResults.journalMark.append(journal)
    }
}
