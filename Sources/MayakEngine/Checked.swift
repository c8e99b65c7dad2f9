import MayakSnapshot

/// Arithmetic of the rule language that cannot trap: whole numbers that overflow, days past
/// the calendar, rounding beyond the whole numbers give nil, and the engines report a fault
/// for the rule and the entity (`RuleFault`) instead of a value. Both engines use these, so
/// they fail alike. Overflow-reporting operations, no allocation: this is the hot path.
enum Checked {
    /// The days a date may be: those of `Day` (1900-01-01 … 2200-12-31).
    static let firstDay = Day(year: 1900, month: 1, day: 1)?.number ?? 0
    static let lastDay = Day(year: 2200, month: 12, day: 31)?.number ?? 0
    /// The most days between two dates: a number of days beyond it is a mistake.
    static var daySpan: Int { Int(lastDay) - Int(firstDay) }

    @inline(__always) static func add(_ a: Int, _ b: Int) -> Int? {
        let (r, o) = a.addingReportingOverflow(b)
        return o ? nil : r
    }

    @inline(__always) static func subtract(_ a: Int, _ b: Int) -> Int? {
        let (r, o) = a.subtractingReportingOverflow(b)
        return o ? nil : r
    }

    @inline(__always) static func multiply(_ a: Int, _ b: Int) -> Int? {
        let (r, o) = a.multipliedReportingOverflow(by: b)
        return o ? nil : r
    }

    /// `a % b` for `b != 0` (`Int.min % -1` overflows).
    @inline(__always) static func remainder(_ a: Int, _ b: Int) -> Int? {
        let (r, o) = a.remainderReportingOverflow(dividingBy: b)
        return o ? nil : r
    }

    @inline(__always) static func negate(_ a: Int) -> Int? { subtract(0, a) }

    /// The whole number nearest `v` (halves away from zero), if there is one.
    @inline(__always) static func round(_ v: Double) -> Int? {
        let r = v.rounded()
        return r.isFinite && r >= -0x1p63 && r < 0x1p63 ? Int(r) : nil
    }

    /// `day + n` days (`n` truncated towards zero, as the language adds a number of days),
    /// within the calendar.
    @inline(__always) static func shift(_ day: Int32, by n: Double) -> Int32? {
        guard n.isFinite, abs(n) <= Double(daySpan) else { return nil }
        let d = Int(day) + Int(n)
        return d >= Int(firstDay) && d <= Int(lastDay) ? Int32(d) : nil
    }

    /// The days `last_days(n)` keeps, `from…to` inclusive: after `asOf − n`, up to `asOf`.
    /// `n` beyond the calendar keeps what the calendar holds (the bounds cannot overflow).
    @inline(__always) static func lastDays(_ asOf: Int32, _ n: Int) -> (from: Int32, to: Int32) {
        let span = daySpan + 1
        let k = Swift.min(Swift.max(n, -span), span)
        return (Int32(Int(asOf) - k + 1), asOf)
    }

    static func describe(_ op: String, _ a: Int, _ b: Int) -> String {
        "whole-number overflow: \(a) \(op) \(b) is beyond ±9223372036854775807"
    }

    static func describeNegation(_ a: Int) -> String { "whole-number overflow: -(\(a)) is beyond ±9223372036854775807" }

    static func describeDays(_ day: Int32, _ op: String, _ n: Double) -> String {
        let shown = n == n.rounded(.towardZero) && abs(n) < 1e18 ? String(Int(n)) : String(n)
        return "date \(Day(number: day)) \(op) \(shown) days is outside the calendar (1900-01-01 … 2200-12-31)"
    }

    /// A fractional result, or nil when it is beyond the numbers (±1.8e308, or undefined).
    @inline(__always) static func real(_ v: Double) -> Double? { v.isFinite ? v : nil }

    static func describeReal(_ op: String, _ a: Double, _ b: Double) -> String {
        "number overflow: \(a) \(op) \(b) is beyond ±1.8e308"
    }

    static func describeRound(_ v: Double) -> String {
        "round(\(v)) is beyond the whole numbers (±9223372036854775807)"
    }
}

/// A rule that could not be evaluated for an entity: an overflow and the like, from the data
/// (what comes from the rule's own text is an error when it loads).
public struct RuleFault: Error, Sendable, Equatable, CustomStringConvertible {
    public var rule: String
    /// `pupil P01`, `class C5A`, `school SCH1`.
    public var entity: String
    public var message: String

    public init(rule: String, entity: String, message: String) {
        self.rule = rule
        self.entity = entity
        self.message = message
    }

    public var description: String { "error: rule \(rule), \(entity): \(message)" }
}
