import Foundation
import MayakSnapshot
import Yams

/// The data of a rule's test cases, checked when the rule loads: keys, enumerated values
/// (with "did you mean"), and numbers within what a snapshot can hold. The engine builds the
/// cases' snapshots later (`TestFixture`); what it would refuse or misread is a positioned
/// error here, in the rule file, like any other mistake in it.
extension RuleFileReader {
    static let caseKeys = [
        "name", "as_of", "set", "pupils", "works", "alerts", "expect", "expect_none", "other_alerts", "snapshot",
    ]
    static let pupilKeys = [
        "id", "name", "grade", "class", "marks", "period_marks", "absences", "vpr", "subjects", "hours",
    ]
    static let absenceKeys = ["date", "from", "to", "code", "lessons", "subject"]
    static let vprKeys = ["year", "grade", "subject", "score", "max", "mark", "journal"]
    static let workKeys = ["id", "class", "kind", "subject", "date", "title", "max_score", "results"]
    static let expectKeys = [
        "pupil", "class", "school", "severity", "message_contains", "count", "measure", "worse_text_contains",
    ]
    static let injectedAlertKeys = ["indicator", "severity", "rule"]

    /// Grades of a school; lessons a day an absence may cover.
    static let grades = 1...11, lessonsADay = 1...12

    mutating func checkTestCase(_ node: Node) {
        guard let f = mapping(node, "a test case", keys: Self.caseKeys) else { return }
        if let n = f["as_of"]?.value { checkAsOf(n) }
        if let n = f["pupils"]?.value { forEach(n, "'pupils'") { $0.checkPupil($1) } }
        if let n = f["works"]?.value { forEach(n, "'works'") { $0.checkWork($1) } }
        if let n = f["alerts"]?.value { checkInjectedAlerts(n) }
        if let n = f["other_alerts"]?.value { enumerated(n, "other_alerts", ["allowed"]) }
        if let n = f["expect"]?.value {
            forEach(n, "'expect'") { reader, item in
                guard let e = reader.mapping(item, "an expectation", keys: Self.expectKeys) else { return }
                if let s = e["severity"]?.value { reader.enumerated(s, "severity", Severity.allCases.map(\.rawValue)) }
                if let c = e["count"]?.value { _ = reader.wholeNumber(c, "count", in: 0...1_000_000) }
                if let m = e["measure"]?.value { reader.measure(m) }
            }
        }
    }

    /// Other rules' alerts given to a case (`alerts: { P1: [attendance, { indicator:
    /// performance, severity: low }] }`): an indicator, or one with its severity and rule.
    mutating func checkInjectedAlerts(_ node: Node) {
        guard case .mapping(let byPupil) = node else {
            error(node, "expected 'alerts' as a mapping of pupil ids to lists of alerts")
            return
        }
        for (_, list) in byPupil {
            forEach(list, "a pupil's alerts") { reader, item in
                if case .scalar = item { return }
                guard let a = reader.mapping(item, "an injected alert", keys: Self.injectedAlertKeys) else { return }
                if a["indicator"] == nil { reader.error(item, "an injected alert needs an 'indicator'") }
                if let s = a["severity"]?.value { reader.enumerated(s, "severity", Severity.allCases.map(\.rawValue)) }
            }
        }
    }

    /// A test case's as-of date: its school year (September to August) must be one a snapshot
    /// can hold, 1900/1901 to 2199/2200.
    mutating func checkAsOf(_ n: Node) {
        guard let text = scalarText(n), let day = Day(text) else {
            error(n, "as_of '\(n.string ?? "")' is not a date; expected YYYY-MM-DD")
            return
        }
        let (y, m, _) = day.components
        let start = m >= 9 ? y : y - 1
        if Day(year: start, month: 9, day: 1) == nil || Day(year: start + 1, month: 8, day: 31) == nil {
            error(
                n,
                "as_of \(text) is in the school year \(start)/\(start + 1); a test's school year is 1900/1901 to 2199/2200"
            )
        }
    }

    mutating func checkPupil(_ node: Node) {
        guard let f = mapping(node, "a pupil", keys: Self.pupilKeys) else { return }
        if f["id"] == nil { error(node, "a pupil needs an 'id'") }
        if let g = f["grade"]?.value { _ = wholeNumber(g, "grade", in: Self.grades) }
        if let n = f["absences"]?.value {
            forEach(n, "'absences'") { reader, item in
                guard let a = reader.mapping(item, "an absence", keys: Self.absenceKeys) else { return }
                if let c = a["code"]?.value {
                    reader.enumerated(
                        c, "attendance code", AttendanceCode.allCases.map(\.description),
                        accepts: { AttendanceCode.parse(Substring($0)) != nil })
                }
                if let l = a["lessons"]?.value { _ = reader.wholeNumber(l, "lessons", in: Self.lessonsADay) }
                for key in ["date", "from", "to"] { if let d = a[key]?.value { reader.date(d, key) } }
            }
        }
        if let n = f["vpr"]?.value {
            forEach(n, "'vpr'") { reader, item in
                guard let v = reader.mapping(item, "a ВПР result", keys: Self.vprKeys) else { return }
                if let y = v["year"]?.value { _ = reader.wholeNumber(y, "year", in: 2015...2200) }
                if let g = v["grade"]?.value { _ = reader.wholeNumber(g, "grade", in: 4...11) }
                if let m = v["mark"]?.value { _ = reader.wholeNumber(m, "mark", in: 2...5) }
                if let j = v["journal"]?.value { _ = reader.wholeNumber(j, "journal", in: 1...5) }
                for key in ["score", "max"] { if let s = v[key]?.value { reader.score(s, key) } }
            }
        }
    }

    mutating func checkWork(_ node: Node) {
        guard let f = mapping(node, "a work", keys: Self.workKeys) else { return }
        if let k = f["kind"]?.value {
            enumerated(k, "work kind", WorkKind.allCases.map(\.rawValue), accepts: { WorkKind.parse($0) != nil })
        }
        if let d = f["date"]?.value { date(d, "date") }
        if let s = f["max_score"]?.value { score(s, "max_score") }
        if let r = f["results"]?.value, case .mapping(let results) = r {
            for (_, result) in results {
                guard let text = scalarText(result) else {
                    error(result, "expected a result like 'written 18', absent or excused")
                    continue
                }
                let status = String(text.split(separator: " ").first ?? "")
                enumerated(
                    result, "result", WorkStatus.allCases.map(\.rawValue), text: status,
                    accepts: { WorkStatus.parse($0) != nil })
            }
        }
    }

    // MARK: - Values

    func scalarText(_ n: Node) -> String? {
        guard case .scalar(let s) = n else { return nil }
        return s.string.trimmingCharacters(in: .whitespaces)
    }

    mutating func forEach(_ node: Node, _ what: String, _ body: (inout RuleFileReader, Node) -> Void) {
        guard case .sequence(let items) = node else {
            error(node, "expected \(what) as a list")
            return
        }
        for item in items { body(&self, item) }
    }

    /// A whole number within `range`, or an error at it.
    mutating func wholeNumber(_ n: Node, _ what: String, in range: ClosedRange<Int>) -> Int? {
        guard let text = scalarText(n), let v = Int(text), range.contains(v) else {
            error(n, "\(what) '\(n.string ?? "")': expected a whole number \(range.lowerBound)…\(range.upperBound)")
            return nil
        }
        return v
    }

    /// An expected `worse_when` measure: a finite number, compared in thousandths as the
    /// history keeps it.
    mutating func measure(_ n: Node) {
        guard let text = scalarText(n), let v = Double(text.replacingOccurrences(of: ",", with: ".")), v.isFinite,
            abs(v) < 1e12
        else {
            error(n, "measure '\(n.string ?? "")': expected a number")
            return
        }
    }

    /// A score: a finite number, 0…1000 as in the snapshot format.
    mutating func score(_ n: Node, _ what: String) {
        guard let text = scalarText(n), let v = Double(text.replacingOccurrences(of: ",", with: ".")), v.isFinite,
            (0...1000).contains(v)
        else {
            error(n, "\(what) '\(n.string ?? "")': expected a number 0…1000")
            return
        }
    }

    mutating func date(_ n: Node, _ what: String) {
        guard let text = scalarText(n), Day(text) != nil else {
            error(n, "\(what) '\(n.string ?? "")' is not a date; expected YYYY-MM-DD from 1900 to 2200")
            return
        }
    }

    /// One of `options` (or another spelling `accepts` takes); else an error with the closest.
    mutating func enumerated(
        _ n: Node, _ what: String, _ options: [String], text: String? = nil,
        accepts: ((String) -> Bool)? = nil
    ) {
        guard let value = text ?? scalarText(n) else {
            error(n, "expected a \(what): one of \(options.joined(separator: ", "))")
            return
        }
        if options.contains(value) || accepts?(value) == true { return }
        error(
            n, "unknown \(what) '\(value)'; expected one of \(options.joined(separator: ", "))",
            hint: Suggest.closest(value, in: options).map { "did you mean '\($0)'?" })
    }
}
