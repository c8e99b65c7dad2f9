import ArgumentParser
import Foundation
import MayakAlerts
import MayakFiles
import MayakHistory
import MayakRules
import MayakSnapshot

struct Alerts: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The alerts kept in the history: list, show, triage, export.",
        subcommands: [
            List.self, Show.self, Acknowledge.self, Assign.self, Comment.self, Dismiss.self, Resolve.self, Reopen.self,
            Export.self,
        ])

    struct Filters: ParsableArguments {
        @Option(help: "Only this school (school_id).") var school: String?
        @Option(name: .customLong("class"), help: "Only this class (class_id).") var classID: String?
        @Option(help: "Only this rule.") var rule: String?
        @Option(help: "At least this severity.") var severity: Severity?
        @Option(help: "new, persisting, resolved or reopened.") var status: LifecycleStatus?
        @Flag(help: "Only alerts new (or back) this week, not dismissed and not covered by a plan.") var new = false
        @Flag(help: "Include resolved alerts (left out by default).") var all = false

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
        static let configuration = CommandConfiguration(abstract: "List alerts with their status.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var filters: Filters
        func run() throws {
            let s = try store.open(.read)
            let list = try filters.select(s)
            Terminal.say("Предупреждений: \(list.count)")
            var group = ""
            for a in list {
                let g = "\(a.latest.schoolName)\(a.latest.className.isEmpty ? "" : ", \(a.latest.className) класс")"
                if g != group {
                    group = g
                    Terminal.say("\n\(g)")
                }
                Terminal.say(
                    "  \(a.latest.fingerprint)  [\(a.latest.severity.russian)] \(a.latest.subjectKind == "pupil" ? a.latest.subjectName + ": " : "")\(a.latest.message)"
                )
                Terminal.say("      \(a.latest.ruleID); \(a.statusText)")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One alert: evidence, history, triage events, its plan.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The alert: its fingerprint or the fingerprint's first characters (at least 4).") var id: String
        func run() throws {
            let s = try store.open(.read)
            var resolved: String?
            try StoreOptions.change {
                resolved = try AlertID.resolve([id], among: try s.trackedAlerts().map(\.latest.fingerprint)).first
            }
            guard let fingerprint = resolved, let a = try s.tracked(fingerprint) else {
                Terminal.error("error: no alert \(id) in \(store.db)")
                throw ExitCode.failure
            }
            Terminal.say(
                "\(a.latest.ruleTitle) [\(a.latest.severity.russian)] — \(a.latest.subjectName) (\(a.latest.subjectID)), \(a.latest.className) \(a.latest.schoolName)"
            )
            Terminal.say(a.latest.message)
            if !a.latest.evidence.isEmpty { Terminal.say("Доказательства: \(a.latest.evidence)") }
            Terminal.say("Статус: \(a.statusText); впервые в прогоне №\(a.firstRun), последний раз в №\(a.lastRun)")
            if let plan = a.state.coveredByPlan, let p = try s.plans(pupilID: nil).first(where: { $0.id == plan }) {
                Terminal.say("План №\(p.id) (принят \(Russian.moment(p.adoptedAt)), \(p.adoptedBy)):")
                for i in p.items {
                    Terminal.say(
                        "  \(i.position). \(i.action) — \(i.role), до \(Russian.moment(i.due))\(i.doneOn.map { " ✔ \(Russian.moment($0))" } ?? "")"
                    )
                }
            }
            let events = try s.events(fingerprint)
            if !events.isEmpty { Terminal.say("История:") }
            for e in events {
                Terminal.say(
                    "  \(Russian.moment(e.at)) \(e.actor): \(e.kind.russian)\(e.detail.isEmpty ? "" : " — \(e.detail)")"
                )
            }
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
                if let a = try s.tracked(fingerprint) { Terminal.say("\(fingerprint): \(a.statusText)") }
            }
        }
    }

    struct Acknowledge: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ack", abstract: "Take an alert into work.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOptions
        @Argument(
            help: "The alerts: fingerprints or their first characters (at least 4); several for one action on each.")
        var ids: [String]
        func run() throws { try Alerts.act(store, actor, ids, .acknowledge, "") }
    }

    struct Assign: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Assign an alert to a person.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOptions
        @Argument(
            help: "The alerts: fingerprints or their first characters (at least 4); several for one action on each.")
        var ids: [String]
        @Option(help: "Who will handle it.") var to: String
        func run() throws { try Alerts.act(store, actor, ids, .assign, to) }
    }

    struct Comment: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a comment.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOptions
        @Argument(
            help: "The alerts: fingerprints or their first characters (at least 4); several for one action on each.")
        var ids: [String]
        @Option(help: "The comment.") var text: String
        func run() throws { try Alerts.act(store, actor, ids, .comment, text) }
    }

    struct Dismiss: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Dismiss an alert with a reason; it comes back only if it gets worse.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOptions
        @Argument(
            help: "The alerts: fingerprints or their first characters (at least 4); several for one action on each.")
        var ids: [String]
        @Option(help: "Why it is dismissed.") var reason: String
        func run() throws { try Alerts.act(store, actor, ids, .dismiss, reason) }
    }

    struct Resolve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mark an alert resolved; it reopens if it fires again.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOptions
        @Argument(
            help: "The alerts: fingerprints or their first characters (at least 4); several for one action on each.")
        var ids: [String]
        @Option(help: "What was done.") var note: String = ""
        func run() throws { try Alerts.act(store, actor, ids, .resolve, note) }
    }

    struct Reopen: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open a dismissed or resolved alert again.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var actor: ActorOptions
        @Argument(
            help: "The alerts: fingerprints or their first characters (at least 4); several for one action on each.")
        var ids: [String]
        func run() throws { try Alerts.act(store, actor, ids, .reopen, "") }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export alerts with their status to CSV for a Russian Excel (UTF-8 BOM, ';').")
        @OptionGroup var store: StoreOptions
        @OptionGroup var filters: Filters
        @Option(help: "The CSV file (written atomically).") var out: String
        func run() throws {
            let s = try store.open(.read)
            let output = try Output.open(out)
            let text = ExcelCSV.document(
                header: [
                    "Школа", "Класс", "Тип", "Код", "ФИО / объект", "Правило", "Важность", "Сообщение",
                    "Доказательства",
                    "Статус", "Недель", "Решение", "Ответственный", "Отпечаток",
                ],
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
