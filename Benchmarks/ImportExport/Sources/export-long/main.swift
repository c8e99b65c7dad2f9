// export-long SNAPSHOT OUT: a snapshot folder (as `mayak generate` writes it) as long tables of
// marks, the way a school keeps them in Excel: OUT/xlsx/<school>.xlsx, a sheet per class, and
// OUT/csv/<school>.csv, the same rows (`;`, UTF-8). Columns ФИО, Класс, Предмет, Дата,
// Отметка, Вид работы, Вес (mappings/generic-long.yaml); dates as spreadsheet dates under
// `dd.mm.yyyy` in the workbook, `DD.MM.YYYY` in the CSV; weights as numbers.
import CXLSXWriter
import Foundation

/// Just enough CSV for the generator's tables: `,`, RFC 4180 quotes, LF line ends.
func rows(_ path: String) -> [[String]] {
    guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
    var out: [[String]] = []
    var row: [String] = []
    var field: [UInt8] = []
    var quoted = false
    var previousQuote = false
    for b in data {
        if quoted {
            if b == UInt8(ascii: "\"") {
                quoted = false
                previousQuote = true
            } else {
                field.append(b)
            }
            continue
        }
        switch b {
        case UInt8(ascii: "\""):
            if previousQuote { field.append(b) }
            quoted = true
        case UInt8(ascii: ","):
            row.append(String(decoding: field, as: UTF8.self))
            field = []
        case UInt8(ascii: "\n"):
            row.append(String(decoding: field, as: UTF8.self))
            out.append(row)
            row = []
            field = []
        case UInt8(ascii: "\r"): break
        default: field.append(b)
        }
        previousQuote = false
    }
    if !field.isEmpty || !row.isEmpty {
        row.append(String(decoding: field, as: UTF8.self))
        out.append(row)
    }
    return out
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("export-long: \(message)\n".utf8))
    exit(1)
}

let arguments = CommandLine.arguments
guard arguments.count == 3 else { fail("usage: export-long SNAPSHOT OUT") }
let (snapshot, out) = (arguments[1], arguments[2])
for sub in ["xlsx", "csv"] {
    try FileManager.default.createDirectory(atPath: out + "/" + sub, withIntermediateDirectories: true)
}

var classOf: [String: (school: String, label: String)] = [:]
var schoolOrder: [String] = []
for r in rows(snapshot + "/schools.csv").dropFirst() { schoolOrder.append(r[0]) }
var classesOfSchool: [String: [String]] = [:]
for r in rows(snapshot + "/classes.csv").dropFirst() {
    classOf[r[0]] = (r[1], r[2] + r[3])
    classesOfSchool[r[1], default: []].append(r[0])
}
var pupil: [String: (name: String, classID: String)] = [:]
for r in rows(snapshot + "/pupils.csv").dropFirst() { pupil[r[0]] = (r[2], r[1]) }
// Marks by class, in file order (pupil by pupil).
var marksOfClass: [String: [[String]]] = [:]
var total = 0
for r in rows(snapshot + "/marks.csv").dropFirst() {
    guard let p = pupil[r[0]] else { fail("marks.csv: no pupil \(r[0])") }
    marksOfClass[p.classID, default: []].append(r)
    total += 1
}

let header = ["ФИО", "Класс", "Предмет", "Дата", "Отметка", "Вид работы", "Вес"]

func check(_ result: lxw_error, _ what: String) {
    if result != LXW_NO_ERROR { fail("libxlsxwriter cannot write \(what): \(String(cString: lxw_strerror(result)))") }
}

for school in schoolOrder {
    let path = "\(out)/xlsx/\(school).xlsx"
    guard let workbook = workbook_new(path) else { fail("libxlsxwriter cannot create \(path)") }
    let dateFormat = workbook_add_format(workbook)
    format_set_num_format(dateFormat, "dd.mm.yyyy")
    var csv = header.joined(separator: ";") + "\n"
    for classID in classesOfSchool[school] ?? [] {
        let label = classOf[classID]!.label
        guard let sheet = workbook_add_worksheet(workbook, label) else { fail("a sheet named \(label)") }
        for (c, h) in header.enumerated() { check(worksheet_write_string(sheet, 0, lxw_col_t(c), h, nil), "a header") }
        for (i, m) in (marksOfClass[classID] ?? []).enumerated() {
            let row = lxw_row_t(i + 1)
            let name = pupil[m[0]]!.name
            let parts = m[2].split(separator: "-").compactMap { Int32($0) }
            guard parts.count == 3 else { fail("marks.csv: a date \(m[2])") }
            let weight = Double(m[5].replacingOccurrences(of: ",", with: ".")) ?? 1
            check(worksheet_write_string(sheet, row, 0, name, nil), "a name")
            check(worksheet_write_string(sheet, row, 1, label, nil), "a class")
            check(worksheet_write_string(sheet, row, 2, m[1], nil), "a subject")
            var when = lxw_datetime(year: parts[0], month: parts[1], day: parts[2], hour: 0, min: 0, sec: 0)
            check(worksheet_write_datetime(sheet, row, 3, &when, dateFormat), "a date")
            check(worksheet_write_string(sheet, row, 4, m[3], nil), "a mark")
            check(worksheet_write_string(sheet, row, 5, m[4], nil), "a work type")
            check(worksheet_write_number(sheet, row, 6, weight, nil), "a weight")
            let russianDate = "\(m[2].suffix(2)).\(m[2].dropFirst(5).prefix(2)).\(m[2].prefix(4))"
            csv += [name, label, m[1], russianDate, m[3], m[4], m[5]].joined(separator: ";") + "\n"
        }
    }
    let result = workbook_close(workbook)
    if result != LXW_NO_ERROR { fail("libxlsxwriter: \(String(cString: lxw_strerror(result)))") }
    try Data(csv.utf8).write(to: URL(fileURLWithPath: "\(out)/csv/\(school).csv"))
}
print("export-long: \(schoolOrder.count) schools, \(classOf.count) classes, \(total) marks → \(out)/xlsx, \(out)/csv")
