import Foundation
import MayakFiles
import MayakSnapshot

extension SnapshotDraft {
    /// The tables' text, file by file, in the snapshot format (UTF-8, `,`, RFC 4180 quoting),
    /// rows in a stable order so that two imports of the same exports write the same bytes.
    public func files(manifest: String, log importLog: String) -> [(name: String, text: String)] {
        func csv(_ header: [String], _ rows: [[String]]) -> String {
            var out = header.map(SnapshotDraft.quoted).joined(separator: ",") + "\n"
            for r in rows { out += r.map(SnapshotDraft.quoted).joined(separator: ",") + "\n" }
            return out
        }
        let pupilIDs = pupils.keys.sorted()
        var files: [(String, String)] = [("manifest.yaml", manifest)]
        files.append(("schools.csv", csv(["school_id", "name"], schools.keys.sorted().map { [$0, schools[$0]!] })))
        files.append(
            (
                "classes.csv",
                csv(
                    ["class_id", "school_id", "grade", "letter", "class_teacher"],
                    classes.keys.sorted().map { id in
                        let c = classes[id]!
                        return [id, c.school, String(c.grade), c.letter, c.teacher]
                    })
            ))
        files.append(
            (
                "pupils.csv",
                csv(
                    ["pupil_id", "class_id", "full_name"] + extraColumns,
                    pupilIDs.map { id in
                        let p = pupils[id]!
                        return [id, p.classID, p.name] + extraColumns.map { p.extra[$0] ?? "" }
                    })
            ))
        files.append(
            (
                "subjects.csv",
                csv(
                    ["class_id", "subject", "teacher", "hours_per_week"],
                    subjects.keys.sorted { $0.lexicographicallyPrecedes($1) }.map { k in
                        [k[0], k[1], subjects[k]!.teacher, subjects[k]!.hours]
                    })
            ))
        files.append(
            (
                "marks.csv",
                csv(
                    ["pupil_id", "subject", "date", "value", "work_type", "weight"],
                    marks.values.joined().sorted { $0.lexicographicallyPrecedes($1) })
            ))
        files.append(
            (
                "attendance.csv",
                csv(
                    ["pupil_id", "date", "lesson", "subject", "code"],
                    attendance.values.joined().sorted { $0.lexicographicallyPrecedes($1) })
            ))
        files.append(
            (
                "period_marks.csv",
                csv(
                    ["pupil_id", "subject", "period", "value"],
                    periodMarks.keys.sorted { $0.lexicographicallyPrecedes($1) }.map { $0 + [periodMarks[$0]!] })
            ))
        files.append(
            (
                "vpr_results.csv",
                csv(
                    ["pupil_id", "year", "grade", "subject", "score", "max_score", "mark", "journal_mark"],
                    vprResults.keys.sorted { $0.lexicographicallyPrecedes($1) }.map { k in
                        let v = vprResults[k]!
                        return [k[0], k[1], v[0], k[2], v[1], v[2], v[3], v[4]]
                    })
            ))
        files.append(
            (
                "identity.csv",
                csv(
                    ["pupil_id", "school_id", "class_id", "name", "birth_date", "key"],
                    identity.sorted { $0.pupilID < $1.pupilID }.map {
                        [$0.pupilID, $0.school, $0.classID, $0.name, $0.birthDate, $0.key]
                    })
            ))
        files.append(("import-log.json", importLog))
        return files
    }

    static func quoted(_ field: String) -> String {
        let needs =
            field.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" } || field.first == " "
            || field.last == " "
        return needs ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
    }

    /// The latest date of a mark or an absence; nil when there is none.
    public var latestDate: Day? {
        // ISO dates sort as the days do.
        let latest = max(
            marks.values.joined().map { $0[2] }.max() ?? "", attendance.values.joined().map { $0[1] }.max() ?? "")
        guard case .day(let d) = Day.parse(latest) else { return nil }
        return d
    }

    /// The manifest of the snapshot: district, school year, as-of date and periods.
    public static func manifest(district: String, startYear: Int, asOf: Day, periods: [Period]) -> String {
        func q(_ s: String) -> String {
            "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        var out = "# Written by mayak import.\nformat: 1\n"
        out += "district: \(q(district))\n"
        out += "school_year:\n  name: \(startYear)/\(startYear + 1)\n"
        out +=
            "  start: \(Day(year: startYear, month: 9, day: 1)!)\n  end: \(Day(year: startYear + 1, month: 8, day: 31)!)\n"
        out += "as_of: \(asOf)\nperiods:\n"
        for p in periods {
            let grades =
                p.grades.lowerBound == p.grades.upperBound
                ? "\(p.grades.lowerBound)" : "\(p.grades.lowerBound)-\(p.grades.upperBound)"
            out +=
                "  - { id: \(q(p.id)), name: \(q(p.name)), kind: \(p.kind.rawValue), grades: \(grades), start: \(p.start), end: \(p.end) }\n"
        }
        return out
    }
}
