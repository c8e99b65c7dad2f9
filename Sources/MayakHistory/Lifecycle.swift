import Foundation
import MayakRules
import MayakSnapshot

/// Where an alert stands across weekly runs.
public enum LifecycleStatus: String, Sendable, Codable, CaseIterable {
    /// Fired for the first time this run.
    case new
    /// Fired last run and again now.
    case persisting
    /// Fired before, not this run.
    case resolved
    /// Resolved before, fired again now.
    case reopened
}

/// What staff decided about an alert.
public enum TriageState: String, Sendable, Codable, CaseIterable {
    case open, acknowledged, dismissed, resolved
}

/// An alert's tracked state, as the store keeps it between runs.
public struct TrackedState: Sendable, Equatable, Codable {
    public var status: LifecycleStatus
    /// Weeks the alert has been open, by the runs' as-of dates: 1 in the week it became new or
    /// reopened, 2 from seven days after, and so on (runs made the same week do not add one).
    public var weeksOpen: Int
    /// The as-of date of the run in which it became new or reopened (YYYY-MM-DD).
    public var openedOn: String?
    public var triage: TriageState
    /// When dismissed: how bad it was then, so a worse alert comes back.
    public var dismissedSeverity: Severity?
    public var dismissedMagnitude: Int?
    /// Covered by an active individual plan: shown with it, not raised as new.
    public var coveredByPlan: Int64?
    /// Why a dismissed alert is open again («снова открыто: предметов с прогнозом «2» стало 3»);
    /// nil once staff act on it again.
    public var reopenedBecause: String?

    public init(
        status: LifecycleStatus, weeksOpen: Int, openedOn: String? = nil, triage: TriageState = .open,
        dismissedSeverity: Severity? = nil,
        dismissedMagnitude: Int? = nil, coveredByPlan: Int64? = nil, reopenedBecause: String? = nil
    ) {
        self.status = status
        self.weeksOpen = weeksOpen
        self.openedOn = openedOn
        self.triage = triage
        self.dismissedSeverity = dismissedSeverity
        self.dismissedMagnitude = dismissedMagnitude
        self.coveredByPlan = coveredByPlan
        self.reopenedBecause = reopenedBecause
    }
}

/// How an alert fired in one run: enough to tell whether it got worse.
public struct Observation: Sendable, Equatable {
    public var severity: Severity
    /// The rule's declared measure of how bad it is (`worse_when`), in thousandths: the number
    /// of failing subjects, the share of missed lessons in 5-point bands; 0 for a rule that
    /// declares none (then only the severity counts).
    public var magnitude: Int
    /// What the measure says («предметов с прогнозом «2» стало 3»); "" when none is declared.
    public var worseText: String

    public init(severity: Severity, magnitude: Int, worseText: String = "") {
        self.severity = severity
        self.magnitude = magnitude
        self.worseText = worseText
    }
}

/// The alert lifecycle: a pure function of the previous state and this run's observation.
///
/// ```
///   (none) ──fires──▶ new ──fires──▶ persisting ──fires──▶ persisting (weeks by as-of dates)
///                      │                 │
///                      └──quiet──▶ resolved ◀──quiet──┘
///                                    │
///                                    └──fires──▶ reopened ──fires──▶ persisting
/// ```
/// Triage rides along: a dismissed alert stays dismissed while it fires no worse than when it
/// was dismissed (same or lower severity, and the rule's declared measure no greater: one more
/// mark is not worse, one more failing subject is); if it gets worse it is open again, and
/// says why.
/// An alert staff marked resolved that fires in a later run is open again. Alerts an active
/// plan covers keep their plan.
public enum AlertLifecycle {
    /// The state after a run as of `asOf` (the snapshot's date, YYYY-MM-DD).
    public static func next(_ previous: TrackedState?, firing: Observation?, asOf: String) -> TrackedState? {
        guard let previous else {
            guard firing != nil else { return nil }
            return TrackedState(status: .new, weeksOpen: 1, openedOn: asOf)
        }
        var state = previous
        guard let firing else {
            if previous.status != .resolved { state.status = .resolved }
            return state
        }
        switch previous.status {
        case .new, .persisting, .reopened:
            state.status = .persisting
            state.weeksOpen = weeks(from: previous.openedOn, to: asOf) ?? previous.weeksOpen
        case .resolved:
            state.status = .reopened
            state.weeksOpen = 1
            state.openedOn = asOf
        }
        switch previous.triage {
        case .dismissed:
            var because: String?
            if let was = previous.dismissedSeverity, firing.severity > was {
                because = HistoryText.severityRose(from: was.russian, to: firing.severity.russian)
            } else if firing.magnitude > (previous.dismissedMagnitude ?? firing.magnitude) {
                because = firing.worseText.isEmpty ? HistoryText.worseThanDismissed : firing.worseText
            }
            if let because {
                state.triage = .open
                state.dismissedSeverity = nil
                state.dismissedMagnitude = nil
                state.reopenedBecause = HistoryText.reopened(because)
            }
        case .resolved:
            // Staff marked it resolved, yet the data still shows it: open again.
            state.triage = .open
        case .open, .acknowledged:
            break
        }
        return state
    }

    /// Weeks from the run that opened an alert to a run as of `asOf`: 1 within its first seven
    /// days. A run dated before the opening one (recorded out of order) counts as the first
    /// week. Nil when a date is missing or not a date.
    static func weeks(from opened: String?, to asOf: String) -> Int? {
        guard let opened, let start = Day(opened), let end = Day(asOf) else { return nil }
        return max(0, end - start) / 7 + 1
    }

    /// Whether the alert should be shown as new this week: new or reopened, not dismissed,
    /// and not already covered by an active plan.
    public static func isNewThisWeek(_ s: TrackedState) -> Bool {
        (s.status == .new || s.status == .reopened) && s.triage != .dismissed && s.coveredByPlan == nil
    }
}
