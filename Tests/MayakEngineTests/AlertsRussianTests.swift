import Foundation
import MayakAlerts
import MayakRules
import MayakSnapshot
import MayakTestSupport
import Testing

@testable import MayakEngine

/// What MayakAlerts writes for people reads as Russian: the table and the Excel CSV of a real
/// scan (the tiny fixture under the core rules), its plans, and `mayak validate`'s table of what
/// was planted. (JSON keeps its English keys and values: programs read it.)
///
/// The word check is private: another helper adds `RussianText.englishWords(in:)` to
/// MayakTestSupport on a branch this one cannot see; once both are in, this can use it.
@Suite struct AlertsRussianTests {
    /// Outside «…» quotes, paths, the core pack's rule ids and ids (words with a digit, a hyphen
    /// or an underscore: pupil ids, fingerprints), every word of Latin letters but the Roman
    /// numerals of periods («III четверть»).
    static func englishWords(_ text: String, ruleIDs: [String] = []) -> [String] {
        var t = text
        for id in ruleIDs.sorted(by: { $0.count > $1.count }) { t = t.replacingOccurrences(of: id, with: " ") }
        for pattern in [#"«[^»]*»"#, #"\S*/\S*"#, #"\b[\w-]*[0-9_-][\w-]*\b"#] {
            t = t.replacingOccurrences(of: pattern, with: " ", options: .regularExpression)
        }
        return t.split { !($0.isASCII && $0.isLetter) }.map(String.init).filter {
            !["I", "II", "III", "IV"].contains($0)
        }
    }

    @Test func tablesCSVAndTheTruthTableAreRussian() throws {
        let folder = Support.packageRoot.appendingPathComponent("Tests/Fixtures/snapshots/tiny").path
        let snapshot = try SnapshotLoader(folder: folder).load().snapshot
        var log = DiagnosticLog()
        let pack = try required(RulePack.load(paths: [Support.coreRules], log: &log))
        let result = ScanResult(
            findings: try Scanner.scan(pack, index: SnapshotIndex(snapshot)), snapshot: snapshot, pack: pack)
        #expect(!result.alerts.isEmpty && !result.plans.isEmpty)
        let ids = pack.rules.map(\.id)
        for format in [AlertFormat.table, .csv] {
            var text = ""
            try result.write(format, color: false, to: { text += $0 })
            #expect(
                Self.englishWords(text, ruleIDs: ids).isEmpty, "\(format): \(Self.englishWords(text, ruleIDs: ids))")
        }
        for plan in result.plans { #expect(Self.englishWords(plan.text, ruleIDs: ids).isEmpty, "\(plan.text)") }

        // Every pupil with an alert planted with every condition: the table names each.
        let pupils = Set(result.alerts.filter { $0.subject.kind == .pupil }.map(\.subject.id))
        let truth = TruthCheck.conditions.flatMap { condition, _ in
            pupils.map { ["pupil_id": $0, "condition": condition, "planted": "yes"] }
        }
        let table = TruthCheck(result: result, truth: truth).rendered
        #expect(table.hasPrefix("условие "))
        #expect(table.contains("неуспеваемость") && table.contains(" %"))
        #expect(Self.englishWords(table, ruleIDs: ids).isEmpty, "\(table)")
        #expect(Self.englishWords("condition failing-two-subjects recall") == ["condition", "recall"])
    }
}
