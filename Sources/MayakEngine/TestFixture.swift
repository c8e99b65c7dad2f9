import Foundation
import MayakRules
import MayakSnapshot
import Yams

public typealias YAMLNode = Yams.Node

/// Builds a small snapshot from a rule test's YAML, so a rule's cases read like the situation
/// they describe:
///
/// ```yaml
/// as_of: 2026-03-13            # optional; the standard calendar of its school year
/// pupils:
///   - id: P1
///     grade: 7                 # class 7А unless `class:` says otherwise
///     marks:
///       Алгебра: [2, "3:2", "2@2026-03-02", "5#контрольная работа"]   # value[:weight][@date][#work type]
///     period_marks: { Алгебра: { Q2: 3 } }
///     absences:
///       - { date: 2026-03-10, code: Н, lessons: 2, subject: Алгебра }
///       - { from: 2026-02-24, to: 2026-03-06, code: Б }             # every weekday, `lessons` a day (6)
///     vpr:
///       - { year: 2024, grade: 5, subject: Математика, score: 15, max: 20 }
/// works:
///   - { id: W1, class: 7А, kind: diagnostic, subject: Алгебра, date: 2026-02-10,
///       results: { P1: absent, P2: "written 18" } }
/// ```
///
/// Marks without a date are spread over the last days before the as-of date, two days apart.
/// Every subject named gets 3 hours a week in the pupil's class, unless `hours:` says otherwise
/// (`hours: { Алгебра: 5 }`, which also names the subject).
public struct TestFixture {
    public struct Problem: Error {
        public var message: String
        public var line: Int
        public var column: Int
        public init(message: String, line: Int, column: Int = 0) {
            self.message = message
            self.line = line
            self.column = column
        }
    }

    static func scalar(_ n: YAMLNode?) -> String? {
        guard let n, case .scalar(let s) = n else { return nil }
        return s.string
    }

    static func fail(_ n: YAMLNode?, _ message: String) -> Problem {
        Problem(message: message, line: n?.mark?.line ?? 0, column: n?.mark?.column ?? 0)
    }

    /// A whole number within `range` (`fallback` when the node is absent). The rule loader
    /// checks a rule file's cases the same way; this keeps a fixture built otherwise safe.
    static func integer(_ n: YAMLNode?, _ what: String, in range: ClosedRange<Int>, default fallback: Int) throws -> Int
    {
        guard let n else { return fallback }
        guard let v = Int(scalar(n) ?? ""), range.contains(v) else {
            throw fail(
                n, "\(what) '\(scalar(n) ?? "")': expected a whole number \(range.lowerBound)…\(range.upperBound)")
        }
        return v
    }

    public static func build(_ node: YAMLNode, asOf defaultAsOf: Day = Day(year: 2026, month: 3, day: 13)!) throws
        -> Snapshot
    {
        var asOf = defaultAsOf
        if let t = scalar(node["as_of"]) {
            guard let d = Day(t) else { throw fail(node["as_of"], "as_of '\(t)' is not a date") }
            asOf = d
        }
        // The standard calendar runs from September to August: both ends must be days.
        let (y, m, _) = asOf.components
        let start = m >= 9 ? y : y - 1
        guard Day(year: start, month: 9, day: 1) != nil, Day(year: start + 1, month: 8, day: 31) != nil else {
            throw fail(
                node["as_of"],
                "as_of \(asOf) is in the school year \(start)/\(start + 1); a test's school year is 1900/1901 to 2199/2200"
            )
        }
        let calendar = StandardCalendar(containing: asOf)
        var s = Snapshot(manifest: calendar.manifest(district: "Тестовый округ", asOf: asOf))
        s.schools.id = ["S1"]
        s.schools.name = ["Тестовая школа"]
        s.schools.municipality = [""]
        var classIndex: [String: Int32] = [:]
        /// Where each class's subject is in `classSubjects`, by class << 32 | subject.
        var taught: [Int64: Int] = [:]
        func klass(_ name: String, grade: Int) -> Int32 {
            if let c = classIndex[name] { return c }
            let c = Int32(s.classes.count)
            s.classes.id.append(name)
            s.classes.school.append(0)
            s.classes.grade.append(UInt8(grade))
            s.classes.letter.append(String(name.drop(while: { $0.isNumber })))
            s.classes.classTeacher.append("Классный руководитель \(name)")
            classIndex[name] = c
            return c
        }
        func teach(_ c: Int32, _ subject: String) -> Int32 {
            let code = s.subjects.intern(subject)
            if taught[Int64(c) << 32 | Int64(code)] == nil {
                taught[Int64(c) << 32 | Int64(code)] = s.classSubjects.classIndex.count
                s.classSubjects.classIndex.append(c)
                s.classSubjects.subject.append(code)
                s.classSubjects.teacher.append("Учитель: \(subject)")
                s.classSubjects.hoursPerWeek.append(3)
            }
            return code
        }
        guard case .sequence(let pupils)? = node["pupils"] else {
            throw fail(node, "a test case needs 'pupils': a list")
        }
        var pupilIndex: [String: Int32] = [:]
        for p in pupils {
            guard let id = scalar(p["id"]) else { throw fail(p, "a pupil needs an 'id'") }
            let grade = try integer(p["grade"], "grade", in: 1...11, default: 7)
            let c = klass(scalar(p["class"]) ?? "\(grade)А", grade: grade)
            let pi = Int32(s.pupils.count)
            pupilIndex[id] = pi
            s.pupils.id.append(id)
            s.pupils.classIndex.append(c)
            s.pupils.fullName.append(scalar(p["name"]) ?? "Ученик \(id)")
            if case .sequence(let subjects)? = p["subjects"] {
                for n in subjects { if let name = scalar(n) { _ = teach(c, name) } }
            }
            if case .mapping(let hours)? = p["hours"] {
                for (subjectNode, h) in hours {
                    guard let subject = scalar(subjectNode) else { continue }
                    let code = teach(c, subject)
                    let perWeek = try integer(h, "hours of \(subject)", in: 1...40, default: 3)
                    s.classSubjects.hoursPerWeek[taught[Int64(c) << 32 | Int64(code)]!] = Float(perWeek)
                }
            }
            if case .mapping(let marks)? = p["marks"] {
                for (subjectNode, list) in marks {
                    guard let subject = scalar(subjectNode) else { continue }
                    let code = teach(c, subject)
                    guard case .sequence(let items) = list else {
                        throw fail(list, "marks of \(subject): expected a list like [2, 3, \"4:2\"]")
                    }
                    for (k, item) in items.enumerated() {
                        guard let text = scalar(item) else { continue }
                        let (value, weight, day, type) = try mark(
                            text, item, default: asOf + (-2 * (items.count - 1 - k)))
                        guard let offset = MarkTable.dayOffset(day.number) else {
                            throw fail(item, "mark dated \(day): expected a date from 1900 to 2079")
                        }
                        guard let subjectCode = UInt16(exactly: code),
                            let typeCode = UInt16(exactly: s.workTypes.intern(type))
                        else {
                            throw fail(item, "more subjects or work types than marks can number (65,536)")
                        }
                        s.marks.pupil.append(pi)
                        s.marks.subject.append(subjectCode)
                        s.marks.day.append(offset)
                        s.marks.value.append(value.raw)
                        s.marks.workType.append(typeCode)
                        guard s.marks.weight.append(weight) else {
                            throw fail(item, "more than 256 different weights of marks")
                        }
                    }
                }
            }
            if case .mapping(let pm)? = p["period_marks"] {
                for (subjectNode, periods) in pm {
                    guard let subject = scalar(subjectNode), case .mapping(let byPeriod) = periods else { continue }
                    let code = teach(c, subject)
                    for (periodNode, valueNode) in byPeriod {
                        guard let pid = scalar(periodNode),
                            let index = s.manifest.periods.firstIndex(where: { $0.id == pid })
                        else {
                            throw fail(periodNode, "unknown period '\(scalar(periodNode) ?? "")'")
                        }
                        guard case .success(let v) = MarkValue.parse(scalar(valueNode) ?? "") else {
                            throw fail(valueNode, "not a mark")
                        }
                        s.periodMarks.pupil.append(pi)
                        s.periodMarks.subject.append(code)
                        s.periodMarks.period.append(UInt8(index))
                        s.periodMarks.value.append(v.raw)
                    }
                }
            }
            if case .sequence(let absences)? = p["absences"] {
                for a in absences {
                    guard let code = AttendanceCode.parse(Substring(scalar(a["code"]) ?? "Н")) else {
                        throw fail(a, "unknown attendance code")
                    }
                    let lessons = try integer(
                        a["lessons"], "lessons", in: 1...12,
                        default: scalar(a["date"]) != nil && scalar(a["subject"]) != nil ? 1 : 6)
                    let subject = scalar(a["subject"]).map { teach(c, $0) } ?? -1
                    var days: [Day] = []
                    if let d = scalar(a["date"]).flatMap(Day.init) {
                        days = [d]
                    } else if let from = scalar(a["from"]).flatMap(Day.init), let to = scalar(a["to"]).flatMap(Day.init)
                    {
                        var d = from
                        while d <= to {
                            if d.weekday <= 5 { days.append(d) }
                            d = d + 1
                        }
                    } else {
                        throw fail(a, "an absence needs 'date' or 'from' and 'to'")
                    }
                    for d in days {
                        for lesson in 1...max(1, lessons) {
                            s.attendance.pupil.append(pi)
                            s.attendance.day.append(d.number)
                            s.attendance.lesson.append(Int8(lesson))
                            s.attendance.subject.append(subject)
                            s.attendance.code.append(code.rawValue)
                        }
                    }
                }
            }
            if case .sequence(let vpr)? = p["vpr"] {
                for v in vpr {
                    guard v["year"] != nil, let subject = scalar(v["subject"]),
                        let score = Float(scalar(v["score"]) ?? ""), let max = Float(scalar(v["max"]) ?? ""),
                        score.isFinite, max.isFinite, max > 0
                    else {
                        throw fail(v, "a ВПР result needs year, subject, score and max (a number above 0)")
                    }
                    let year = try integer(v["year"], "year", in: 2015...2200, default: 0)
                    let share = score / max
                    let mark = try integer(
                        v["mark"], "mark", in: 2...5,
                        default: share >= 0.8 ? 5 : share >= 0.55 ? 4 : share >= 0.3 ? 3 : 2)
                    let vprGrade = try integer(
                        v["grade"], "grade", in: 4...11, default: grade - (s.manifest.schoolYear.springYear - year))
                    guard (4...11).contains(vprGrade) else {
                        throw fail(
                            v,
                            "a ВПР result of \(year) for a pupil of grade \(grade) would be of grade \(vprGrade); give its 'grade' (4…11)"
                        )
                    }
                    let journal = try integer(v["journal"], "journal", in: 1...5, default: 0)
                    s.vprResults.pupilID.append(id)
                    s.vprResults.pupilIndex.append(pi)
                    s.vprResults.year.append(Int16(year))
                    s.vprResults.grade.append(UInt8(vprGrade))
                    s.vprResults.subject.append(s.subjects.intern(subject))
                    s.vprResults.score.append(score)
                    s.vprResults.maxScore.append(max)
                    s.vprResults.mark.append(UInt8(mark))
                    s.vprResults.journalMark.append(UInt8(journal))
                }
            }
        }
        if case .sequence(let works)? = node["works"] {
            for w in works {
                guard let cls = scalar(w["class"]), let c = classIndex[cls] else {
                    throw fail(w, "a work needs the 'class' of a pupil in the test")
                }
                guard let subject = scalar(w["subject"]), let day = scalar(w["date"]).flatMap(Day.init) else {
                    throw fail(w, "a work needs 'subject' and 'date'")
                }
                guard let kind = WorkKind.parse(scalar(w["kind"]) ?? "diagnostic") else {
                    throw fail(w, "unknown work kind")
                }
                let wi = Int32(s.works.count)
                s.works.id.append(scalar(w["id"]) ?? "W\(wi + 1)")
                s.works.classIndex.append(c)
                s.works.subject.append(teach(c, subject))
                s.works.day.append(day.number)
                s.works.kind.append(kind)
                s.works.title.append(scalar(w["title"]) ?? "\(kind.russian): \(subject)")
                s.works.maxScore.append(Float(scalar(w["max_score"]) ?? "") ?? 20)
                if case .mapping(let results)? = w["results"] {
                    for (pupilNode, resultNode) in results {
                        guard let pid = scalar(pupilNode), let pi = pupilIndex[pid] else {
                            throw fail(pupilNode, "unknown pupil in results")
                        }
                        let parts = (scalar(resultNode) ?? "").split(separator: " ")
                        guard let status = WorkStatus.parse(String(parts.first ?? "")) else {
                            throw fail(resultNode, "expected written, absent or excused")
                        }
                        let score = parts.count > 1 ? Float(parts[1]) ?? -1 : -1
                        s.workResults.work.append(wi)
                        s.workResults.pupil.append(pi)
                        s.workResults.status.append(status)
                        s.workResults.score.append(score)
                        s.workResults.mark.append(0)
                    }
                }
            }
        }
        return s
    }

    /// `value[:weight][@date][#work type]`
    static func mark(_ text: String, _ node: YAMLNode, default day: Day) throws -> (MarkValue, UInt16, Day, String) {
        var rest = Substring(text)
        var type = "ответ на уроке"
        if let hash = rest.firstIndex(of: "#") {
            type = String(rest[rest.index(after: hash)...])
            rest = rest[..<hash]
        }
        var date = day
        if let at = rest.firstIndex(of: "@") {
            guard let d = Day(String(rest[rest.index(after: at)...])) else { throw fail(node, "bad date in '\(text)'") }
            date = d
            rest = rest[..<at]
        }
        var weight = UInt16(WeightColumn.unit)
        if let colon = rest.firstIndex(of: ":"), !rest.hasPrefix("н/") {
            // As the snapshot format's (marks.csv): 0,1…10, at most two decimal places.
            guard let w = WeightColumn.hundredths(parsing: String(rest[rest.index(after: colon)...])) else {
                throw fail(node, "bad weight in '\(text)': expected a number 0,1…10 with at most two decimal places")
            }
            weight = w
            rest = rest[..<colon]
        }
        guard case .success(let v) = MarkValue.parse(String(rest)) else { throw fail(node, "'\(rest)' is not a mark") }
        return (v, weight, date, type)
    }
}
