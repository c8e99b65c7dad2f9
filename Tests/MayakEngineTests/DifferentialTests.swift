import Foundation
import MayakAlerts
import MayakGenerator
import MayakRules
import MayakSnapshot
import MayakTestSupport
import Testing

@testable import MayakEngine

/// The compiled engine and the reference evaluator give the same findings — same rules, same
/// entities, keys, severities, messages, evidence and plans, in the same order — on generated
/// districts of several seeds and dates (early in a term, near its end, after it).
@Suite struct DifferentialTests {
    /// The last two with the generator's edge cases: period marks «1», uneven weights, ВПР
    /// falls in successive springs (this spring's written by 25.05).
    static let cases: [(seed: UInt64, asOf: String, edgeCases: Bool)] = [
        (1, "2026-03-20", false), (2, "2025-12-22", false), (3, "2025-10-06", false), (4, "2026-05-25", false),
        (5, "2026-05-25", true), (6, "2026-03-13", true),
    ]

    @Test(arguments: cases.indices)
    func compiledEqualsReference(_ i: Int) throws {
        let (seed, asOf, edgeCases) = Self.cases[i]
        let base = TemporaryFolders.fresh("diff").path
        defer { try? FileManager.default.removeItem(atPath: base) }
        _ = try DistrictGenerator(
            options: GeneratorOptions(seed: seed, asOf: try required(Day(asOf)), output: base, edgeCases: edgeCases)
        ).run()
        let snapshot = try SnapshotLoader(folder: base).load().snapshot
        var log = DiagnosticLog()
        let pack = try required(RulePack.load(paths: [Support.coreRules], log: &log))
        let index = SnapshotIndex(snapshot)
        let reference = try Scanner.scan(pack, index: index, engine: .reference).map(Self.describe)
        let compiled = try Scanner.scan(pack, index: index, engine: .compiled).map(Self.describe)
        #expect(reference.count > 100, "seed \(seed): too few findings to compare")
        Self.expectSame(compiled, reference, "seed \(seed), \(asOf)")
        // Scopes go through the same path.
        let scope = ScanScope(schoolID: snapshot.schools.id[0])
        Self.expectSame(
            try Scanner.scan(pack, index: index, scope: scope, engine: .compiled).map(Self.describe),
            try Scanner.scan(pack, index: index, scope: scope, engine: .reference).map(Self.describe),
            "seed \(seed), \(asOf), school \(snapshot.schools.id[0])")
    }

    /// A let two rules write alike (failing-two-subjects' and single-failing-subject's
    /// `failing`) is one shared value on the compiled engine; a let that reads an `each`
    /// element (falling-trend's `recent`) is not shared.
    @Test func aLetTwoRulesWriteAlikeIsShared() throws {
        var log = DiagnosticLog()
        let pack = try required(RulePack.load(paths: [Support.coreRules], log: &log))
        let snapshot = try Support.snapshot("pupils:\n  - { id: P1, grade: 7 }")
        let engine = CompiledEngine(index: SnapshotIndex(snapshot), rules: pack.rules)
        func lets(_ id: String) throws -> [Node] { try required(pack.rules.first { $0.id == id }).lets.map(\.node) }
        let two = try lets("failing-two-subjects")
        let one = try lets("single-failing-subject")
        #expect(engine.sharedLets[String(reflecting: two[0])] != nil)
        #expect(String(reflecting: two[0]) == String(reflecting: one[0]))
        #expect(try lets("falling-trend").allSatisfy { engine.sharedLets[String(reflecting: $0)] == nil })
        #expect(engine.sharedLets.count < pack.rules.flatMap(\.lets).count)
        // Lets that differ only in a pattern are two values.
        func rule(_ id: String, _ pattern: String) throws -> CompiledRule {
            try required(
                Support.compile(
                    """
                    id: \(id)
                    title: t
                    severity: low
                    scope: pupil
                    let:
                      hit: 'pupil.works.filter(w, w.title.matches("\(pattern)")).count()'
                    when: hit > 0
                    message: m
                    """
                ).0)
        }
        let patterns = CompiledEngine(
            index: SnapshotIndex(snapshot), rules: [try rule("a", "контрольн"), try rule("b", "диагност")])
        #expect(patterns.sharedLets.count == 2)
    }

    /// Reports the counts and the first finding that differs (not the whole lists).
    static func expectSame(_ compiled: [String], _ reference: [String], _ what: String) {
        #expect(
            compiled.count == reference.count,
            "\(what): \(compiled.count) findings compiled, \(reference.count) reference")
        if let i = zip(compiled, reference).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
            Issue.record(
                "\(what): finding \(i) differs\n  compiled:  \(compiled[i].prefix(300))\n  reference: \(reference[i].prefix(300))"
            )
        }
    }

    static func describe(_ f: Finding) -> String {
        "\(f.ruleID) \(f.entity) \(f.key) \(f.severity) \(f.message) \(f.evidence.map { "\($0.name)=\($0.value)" }) \(f.plan)"
    }
}
