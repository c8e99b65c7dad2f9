import MayakRules
import Testing

@testable import MayakHistory

/// What changed between two sets of alerts, by fingerprint.
@Suite struct AlertDiffTests {
    func alert(_ f: String, _ severity: Severity = .medium, message: String = "m", rule: String = "r") -> RunAlert {
        StoreContractTests.alert(f, rule: rule, severity: severity, message: message)
    }

    @Test func gainedLostChangedUpdatedAndUnchanged() {
        let diff = AlertDiff(
            before: [alert("a"), alert("b"), alert("c"), alert("d", rule: "q")],
            after: [alert("a", .high), alert("b", message: "m2"), alert("c"), alert("e", rule: "q")])
        #expect(diff.gained.map(\.fingerprint) == ["e"])
        #expect(diff.lost.map(\.fingerprint) == ["d"])
        #expect(diff.changed.map { [$0.before.severity, $0.after.severity] } == [[.medium, .high]])
        #expect(diff.updated == 1)
        #expect(diff.unchanged == 1)
        let byRule = diff.counts { $0.ruleID }
        #expect(byRule.map(\.name) == ["q", "r"])
        #expect(byRule.map { [$0.gained, $0.lost, $0.changed] } == [[1, 1, 0], [0, 0, 1]])
    }

    @Test func identicalRunsDifferInNothing() {
        let alerts = [alert("a"), alert("b", .high)]
        let diff = AlertDiff(before: alerts, after: alerts)
        #expect(diff.gained.isEmpty && diff.lost.isEmpty && diff.changed.isEmpty)
        #expect(diff.updated == 0 && diff.unchanged == 2)
    }
}
