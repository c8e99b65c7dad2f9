import MayakRules
import MayakSnapshot
import Testing

@testable import MayakEngine

/// Whole numbers, dates and rounding never trap: what the rule's text fixes is an error
/// when the rule loads, pointing at it; what comes from the data is a fault naming the rule
/// and the entity — the same on both engines, and no alert for that entity.
@Suite struct OverflowTests {
    func diagnostics(_ when: String, params: String = "") -> [String] {
        let yaml =
            "id: t\ntitle: t\nseverity: low\nscope: pupil\n\(params)when: \(Support.quoteYAML(when))\nmessage: m\n"
        return Support.compile(yaml).1.map { "\($0.line):\($0.column): \($0.message)" }
    }

    @Test func constantsThatOverflowAreLoadErrors() {
        #expect(
            diagnostics("9223372036854775807 + 1 > 0")
                == ["5:8: whole-number overflow: 9223372036854775807 + 1 is beyond ±9223372036854775807"])
        #expect(
            diagnostics("-9223372036854775807 - 2 < 0")
                == ["5:8: whole-number overflow: -9223372036854775807 - 2 is beyond ±9223372036854775807"])
        #expect(
            diagnostics("3037000500 * 3037000500 > 0")
                == ["5:8: whole-number overflow: 3037000500 * 3037000500 is beyond ±9223372036854775807"])
        #expect(
            diagnostics("round(10000000000000000000000000000000.0) > 0")
                == ["5:8: round(1e+31) is beyond the whole numbers (±9223372036854775807)"])
        #expect(
            diagnostics("as_of + 3000000000 > as_of")
                == ["5:16: 3000000000 days is beyond the calendar; a date moves by at most 109937 days"])
        #expect(
            diagnostics("pupil.marks.last_days(3000000000).count() > 0")
                == ["5:30: last_days takes 0…109937 days (the calendar's span), not 3000000000"])
        #expect(diagnostics("fmt(1.5, 1000000000) != \"\"") == ["5:17: decimal places are 0…15, not 1000000000"])
        // A parameter is a constant too: its value is checked where it is used.
        #expect(
            diagnostics("limit * 2 > 0", params: "params:\n  limit: 9223372036854775807\n")
                == ["7:8: whole-number overflow: 9223372036854775807 * 2 is beyond ±9223372036854775807"])
        // Within range, constants fold and the rule loads.
        #expect(diagnostics("9223372036854775806 + 1 > 0").isEmpty)
    }

    /// The faults of a scan of one rule on both engines (they must agree), and its findings.
    func faults(_ when: String, _ data: String) throws -> [String] {
        let yaml = "id: t\ntitle: t\nseverity: low\nscope: pupil\nwhen: \(Support.quoteYAML(when))\nmessage: m\n"
        let (rule, d) = Support.compile(yaml)
        let compiled = try #require(rule, "\(d)")
        let index = SnapshotIndex(try Support.snapshot(data))
        let pack = RulePack(rules: [compiled], hash: "")
        let reference = Scanner.run(pack, index: index, engine: .reference)
        let fast = Scanner.run(pack, index: index, engine: .compiled)
        #expect(reference.faults == fast.faults)
        #expect(reference.findings.map(\.message) == fast.findings.map(\.message))
        if !reference.faults.isEmpty { #expect(throws: ScanFailure.self) { try Scanner.scan(pack, index: index) } }
        return reference.faults.map(\.description) + reference.findings.map { "fired: \($0.message)" }
    }

    let pupils = "pupils:\n  - { id: P1, grade: 7, marks: { Алгебра: [2, 3] } }\n  - { id: P2, grade: 5 }\n"

    @Test func overflowFromTheDataIsAFaultOfTheRuleAndThePupil() throws {
        #expect(
            try faults("pupil.grade * 2000000000000000000 > 0", pupils) == [
                "error: rule t, pupil P1: whole-number overflow: 7 * 2000000000000000000 is beyond ±9223372036854775807",
                "error: rule t, pupil P2: whole-number overflow: 5 * 2000000000000000000 is beyond ±9223372036854775807",
            ])
        #expect(
            try faults("pupil.grade * 1500000000000000000 > 0", pupils) == [
                "error: rule t, pupil P1: whole-number overflow: 7 * 1500000000000000000 is beyond ±9223372036854775807",
                "fired: m",
            ])
        #expect(
            try faults("pupil.marks.sum(m, 9223372036854775807) > 0", pupils) == [
                "error: rule t, pupil P1: whole-number overflow in sum(): the total passes ±9223372036854775807"
            ])
        #expect(
            try faults("as_of + pupil.grade * 10000 > as_of", pupils) == [
                "error: rule t, pupil P1: date 2026-03-13 + 70000 days is outside the calendar (1900-01-01 … 2200-12-31)",
                "fired: m",
            ])
        #expect(
            try faults("round(pupil.grade * 10000000000000000000.0) > 0", pupils) == [
                "error: rule t, pupil P1: round(7e+19) is beyond the whole numbers (±9223372036854775807)",
                "error: rule t, pupil P2: round(5e+19) is beyond the whole numbers (±9223372036854775807)",
            ])
        #expect(
            try faults("-(pupil.grade - 9223372036854775807 - 8) > 0", pupils) == [
                "error: rule t, pupil P1: whole-number overflow: -(-9223372036854775808) is beyond ±9223372036854775807",
                "error: rule t, pupil P2: whole-number overflow: -9223372036854775802 - 8 is beyond ±9223372036854775807",
            ])
        #expect(
            try faults("(pupil.grade - 9223372036854775807 - 8) % -1 == 0", pupils).first
                == "error: rule t, pupil P1: whole-number overflow: -9223372036854775808 % -1 is beyond ±9223372036854775807"
        )
    }

    @Test func fractionalOverflowFromTheDataIsAFaultNotInfinity() throws {
        // The language writes numbers out: 1e308 and 1e300.
        let e308 = "1" + String(repeating: "0", count: 308) + ".0"
        let e300 = "1" + String(repeating: "0", count: 300) + ".0"
        #expect(
            try faults("pupil.grade * \(e308) > 0", pupils) == [
                "error: rule t, pupil P1: number overflow: 7.0 * 1e+308 is beyond ±1.8e308",
                "error: rule t, pupil P2: number overflow: 5.0 * 1e+308 is beyond ±1.8e308",
            ])
        let divided = try faults("\(e300) / (pupil.grade / \(e300)) > 0", pupils)
        #expect(divided.count == 2)
        #expect(divided.allSatisfy { $0.contains(": number overflow: 1e+300 / ") && $0.hasSuffix("beyond ±1.8e308") })
        #expect(try faults("pupil.grade * \(e300) > 0", pupils) == ["fired: m", "fired: m"])
    }

    @Test func windowsOfAnyLengthDoNotOverflow() throws {
        // last_days of a number from the data: the window is clamped to the calendar, exactly.
        #expect(
            try faults("pupil.marks.last_days(pupil.grade * 1000000000000000000).count() == 2", pupils) == ["fired: m"])
    }
}
