import Foundation
import MayakAlerts
import MayakEngine
import MayakSnapshot
import Synchronization

/// The individual plans the rules suggest, from a scan of the snapshot with the server's rule
/// pack, one class at a time (what a plan's page needs) and kept: the snapshot and the pack do
/// not change while the server runs.
final class Suggestions: Sendable {
    let pack: RulePack
    let snapshot: Snapshot
    let index: SnapshotIndex
    private let byClass = Mutex<[String: [String: IndividualPlan]]>([:])

    init(pack: RulePack, snapshot: Snapshot, index: SnapshotIndex) {
        self.pack = pack
        self.snapshot = snapshot
        self.index = index
    }

    /// The suggested plan of a pupil of this class; nil when the rules raise nothing for them
    /// (or could not be evaluated for the class: then nothing is suggested, never a part).
    func plan(pupilID: String, classID: String) -> IndividualPlan? {
        if let known = byClass.withLock({ $0[classID] }) { return known[pupilID] }
        var plans: [String: IndividualPlan] = [:]
        if let findings = try? Scanner.scan(pack, index: index, scope: ScanScope(classID: classID)) {
            for p in ScanResult(findings: findings, snapshot: snapshot, pack: pack).plans { plans[p.pupilID] = p }
        }
        byClass.withLock { $0[classID] = plans }
        return plans[pupilID]
    }
}
