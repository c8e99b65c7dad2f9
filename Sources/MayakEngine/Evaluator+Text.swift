import Foundation
import MayakSnapshot

/// How values read in messages, plans and evidence.
extension Evaluator {
    /// The most decimal places a number is shown or rounded to (a Double holds about 15).
    public static let maxDigits = 15

    /// Numbers as Russian text writes them (see `Russian`): a decimal comma, at most `digits`
    /// decimals with trailing zeros dropped, thousands set off by a narrow no-break space,
    /// a real minus sign: «2,68», «1 351», «−0,51».
    public static func format(_ v: Double, digits: Int = 2) -> String {
        if v.isNaN { return "—" }
        let places = min(max(0, digits), maxDigits)
        let scale = pow(10, Double(places))
        let scaled = (v * scale).rounded()
        let rounded = scaled / scale
        if rounded == rounded.rounded() && abs(rounded) < 1e15 { return Russian.number(Int(rounded)) }
        // `scaled` is an integer: its digits with a comma `places` from the right are what
        // printf's "%.*f" of `rounded` prints, as long as the integer is exact in a Double.
        guard places <= 15, abs(scaled) < 0x1p53 else { return printfFormat(rounded, places) }
        var n = UInt64(abs(scaled))
        var fraction = places
        while fraction > 0 && n % 10 == 0 {
            n /= 10
            fraction -= 1
        }
        var digits = Array(String(n).utf8)
        if digits.count <= fraction {
            digits.insert(contentsOf: repeatElement(UInt8(ascii: "0"), count: fraction - digits.count + 1), at: 0)
        }
        let whole = digits.count - fraction
        var out = Russian.grouped(String(decoding: digits[..<whole], as: UTF8.self), negative: v < 0)
        out += ","
        out += String(decoding: digits[(digits.count - fraction)...], as: UTF8.self)
        return out
    }

    /// The same through printf, for what does not fit the integer path (huge or infinite values).
    static func printfFormat(_ rounded: Double, _ places: Int) -> String {
        var text = String(format: "%.\(places)f", rounded)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        let negative = text.hasPrefix("-")
        let parts = text.dropFirst(negative ? 1 : 0).split(separator: ".", omittingEmptySubsequences: false)
        let whole = Russian.grouped(parts[0], negative: negative)
        return parts.count > 1 ? whole + "," + parts[1] : whole
    }

    /// A measured quantity with its noun: a whole value as `Russian.counted`; a fraction takes
    /// the genitive singular (the «few» form: «2,5 двойки», «0,5 урока»).
    public static func counted(_ v: Double, _ one: String, _ few: String, _ many: String) -> String {
        if v.isFinite, v == v.rounded(), Swift.abs(v) < 1e15 { return Russian.counted(Int(v), one, few, many) }
        return format(v) + " " + few
    }

    /// A value as text in a message: numbers with a comma, dates as ДД.ММ.ГГГГ, lists joined
    /// with commas, records by their name, missing values as «—».
    public func text(_ v: Value) -> String {
        switch v {
        case .null: return "—"
        case .bool(let b): return b ? "да" : "нет"
        case .int(let i): return Russian.number(i)
        case .number(let d): return Evaluator.format(d)
        case .string(let t): return t
        case .date(let d): return Day(number: d).russian
        case .list(let items): return items.map { text($0) }.joined(separator: ", ")
        case .pupil(let p): return s.pupils.fullName[Int(p)]
        case .class(let c): return s.classes.displayName(Int(c))
        case .school(let sc): return s.schools.name[Int(sc)]
        case .subject(_, let subj): return s.subjects[subj]
        case .mark(let i): return MarkValue(raw: s.marks.value[Int(i)]).description
        case .absence(let i):
            return
                "\(Day(number: s.attendance.day[Int(i)]).russian) \(AttendanceCode(rawValue: s.attendance.code[Int(i)])?.description ?? "")"
        case .work(let w, _): return "«\(s.works.title[Int(w)])» (\(Day(number: s.works.day[Int(w)]).russian))"
        case .vpr(let i): return "ВПР \(s.subjects[s.vprResults.subject[Int(i)]]) \(s.vprResults.year[Int(i)])"
        case .periodMark(let i): return MarkValue(raw: s.periodMarks.value[Int(i)]).description
        case .period(let p): return s.manifest.periods[Int(p)].name
        case .figures(let f):
            return
                "успеваемость \(f.successRate.map { Evaluator.format($0, digits: 1) } ?? "—") %, качество \(f.qualityRate.map { Evaluator.format($0, digits: 1) } ?? "—") %"
        case .alert(let i): return alertTable[Int(i)].rule
        }
    }

    /// A value as evidence: records become objects with the facts a deputy head checks.
    public func describe(_ v: Value) -> EvidenceValue {
        switch v {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .number(Double(i))
        case .number(let d): return .number((d * 1000).rounded() / 1000)
        case .string(let t): return .string(t)
        case .date(let d): return .string(Day(number: d).description)
        case .list(let items): return .list(items.map { describe($0) })
        case .mark(let i):
            let m = Int(i)
            return .mark(
                MarkEvidence(
                    subject: s.subjects[s.marks.subject[m]], workType: s.workTypes[s.marks.workType[m]],
                    day: Day(number: s.marks.date(m)), weight: s.marks.weight.value(m),
                    value: MarkValue(raw: s.marks.value[m])))
        case .absence(let i):
            let a = Int(i)
            let subject = s.attendance.subject[a]
            return .absence(
                AbsenceEvidence(
                    subject: subject >= 0 ? s.subjects[subject] : nil,
                    code: AttendanceCode(rawValue: s.attendance.code[a])?.description ?? "",
                    day: Day(number: s.attendance.day[a]), lesson: Int16(s.attendance.lesson[a])))
        case .work(let w, let p):
            let i = Int(w)
            var fields: [(String, EvidenceValue)] = [
                ("work_id", .string(s.works.id[i])), ("title", .string(s.works.title[i])),
                ("kind", .string(s.works.kind[i].rawValue)), ("subject", .string(s.subjects[s.works.subject[i]])),
                ("date", .string(Day(number: s.works.day[i]).description)),
            ]
            if p >= 0 {
                let (status, row) = workStatus(i, p)
                fields.append(("status", .string(status)))
                if let r = row.map(Int.init) {
                    if s.workResults.score[r] >= 0 { fields.append(("score", .number(Double(s.workResults.score[r])))) }
                    if s.workResults.mark[r] > 0 { fields.append(("mark", .number(Double(s.workResults.mark[r])))) }
                }
            }
            return .object(fields)
        case .vpr(let i):
            let r = Int(i)
            let t = s.vprResults
            return .object([
                ("year", .number(Double(t.year[r]))), ("grade", .number(Double(t.grade[r]))),
                ("subject", .string(s.subjects[t.subject[r]])),
                ("score", .number(Double(t.score[r]))), ("max_score", .number(Double(t.maxScore[r]))),
                ("percent", .number((1000 * Double(t.score[r]) / Double(t.maxScore[r])).rounded() / 10)),
                ("mark", .number(Double(t.mark[r]))),
                ("journal_mark", t.journalMark[r] > 0 ? .number(Double(t.journalMark[r])) : .null),
            ])
        case .periodMark(let i):
            let r = Int(i)
            return .object([
                ("subject", .string(s.subjects[s.periodMarks.subject[r]])),
                ("period", .string(s.manifest.periods[Int(s.periodMarks.period[r])].id)),
                ("value", .string(MarkValue(raw: s.periodMarks.value[r]).description)),
            ])
        case .figures(let f):
            return .object([
                ("pupils", .number(Double(f.pupils))), ("assessed", .number(Double(f.assessed))),
                ("failing", .number(Double(f.failing))),
                ("success_rate", f.successRate.map { .number(($0 * 10).rounded() / 10) } ?? .null),
                ("quality_rate", f.qualityRate.map { .number(($0 * 10).rounded() / 10) } ?? .null),
                ("sou", f.degreeOfLearning.map { .number(($0 * 10).rounded() / 10) } ?? .null),
            ])
        case .pupil(let p): return .object([("pupil_id", .string(s.pupils.id[Int(p)]))])
        case .class(let c):
            return .object([
                ("class_id", .string(s.classes.id[Int(c)])), ("name", .string(s.classes.displayName(Int(c)))),
            ])
        case .school(let sc):
            return .object([("school_id", .string(s.schools.id[Int(sc)])), ("name", .string(s.schools.name[Int(sc)]))])
        case .subject(_, let subj): return .string(s.subjects[subj])
        case .period(let p): return .string(s.manifest.periods[Int(p)].id)
        case .alert(let i): return .string(alertTable[Int(i)].rule)
        }
    }
}
