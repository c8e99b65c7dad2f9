import Foundation
import Hummingbird
import MayakAlerts
import MayakEngine
import MayakHistory
import MayakRules
import MayakSnapshot
import Synchronization

/// Where the server's rules come from, so the department can try other parameters: the rule
/// folders and the overrides the server started with.
public struct RuleSource: Sendable {
    public var paths: [String]
    public var overrides: ParameterOverrides

    public init(paths: [String], overrides: ParameterOverrides = ParameterOverrides()) {
        self.paths = paths
        self.overrides = overrides
    }
}

/// The current pack's alerts on the snapshot: what a preview compares against (one scan,
/// made on the first preview and kept).
final class Baseline: Sendable {
    private let alerts = Mutex<[RunAlert]?>(nil)

    func get(_ make: () throws -> [RunAlert]) rethrows -> [RunAlert] {
        if let known = alerts.withLock({ $0 }) { return known }
        let made = try make()
        alerts.withLock { $0 = made }
        return made
    }
}

extension WebApp {
    func requireDepartment(_ context: WebContext) throws -> SignedIn {
        let user = try requireUser(context)
        guard user.scope.reach == .district else { throw WebError.forbidden }
        return user
    }

    /// «Правила»: every rule with its parameters in force, a form to change them, and, after
    /// «Показать, что изменится», what the change would do on the current snapshot (the
    /// `mayak diff --rules` of the department, as a page). Nothing is applied here.
    func rulesPage(
        _ context: WebContext, preview: [String: Any]? = nil, typed: Form? = nil, error: String? = nil,
        notice: String? = nil
    ) async throws -> Response {
        let user = try requireDepartment(context)
        let versions = try await blocking { [store] in try store.ruleSettings() }
        let rules = pack.rules.map { r -> [String: Any] in
            let values = Dictionary(
                r.parameters.map { ($0.name, $0.value.description) }, uniquingKeysWith: { a, _ in a })
            return [
                "id": r.definition.id, "title": r.definition.title, "severity": r.definition.severity.russian,
                "hasParams": !r.definition.params.isEmpty,
                "params": r.definition.params.map { p -> [String: Any] in
                    let field = "p.\(r.definition.id).\(p.name)"
                    let current = values[p.name] ?? p.defaultValue.description
                    return [
                        "field": field, "name": p.name, "description": p.description,
                        "value": typed?[field] ?? current, "current": current,
                        "range": p.minimum == nil && p.maximum == nil ? "" : p.rangeText,
                    ]
                },
            ]
        }
        var data: [String: Any] = [
            "csrf": user.session.csrf, "rules": rules, "error": error ?? false, "asOf": snapshot.manifest.asOf.russian,
            "canPreview": ruleSource != nil,
        ]
        if let preview { data["preview"] = preview }
        let inForce = self.rules.current.settings?.id
        data["hasVersions"] = !versions.isEmpty
        data["versions"] = versions.reversed().map { v -> [String: Any] in
            [
                "id": Russian.number(Int(v.id)), "at": Russian.moment(v.at), "actor": v.actor, "comment": v.comment,
                "assignments": v.assignments.joined(separator: ", "), "inForce": v.id == inForce,
            ]
        }
        return page(
            "rules", data, title: "Правила", context: context, notice: notice,
            status: error == nil ? .ok : .badRequest)
    }

    /// The alerts of a pack on the whole snapshot, as the history would record them.
    func alerts(of pack: RulePack) throws -> [RunAlert] {
        let outcome = Scanner.run(pack, index: index)
        guard outcome.faults.isEmpty else {
            throw WebError.invalid(
                "Правила не удалось применить к данным: \(outcome.faults.count) ошибок вычисления (см. mayak scan).")
        }
        return ScanResult(findings: outcome.findings, snapshot: snapshot, pack: pack).alerts.map(RunAlert.init)
    }

    func previewRules(_ context: WebContext) async throws -> Response {
        _ = try requireDepartment(context)
        guard ruleSource != nil else { throw WebError.invalid("Сервер запущен без папки правил.") }
        let (assignments, changes, problem) = parameterChanges(context.form)
        if let problem { return try await rulesPage(context, typed: context.form, error: problem) }
        let current = pack
        let baseline = self.baseline
        let started = Date()
        let tried = settings(with: assignments)
        let (diff, error) = try await blocking { [self] () -> (AlertDiff?, String?) in
            let (candidate, error) = pack(settings: tried, origin: "веб: предпросмотр")
            guard let candidate else { return (nil, error) }
            let before = try baseline.get { try self.alerts(of: current) }
            return (AlertDiff(before: before, after: try self.alerts(of: candidate)), nil)
        }
        guard let diff else {
            return try await rulesPage(
                context, typed: context.form, error: "Правила с такими параметрами не проходят проверку: \(error ?? "")"
            )
        }
        let seconds = Date().timeIntervalSince(started)
        func rows(_ counts: [AlertDiff.Count]) -> [[String: Any]] {
            counts.prefix(30).map {
                [
                    "name": $0.name, "gained": Russian.number($0.gained), "lost": Russian.number($0.lost),
                    "changed": Russian.number($0.changed),
                ]
            }
        }
        let titles = Dictionary(
            pack.rules.map { ($0.definition.id, $0.definition.title) }, uniquingKeysWith: { a, _ in a })
        func example(_ a: RunAlert, _ sign: String) -> [String: Any] {
            [
                "sign": sign, "rule": titles[a.ruleID] ?? a.ruleID,
                "who": a.subjectKind == "pupil" ? "\(a.subjectName), \(a.className), \(a.schoolName)" : a.subjectName,
                "message": a.message,
            ]
        }
        let preview: [String: Any] = [
            "changes": changes,
            "gained": Russian.number(diff.gained.count), "lost": Russian.number(diff.lost.count),
            "changed": Russian.number(diff.changed.count), "kept": Russian.number(diff.updated + diff.unchanged),
            "seconds": Russian.fixed(seconds, places: 1),
            "byRule": rows(diff.counts { titles[$0.ruleID] ?? $0.ruleID }),
            "bySchool": rows(diff.counts { $0.schoolName }),
            "byClass": rows(
                diff.counts {
                    $0.className.isEmpty ? "\($0.schoolName) (вся школа)" : "\($0.schoolName), \($0.className)"
                }),
            "examples": diff.gained.prefix(10).map { example($0, "+") } + diff.lost.prefix(10).map { example($0, "−") },
            "hasExamples": !diff.gained.isEmpty || !diff.lost.isEmpty,
            "apply": assignments.map { a -> [String: Any] in
                let (name, value) = (a.prefix { $0 != "=" }, a.drop { $0 != "=" }.dropFirst())
                return ["field": "p.\(name)", "value": String(value)]
            },
        ]
        return try await rulesPage(context, preview: preview, typed: context.form)
    }
}
