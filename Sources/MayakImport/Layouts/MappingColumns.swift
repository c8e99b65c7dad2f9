import Foundation

extension MappingLayout {
    /// A mapping's source resolved against one grid's header, once per grid: a row's value is
    /// then an array lookup, not a search of the header by normalised name.
    struct Resolved {
        enum Piece {
            case text(String)
            /// A column of the grid; nil when the header has none by that name (read as "").
            case column(Int?)
        }

        enum Kind {
            /// The mapping does not say.
            case absent
            case constant(String)
            /// nil: the header has no such column (the value is then absent).
            case column(Int?)
            case template([Piece])
        }

        let kind: Kind

        init(_ source: Mapping.Source?, columns: [String: Int], file: String) {
            switch source {
            case nil: kind = .absent
            case .constant(let v): kind = .constant(v)
            case .byFile(let pairs):
                let name = (file as NSString).lastPathComponent
                kind = pairs.first { name.contains($0.0) }.map { .constant($0.1) } ?? .absent
            case .column(let c): kind = .column(columns[MappingLayout.key(c)])
            case .template(let t):
                kind = .template(
                    MappingLayout.templateParts(t).map { part in
                        part.isName ? .column(columns[MappingLayout.key(part.text)]) : .text(part.text)
                    })
            }
        }

        /// The value in a row; nil when the mapping does not say or the column is absent.
        func value(_ row: [String]) -> String? {
            switch kind {
            case .absent, .column(nil): return nil
            case .constant(let v): return v
            case .column(let c?): return c < row.count ? row[c] : ""
            case .template(let pieces):
                var out = ""
                for p in pieces {
                    switch p {
                    case .text(let t): out += t
                    case .column(let c?): if c < row.count { out += row[c] }
                    case .column(nil): break
                    }
                }
                return out
            }
        }

        /// The column a message about this value points at, when it is one column.
        var column: Int? {
            if case .column(let c) = kind { return c }
            return nil
        }
    }

    /// Every source of the mapping resolved against one grid.
    struct Fields {
        let school, schoolName, className, grade, pupil, birthDate: Resolved
        let subject, date, mark, workType, weight: Resolved
        let key: [Resolved]
        let keep: [(name: String, source: Resolved)]
        /// Per wide group: its subject and work type.
        let wideSubject: [Resolved]
        let wideWorkType: [Resolved]

        init(_ m: Mapping, columns: [String: Int], file: String) {
            func r(_ s: Mapping.Source?) -> Resolved { Resolved(s, columns: columns, file: file) }
            school = r(m.school)
            schoolName = r(m.schoolName)
            className = r(m.className)
            grade = r(m.grade)
            pupil = r(m.pupil)
            birthDate = r(m.birthDate)
            subject = r(m.subject)
            date = r(m.date)
            mark = r(m.mark)
            workType = r(m.workType)
            weight = r(m.weight)
            key = m.key.map { r(.column($0)) }
            keep = m.keep.map { ($0, r(.column($0))) }
            wideSubject = m.wide.map { r($0.subject) }
            wideWorkType = m.wide.map { r($0.workType) }
        }
    }
}
