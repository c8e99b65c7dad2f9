import Foundation
import MayakSnapshot

/// How serious an alert is. Ordered: info < low < medium < high < critical.
public enum Severity: String, Sendable, CaseIterable, Comparable, Codable {
    case info, low, medium, high, critical

    public var rank: Int { Severity.allCases.firstIndex(of: self)! }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }

    public var russian: String {
        switch self {
        case .info: return "к сведению"
        case .low: return "низкая"
        case .medium: return "средняя"
        case .high: return "высокая"
        case .critical: return "критическая"
        }
    }
}

public enum RuleStatus: String, Sendable, CaseIterable { case experimental, stable, deprecated }

/// What a rule looks at: each pupil, each class, or each school.
public enum RuleScope: String, Sendable, CaseIterable { case pupil, `class`, school }

/// The early-warning indicator families a rule's `indicator:` names. Rules that count a
/// pupil's indicators count distinct families, so a misspelt one would count apart.
public enum Indicator: String, Sendable, CaseIterable { case attendance, performance, assessment }

/// An expression with the text it came from.
public struct SourcedExpr: Sendable {
    public var expr: Expr
    public var source: ExpressionSource
    public init(expr: Expr, source: ExpressionSource) {
        self.expr = expr
        self.source = source
    }
}

/// A named expression: a `let` binding or an evidence item.
public struct Binding: Sendable {
    public var name: String
    public var value: SourcedExpr
    /// Where the name is written.
    public var line: Int, column: Int
}

/// A tunable parameter and its default.
public struct ParameterDecl: Sendable {
    public enum Kind: String, Sendable, CaseIterable { case int, number, bool, string }
    public enum Value: Sendable, Equatable, CustomStringConvertible {
        case int(Int)
        case number(Double)
        case bool(Bool)
        case string(String)
        public var description: String {
            switch self {
            case .int(let v): return String(v)
            case .number(let v): return String(v)
            case .bool(let v): return String(v)
            case .string(let v): return v
            }
        }
    }
    public var name: String
    public var kind: Kind
    public var defaultValue: Value
    public var description: String
    public var line: Int, column: Int
    /// The values a number parameter may take (`min:`, `max:`), inclusive; nil: unbounded.
    public var minimum: Double?, maximum: Double?

    public init(
        name: String, kind: Kind, defaultValue: Value, description: String, line: Int, column: Int,
        minimum: Double? = nil, maximum: Double? = nil
    ) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.description = description
        self.line = line
        self.column = column
        self.minimum = minimum
        self.maximum = maximum
    }

    /// Reads a value of this parameter's kind from text (overrides, `--set`). A number is
    /// finite: `nan` and `inf` are not values a threshold can take.
    public func value(from text: String) -> Value? {
        let t = text.trimmingCharacters(in: [" "])
        switch kind {
        case .int: return Int(t).map { .int($0) }
        case .number:
            guard let d = Double(t.replacingOccurrences(of: ",", with: ".")), d.isFinite else { return nil }
            return .number(d)
        case .bool: return ["true": true, "false": false, "да": true, "нет": false][t.lowercased()].map { .bool($0) }
        case .string: return .string(t)
        }
    }

    /// Whether `value` is within the declared range.
    public func inRange(_ value: Value) -> Bool {
        let v: Double
        switch value {
        case .int(let i): v = Double(i)
        case .number(let d): v = d
        default: return true
        }
        return v >= (minimum ?? -.infinity) && v <= (maximum ?? .infinity)
    }

    /// The declared range as a diagnostic says it: `1…365`, `at least 0`, `at most 100`.
    public var rangeText: String {
        func show(_ d: Double) -> String { Int(exactly: d).map(String.init) ?? String(d) }
        switch (minimum, maximum) {
        case (let lo?, let hi?): return "\(show(lo))…\(show(hi))"
        case (let lo?, nil): return "at least \(show(lo))"
        case (nil, let hi?): return "at most \(show(hi))"
        default: return "any value"
        }
    }
}

/// One suggested step of an individual plan.
public struct PlanItemDecl: Sendable {
    public var action: Template
    /// Who does it: «классный руководитель», «учитель-предметник», «заместитель директора по УВР», «педагог-психолог» …
    public var role: String
    /// Days from the as-of date to the deadline.
    public var dueDays: Int
    /// How progress is checked.
    public var check: Template
    /// 1 is most urgent.
    public var priority: Int
}

/// A test case kept in the rule file; the engine reads its data.
public struct RuleTestDecl: @unchecked Sendable {
    public var name: String
    public var line: Int
    /// The raw YAML of the case: its snapshot and expectations.
    public var node: AnyObject
    public var file: String
}

/// A rule as written in its YAML file, parsed but not yet checked against the schema.
public struct RuleDefinition: Sendable {
    public var file: String
    public var id: String
    public var line: Int
    public var title: String
    public var description: String
    public var severity: Severity
    public var status: RuleStatus
    public var scope: RuleScope
    /// The early-warning indicator family: attendance, performance, assessment … Rules that
    /// count indicators (two or more for one pupil) count distinct families.
    public var indicator: String?
    public var params: [ParameterDecl]
    /// Evaluate once per element (`s in pupil.subjects`): one alert per element that fires.
    public var each: (variable: String, list: SourcedExpr)?
    public var lets: [Binding]
    public var when: SourcedExpr
    /// What makes two alerts of the rule on the same subject different (default: nothing).
    public var key: SourcedExpr?
    /// Raises the severity when a condition holds (the last that holds wins).
    public var escalations: [(severity: Severity, when: SourcedExpr)]
    public var message: Template
    public var evidence: [Binding]
    /// What "worse" means for an alert of the rule: a dismissed alert comes back when its
    /// severity rises or this measure grows (nil: only the severity counts).
    public var worse: WorseDecl?
    public var plan: [PlanItemDecl]
    /// Mutants `mayak test-rules --mutate` does not count as survivors (`equivalent_mutants:`).
    public var equivalentMutants: [EquivalentMutantDecl] = []
    public var tests: [RuleTestDecl]
}

/// `worse_when: { measure: EXPR, text: "…{EXPR}…" }`: a number that grows as the problem gets
/// worse (the number of failing subjects, the share of missed lessons in 5-point bands), and
/// the words that say so when a dismissed alert comes back («предметов с прогнозом «2» стало 3»).
public struct WorseDecl: Sendable {
    public var measure: SourcedExpr
    public var text: Template
}
