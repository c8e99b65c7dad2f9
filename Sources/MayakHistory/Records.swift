import Foundation
import MayakAlerts
import MayakEngine
import MayakRules
import MayakSnapshot

/// One recorded scan.
public struct RunInfo: Sendable, Equatable, Codable {
    public var id: Int64
    public var recordedAt: String
    public var asOf: String
    public var district: String
    /// A fingerprint of the snapshot's files (sizes and contents).
    public var snapshotFingerprint: String
    public var rulesHash: String
    public var rulesVersion: String
    public var ruleCount: Int
    /// `rule.param=value` overrides in force, joined with "; ".
    public var overrides: String
    /// `school=…; class=…` or "" for the whole district.
    public var scope: String
    public var loadMilliseconds: Int
    public var scanMilliseconds: Int
    public var alertCount: Int

    public init(
        id: Int64 = 0, recordedAt: String, asOf: String, district: String, snapshotFingerprint: String,
        rulesHash: String,
        rulesVersion: String = "unversioned", ruleCount: Int, overrides: String, scope: String, loadMilliseconds: Int,
        scanMilliseconds: Int, alertCount: Int
    ) {
        self.id = id
        self.recordedAt = recordedAt
        self.asOf = asOf
        self.district = district
        self.snapshotFingerprint = snapshotFingerprint
        self.rulesHash = rulesHash
        self.rulesVersion = rulesVersion
        self.ruleCount = ruleCount
        self.overrides = overrides
        self.scope = scope
        self.loadMilliseconds = loadMilliseconds
        self.scanMilliseconds = scanMilliseconds
        self.alertCount = alertCount
    }
}

/// An alert as one run saw it.
public struct RunAlert: Sendable, Equatable, Codable {
    public var fingerprint: String
    public var ruleID: String
    public var ruleTitle: String
    public var severity: Severity
    public var subjectKind: String
    public var subjectID: String
    public var subjectName: String
    public var classID: String
    public var className: String
    public var schoolID: String
    public var schoolName: String
    public var key: String
    public var message: String
    public var evidence: String
    /// The rule's `worse_when` measure in thousandths (0 when it declares none), and its text.
    public var magnitude: Int
    public var worseText: String = ""

    public init(_ a: Alert) {
        fingerprint = a.fingerprint
        ruleID = a.ruleID
        ruleTitle = a.ruleTitle
        severity = a.severity
        subjectKind = a.subject.kind.rawValue
        subjectID = a.subject.id
        subjectName = a.subject.name
        classID = a.subject.classID ?? ""
        className = a.subject.className ?? ""
        schoolID = a.subject.schoolID
        schoolName = a.subject.schoolName
        key = a.key
        message = a.message
        evidence = a.evidenceText
        magnitude = a.worse?.measure ?? 0
        worseText = a.worse?.text ?? ""
    }

    public var observation: Observation {
        Observation(severity: severity, magnitude: magnitude, worseText: worseText)
    }

    /// What a run records of a scan's alerts: the first of each fingerprint, and how many more
    /// each rule raised (two alerts with one fingerprint are a defect of their rule — its key
    /// does not tell them apart — to be said, not a reason to lose the run).
    public static func recordable(_ scanned: [Alert]) -> (alerts: [RunAlert], duplicates: [String: Int]) {
        var seen = Set<String>()
        var duplicates: [String: Int] = [:]
        var alerts: [RunAlert] = []
        alerts.reserveCapacity(scanned.count)
        for a in scanned {
            if seen.insert(a.fingerprint).inserted {
                alerts.append(RunAlert(a))
            } else {
                duplicates[a.ruleID, default: 0] += 1
            }
        }
        return (alerts, duplicates)
    }
}

/// An alert with its history: the latest run's view and the tracked state.
public struct TrackedAlert: Sendable, Equatable {
    public var latest: RunAlert
    public var state: TrackedState
    public var firstRun: Int64
    public var lastRun: Int64
    /// The run in which the state was last computed.
    public var seenInRun: Int64
    public var assignee: String?
}

/// A triage action, kept for ever.
public struct TriageEvent: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case acknowledge, assign, comment, dismiss, resolve, reopen
        case planAdopted = "plan-adopted"
        case planStepDone = "plan-step-done"
        case planClosed = "plan-closed"

        /// As the alert's history shows it to staff (the raw value stays in the store and JSON).
        public var russian: String { HistoryText.event(self) }
    }
    public var id: Int64
    public var fingerprint: String
    public var at: String
    public var actor: String
    public var kind: Kind
    public var detail: String

    public init(id: Int64 = 0, fingerprint: String, at: String, actor: String, kind: Kind, detail: String) {
        self.id = id
        self.fingerprint = fingerprint
        self.at = at
        self.actor = actor
        self.kind = kind
        self.detail = detail
    }
}

/// An adopted individual plan.
public struct AdoptedPlan: Sendable, Equatable {
    public struct Item: Sendable, Equatable {
        /// Where a step came from: the suggestion as it was, the suggestion edited, or added
        /// by whoever adopted the plan.
        public enum Origin: String, Sendable, CaseIterable {
            case suggested, changed, added
        }
        public var position: Int
        public var action: String
        public var role: String
        /// The member of staff who answers for the step (a name; empty: only the role).
        public var responsible: String
        public var due: String
        public var check: String
        public var origin: Origin
        public var doneOn: String?
        public var doneBy: String?

        public init(
            position: Int, action: String, role: String, responsible: String = "", due: String, check: String,
            origin: Origin = .suggested, doneOn: String? = nil, doneBy: String? = nil
        ) {
            self.position = position
            self.action = action
            self.role = role
            self.responsible = responsible
            self.due = due
            self.check = check
            self.origin = origin
            self.doneOn = doneOn
            self.doneBy = doneBy
        }
    }
    public var id: Int64
    public var pupilID: String
    public var pupilName: String
    public var adoptedAt: String
    public var adoptedBy: String
    public var closedAt: String?
    public var items: [Item]
    /// The alerts it addresses.
    public var fingerprints: [String]
    /// The suggested steps left out at adoption (their actions).
    public var dropped: [String]
    public var isActive: Bool { closedAt == nil }

    public init(
        id: Int64, pupilID: String, pupilName: String, adoptedAt: String, adoptedBy: String, closedAt: String?,
        items: [Item], fingerprints: [String], dropped: [String] = []
    ) {
        self.dropped = dropped
        self.id = id
        self.pupilID = pupilID
        self.pupilName = pupilName
        self.adoptedAt = adoptedAt
        self.adoptedBy = adoptedBy
        self.closedAt = closedAt
        self.items = items
        self.fingerprints = fingerprints
    }
}

/// Which alerts to list.
public struct AlertFilter: Sendable {
    public var schoolID: String?
    public var classID: String?
    public var ruleID: String?
    public var minSeverity: Severity?
    public var status: LifecycleStatus?
    public var triage: TriageState?
    public var newThisWeek = false
    public init() {}

    public func matches(_ a: TrackedAlert) -> Bool {
        if let schoolID, a.latest.schoolID != schoolID { return false }
        if let classID, a.latest.classID != classID { return false }
        if let ruleID, a.latest.ruleID != ruleID { return false }
        if let minSeverity, a.latest.severity < minSeverity { return false }
        if let status, a.state.status != status { return false }
        if let triage, a.state.triage != triage { return false }
        if newThisWeek && !AlertLifecycle.isNewThisWeek(a.state) { return false }
        return true
    }
}

public struct HistoryError: Error, CustomStringConvertible, Sendable, Equatable {
    public var description: String
    public init(_ d: String) { description = d }
}
