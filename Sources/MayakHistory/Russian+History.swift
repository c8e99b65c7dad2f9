/// The history's states in Russian, as every front end shows them.
extension TrackedAlert {
    /// The alert's standing in one line, as lists show it («сохраняется, 3 нед., принято в работу»).
    public var statusText: String {
        var parts = [state.status.russian]
        if state.status == .persisting { parts.append("\(state.weeksOpen) нед.") }
        if state.triage != .open { parts.append(state.triage.russian) }
        if let because = state.reopenedBecause { parts.append(because) }
        if let plan = state.coveredByPlan { parts.append("по плану №\(plan)") }
        if let assignee { parts.append("→ \(assignee)") }
        return parts.joined(separator: ", ")
    }
}

extension LifecycleStatus {
    public var russian: String {
        switch self {
        case .new: return "новое"
        case .persisting: return "сохраняется"
        case .resolved: return "снято"
        case .reopened: return "вернулось"
        }
    }
}

extension TriageState {
    public var russian: String {
        switch self {
        case .open: return "открыто"
        case .acknowledged: return "принято в работу"
        case .dismissed: return "отклонено"
        case .resolved: return "решено"
        }
    }
}
