import Foundation
import MayakSnapshot

/// The snapshot an import builds: the tables as rows, read back from the folder an earlier
/// import wrote (so next week's export updates it) and merged with each source's batch.
///
/// Identity: pupils get ids `P000001`, … kept in `identity.csv` with what identified them
/// (school, class, normalised full name, birth date, or the key of anonymised data). A pupil
/// of next week's export is the same pupil when the school, the name and the birth date
/// agree (or, without a birth date, the school, the class and the name); a pupil found in
/// another class of the school by name and birth date (or by name alone, when only one pupil
/// of the school has it) has moved class and keeps the id. Two pupils of one class with the
/// same name and no birth date are an error naming both rows.
public struct SnapshotDraft {
    public struct IdentityRow: Sendable, Equatable {
        public var pupilID: String
        public var school: String
        public var classID: String
        public var name: String
        public var birthDate: String
        public var key: String
    }

    public var district: String = "Муниципальный округ"
    public var schools: [String: String] = [:]
    /// class id → (school, grade, letter, teacher)
    public var classes: [String: (school: String, grade: Int, letter: String, teacher: String)] = [:]
    /// pupil id → (class id, full name, other columns)
    public var pupils: [String: (classID: String, name: String, extra: [String: String])] = [:]
    public var extraColumns: [String] = []
    /// Rows are only added (`merge`) or have their class and birth date updated, never their
    /// school, name or key: `identityIndex` stays right.
    public internal(set) var identity: [IdentityRow] = []
    /// The class each pupil was placed in by this import (over all its sources): a pupil met in
    /// one class is not taken for a namesake who moved from another.
    var placed: [String: String] = [:]
    /// Where each (school, name) and (school, key) is in `identity`; built when first asked.
    var identityIndex: [[String]: [Int]]?
    /// (class id, subject) → (teacher, hours)
    public var subjects: [[String]: (teacher: String, hours: String)] = [:]
    /// The marks by (pupil, subject), so that what one export covers is found without reading
    /// every mark of the district.
    public var marks: [PupilSubject: [MarkRow]] = [:]
    /// The absences by (pupil, subject; "" for a whole day).
    public var attendance: [PupilSubject: [AbsenceRow]] = [:]
    /// (pupil, subject, period) → value
    public var periodMarks: [[String]: String] = [:]
    /// (pupil, year, subject) → (grade, score, max score, mark, journal mark)
    public var vprResults: [[String]: [String]] = [:]
    public var nextPupil = 1
    public var inferences: [String] = []

    public init() {}

    /// A pupil's id and a subject as written: a key of `marks` and `attendance`, compared by
    /// bytes as the snapshot reader compares them.
    public struct PupilSubject: Hashable, Sendable {
        public var pupil: String
        public var subject: String

        public init(_ pupil: String, _ subject: String) {
            self.pupil = pupil
            self.subject = subject
        }

        public static func == (a: PupilSubject, b: PupilSubject) -> Bool {
            ByteKey(a.pupil) == ByteKey(b.pupil) && ByteKey(a.subject) == ByteKey(b.subject)
        }

        public func hash(into hasher: inout Hasher) {
            ByteKey(pupil).hash(into: &hasher)
            ByteKey(subject).hash(into: &hasher)
        }
    }

    /// The rest of a mark's row in marks.csv (date, value, work_type, weight).
    public struct MarkRow: Sendable, Equatable {
        public var day: Day
        public var value: String
        public var workType: String
        /// As marks.csv writes it (`1`, `0,5`).
        public var weight: String
    }

    /// The rest of an absence's row in attendance.csv (date, lesson, code).
    public struct AbsenceRow: Sendable, Equatable {
        public var day: Day
        public var lesson: String
        public var code: String
    }

    public static func classID(school: String, label: String) -> String { "\(school)-\(label)" }

    // MARK: reading an earlier import back

    /// The draft of a folder an earlier import wrote; an error when a table is not as written.
    public static func read(folder: String) throws(ImportError) -> SnapshotDraft {
        var d = SnapshotDraft()
        if let manifest = try? String(contentsOfFile: folder + "/manifest.yaml", encoding: .utf8),
            let line = manifest.split(separator: "\n").first(where: { $0.hasPrefix("district:") })
        {
            d.district = String(line.dropFirst("district:".count)).trimmingSpaces().trimmingCharacters(in: ["\""])
        }
        try TableRows.each(folder, "schools.csv", ["school_id", "name"]) { r throws(ImportError) in
            d.schools[r["school_id"]] = r["name"]
        }
        try TableRows.each(folder, "classes.csv", ["class_id", "school_id", "grade", "letter"]) {
            r throws(ImportError) in
            d.classes[r["class_id"]] = (r["school_id"], Int(r["grade"]) ?? 0, r["letter"], r["class_teacher"])
        }
        try TableRows.each(folder, "pupils.csv", ["pupil_id", "class_id", "full_name"]) { r throws(ImportError) in
            if d.extraColumns.isEmpty {
                d.extraColumns = r.columns.filter { !["pupil_id", "class_id", "full_name"].contains($0) }.sorted()
            }
            var extra: [String: String] = [:]
            for k in d.extraColumns { extra[k] = r[k] }
            d.pupils[r["pupil_id"]] = (r["class_id"], r["full_name"], extra)
        }
        try TableRows.each(folder, "identity.csv", ["pupil_id", "school_id", "class_id", "name", "birth_date", "key"]) {
            r throws(ImportError) in
            let id = r["pupil_id"]
            d.identity.append(
                IdentityRow(
                    pupilID: id, school: r["school_id"], classID: r["class_id"], name: r["name"],
                    birthDate: r["birth_date"], key: r["key"]))
            if let n = Int(id.dropFirst()), n >= d.nextPupil { d.nextPupil = n + 1 }
        }
        try TableRows.each(folder, "subjects.csv", ["class_id", "subject"]) { r throws(ImportError) in
            d.subjects[[r["class_id"], r["subject"]]] = (r["teacher"], r["hours_per_week"])
        }
        var texts = Interned()
        try TableRows.each(folder, "marks.csv", ["pupil_id", "subject", "date", "value", "work_type", "weight"]) {
            r throws(ImportError) in
            let mark = MarkRow(
                day: try r.day("date"), value: r["value"], workType: texts[r["work_type"]], weight: r["weight"])
            d.marks[PupilSubject(r["pupil_id"], texts[r["subject"]]), default: []].append(mark)
        }
        try TableRows.each(
            folder, "attendance.csv", ["pupil_id", "date", "lesson", "subject", "code"], required: false
        ) { r throws(ImportError) in
            let absence = AbsenceRow(day: try r.day("date"), lesson: r["lesson"], code: r["code"])
            d.attendance[PupilSubject(r["pupil_id"], texts[r["subject"]]), default: []].append(absence)
        }
        try TableRows.each(folder, "period_marks.csv", ["pupil_id", "subject", "period", "value"], required: false) {
            r throws(ImportError) in
            d.periodMarks[[r["pupil_id"], r["subject"], r["period"]]] = r["value"]
        }
        let vprColumns = ["grade", "score", "max_score", "mark", "journal_mark"]
        try TableRows.each(folder, "vpr_results.csv", ["pupil_id", "year", "subject"] + vprColumns, required: false) {
            r throws(ImportError) in
            d.vprResults[[r["pupil_id"], r["year"], r["subject"]]] = vprColumns.map { r[$0] }
        }
        return d
    }
}

/// The rows of a table of an earlier import, read back through the snapshot reader's own CSV
/// reader (streaming: the draft holds the rows, not the file as well).
struct TableRows {
    let path: String
    let columns: [String]
    let index: [String: Int]
    fileprivate let record: CSVReader.Record

    /// A value by column name; "" when the row is short or the table has no such column.
    subscript(column: String) -> String {
        guard let c = index[column], c < record.count else { return "" }
        return record.string(c)
    }

    /// A date; an error naming the line when it is none.
    func day(_ column: String) throws(ImportError) -> Day {
        guard case .day(let d) = Day.parse(self[column]) else {
            throw ImportError("\(path):\(record.line)", ImportText.notAnImportDate(self[column]))
        }
        return d
    }

    /// Calls `body` with each row of `folder/name`; an error when the table is missing (and
    /// `required`), lacks one of `columns`, or is not well-formed CSV.
    static func each(
        _ folder: String, _ name: String, _ columns: [String], required: Bool = true,
        _ body: (TableRows) throws(ImportError) -> Void
    ) throws(ImportError) {
        let path = folder + "/" + name
        guard FileManager.default.fileExists(atPath: path) else {
            if required { throw ImportError(path, ImportText.tableMissing) }
            return
        }
        let reader: CSVReader
        do { reader = try CSVReader(path: path, displayName: path, encoding: .utf8, separator: .comma) } catch {
            throw ImportError(path, ImportText.tableUnreadable("\(error)"))
        }
        var header: [String] = []
        var index: [String: Int] = [:]
        var failure: ImportError?
        reader.forEachRecord(
            header: { names, _ in
                header = names
                index = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
                if let missing = columns.first(where: { index[$0] == nil }) {
                    failure = ImportError(path, ImportText.tableLacksColumn(missing))
                    return false
                }
                return true
            },
            { record in
                guard failure == nil else { return }
                do throws(ImportError) {
                    try body(TableRows(path: path, columns: header, index: index, record: record))
                } catch { failure = error }
            },
            onError: { e in
                if failure == nil, e.severity == .error {
                    failure = ImportError("\(path):\(e.line):\(e.column)", e.message)
                }
            })
        if let failure { throw failure }
    }
}

/// Texts that repeat over millions of rows (subjects, work types) kept once: each is stored
/// the first time it is met and handed out again after.
struct Interned {
    private var texts: [ByteKey: String] = [:]

    subscript(text: String) -> String {
        mutating get {
            if let kept = texts[ByteKey(text)] { return kept }
            texts[ByteKey(text)] = text
            return text
        }
    }
}
