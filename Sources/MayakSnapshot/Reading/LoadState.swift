/// What a load has built so far, and the indexes that later tables are checked against.
///
/// Column numbers in the row readers below follow `TableSpecs.columns(of:)`.
struct LoadState {
    var snapshot: Snapshot
    var schoolByID = IDIndex()
    var classByID = IDIndex()
    var pupilByID = IDIndex()
    var workByID = IDIndex()
    var subjectByName = IDIndex()
    /// Line of each id's first definition, for duplicate messages.
    var schoolLine: [Int] = []
    var classLine: [Int] = []
    var pupilLine: [Int] = []
    var workLine: [Int] = []
    /// (class << 32 | subject) for every subject taught in a class.
    var taught = Set<Int64>()
    var periodMarkKeys = Set<PeriodMarkKey>()
    var workResultKeys = Set<Int64>()
    var vprKeys = Set<VPRKey>()
    var workTypeByName = IDIndex()
    /// Ids of rows that were rejected: later references to them are not reported again,
    /// since the row's own diagnostic already names the cause.
    var rejectedIDs = Set<String>()
    /// Tables that could not be read whole (missing, a bad header, another encoding):
    /// references into them are not checked, since every one would be reported.
    var incomplete = Set<SnapshotLoader.File>()
    /// ВПР scale bands by (year, grade, subject): (mark, min, max).
    var scaleBands: [ScaleKey: [(mark: UInt8, min: Float, max: Float)]] = [:]

    struct ScaleKey: Hashable { var year: Int16, grade: UInt8, subject: Int32 }

    struct PeriodMarkKey: Hashable { var pupil: Int32, subject: Int32, period: UInt8 }
    struct VPRKey: Hashable { var pupil: String, year: Int16, subject: Int32 }

    init(snapshot: Snapshot) { self.snapshot = snapshot }

    var year: SchoolYear { snapshot.manifest.schoolYear }

    mutating func beginPupils(extra: [String]) {
        snapshot.pupils.extraColumns = extra
        snapshot.pupils.extraValues = extra.map { _ in [] }
    }

    mutating func read(_ file: SnapshotLoader.File, row: inout Row, log: inout DiagnosticLog) {
        switch file {
        case .manifest: break
        case .schools: readSchool(&row, &log)
        case .classes: readClass(&row, &log)
        case .pupils: readPupil(&row, &log)
        case .subjects: readClassSubject(&row, &log)
        case .marks: readMark(&row, &log)
        case .periodMarks: readPeriodMark(&row, &log)
        case .attendance: readAttendance(&row, &log)
        case .works: readWork(&row, &log)
        case .workResults: readWorkResult(&row, &log)
        case .vprScales: readVPRScale(&row, &log)
        case .vprResults: readVPRResult(&row, &log)
        }
    }

    // MARK: - References

    mutating func pupil(_ row: inout Row, _ column: Int, _ log: inout DiagnosticLog) -> Int32? {
        guard row.has(column) else {
            row.error(column, "empty-field", "empty 'pupil_id'; a value is required", log: &log)
            return nil
        }
        if let p = pupilByID.lookup(row.bytes(column)) { return p }
        if incomplete.contains(.pupils) || rejectedIDs.contains("pupil:" + row.text(column)) {
            row.failed = true
            return nil
        }
        row.error(
            column, "unknown-pupil", "unknown pupil '\(row.text(column))'; pupils.csv has no such pupil_id", log: &log)
        return nil
    }

    mutating func classRef(_ row: inout Row, _ column: Int, _ log: inout DiagnosticLog) -> Int32? {
        guard let id = row.required(column, "class_id", log: &log) else { return nil }
        if let c = classByID[id] { return c }
        if incomplete.contains(.classes) || rejectedIDs.contains("class:" + id) {
            row.failed = true
            return nil
        }
        row.error(column, "unknown-class", "unknown class '\(id)'; classes.csv has no such class_id", log: &log)
        return nil
    }

    /// A subject that some class is taught (subjects.csv); warns when the pupil's own class
    /// is not taught it.
    mutating func subject(_ row: inout Row, _ column: Int, classIndex: Int32?, _ log: inout DiagnosticLog) -> Int32? {
        guard row.has(column) else {
            row.error(column, "empty-field", "empty 'subject'; a value is required", log: &log)
            return nil
        }
        guard let s = subjectByName.lookup(row.bytes(column)) else {
            if incomplete.contains(.subjects) {
                row.failed = true
                return nil
            }
            row.error(
                column, "unknown-subject",
                "unknown subject '\(row.text(column))'; subjects.csv does not list it for any class", log: &log)
            return nil
        }
        if let c = classIndex, !taught.contains(Int64(c) << 32 | Int64(s)) {
            row.warning(
                column, "subject-not-taught",
                "subject '\(row.text(column))' is not taught in class \(snapshot.classes.id[Int(c)]) according to subjects.csv",
                log: &log)
        }
        return s
    }

    // MARK: - Entities

    mutating func readSchool(_ row: inout Row, _ log: inout DiagnosticLog) {
        guard let id = row.required(0, "school_id", log: &log) else { return }
        let name = row.required(1, "name", log: &log)
        let municipality = row.optional(2, "municipality", log: &log)
        guard let name, !row.failed else {
            rejectedIDs.insert("school:" + id)
            return
        }
        let index = Int32(snapshot.schools.count)
        if let first = schoolByID.insert(id, index) {
            row.error(
                0, "duplicate-id", "duplicate school_id '\(id)'; first defined at line \(schoolLine[Int(first)])",
                log: &log)
            return
        }
        schoolLine.append(row.record.line)
        snapshot.schools.id.append(id)
        snapshot.schools.name.append(name)
        snapshot.schools.municipality.append(municipality)
    }

    mutating func readClass(_ row: inout Row, _ log: inout DiagnosticLog) {
        guard let id = row.required(0, "class_id", log: &log) else { return }
        var school: Int32?
        if let sid = row.required(1, "school_id", log: &log) {
            school = schoolByID[sid]
            if school == nil && (incomplete.contains(.schools) || rejectedIDs.contains("school:" + sid)) {
                row.failed = true
            } else if school == nil {
                row.error(1, "unknown-school", "unknown school '\(sid)'; schools.csv has no such school_id", log: &log)
            }
        }
        let grade = row.integer(2, "grade", in: 1...11, log: &log)
        let letter = row.required(3, "letter", log: &log)
        let teacher = row.optional(4, "class_teacher", log: &log)
        guard let school, let grade, let letter, !row.failed else {
            rejectedIDs.insert("class:" + id)
            return
        }
        let index = Int32(snapshot.classes.count)
        if let first = classByID.insert(id, index) {
            row.error(
                0, "duplicate-id", "duplicate class_id '\(id)'; first defined at line \(classLine[Int(first)])",
                log: &log)
            return
        }
        classLine.append(row.record.line)
        snapshot.classes.id.append(id)
        snapshot.classes.school.append(school)
        snapshot.classes.grade.append(UInt8(grade))
        snapshot.classes.letter.append(letter)
        snapshot.classes.classTeacher.append(teacher)
    }

    mutating func readPupil(_ row: inout Row, _ log: inout DiagnosticLog) {
        guard let id = row.required(0, "pupil_id", log: &log) else { return }
        let classIndex = classRef(&row, 1, &log)
        let name = row.required(2, "full_name", log: &log)
        guard let classIndex, let name, !row.failed else {
            rejectedIDs.insert("pupil:" + id)
            return
        }
        let index = Int32(snapshot.pupils.count)
        if let first = pupilByID.insert(id, index) {
            let firstClass = snapshot.pupils.classIndex[Int(first)]
            if firstClass != classIndex {
                row.error(
                    1, "pupil-in-two-classes",
                    "pupil '\(id)' is listed in two classes: \(snapshot.classes.id[Int(firstClass)]) (line \(pupilLine[Int(first)])) and \(snapshot.classes.id[Int(classIndex)]); a pupil belongs to one class",
                    log: &log)
            } else {
                row.error(
                    0, "duplicate-id", "duplicate pupil_id '\(id)'; first defined at line \(pupilLine[Int(first)])",
                    log: &log)
            }
            return
        }
        pupilLine.append(row.record.line)
        snapshot.pupils.id.append(id)
        snapshot.pupils.classIndex.append(classIndex)
        snapshot.pupils.fullName.append(name)
        for (k, extra) in row.table.extraColumns.enumerated() {
            snapshot.pupils.extraValues[k].append(row.record.string(extra.index))
        }
    }

    mutating func readClassSubject(_ row: inout Row, _ log: inout DiagnosticLog) {
        let classIndex = classRef(&row, 0, &log)
        let name = row.required(1, "subject", log: &log)
        let teacher = row.optional(2, "teacher", log: &log)
        var hours: Float = -1
        if row.has(3), let h = row.decimal(3, "hours_per_week", in: 0...40, log: &log) { hours = h }
        guard let classIndex, let name, !row.failed else { return }
        let subject = snapshot.subjects.intern(name)
        _ = subjectByName.insert(name, subject)
        if !taught.insert(Int64(classIndex) << 32 | Int64(subject)).inserted {
            row.error(
                1, "duplicate-id",
                "subject '\(name)' is listed twice for class \(snapshot.classes.id[Int(classIndex)])", log: &log)
            return
        }
        snapshot.classSubjects.classIndex.append(classIndex)
        snapshot.classSubjects.subject.append(subject)
        snapshot.classSubjects.teacher.append(teacher)
        snapshot.classSubjects.hoursPerWeek.append(hours)
    }
}
