import Foundation
import MayakHistory
import MayakRules

/// The week's list of a class or a school: the pupils with alerts in force, ranked by need,
/// and the counts staff read first.
struct WeekList {
    struct PupilRow {
        var pupilID: String
        var name: String
        var classID: String
        var className: String
        var alerts: [TrackedAlert]
        /// The most severe alert's severity, the longest one's weeks, whether any is new this
        /// week: what the list ranks by (worked out once, not in every comparison of the sort).
        private(set) var severity = Severity.info
        private(set) var weeks = 0
        private(set) var isNew = false

        init(pupilID: String, name: String, classID: String, className: String, alerts: [TrackedAlert]) {
            self.pupilID = pupilID
            self.name = name
            self.classID = classID
            self.className = className
            self.alerts = alerts
        }

        mutating func add(_ a: TrackedAlert) {
            severity = alerts.isEmpty ? a.latest.severity : max(severity, a.latest.severity)
            weeks = max(weeks, a.state.weeksOpen)
            isNew = isNew || AlertLifecycle.isNewThisWeek(a.state)
            alerts.append(a)
        }
    }

    /// What the list may be narrowed to (the page's filters; every field from the query).
    struct Filter {
        var classID: String?
        var ruleID: String?
        var minSeverity: Severity?
        var status: LifecycleStatus?
        /// nil: what staff still work on (open and acknowledged).
        var triage: TriageState?
        var mine = false
        var newThisWeek = false
        /// A part of the pupil's name (sent by POST, never in an address).
        var name = ""
        var sort = Sort.need
        /// Whether what staff have closed (dismissed, resolved) is left out when no triage
        /// state is asked for: the week's list leaves it out, the API lists it.
        var hidesClosed = true

        /// Whether an alert passes every filter but the name (a resolved one only when
        /// `status` asks for resolved alerts).
        func matches(_ a: TrackedAlert, me: String) -> Bool {
            if let c = classID, a.latest.classID != c { return false }
            if let r = ruleID, a.latest.ruleID != r { return false }
            if let s = minSeverity, a.latest.severity < s { return false }
            if let s = status {
                if a.state.status != s { return false }
            } else if a.state.status == .resolved {
                return false
            }
            if let t = triage {
                if a.state.triage != t { return false }
            } else if hidesClosed && (a.state.triage == .dismissed || a.state.triage == .resolved) {
                return false
            }
            if mine && a.assignee != me { return false }
            if newThisWeek && !AlertLifecycle.isNewThisWeek(a.state) { return false }
            return true
        }
    }

    enum Sort: String, CaseIterable {
        case need, name, weeks
        var russian: String {
            switch self {
            case .need: return "по важности"
            case .name: return "по фамилии"
            case .weeks: return "по сроку"
            }
        }
    }

    var rows: [PupilRow] = []
    /// The school's and classes' own alerts (not about one pupil).
    var groupAlerts: [TrackedAlert] = []
    var newCount = 0
    var persistingCount = 0
    var resolvedCount = 0
    var byRule: [(id: String, title: String, count: Int)] = []
    var byClass: [(id: String, name: String, count: Int)] = []

    /// The list from the tracked alerts: `inScope` says which alerts the page covers (already
    /// within the user's scope), `latestRun` the run whose resolutions are "since last run".
    init(tracked: [TrackedAlert], inScope: (RunAlert) -> Bool, latestRun: Int64?, filter: Filter, me: String) {
        let covered = tracked.filter { inScope($0.latest) }
        let current = covered.filter { $0.state.status != .resolved }
        newCount = current.filter { AlertLifecycle.isNewThisWeek($0.state) }.count
        persistingCount = current.filter { $0.state.status == .persisting }.count
        resolvedCount = covered.filter { $0.state.status == .resolved && $0.seenInRun == latestRun }.count
        var rules: [String: (String, Int)] = [:]
        var classes: [String: (String, Int)] = [:]
        for a in current {
            rules[a.latest.ruleID, default: (a.latest.ruleTitle, 0)].1 += 1
            if !a.latest.classID.isEmpty { classes[a.latest.classID, default: (a.latest.className, 0)].1 += 1 }
        }
        byRule = rules.map { (id: $0.key, title: $0.value.0, count: $0.value.1) }
            .sorted { ($1.count, $0.id) < ($0.count, $1.id) }
        // 1А … 9В, then 10А, 11Б: by grade, then letter.
        func order(_ name: String) -> (Int, String) { (Int(name.prefix { $0.isNumber }) ?? 0, name) }
        byClass = classes.map { (id: $0.key, name: $0.value.0, count: $0.value.1) }
            .sorted { order($0.name) < order($1.name) }

        let selected = covered.filter { filter.matches($0, me: me) }
        groupAlerts = selected.filter { $0.latest.subjectKind != "pupil" }
            .sorted { ($1.latest.severity, $0.latest.className) < ($0.latest.severity, $1.latest.className) }
        var byPupil: [String: PupilRow] = [:]
        for a in selected where a.latest.subjectKind == "pupil" {
            byPupil[
                a.latest.subjectID,
                default: PupilRow(
                    pupilID: a.latest.subjectID, name: a.latest.subjectName, classID: a.latest.classID,
                    className: a.latest.className, alerts: [])
            ].add(a)
        }
        let needle = filter.name.lowercased().trimmingCharacters(in: .whitespaces)
        rows = byPupil.values.filter { needle.isEmpty || $0.name.lowercased().contains(needle) }
        for i in rows.indices {
            rows[i].alerts.sort { ($1.latest.severity, $0.latest.ruleID) < ($0.latest.severity, $1.latest.ruleID) }
        }
        switch filter.sort {
        case .need:
            // Severity, then the number of indicators, how long it persists, new this week
            // first; the name last, so the order is stable.
            rows.sort {
                ($1.severity, $1.alerts.count, $1.weeks, $1.isNew ? 1 : 0, $0.name)
                    < ($0.severity, $0.alerts.count, $0.weeks, $0.isNew ? 1 : 0, $1.name)
            }
        case .name: rows.sort { ($0.name, $0.pupilID) < ($1.name, $1.pupilID) }
        case .weeks: rows.sort { ($1.weeks, $0.name) < ($0.weeks, $1.name) }
        }
    }
}
