import Foundation
import MayakFiles
import MayakSnapshot

extension SnapshotDraft {
    /// The tables' bytes, file by file, in the snapshot format (UTF-8, `,`, RFC 4180 quoting),
    /// rows in a stable order so that two imports of the same exports write the same bytes:
    /// by their fields' UTF-8 bytes, field by field.
    public func files(manifest: String, log importLog: String) -> [(name: String, bytes: [UInt8])] {
        func csv(_ header: [String], _ rows: [[String]]) -> [UInt8] {
            var out = CSVText()
            out.row(header)
            for r in rows { out.row(r) }
            return out.bytes
        }
        func sorted(_ rows: [[String]]) -> [[String]] { rows.sorted(by: SnapshotDraft.precedes) }
        let pupilIDs = pupils.keys.sorted()
        var files: [(String, [UInt8])] = [("manifest.yaml", Array(manifest.utf8))]
        files.append(("schools.csv", csv(["school_id", "name"], schools.keys.sorted().map { [$0, schools[$0]!] })))
        files.append(
            (
                "classes.csv",
                csv(
                    ["class_id", "school_id", "grade", "letter", "class_teacher"],
                    sorted(
                        classes.map { id, c in
                            [id, c.school, String(c.grade), c.letter, c.teacher]
                        })
                )
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
                    sorted(subjects.map { k, v in [k[0], k[1], v.teacher, v.hours] }))
            ))
        // Marks are kept by (pupil, subject), the first two fields of their rows: the groups
        // are sorted, then each group's rows by the rest (the ISO date sorts as the day does).
        var markText = CSVText()
        markText.row(["pupil_id", "subject", "date", "value", "work_type", "weight"])
        for key in marks.keys.sorted(by: { SnapshotDraft.precedes([$0.pupil, $0.subject], [$1.pupil, $1.subject]) }) {
            let rows = marks[key]!.sorted { a, b in
                a.day != b.day
                    ? a.day < b.day
                    : SnapshotDraft.precedes([a.value, a.workType, a.weight], [b.value, b.workType, b.weight])
            }
            for m in rows {
                markText.row([key.pupil, key.subject, m.day.description, m.value, m.workType, m.weight])
            }
        }
        files.append(("marks.csv", markText.bytes))
        files.append(
            (
                "attendance.csv",
                csv(
                    ["pupil_id", "date", "lesson", "subject", "code"],
                    sorted(
                        attendance.flatMap { key, rows in
                            rows.map { [key.pupil, $0.day.description, $0.lesson, key.subject, $0.code] }
                        }))
            ))
        files.append(
            (
                "period_marks.csv",
                csv(["pupil_id", "subject", "period", "value"], sorted(periodMarks.map { $0 + [$1] }))
            ))
        files.append(
            (
                "vpr_results.csv",
                csv(
                    ["pupil_id", "year", "grade", "subject", "score", "max_score", "mark", "journal_mark"],
                    sorted(vprResults.map { k, v in [k[0], k[1], v[0], k[2], v[1], v[2], v[3], v[4]] }))
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
        files.append(("import-log.json", Array(importLog.utf8)))
        return files
    }

    /// Rows in the tables' order: field by field, by the fields' UTF-8 bytes (the order of
    /// code points, without `String`'s Unicode normalisation of every Cyrillic field).
    static func precedes(_ a: [String], _ b: [String]) -> Bool {
        for (x, y) in zip(a, b) {
            var x = x
            var y = y
            let order = x.withUTF8 { xs in
                y.withUTF8 { ys in
                    let n = min(xs.count, ys.count)
                    let c = n == 0 ? 0 : memcmp(xs.baseAddress!, ys.baseAddress!, n)
                    return c != 0 ? Int(c) : xs.count - ys.count
                }
            }
            if order != 0 { return order < 0 }
        }
        return a.count < b.count
    }

    /// A table's text as bytes: fields quoted as RFC 4180 wants (a comma, quote or line break
    /// in it, or a space at either end that a reader would trim).
    struct CSVText {
        var bytes: [UInt8] = []

        mutating func row(_ fields: [String]) {
            for (i, field) in fields.enumerated() {
                if i > 0 { bytes.append(0x2C) }
                let utf8 = field.utf8
                let needs =
                    utf8.first == 0x20 || utf8.last == 0x20
                    || utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
                if needs {
                    bytes.append(0x22)
                    for b in utf8 {
                        if b == 0x22 { bytes.append(0x22) }
                        bytes.append(b)
                    }
                    bytes.append(0x22)
                } else {
                    bytes += utf8
                }
            }
            bytes.append(0x0A)
        }
    }

    /// The latest date of a mark or an absence; nil when there is none.
    public var latestDate: Day? {
        let latestMark = marks.values.lazy.compactMap { $0.map(\.day).max() }.max()
        let latestAbsence = attendance.values.lazy.compactMap { $0.map(\.day).max() }.max()
        return [latestMark, latestAbsence].compactMap { $0 }.max()
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
