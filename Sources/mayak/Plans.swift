import ArgumentParser
import Foundation
import MayakAlerts
import MayakEngine
import MayakFiles
import MayakHistory
import MayakRules
import MayakSnapshot

struct Plans: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Individual plans: adopt a suggested plan, mark items done, close it.",
        subcommands: [Adopt.self, Done.self, Close.self, Show.self])

    struct Adopt: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Adopt the suggested plan for a pupil (from a fresh scan of the snapshot), whole or without some items."
        )
        @OptionGroup var input: SnapshotOptions
        @OptionGroup var rules: RuleOptions
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOptions
        @Option(help: "The pupil (pupil_id).") var pupil: String
        @Option(name: .customLong("drop"), help: "Leave out this item of the suggestion (its number; repeatable).")
        var drop: [Int] = []
        @Option(
            name: .customLong("add"),
            help: "Add an item: \"action|role|YYYY-MM-DD|how checked\", optionally \"|who\" (repeatable).")
        var add: [String] = []

        func run() throws {
            let name = try actor.name()
            let pack = try rules.load()
            let snapshot = try input.load()
            guard let p = snapshot.pupils.id.firstIndex(of: pupil) else {
                Terminal.error("error: no pupil '\(pupil)' in the snapshot")
                throw ExitCode.failure
            }
            let c = snapshot.classes.id[Int(snapshot.pupils.classIndex[p])]
            let result = ScanResult(
                findings: try Scanning.scan(pack, index: SnapshotIndex(snapshot), scope: ScanScope(classID: c)),
                snapshot: snapshot, pack: pack)
            guard let suggestion = result.plans.first(where: { $0.pupilID == pupil }) else {
                Terminal.error("error: no alerts, so no suggested plan, for pupil '\(pupil)'")
                throw ExitCode.failure
            }
            var items: [AdoptedPlan.Item] = []
            var dropped: [String] = []
            for (n, item) in suggestion.items.enumerated() {
                if drop.contains(n + 1) {
                    dropped.append(item.action)
                    continue
                }
                items.append(
                    .init(
                        position: items.count + 1, action: item.action, role: item.role, due: item.due.description,
                        check: item.check))
            }
            for extra in add {
                let parts = extra.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
                guard parts.count == 4 || parts.count == 5, Day(parts[2]) != nil else {
                    Terminal.error(
                        "error: --add takes \"action|role|YYYY-MM-DD|how checked\" or \"…|how checked|who\", found '\(extra)'"
                    )
                    throw ExitCode.failure
                }
                items.append(
                    .init(
                        position: items.count + 1, action: parts[0], role: parts[1],
                        responsible: parts.count == 5 ? parts[4] : "", due: Day(parts[2])?.description ?? parts[2],
                        check: parts[3], origin: .added))
            }
            let s = try store.open(.write)
            let fingerprints = result.alerts.filter { $0.subject.id == pupil && $0.subject.kind == .pupil }.map(
                \.fingerprint)
            let known = Set(try s.trackedAlerts().map(\.latest.fingerprint))
            let missing = fingerprints.filter { !known.contains($0) }
            guard missing.isEmpty else {
                Terminal.error(
                    "error: record a scan first (mayak scan SNAPSHOT --db \(store.db)): \(missing.count) of the pupil's alerts are not in the history"
                )
                throw ExitCode.failure
            }
            var adopted: Int64?
            try StoreOptions.change {
                adopted = try s.adoptPlan(
                    AdoptedPlan(
                        id: 0, pupilID: pupil, pupilName: snapshot.pupils.fullName[p], adoptedAt: Clock.now(),
                        adoptedBy: name,
                        closedAt: nil, items: items, fingerprints: fingerprints, dropped: dropped))
            }
            guard let id = adopted else { throw ExitCode.failure }
            let steps = "\(items.count) \(Russian.plural(items.count, "мероприятие", "мероприятия", "мероприятий"))"
            let covered =
                "\(fingerprints.count) \(Russian.plural(fingerprints.count, "предупреждение", "предупреждения", "предупреждений"))"
            Terminal.say("План №\(id) принят: \(steps); охватывает \(covered)")
        }
    }

    struct Done: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark a plan item done.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The plan's number.") var plan: Int64
        @Argument(help: "The item's number.") var item: Int
        @Option(help: "When it was done (YYYY-MM-DD; default today).") var date: String?
        func run() throws {
            let name = try actor.name()
            if let date, Day(date) == nil {
                Terminal.error("error: --date: expected YYYY-MM-DD, found '\(date)'")
                throw ExitCode.failure
            }
            try StoreOptions.change {
                try store.open(.write).markDone(
                    planID: plan, position: item, on: date ?? Clock.today(), by: name, at: Clock.now())
            }
            Terminal.say("План №\(plan), пункт \(item): выполнен")
        }
    }

    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Close a plan; its alerts are no longer covered.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The plan's number.") var plan: Int64
        func run() throws {
            let name = try actor.name()
            try StoreOptions.change { try store.open(.write).closePlan(planID: plan, at: Clock.now(), by: name) }
            Terminal.say("План №\(plan) закрыт")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A pupil's adopted plans, with the alerts they address.")
        @OptionGroup var store: StoreOptions
        @Option(help: "The pupil (pupil_id); default: all plans.") var pupil: String?
        func run() throws {
            let s = try store.open(.read)
            for p in try s.plans(pupilID: pupil) {
                Terminal.say(
                    "План №\(p.id): \(p.pupilName) (\(p.pupilID)), принят \(Russian.moment(p.adoptedAt)) (\(p.adoptedBy))\(p.closedAt.map { ", закрыт \(Russian.moment($0))" } ?? ", действует")"
                )
                for i in p.items {
                    Terminal.say(
                        "  \(i.position). \(i.action) — \(i.role)\(i.responsible.isEmpty ? "" : " (\(i.responsible))"), до \(Russian.moment(i.due)); контроль: \(i.check)\(i.doneOn.map { " — выполнено \(Russian.moment($0))" } ?? "")"
                    )
                }
                for f in p.fingerprints {
                    if let a = try s.tracked(f) {
                        Terminal.say("  ⟵ \(f) [\(a.latest.severity.russian)] \(a.latest.message) — \(a.statusText)")
                    }
                }
            }
        }
    }
}
