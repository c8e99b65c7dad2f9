/// The history's states in Russian, as every front end shows them.
extension TrackedAlert {
    /// The alert's standing in one line, as lists show it («сохраняется, 3 нед., принято в работу»).
    public var statusText: String {
        var parts = [state.status.russian]
        if state.status == .persisting { parts.append(HistoryText.weeksOpen(state.weeksOpen)) }
        if state.triage != .open { parts.append(state.triage.russian) }
        if let because = state.reopenedBecause { parts.append(because) }
        if let plan = state.coveredByPlan { parts.append(HistoryText.coveredByPlan(plan)) }
        if let assignee { parts.append(HistoryText.assignedTo(assignee)) }
        return parts.joined(separator: ", ")
    }
}

extension LifecycleStatus {
    public var russian: String { HistoryText.status(self) }
}

extension TriageState {
    public var russian: String { HistoryText.triage(self) }
}
