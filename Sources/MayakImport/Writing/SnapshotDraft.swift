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
        /// A table's rows, each a lookup of its columns by name.
        func table(_ name: String, _ columns: [String], required: Bool = true) throws(ImportError) -> Table {
            let path = folder + "/" + name
            guard let data = FileManager.default.contents(atPath: path) else {
                if required { throw ImportError(path, "missing; the snapshot folder was not written by mayak import") }
                return Table(path: path, index: [:], rows: [], lines: [])
            }
            let grid = try CSVGridReader.read(Array(data), file: path, encoding: .utf8, separator: ",").workbook.grids[
                0]
            guard let header = grid.rows.first else { return Table(path: path, index: [:], rows: [], lines: []) }
            let index = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            if let missing = columns.first(where: { index[$0] == nil }) {
                throw ImportError(path, "no column '\(missing)'; the snapshot folder was not written by mayak import")
            }
            return Table(
                path: path, index: index, rows: Array(grid.rows.dropFirst()),
                lines: grid.origins.dropFirst().map { Int($0.first?.line ?? 0) })
        }
        if let manifest = try? String(contentsOfFile: folder + "/manifest.yaml", encoding: .utf8),
            let line = manifest.split(separator: "\n").first(where: { $0.hasPrefix("district:") })
        {
            d.district = String(line.dropFirst("district:".count)).trimmingSpaces().trimmingCharacters(in: ["\""])
        }
        let schools = try table("schools.csv", ["school_id", "name"])
        for r in schools.rows { d.schools[schools[r, "school_id"]] = schools[r, "name"] }
        let classes = try table("classes.csv", ["class_id", "school_id", "grade", "letter"])
        for r in classes.rows {
            d.classes[classes[r, "class_id"]] = (
                classes[r, "school_id"], Int(classes[r, "grade"]) ?? 0, classes[r, "letter"],
                classes[r, "class_teacher"]
            )
        }
        let pupils = try table("pupils.csv", ["pupil_id", "class_id", "full_name"])
        let extraColumns = pupils.index.keys.filter { !["pupil_id", "class_id", "full_name"].contains($0) }.sorted()
        d.extraColumns = extraColumns
        for r in pupils.rows {
            var extra: [String: String] = [:]
            for k in extraColumns { extra[k] = pupils[r, k] }
            d.pupils[pupils[r, "pupil_id"]] = (pupils[r, "class_id"], pupils[r, "full_name"], extra)
        }
        let identity = try table("identity.csv", ["pupil_id", "school_id", "class_id", "name", "birth_date", "key"])
        for r in identity.rows {
            let id = identity[r, "pupil_id"]
            d.identity.append(
                IdentityRow(
                    pupilID: id, school: identity[r, "school_id"], classID: identity[r, "class_id"],
                    name: identity[r, "name"], birthDate: identity[r, "birth_date"], key: identity[r, "key"]))
            if let n = Int(id.dropFirst()), n >= d.nextPupil { d.nextPupil = n + 1 }
        }
        let subjects = try table("subjects.csv", ["class_id", "subject"])
        for r in subjects.rows {
            d.subjects[[subjects[r, "class_id"], subjects[r, "subject"]]] = (
                subjects[r, "teacher"], subjects[r, "hours_per_week"]
            )
        }
        var texts = Interned()
        let marks = try table("marks.csv", ["pupil_id", "subject", "date", "value", "work_type", "weight"])
        for (n, r) in marks.rows.enumerated() {
            let day = try marks.day(r, "date", row: n)
            d.marks[PupilSubject(marks[r, "pupil_id"], texts[marks[r, "subject"]]), default: []].append(
                MarkRow(
                    day: day, value: marks[r, "value"], workType: texts[marks[r, "work_type"]],
                    weight: marks[r, "weight"]))
        }
        let absences = try table("attendance.csv", ["pupil_id", "date", "lesson", "subject", "code"], required: false)
        for (n, r) in absences.rows.enumerated() {
            let day = try absences.day(r, "date", row: n)
            d.attendance[PupilSubject(absences[r, "pupil_id"], texts[absences[r, "subject"]]), default: []].append(
                AbsenceRow(day: day, lesson: absences[r, "lesson"], code: absences[r, "code"]))
        }
        let periodMarks = try table("period_marks.csv", ["pupil_id", "subject", "period", "value"], required: false)
        for r in periodMarks.rows {
            d.periodMarks[[periodMarks[r, "pupil_id"], periodMarks[r, "subject"], periodMarks[r, "period"]]] =
                periodMarks[r, "value"]
        }
        let vprColumns = ["grade", "score", "max_score", "mark", "journal_mark"]
        let vpr = try table("vpr_results.csv", ["pupil_id", "year", "subject"] + vprColumns, required: false)
        for r in vpr.rows {
            d.vprResults[[vpr[r, "pupil_id"], vpr[r, "year"], vpr[r, "subject"]]] = vprColumns.map { vpr[r, $0] }
        }
        return d
    }
}

/// A table of an earlier import read back: rows, and its columns by name.
struct Table {
    var path: String
    var index: [String: Int]
    var rows: [[String]]
    /// Each row's line in the file.
    var lines: [Int]

    /// A row's value in a column; "" when the row is short or the table has no such column.
    subscript(row: [String], column: String) -> String {
        guard let c = index[column], c < row.count else { return "" }
        return row[c]
    }

    /// A row's date (the `n`th row); an error naming its line when it is none.
    func day(_ row: [String], _ column: String, row n: Int) throws(ImportError) -> Day {
        guard case .day(let d) = Day.parse(self[row, column]) else {
            throw ImportError(
                "\(path):\(n < lines.count ? lines[n] : n + 2)",
                "'\(self[row, column])' is not a date; expected YYYY-MM-DD as mayak import writes it")
        }
        return d
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
