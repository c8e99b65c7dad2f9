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
    /// The marks' rows (pupil_id, subject, date, value, work_type, weight) by (pupil, subject),
    /// so that what one export covers is found without reading every mark of the district.
    public var marks: [[String]: [[String]]] = [:]
    /// The absences' rows (pupil_id, date, lesson, subject, code) by (pupil, subject).
    public var attendance: [[String]: [[String]]] = [:]
    /// (pupil, subject, period) → value
    public var periodMarks: [[String]: String] = [:]
    /// (pupil, year, subject) → (grade, score, max score, mark, journal mark)
    public var vprResults: [[String]: [String]] = [:]
    public var nextPupil = 1
    public var inferences: [String] = []

    public init() {}

    public static func classID(school: String, label: String) -> String { "\(school)-\(label)" }

    // MARK: reading an earlier import back

    /// The draft of a folder an earlier import wrote; an error when a table is not as written.
    public static func read(folder: String) throws(ImportError) -> SnapshotDraft {
        var d = SnapshotDraft()
        func table(_ name: String, _ columns: [String], required: Bool = true) throws(ImportError) -> [[String: String]]
        {
            let path = folder + "/" + name
            guard let data = FileManager.default.contents(atPath: path) else {
                if required { throw ImportError(path, "missing; the snapshot folder was not written by mayak import") }
                return []
            }
            let grid = try CSVGridReader.read(Array(data), file: path, encoding: .utf8, separator: ",").workbook.grids[
                0]
            guard let header = grid.rows.first else { return [] }
            let index = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            if let missing = columns.first(where: { index[$0] == nil }) {
                throw ImportError(path, "no column '\(missing)'; the snapshot folder was not written by mayak import")
            }
            return grid.rows.dropFirst().map { row in
                Dictionary(uniqueKeysWithValues: header.enumerated().map { ($1, $0 < row.count ? row[$0] : "") })
            }
        }
        if let manifest = try? String(contentsOfFile: folder + "/manifest.yaml", encoding: .utf8),
            let line = manifest.split(separator: "\n").first(where: { $0.hasPrefix("district:") })
        {
            d.district = String(line.dropFirst("district:".count)).trimmingSpaces().trimmingCharacters(in: ["\""])
        }
        for r in try table("schools.csv", ["school_id", "name"]) { d.schools[r["school_id"]!] = r["name"]! }
        for r in try table("classes.csv", ["class_id", "school_id", "grade", "letter"]) {
            d.classes[r["class_id"]!] = (r["school_id"]!, Int(r["grade"]!) ?? 0, r["letter"]!, r["class_teacher"] ?? "")
        }
        let pupilRows = try table("pupils.csv", ["pupil_id", "class_id", "full_name"])
        for r in pupilRows {
            var extra = r
            for k in ["pupil_id", "class_id", "full_name"] { extra[k] = nil }
            d.pupils[r["pupil_id"]!] = (r["class_id"]!, r["full_name"]!, extra)
            for k in extra.keys where !d.extraColumns.contains(k) { d.extraColumns.append(k) }
        }
        d.extraColumns.sort()
        for r in try table("identity.csv", ["pupil_id", "school_id", "class_id", "name", "birth_date", "key"]) {
            d.identity.append(
                IdentityRow(
                    pupilID: r["pupil_id"]!, school: r["school_id"]!, classID: r["class_id"]!, name: r["name"]!,
                    birthDate: r["birth_date"]!, key: r["key"]!))
            if let n = Int(r["pupil_id"]!.dropFirst()), n >= d.nextPupil { d.nextPupil = n + 1 }
        }
        for r in try table("subjects.csv", ["class_id", "subject"]) {
            d.subjects[[r["class_id"]!, r["subject"]!]] = (r["teacher"] ?? "", r["hours_per_week"] ?? "")
        }
        let markColumns = ["pupil_id", "subject", "date", "value", "work_type", "weight"]
        for r in try table("marks.csv", markColumns) {
            d.marks[[r["pupil_id"]!, r["subject"]!], default: []].append(markColumns.map { r[$0]! })
        }
        let absenceColumns = ["pupil_id", "date", "lesson", "subject", "code"]
        for r in try table("attendance.csv", absenceColumns, required: false) {
            d.attendance[[r["pupil_id"]!, r["subject"]!], default: []].append(absenceColumns.map { r[$0]! })
        }
        for r in try table("period_marks.csv", ["pupil_id", "subject", "period", "value"], required: false) {
            d.periodMarks[[r["pupil_id"]!, r["subject"]!, r["period"]!]] = r["value"]!
        }
        let vprColumns = ["grade", "score", "max_score", "mark", "journal_mark"]
        for r in try table("vpr_results.csv", ["pupil_id", "year", "subject"] + vprColumns, required: false) {
            d.vprResults[[r["pupil_id"]!, r["year"]!, r["subject"]!]] = vprColumns.map { r[$0]! }
        }
        return d
    }
}
