import MayakRules
import MayakSnapshot
import Testing

@testable import MayakHistory

/// What each triage action does to an alert's state, and what the next run does with it, in
/// both stores (the helpers are StoreContractTests').
@Suite struct TriageContractTests {
    typealias Kind = StoreContractTests.Kind

    func store(_ kind: Kind, alerts: [RunAlert]) throws -> HistoryStore {
        let s = try StoreContractTests.make(kind)
        _ = try s.record(StoreContractTests.run(1), alerts: alerts, scope: (nil, nil))
        return s
    }

    func event(_ kind: TriageEvent.Kind, _ detail: String = "", on f: String = "a") -> TriageEvent {
        TriageEvent(fingerprint: f, at: "2026-03-03T10:00:00Z", actor: "Завуч", kind: kind, detail: detail)
    }

    @Test(arguments: Kind.allCases)
    func assigningAcknowledgesAnOpenAlertButLeavesADismissedOneDismissed(kind: Kind) throws {
        let s = try store(kind, alerts: [StoreContractTests.alert("a"), StoreContractTests.alert("b")])
        try s.triage(event(.assign, "Иванова А. П."), observation: nil)
        #expect(try s.tracked("a")?.state.triage == .acknowledged)
        #expect(try s.tracked("a")?.assignee == "Иванова А. П.")
        try s.triage(event(.dismiss, "болел", on: "b"), observation: nil)
        try s.triage(event(.assign, "Петров", on: "b"), observation: nil)
        #expect(try s.tracked("b")?.state.triage == .dismissed)
        #expect(try s.tracked("b")?.assignee == "Петров")
    }

    @Test(arguments: Kind.allCases)
    func aDismissalRemembersTheSeverityAndARiseReopens(kind: Kind) throws {
        let s = try store(kind, alerts: [StoreContractTests.alert("a", severity: .medium, magnitude: 2)])
        try s.triage(event(.dismiss, "болел, справка"), observation: nil)
        #expect(try s.tracked("a")?.state.dismissedSeverity == .medium)
        #expect(try s.tracked("a")?.state.dismissedMagnitude == 2)
        // The same measure, a higher severity: open again, saying why.
        _ = try s.record(
            StoreContractTests.run(2), alerts: [StoreContractTests.alert("a", severity: .high, magnitude: 2)],
            scope: (nil, nil))
        let t = try #require(try s.tracked("a"))
        #expect(t.state.triage == .open)
        #expect(t.state.reopenedBecause == "снова открыто: важность выросла: «средняя» → «высокая»")
        #expect(t.state.dismissedSeverity == nil && t.state.dismissedMagnitude == nil)
        // Acting on it again clears the reason.
        try s.triage(event(.acknowledge), observation: nil)
        #expect(try s.tracked("a")?.state.triage == .acknowledged)
        #expect(try s.tracked("a")?.state.reopenedBecause == nil)
    }

    @Test(arguments: Kind.allCases)
    func reopeningUndoesADismissalOrAResolution(kind: Kind) throws {
        let s = try store(kind, alerts: [StoreContractTests.alert("a"), StoreContractTests.alert("b")])
        try s.triage(event(.dismiss, "ошибка в журнале"), observation: nil)
        try s.triage(event(.reopen), observation: nil)
        let a = try #require(try s.tracked("a"))
        #expect(a.state.triage == .open)
        #expect(a.state.dismissedSeverity == nil && a.state.dismissedMagnitude == nil)
        try s.triage(event(.resolve, on: "b"), observation: nil)
        #expect(try s.tracked("b")?.state.triage == .resolved)
        try s.triage(event(.reopen, on: "b"), observation: nil)
        #expect(try s.tracked("b")?.state.triage == .open)
        #expect(try s.events("a").map(\.kind) == [.dismiss, .reopen])
    }

    @Test(arguments: Kind.allCases)
    func aSchoolRunResolvesOnlyThatSchoolsAlerts(kind: Kind) throws {
        let s = try store(
            kind, alerts: [StoreContractTests.alert("a", school: "S1"), StoreContractTests.alert("b", school: "S2")])
        _ = try s.record(StoreContractTests.run(2), alerts: [], scope: ("S1", nil))
        #expect(try s.tracked("a")?.state.status == .resolved)
        #expect(try s.tracked("b")?.state.status == .new)
        #expect(try s.tracked("b")?.seenInRun == 1)
    }

    @Test(arguments: Kind.allCases)
    func markingAStepDoneTouchesThatStepOnly(kind: Kind) throws {
        let s = try store(kind, alerts: [StoreContractTests.alert("a")])
        let id = try s.adoptPlan(
            AdoptedPlan(
                id: 0, pupilID: "P1", pupilName: "Ученик P1", adoptedAt: "t", adoptedBy: "Завуч", closedAt: nil,
                items: [
                    .init(position: 1, action: "Занятия", role: "учитель", due: "2026-03-20", check: "Отметки"),
                    .init(position: 2, action: "Беседа", role: "классный руководитель", due: "2026-03-27", check: "—"),
                    .init(position: 3, action: "Встреча", role: "родители", due: "2026-04-03", check: "—"),
                ],
                fingerprints: ["a"]))
        try s.markDone(planID: id, position: 2, on: "2026-03-18", by: "Учитель", at: "2026-03-18T10:00:00Z")
        let items = try #require(try s.plans(pupilID: "P1").first).items
        #expect(items.map(\.doneOn) == [nil, "2026-03-18", nil])
        #expect(items.map(\.doneBy) == [nil, "Учитель", nil])
    }

    @Test(arguments: Kind.allCases)
    func aPlansEditsAndStepsAreKeptAndWrittenIntoItsAlertsHistory(kind: Kind) throws {
        let s = try store(kind, alerts: [StoreContractTests.alert("a"), StoreContractTests.alert("b")])
        let plan = AdoptedPlan(
            id: 0, pupilID: "P1", pupilName: "Ученик P1", adoptedAt: "2026-03-16T09:00:00Z", adoptedBy: "Иванова",
            closedAt: nil,
            items: [
                .init(
                    position: 1, action: "Занятия по дробям", role: "учитель математики", responsible: "Петров П. П.",
                    due: "2026-03-27", check: "Отметки", origin: .changed),
                .init(position: 2, action: "Беседа", role: "классный руководитель", due: "2026-03-20", check: "—"),
                .init(
                    position: 3, action: "Встреча с мамой", role: "классный руководитель", responsible: "Иванова",
                    due: "2026-03-23", check: "Протокол", origin: .added),
            ],
            fingerprints: ["a", "b"], dropped: ["Консультация психолога", "Беседа с родителями"])
        let id = try s.adoptPlan(plan)
        var expected = plan
        expected.id = id
        #expect(try s.plans(pupilID: "P1") == [expected])
        #expect(try s.plans(pupilID: nil) == [expected])
        for f in ["a", "b"] {
            let e = try #require(try s.events(f).last)
            #expect(e.kind == .planAdopted)
            #expect(e.actor == "Иванова")
            #expect(e.at == "2026-03-16T09:00:00Z")
            #expect(e.detail == "план №\(id) (исключено пунктов: 2, изменено: 1, добавлено: 1)")
        }
        try s.markDone(planID: id, position: 3, on: "2026-03-18", by: "Иванова", at: "2026-03-18T15:30:00Z")
        let done = try #require(try s.events("b").last)
        #expect(done.kind == .planStepDone)
        #expect(done.at == "2026-03-18T15:30:00Z")
        #expect(done.detail == "план №\(id), пункт 3: Встреча с мамой")
        try s.closePlan(planID: id, at: "2026-04-01T08:00:00Z", by: "Завуч")
        #expect(try s.events("a").map(\.kind) == [.planAdopted, .planStepDone, .planClosed])
        #expect(try s.events("a").last?.actor == "Завуч")
        // A plan over an alert the history does not hold is refused, and nothing is kept.
        var stray = plan
        stray.pupilID = "P9"
        stray.fingerprints = ["zzz"]
        #expect(throws: (any Error).self) { try s.adoptPlan(stray) }
        #expect(try s.plans(pupilID: "P9").isEmpty)
    }

    @Test(arguments: Kind.allCases)
    func aSchoolsOrAPupilsAlertsAreReadAlone(kind: Kind) throws {
        let s = try store(
            kind,
            alerts: [
                StoreContractTests.alert("a", school: "S1"), StoreContractTests.alert("b", pupil: "P2"),
                StoreContractTests.alert("c", school: "S2"), StoreContractTests.alert("d", pupil: "P2", school: "S2"),
            ])
        func ids(_ school: String?, _ subject: String?) throws -> [String] {
            try s.trackedAlerts(schoolID: school, subjectID: subject).map(\.latest.fingerprint)
        }
        #expect(try ids(nil, nil) == (try s.trackedAlerts()).map(\.latest.fingerprint))
        #expect(try ids("S2", nil) == ["c", "d"])
        #expect(try ids(nil, "P2") == ["b", "d"])
        #expect(try ids("S2", "P2") == ["d"])
        #expect(try ids("S9", nil).isEmpty)
        // After a later run the alerts read are the latest run's view.
        _ = try s.record(
            StoreContractTests.run(2), alerts: [StoreContractTests.alert("d", pupil: "P2", school: "S2")],
            scope: (nil, nil))
        #expect(try s.trackedAlerts(schoolID: "S2", subjectID: nil).map(\.state.status) == [.resolved, .persisting])
    }
}
