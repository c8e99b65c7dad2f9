import ArgumentParser
import Foundation
import MayakAlerts
import MayakFiles
import MayakHistory
import MayakRules
import MayakSnapshot

struct Alerts: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: Help.Alerts.abstract,
        subcommands: [
            List.self, Show.self, Acknowledge.self, Assign.self, Comment.self, Dismiss.self, Resolve.self, Reopen.self,
            Export.self,
        ])

    struct Filters: ParsableArguments {
        @Option(help: Help.Alerts.school) var school: String?
        @Option(name: .customLong("class"), help: Help.Alerts.filterClass) var classID: String?
        @Option(help: Help.Common.rule) var rule: String?
        @Option(help: Help.Alerts.severity) var severity: Severity?
        @Option(help: Help.Alerts.status) var status: LifecycleStatus?
        @Flag(help: Help.Alerts.new) var new = false
        @Flag(help: Help.Alerts.all) var all = false

        var filter: AlertFilter {
            var f = AlertFilter()
            f.schoolID = school
            f.classID = classID
            f.ruleID = rule
            f.minSeverity = severity
            f.status = status
            f.newThisWeek = new
            return f
        }

        func select(_ store: HistoryStore) throws -> [TrackedAlert] {
            try store.trackedAlerts().filter {
                filter.matches($0) && (all || status != nil || $0.state.status != .resolved)
            }
            .sorted {
                ($0.latest.schoolID, $0.latest.classID, $0.latest.subjectID, -$0.latest.severity.rank) < (
                    $1.latest.schoolID, $1.latest.classID, $1.latest.subjectID, -$1.latest.severity.rank
                )
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: Help.Alerts.List.abstract)
        @OptionGroup var store: StoreOptions
        @OptionGroup var filters: Filters
        func run() throws {
            let s = try store.open(.read)
            let list = try filters.select(s)
            Terminal.say(Messages.alertCount(list.count))
            var group = ""
            for a in list {
                let g = Messages.alertGroup(school: a.latest.schoolName, className: a.latest.className)
                if g != group {
                    group = g
                    Terminal.say("\n\(g)")
                }
                Terminal.say(Messages.alertLine(a))
                Terminal.say(Messages.alertRuleAndStatus(a))
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: Help.Alerts.Show.abstract)
        @OptionGroup var store: StoreOptions
        @Argument(help: Help.Alerts.Show.id) var id: String
        func run() throws {
            let s = try store.open(.read)
            var resolved: String?
            try StoreOptions.change {
                resolved = try AlertID.resolve([id], among: try s.trackedAlerts().map(\.latest.fingerprint)).first
            }
            guard let fingerprint = resolved, let a = try s.tracked(fingerprint) else {
                Terminal.error(Messages.noAlert(id, in: store.db))
                throw ExitCode.failure
            }
            Terminal.say(Messages.alertHeading(a))
            Terminal.say(a.latest.message)
            if !a.latest.evidence.isEmpty { Terminal.say(Messages.evidence(a.latest.evidence)) }
            Terminal.say(Messages.alertStatus(a))
            if let plan = a.state.coveredByPlan, let p = try s.plans(pupilID: nil).first(where: { $0.id == plan }) {
                Terminal.say(Messages.planOfAlert(p))
                for i in p.items { Terminal.say(Messages.planItemOfAlert(i)) }
            }
            let events = try s.events(fingerprint)
            if !events.isEmpty { Terminal.say(Messages.history) }
            for e in events { Terminal.say(Messages.event(e)) }
        }
    }

    /// The shared shape of the triage commands.
    /// One triage action on each alert named (a fingerprint or its first characters); all
    /// are resolved before any is changed, so a typo in a bulk action changes nothing.
    static func act(
        _ store: StoreOptions, _ actor: ActorOptions, _ ids: [String], _ kind: TriageEvent.Kind, _ detail: String
    ) throws {
        let s = try store.open(.write)
        let name = try actor.name()
        try StoreOptions.change {
            let fingerprints = try AlertID.resolve(ids, among: try s.trackedAlerts().map(\.latest.fingerprint))
            for fingerprint in fingerprints {
                try s.triage(
                    TriageEvent(fingerprint: fingerprint, at: Clock.now(), actor: name, kind: kind, detail: detail),
                    observation: nil)
                if let a = try s.tracked(fingerprint) { Terminal.say(Messages.triaged(fingerprint, a)) }
            }
        }
    }

    struct Acknowledge: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ack", abstract: Help.Alerts.Acknowledge.abstract)
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: Help.Alerts.ids) var ids: [String]
        func run() throws { try Alerts.act(store, actor, ids, .acknowledge, "") }
    }

    struct Assign: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: Help.Alerts.Assign.abstract)
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: Help.Alerts.ids) var ids: [String]
        @Option(help: Help.Alerts.Assign.to) var to: String
        func run() throws { try Alerts.act(store, actor, ids, .assign, to) }
    }

    struct Comment: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: Help.Alerts.Comment.abstract)
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: Help.Alerts.ids) var ids: [String]
        @Option(help: Help.Alerts.Comment.text) var text: String
        func run() throws { try Alerts.act(store, actor, ids, .comment, text) }
    }

    struct Dismiss: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: Help.Alerts.Dismiss.abstract)
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: Help.Alerts.ids) var ids: [String]
        @Option(help: Help.Alerts.Dismiss.reason) var reason: String
        func run() throws { try Alerts.act(store, actor, ids, .dismiss, reason) }
    }

    struct Resolve: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: Help.Alerts.Resolve.abstract)
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: Help.Alerts.ids) var ids: [String]
        @Option(help: Help.Alerts.Resolve.note) var note: String = ""
        func run() throws { try Alerts.act(store, actor, ids, .resolve, note) }
    }

    struct Reopen: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: Help.Alerts.Reopen.abstract)
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: Help.Alerts.ids) var ids: [String]
        func run() throws { try Alerts.act(store, actor, ids, .reopen, "") }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: Help.Alerts.Export.abstract)
        @OptionGroup var store: StoreOptions
        @OptionGroup var filters: Filters
        @Option(help: Help.Alerts.Export.out) var out: String
        func run() throws {
            let s = try store.open(.read)
            let output = try Output.open(out)
            let text = ExcelCSV.document(
                header: Messages.exportHeader,
                rows: try filters.select(s).map { a in
                    let l = a.latest
                    return [
                        l.schoolName, l.className, RuleScope(rawValue: l.subjectKind)?.russian ?? l.subjectKind,
                        l.subjectID, l.subjectName, l.ruleTitle,
                        l.severity.russian, l.message,
                        l.evidence, a.state.status.russian, String(a.state.weeksOpen),
                        a.state.triage.russian + (a.state.reopenedBecause.map { " (\($0))" } ?? ""),
                        a.assignee ?? "", l.fingerprint,
                    ]
                })
            try Output.write(to: output) { emit in try emit(text) }
        }
    }
}
