import Foundation
import MayakTestSupport
import Testing

@testable import MayakHistory

/// The history's messages (`HistoryText`) read as Russian: errors got from real bad input —
/// short ids that name no alert, databases that are not a history, plans and accounts refused —
/// hold no English word outside «…» quotes, commands, flags, paths and ids.
///
/// The word check is private: another helper adds `RussianText.englishWords(in:)` to
/// MayakTestSupport on a branch this one cannot see; once both are in, this can use it.
@Suite struct RussianTextTests {
    /// Latin words the messages may hold: the command they name (`mayak scan СНИМОК --db …`,
    /// `mayak plans close 3`), SQLite, and the letters of «0–9, a–f» and «a–z».
    static let allowed: Set<String> = ["mayak", "scan", "plans", "close", "SQLite", "a", "f", "z"]

    private static func englishWords(_ text: String) -> [String] {
        var t = text
        for pattern in [
            #"«[^»]*»"#, #"--[A-Za-z0-9-]+"#, #"\S*/\S*"#, #"[\w-]+\.[A-Za-z]{2,6}\b"#, #"\b\w*[0-9_]\w*\b"#,
        ] {
            t = t.replacingOccurrences(of: pattern, with: " ", options: .regularExpression)
        }
        return t.split { !($0.isASCII && $0.isLetter) }.map(String.init).filter { !allowed.contains($0) }
    }

    func messages() throws -> [String] {
        var out: [String] = []
        func caught(_ body: () throws -> Void) {
            do { try body() } catch { out.append("\(error)") }
        }
        caught {
            _ = try AlertID.resolve(
                ["530d", "ffff", "85c", "85cb-376e"], among: ["530daf8aae665fc2", "530d1111aaaa2222"])
        }
        let folder = TemporaryFolders.fresh("history-folder")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        caught { _ = try SQLiteHistoryStore(path: folder.path, access: .read) }
        caught { _ = try SQLiteHistoryStore(path: TemporaryFolders.fresh("none.sqlite").path, access: .read) }
        let text = TemporaryFolders.fresh("text.sqlite")
        TemporaryFolders.write(Data("plain text".utf8), to: text.path)
        caught { _ = try SQLiteHistoryStore(path: text.path, access: .create) }

        let s = MemoryHistoryStore()
        caught { try s.closePlan(planID: 7, at: "2026-03-16T09:00:00Z", by: "Завуч") }
        caught {
            try s.triage(
                TriageEvent(fingerprint: "a", at: "t", actor: "Завуч", kind: .comment, detail: "x"), observation: nil)
        }
        caught { try s.setDisabled("nobody", true, by: "x", at: "t") }
        for (login, role, school, classes) in [
            ("Иванова", Account.Role.teacher, "SH01", ["SH01-5А"]), ("t1", .teacher, nil, []),
            ("d1", .deputy, nil, []), ("d2", .deputy, "SH01", ["SH01-5А"]), ("o1", .department, "SH01", []),
            ("t2", .teacher, nil, [""]),
        ] as [(String, Account.Role, String?, [String])] {
            if let problem = Account.problem(login: login, role: role, schoolID: school, classIDs: classes) {
                out.append(problem)
            }
        }
        out.append(PlanRules.alreadyInForce("P1", 3).description)
        out.append(PlanRules.noItem(3, 2).description)
        out.append(PlanRules.closed(3, "2026-03-31T09:00:00Z").description)
        out.append(PlanRules.alreadyDone(3, 1, on: "2026-03-18", by: "Учитель").description)
        return out
    }

    @Test func theHistorysMessagesAreRussian() throws {
        let all = try messages()
        #expect(all.count == 17, "\(all)")
        for message in all {
            #expect(Self.englishWords(message).isEmpty, "\(message)")
            #expect(message.first.map { !$0.isUppercase } ?? false, "a message starts with a small letter: \(message)")
        }
        #expect(Self.englishWords("no alert starts with «ffff»") == ["no", "alert", "starts", "with"])
    }
}
