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
        abstract: Help.Plans.abstract,
        subcommands: [Adopt.self, Done.self, Close.self, Show.self])

    struct Adopt: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: Help.Plans.Adopt.abstract)
        @OptionGroup var input: SnapshotOptions
        @OptionGroup var rules: RuleOptions
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOptions
        @Option(help: Help.Common.pupil) var pupil: String
        @Option(name: .customLong("drop"), help: Help.Plans.Adopt.drop) var drop: [Int] = []
        @Option(name: .customLong("add"), help: Help.Plans.Adopt.add) var add: [String] = []

        func run() throws {
            let name = try actor.name()
            let pack = try rules.load()
            let snapshot = try input.load()
            guard let p = snapshot.pupils.id.firstIndex(of: pupil) else {
                Terminal.error(Messages.noPupil(pupil))
                throw ExitCode.failure
            }
            let c = snapshot.classes.id[Int(snapshot.pupils.classIndex[p])]
            let result = ScanResult(
                findings: try Scanning.scan(pack, index: SnapshotIndex(snapshot), scope: ScanScope(classID: c)),
                snapshot: snapshot, pack: pack)
            guard let suggestion = result.plans.first(where: { $0.pupilID == pupil }) else {
                Terminal.error(Messages.noSuggestedPlan(pupil))
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
                    Terminal.error(Messages.error(Messages.badPlanItem(extra)))
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
                Terminal.error(Messages.scanNotRecorded(db: store.db, missing: missing.count))
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
            Terminal.say(Messages.planAdopted(id, items: items.count, alerts: fingerprints.count))
        }
    }

    struct Done: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: Help.Plans.Done.abstract)
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: Help.Plans.plan) var plan: Int64
        @Argument(help: Help.Plans.Done.item) var item: Int
        @Option(help: Help.Plans.Done.date) var date: String?
        func run() throws {
            let name = try actor.name()
            if let date, Day(date) == nil {
                Terminal.error(Messages.error(Messages.badDate(flag: "--date", found: date)))
                throw ExitCode.failure
            }
            try StoreOptions.change {
                try store.open(.write).markDone(
                    planID: plan, position: item, on: date ?? Clock.today(), by: name, at: Clock.now())
            }
            Terminal.say(Messages.itemDone(plan: plan, item: item))
        }
    }

    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: Help.Plans.Close.abstract)
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: Help.Plans.plan) var plan: Int64
        func run() throws {
            let name = try actor.name()
            try StoreOptions.change { try store.open(.write).closePlan(planID: plan, at: Clock.now(), by: name) }
            Terminal.say(Messages.planClosed(plan))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: Help.Plans.Show.abstract)
        @OptionGroup var store: StoreOptions
        @Option(help: Help.Plans.Show.pupil) var pupil: String?
        func run() throws {
            let s = try store.open(.read)
            for p in try s.plans(pupilID: pupil) {
                Terminal.say(Messages.plan(p))
                for i in p.items { Terminal.say(Messages.planItem(i)) }
                for f in p.fingerprints {
                    if let a = try s.tracked(f) { Terminal.say(Messages.planAlert(f, a)) }
                }
            }
        }
    }
}
