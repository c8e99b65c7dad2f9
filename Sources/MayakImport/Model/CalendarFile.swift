import Foundation
import MayakFiles
import MayakSnapshot
import Yams

/// A school's own calendar (`--calendar FILE`), when its periods are not the preset's: YAML
/// with a list of periods written as the manifest writes them.
///
/// ```yaml
/// periods:
///   - { id: Q1, name: "I четверть", kind: quarter, grades: 1-9, start: 2025-09-01, end: 2025-10-24 }
///   - { id: Y, name: "Год", kind: year, grades: 1-11, start: 2025-09-01, end: 2026-05-26 }
/// ```
public enum CalendarFile {
    public static func load(_ path: String) throws(ImportError) -> [Period] {
        let bytes: [UInt8]
        switch InputFile.contents(of: path, atMost: 256 << 10) {
        case .success(let b): bytes = b
        case .failure(.absent):
            throw ImportError(path, ImportText.noSuchCalendarFile)
        case .failure(.refused(let why)): throw ImportError(path, ImportText.calendarRefused(why))
        case .failure(.tooLarge): throw ImportError(path, ImportText.calendarTooLarge)
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ImportError(path, ImportText.calendarNotUTF8)
        }
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch { throw ImportError(yaml: error, file: path) }
        guard case .mapping(let top)? = node, case .sequence(let items)? = top["periods"] else {
            throw ImportError(path, ImportText.calendarNoPeriods)
        }
        var periods: [Period] = []
        for item in items {
            let at = path + (item.mark.map { ":\($0.line)" } ?? "")
            guard case .mapping(let m) = item else {
                throw ImportError(at, ImportText.calendarPeriodShape)
            }
            func field(_ key: String) -> String? { m[key]?.string }
            guard let id = field("id"), !id.isEmpty else {
                throw ImportError(at, ImportText.calendarPeriodNoID)
            }
            guard let kind = field("kind").flatMap(Period.Kind.init(rawValue:)) else {
                throw ImportError(at, ImportText.calendarPeriodKind(id))
            }
            guard let start = field("start").flatMap(Day.init), let end = field("end").flatMap(Day.init), start <= end
            else { throw ImportError(at, ImportText.calendarPeriodDates(id)) }
            var grades = 1...11
            if let g = field("grades") {
                let bounds = g.split(separator: "-").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
                guard bounds.count == 1 || bounds.count == 2, bounds.allSatisfy({ (1...11).contains($0) }),
                    bounds.first! <= bounds.last!
                else { throw ImportError(at, ImportText.calendarPeriodGrades(id, found: g)) }
                grades = bounds.first!...bounds.last!
            }
            guard !periods.contains(where: { $0.id == id }) else {
                throw ImportError(at, ImportText.calendarPeriodTwice(id))
            }
            periods.append(
                Period(id: id, name: field("name") ?? id, kind: kind, grades: grades, start: start, end: end))
        }
        guard let first = periods.map(\.start).min(), let last = periods.map(\.end).max(),
            SchoolCalendar.startYear(of: first) == SchoolCalendar.startYear(of: last)
        else { throw ImportError(path, ImportText.calendarOneSchoolYear) }
        return periods
    }
}
