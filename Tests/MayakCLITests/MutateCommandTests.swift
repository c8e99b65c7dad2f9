import Foundation
import MayakTestSupport
import Testing

/// `mayak test-rules --mutate` through the real binary: a weak rule's survivor as a
/// diagnostic with a caret, the JSON report, and the default pack killing every mutant.
@Suite struct MutateCommandTests {
    static let weak = """
        id: repeated-fives
        title: Серия пятёрок
        severity: info
        scope: pupil
        when: pupil.marks.count(m, m.value == 5) >= 3
        message: "Пятёрок: {pupil.marks.count(m, m.value == 5)}"
        tests:
          - name: три пятёрки
            pupils: [{ id: P1, grade: 7, marks: { Алгебра: [5, 5, 5] } }]
            expect: [{ pupil: P1 }]

        """

    func weakFolder() throws -> String {
        let dir = try MayakBinary.temporaryFolder().appendingPathComponent("pack")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Self.weak.write(to: dir.appendingPathComponent("fives.yaml"), atomically: true, encoding: .utf8)
        return dir.path
    }

    @Test func aWeakRuleSurvivesWithACaret() throws {
        let folder = try weakFolder()
        let r = try MayakBinary.run(["test-rules", "--mutate", folder])
        #expect(r.status == 1)
        #expect(
            r.stdout == """
                \(folder)/fives.yaml:5:45: выжил: 3 → 2 in pupil.marks.count(m, m.value == 5) >= 3
                    when: pupil.marks.count(m, m.value == 5) >= 3
                                                                ^
                    примечание: в «when»
                6 mutants: 5 killed, 1 survived, 0 equivalent (0 invalid)

                """)
        #expect(r.stderr.isEmpty)
    }

    @Test func theJSONReportHasTheCountsAndTheSurvivors() throws {
        let folder = try weakFolder()
        let r = try MayakBinary.run(["test-rules", "--mutate", folder, "--format", "json"])
        #expect(r.status == 1)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stdout)")
        #expect(Set(object.keys) == ["mutants", "killed", "survived", "equivalent", "invalid", "survivors"])
        #expect(object["mutants"] as? Int == 6)
        #expect(object["killed"] as? Int == 5)
        #expect(object["survived"] as? Int == 1)
        let survivors = try #require(object["survivors"] as? [[String: Any]])
        #expect(survivors.count == 1)
        let s = try #require(survivors.first)
        #expect(s["rule"] as? String == "repeated-fives")
        #expect(s["file"] as? String == folder + "/fives.yaml")
        #expect(s["line"] as? Int == 5 && s["column"] as? Int == 45)
        #expect(s["mutation"] as? String == "3 → 2 in pupil.marks.count(m, m.value == 5) >= 3")
        #expect(s["source"] as? String == "when: pupil.marks.count(m, m.value == 5) >= 3")
        let plain = try MayakBinary.run(["test-rules", "--format", "json", folder])
        #expect(plain.status != 0)
    }

    @Test func aStaleMarkingFailsTheRun() throws {
        let folder = try weakFolder()
        let file = folder + "/fives.yaml"
        let marked = Self.weak.replacingOccurrences(
            of: "tests:",
            with: "equivalent_mutants:\n  - { at: when, mutation: \"3 → 4 in nothing\", reason: проверка }\ntests:")
        try marked.write(toFile: file, atomically: true, encoding: .utf8)
        let r = try MayakBinary.run(["test-rules", "--mutate", folder])
        #expect(r.status == 1)
        #expect(r.stderr.contains("\(file):8:27: error: no mutant '3 → 4 in nothing' at 'when'; the marking is stale"))
    }

    /// The regression gate: every mutant of the default pack is killed by its cases or marked
    /// equivalent with a reason.
    @Test func theDefaultPackKillsEveryMutant() throws {
        let r = try MayakBinary.run(["test-rules", "--mutate", MayakBinary.rules.path])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains(" 0 survived"))
        #expect(!r.stdout.contains("выжил:"))
    }
}
