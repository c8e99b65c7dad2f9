import Foundation
import Testing

/// A dismissal across two generated weeks, through the real binary: alerts dismissed in the
/// week of 06.03.2026 and scanned again in the next. What should happen to each is worked out
/// here from the two scans' own output — the rule's measure of worse (the number of failing
/// subjects; the number of twos) and the severity — not by the lifecycle code under test.
@Suite(.serialized) struct DismissalTests {
    /// An alert as a scan's NDJSON line gives it.
    struct Seen {
        var rule: String
        var severity: Int
        /// The rule's measure, counted from the evidence.
        var measure: Int
        /// Every mark of the evidence (more marks alone are not worse).
        var marks: Int
    }

    static let severities = ["info", "low", "medium", "high", "critical"]

    static func alerts(_ ndjson: String) throws -> [String: Seen] {
        var out: [String: Seen] = [:]
        for line in ndjson.split(separator: "\n") {
            let o = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let rule = try #require(o["rule"] as? String)
            let evidence = o["evidence"] as? [String: Any] ?? [:]
            let measure: Int
            var marks = 0
            switch rule {
            case "failing-two-subjects":
                measure = (evidence["subjects"] as? [Any])?.count ?? -1
                marks = (evidence["marks"] as? [[Any]])?.reduce(0) { $0 + $1.count } ?? 0
            case "repeated-twos":
                measure = (evidence["twos"] as? [Any])?.count ?? -1
            default: continue
            }
            out[try #require(o["fingerprint"] as? String)] = Seen(
                rule: rule, severity: severities.firstIndex(of: o["severity"] as? String ?? "") ?? -1, measure: measure,
                marks: marks)
        }
        return out
    }

    @Test func aDismissalHoldsUntilTheAlertGetsWorseAndSaysWhy() throws {
        let work = try MayakBinary.temporaryFolder()
        let db = work.appendingPathComponent("history.sqlite").path
        var scans: [[String: Seen]] = []
        var dismissed: [String] = []
        for day in ["2026-03-06", "2026-03-13"] {
            let folder = work.appendingPathComponent(day).path
            let generated = try MayakBinary.run(["generate", "--seed", "21", "--as-of", day, "--out", folder])
            #expect(generated.status == 0, "\(generated.stderr)")
            let out = work.appendingPathComponent("\(day).ndjson").path
            let scan = try MayakBinary.run([
                "scan", folder, "--rules", MayakBinary.rules.path, "--db", db, "--format", "ndjson", "--out", out,
            ])
            #expect(scan.status == 0, "\(scan.stderr)")
            scans.append(try Self.alerts(String(contentsOfFile: out, encoding: .utf8)))
            guard scans.count == 1 else { continue }
            // Every failing-two-subjects alert and the first 40 repeated-twos are dismissed.
            dismissed =
                scans[0].filter { $0.value.rule == "failing-two-subjects" }.keys.sorted()
                + scans[0].filter { $0.value.rule == "repeated-twos" }.keys.sorted().prefix(40)
            for fingerprint in dismissed {
                let r = try MayakBinary.run([
                    "alerts", "dismiss", fingerprint, "--reason", "Справка", "--as", "Завуч", "--db", db,
                ])
                #expect(r.status == 0, "\(r.stderr)")
            }
        }
        // The decisions after the second week, from the export (CRLF lines; fingerprint last,
        // decision third from last).
        let csv = work.appendingPathComponent("export.csv").path
        let export = try MayakBinary.run(["alerts", "export", "--all", "--out", csv, "--db", db])
        #expect(export.status == 0, "\(export.stderr)")
        var decision: [String: String] = [:]
        for line in try String(contentsOfFile: csv, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst() {
            let fields = line.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
            decision[fields[fields.count - 1].trimmingCharacters(in: .whitespacesAndNewlines)] =
                fields[fields.count - 3]
        }
        var stayed = 0
        var reopened = 0
        var moreMarksOnly = 0
        for fingerprint in dismissed {
            let before = try #require(scans[0][fingerprint])
            guard let after = scans[1][fingerprint] else { continue }
            let worse = after.severity > before.severity || after.measure > before.measure
            let d = try #require(decision[fingerprint], "\(fingerprint) is not in the export")
            if worse {
                reopened += 1
                #expect(d.hasPrefix("открыто (снова открыто: "), "\(fingerprint) \(before) → \(after): \(d)")
                if after.severity == before.severity, before.rule == "failing-two-subjects" {
                    #expect(d.contains("предметов с прогнозом «2» стало \(after.measure)"))
                }
                if after.severity == before.severity, before.rule == "repeated-twos" {
                    // «стало 4 двойки», «стало 5 двоек» (the forms: RussianTests).
                    #expect(d.contains("за 14 дн. стало \(after.measure) дво"), "\(d)")
                }
            } else {
                stayed += 1
                #expect(d == "отклонено", "\(fingerprint) \(before) → \(after): \(d)")
                if after.marks > before.marks { moreMarksOnly += 1 }
            }
        }
        // The data has every case, so the test cannot pass on none.
        #expect(stayed >= 10)
        #expect(reopened >= 1)
        #expect(moreMarksOnly >= 5, "dismissed alerts with more marks and no more failing subjects")
    }
}
