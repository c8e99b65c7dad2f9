import MayakRules
import MayakSnapshot
import Testing

@testable import MayakHistory

/// The lifecycle as a pure function, over sequences of weekly runs.
@Suite struct LifecycleTests {
    let medium = Observation(severity: .medium, magnitude: 2)

    let monday = "2026-03-02"

    /// Runs the lifecycle over weekly runs (Mondays from 02.03.2026): an observation fires, nil
    /// does not.
    func run(_ weeks: [Observation?], from start: TrackedState? = nil) -> [TrackedState?] {
        var state = start
        var day = Day(monday)!
        return weeks.map {
            state = AlertLifecycle.next(state, firing: $0, asOf: day.description)
            day = day + 7
            return state
        }
    }

    @Test func newPersistingResolvedReopened() {
        let states = run([medium, medium, medium, nil, nil, medium, medium])
        #expect(
            states.map { $0?.status } == [.new, .persisting, .persisting, .resolved, .resolved, .reopened, .persisting])
        #expect(states.map { $0?.weeksOpen } == [1, 2, 3, 3, 3, 1, 2])
    }

    /// Weeks are counted from the runs' as-of dates, not the number of runs: eleven scans of
    /// one snapshot are one week, and a run after three weeks' pause says four.
    @Test func weeksOpenFollowTheAsOfDates() {
        var state = AlertLifecycle.next(nil, firing: medium, asOf: "2026-03-02")
        for _ in 0..<10 { state = AlertLifecycle.next(state, firing: medium, asOf: "2026-03-02") }
        #expect(state?.status == .persisting)
        #expect(state?.weeksOpen == 1)
        state = AlertLifecycle.next(state, firing: medium, asOf: "2026-03-08")
        #expect(state?.weeksOpen == 1)
        state = AlertLifecycle.next(state, firing: medium, asOf: "2026-03-09")
        #expect(state?.weeksOpen == 2)
        state = AlertLifecycle.next(state, firing: medium, asOf: "2026-03-30")
        #expect(state?.weeksOpen == 5)
        // A run dated before the opening one counts as the first week, never fewer.
        #expect(AlertLifecycle.next(state, firing: medium, asOf: "2026-02-01")?.weeksOpen == 1)
    }

    @Test func nothingHappensToWhatNeverFired() {
        #expect(AlertLifecycle.next(nil, firing: nil, asOf: monday) == nil)
    }

    @Test func aDismissedAlertStaysDismissedUnlessItWorsens() {
        var dismissed = TrackedState(
            status: .persisting, weeksOpen: 2, triage: .dismissed, dismissedSeverity: .medium, dismissedMagnitude: 2)
        // Same or milder: stays dismissed.
        #expect(AlertLifecycle.next(dismissed, firing: medium, asOf: monday)?.triage == .dismissed)
        #expect(
            AlertLifecycle.next(dismissed, firing: Observation(severity: .low, magnitude: 1), asOf: monday)?.triage
                == .dismissed)
        #expect(AlertLifecycle.next(dismissed, firing: medium, asOf: monday)?.reopenedBecause == nil)
        // More failing subjects: open again, saying so in the rule's words.
        let more = AlertLifecycle.next(
            dismissed, firing: Observation(severity: .medium, magnitude: 3, worseText: "предметов стало 3"),
            asOf: monday)
        #expect(more?.triage == .open)
        #expect(more?.reopenedBecause == "снова открыто: предметов стало 3")
        #expect(more?.dismissedMagnitude == nil && more?.dismissedSeverity == nil)
        // Higher severity: open again, the severity said first.
        let higher = AlertLifecycle.next(
            dismissed, firing: Observation(severity: .high, magnitude: 3, worseText: "предметов стало 3"),
            asOf: monday)
        #expect(higher?.triage == .open)
        #expect(higher?.reopenedBecause == "снова открыто: важность выросла: «средняя» → «высокая»")
        // A measure recorded before worse_when (none): only the severity counts.
        var old = dismissed
        old.dismissedMagnitude = nil
        #expect(
            AlertLifecycle.next(old, firing: Observation(severity: .medium, magnitude: 9000), asOf: monday)?.triage
                == .dismissed)
        // Resolved and back, no worse: still dismissed, shown as reopened but not as new this week.
        dismissed.status = .resolved
        let back = AlertLifecycle.next(dismissed, firing: medium, asOf: monday)
        #expect(back?.status == .reopened)
        #expect(back?.triage == .dismissed)
        #expect(back.map(AlertLifecycle.isNewThisWeek) == false)
    }

    @Test func resolvedByStaffButStillFiringIsOpenAgain() {
        let s = TrackedState(status: .persisting, weeksOpen: 4, triage: .resolved)
        #expect(AlertLifecycle.next(s, firing: medium, asOf: monday)?.triage == .open)
        #expect(AlertLifecycle.next(s, firing: nil, asOf: monday)?.triage == .resolved)
    }

    @Test func acknowledgedAndPlansCarryOver() {
        let s = TrackedState(status: .new, weeksOpen: 1, triage: .acknowledged, coveredByPlan: 7)
        let n = AlertLifecycle.next(s, firing: medium, asOf: monday)
        #expect(n?.triage == .acknowledged)
        #expect(n?.coveredByPlan == 7)
        #expect(AlertLifecycle.isNewThisWeek(TrackedState(status: .new, weeksOpen: 1)))
        #expect(!AlertLifecycle.isNewThisWeek(TrackedState(status: .new, weeksOpen: 1, coveredByPlan: 1)))
        #expect(!AlertLifecycle.isNewThisWeek(TrackedState(status: .persisting, weeksOpen: 2)))
        #expect(AlertLifecycle.isNewThisWeek(TrackedState(status: .reopened, weeksOpen: 1)))
        #expect(!AlertLifecycle.isNewThisWeek(TrackedState(status: .new, weeksOpen: 1, triage: .dismissed)))
    }

    /// A state recorded before opening dates were kept has none: its weeks carry on as counted.
    @Test func aStateWithoutAnOpeningDateKeepsItsWeeks() {
        let old = TrackedState(status: .persisting, weeksOpen: 3)
        let next = AlertLifecycle.next(old, firing: medium, asOf: monday)
        #expect(next?.status == .persisting)
        #expect(next?.weeksOpen == 3)
        // Once it resolves and comes back, it counts from the new opening.
        let back = AlertLifecycle.next(
            AlertLifecycle.next(next, firing: nil, asOf: "2026-03-09"), firing: medium, asOf: "2026-03-16")
        #expect(back?.weeksOpen == 1 && back?.openedOn == "2026-03-16")
    }
}
