import MayakSnapshot

/// What the rule language talks about. Entities are references into the snapshot.
public enum Entity: String, Sendable, CaseIterable {
    case pupil, `class`, school, subject, mark, absence, work, vpr
    case periodMark = "period_mark"
    case period, figures, alert
}

/// The static type of an expression. Every value may also be missing (`null`) at run time.
public indirect enum ValueType: Equatable, Sendable, CustomStringConvertible {
    case bool, int, number, string, date
    /// The type of the literal `null`, compatible with everything.
    case null
    case list(ValueType)
    case entity(Entity)

    public var description: String {
        switch self {
        case .bool: return "bool"
        case .int: return "int"
        case .number: return "number"
        case .string: return "text"
        case .date: return "date"
        case .null: return "null"
        case .list(let t): return "list of \(t)"
        case .entity(let e): return e.rawValue
        }
    }

    var isNumeric: Bool { self == .int || self == .number || self == .null }

    /// Whether a value of type `other` can stand where `self` is expected.
    func accepts(_ other: ValueType) -> Bool {
        if self == other || other == .null { return true }
        if self == .number && other == .int { return true }
        if case .list(let a) = self, case .list(let b) = other { return a.accepts(b) || b == .null }
        return false
    }
}

/// A value at run time.
public enum Value: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case number(Double)
    case string(String)
    case date(Int32)
    case list([Value])
    case pupil(Int32)
    case `class`(Int32)
    case school(Int32)
    /// A pupil's subject: the pupil and the subject's code.
    case subject(pupil: Int32, subject: Int32)
    case mark(Int32)
    case absence(Int32)
    /// A work of the pupil's class, seen from the pupil: the work and the pupil.
    case work(work: Int32, pupil: Int32)
    case vpr(Int32)
    case periodMark(Int32)
    case period(Int16)
    case figures(PeriodFigures)
    case alert(Int32)

    public var isNull: Bool { if case .null = self { return true } else { return false } }

    /// Numbers of either kind as a Double.
    @inlinable public var number: Double? {
        switch self {
        case .int(let v): return Double(v)
        case .number(let v): return v
        default: return nil
        }
    }

    public var bool: Bool { if case .bool(let b) = self { return b } else { return false } }
}

/// The fields of each entity, with their types.
public enum Field: String, Sendable, Hashable {
    // pupil
    case id, name, grade, `class`, school, subjects, marks, absences, works, vpr
    case periodMarks = "period_marks"
    case currentPeriod = "current_period"
    case previousPeriod = "previous_period"
    case lastFinishedPeriod = "last_finished_period"
    case alerts, teacher, pupil
    // mark, period mark
    case value, text, failing, date, weight, type, subject, absent
    // absence
    case lesson, code, excused, unexcused, late
    // work
    case title, kind
    case maxScore = "max_score"
    case status, score, mark, percent, missed
    // vpr
    case year
    case journalMark = "journal_mark"
    // class, school
    case letter, classes, municipality
    // period
    case start, end
    // figures
    case pupils, assessed, succeeding, quality
    case successRate = "success_rate"
    case qualityRate = "quality_rate"
    case sou
    // alert
    case rule, indicator, severity, period
}

/// Methods of entities (not list methods).
public enum Method: String, Sendable {
    case periodMark = "period_mark"
    case forecast, mean, lessons, figures, extra
    case periodBefore = "period_before"
}

enum Schema {
    static let fields: [Entity: [Field: ValueType]] = [
        .pupil: [
            .id: .string, .name: .string, .grade: .int, .class: .entity(.class), .school: .entity(.school),
            .subjects: .list(.entity(.subject)), .marks: .list(.entity(.mark)), .absences: .list(.entity(.absence)),
            .works: .list(.entity(.work)), .vpr: .list(.entity(.vpr)), .periodMarks: .list(.entity(.periodMark)),
            .currentPeriod: .entity(.period), .previousPeriod: .entity(.period), .lastFinishedPeriod: .entity(.period),
            .alerts: .list(.entity(.alert)),
        ],
        .subject: [
            .name: .string, .teacher: .string, .marks: .list(.entity(.mark)), .absences: .list(.entity(.absence)),
            .pupil: .entity(.pupil), .periodMarks: .list(.entity(.periodMark)),
        ],
        .mark: [
            .value: .number, .text: .string, .failing: .bool, .date: .date, .weight: .number, .type: .string,
            .subject: .string, .absent: .bool,
        ],
        .absence: [
            .date: .date, .lesson: .int, .subject: .string, .code: .string, .excused: .bool, .unexcused: .bool,
            .late: .bool,
        ],
        .work: [
            .id: .string, .title: .string, .kind: .string, .subject: .string, .date: .date, .maxScore: .number,
            .status: .string, .score: .number, .mark: .int, .percent: .number, .missed: .bool,
        ],
        .vpr: [
            .year: .int, .grade: .int, .subject: .string, .score: .number, .maxScore: .number, .percent: .number,
            .mark: .int, .journalMark: .int, .pupil: .entity(.pupil),
        ],
        .periodMark: [.period: .entity(.period), .subject: .string, .text: .string, .value: .number, .failing: .bool],
        .class: [
            .id: .string, .name: .string, .grade: .int, .letter: .string, .teacher: .string, .school: .entity(.school),
            .pupils: .list(.entity(.pupil)), .works: .list(.entity(.work)), .vpr: .list(.entity(.vpr)),
            .currentPeriod: .entity(.period), .previousPeriod: .entity(.period), .lastFinishedPeriod: .entity(.period),
        ],
        .school: [
            .id: .string, .name: .string, .municipality: .string, .classes: .list(.entity(.class)),
            .pupils: .list(.entity(.pupil)),
        ],
        .period: [.id: .string, .name: .string, .kind: .string, .start: .date, .end: .date],
        .figures: [
            .pupils: .int, .assessed: .int, .succeeding: .int, .quality: .int, .failing: .int,
            .successRate: .number, .qualityRate: .number, .sou: .number,
        ],
        .alert: [.rule: .string, .title: .string, .indicator: .string, .severity: .string],
    ]

    /// Methods: parameter types and result.
    static let methods: [Entity: [Method: (params: [ValueType], optional: Int, result: ValueType)]] = [
        .pupil: [
            .lessons: ([.entity(.period)], 0, .int), .extra: ([.string], 0, .string),
            .periodBefore: ([.entity(.period)], 0, .entity(.period)),
        ],
        .subject: [
            .periodMark: ([.entity(.period)], 0, .string), .forecast: ([.number, .int], 0, .string),
            .mean: ([.entity(.period)], 0, .number),
        ],
        .class: [
            .figures: ([.entity(.period)], 0, .entity(.figures)),
            .periodBefore: ([.entity(.period)], 0, .entity(.period)),
        ],
        .school: [.figures: ([], 0, .entity(.figures))],
    ]

    /// Entities that carry a date, so that time windows apply to lists of them.
    static let dated: Set<Entity> = [.mark, .absence, .work]
}
