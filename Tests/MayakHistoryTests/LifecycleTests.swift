import Testing
import MayakRules
@testable import MayakHistory

/// The lifecycle as a pure function, over sequences of weekly runs.
@Suite struct LifecycleTests {
    let medium = Observation(severity: .medium, magnitude: 2)

    /// Runs the lifecycle over a sequence: `true` fires, `false` does not.
    func run(_ weeks: [Observation?], from start: TrackedState? = nil) -> [TrackedState?] {
        var state = start
        return weeks.map { state = AlertLifecycle.next(state, firing: $0); return state }
    }

    @Test func newPersistingResolvedReopened() {
        let states = run([medium, medium, medium, nil, nil, medium, medium])
        #expect(states.map { $0?.status } == [.new, .persisting, .persisting, .resolved, .resolved, .reopened, .persisting])
        #expect(states.map { $0?.weeksOpen } == [1, 2, 3, 3, 3, 1, 2])
    }

    @Test func nothingHappensToWhatNeverFired() {
        #expect(AlertLifecycle.next(nil, firing: nil) == nil)
    }

    @Test func aDismissedAlertStaysDismissedUnlessItWorsens() {
        var dismissed = TrackedState(status: .persisting, weeksOpen: 2, triage: .dismissed, dismissedSeverity: .medium, dismissedMagnitude: 2)
        // Same or milder: stays dismissed.
        #expect(AlertLifecycle.next(dismissed, firing: medium)?.triage == .dismissed)
        #expect(AlertLifecycle.next(dismissed, firing: Observation(severity: .low, magnitude: 1))?.triage == .dismissed)
        // More failing subjects: open again.
        #expect(AlertLifecycle.next(dismissed, firing: Observation(severity: .medium, magnitude: 3))?.triage == .open)
        // Higher severity: open again.
        #expect(AlertLifecycle.next(dismissed, firing: Observation(severity: .high, magnitude: 2))?.triage == .open)
        // Resolved and back, no worse: still dismissed, shown as reopened but not as new this week.
        dismissed.status = .resolved
        let back = AlertLifecycle.next(dismissed, firing: medium)
        #expect(back?.status == .reopened)
        #expect(back?.triage == .dismissed)
        #expect(back.map(AlertLifecycle.isNewThisWeek) == false)
    }

    @Test func resolvedByStaffButStillFiringIsOpenAgain() {
        let s = TrackedState(status: .persisting, weeksOpen: 4, triage: .resolved)
        #expect(AlertLifecycle.next(s, firing: medium)?.triage == .open)
        #expect(AlertLifecycle.next(s, firing: nil)?.triage == .resolved)
    }

    @Test func acknowledgedAndPlansCarryOver() {
        let s = TrackedState(status: .new, weeksOpen: 1, triage: .acknowledged, coveredByPlan: 7)
        let n = AlertLifecycle.next(s, firing: medium)
        #expect(n?.triage == .acknowledged)
        #expect(n?.coveredByPlan == 7)
        #expect(AlertLifecycle.isNewThisWeek(TrackedState(status: .new, weeksOpen: 1)))
        #expect(!AlertLifecycle.isNewThisWeek(TrackedState(status: .new, weeksOpen: 1, coveredByPlan: 1)))
        #expect(!AlertLifecycle.isNewThisWeek(TrackedState(status: .persisting, weeksOpen: 2)))
    }
}
