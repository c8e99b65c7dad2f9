import Foundation
import MayakRules
import MayakSnapshot

/// A set of rules, loaded, checked and compiled: what `scan` runs.
public struct RulePack: Sendable {
    public var rules: [CompiledRule]
    /// A hash of the rule files' contents, so runs can say which pack they used.
    public var hash: String
    /// The pack's version as its authors name it: the first line of a VERSION file in the
    /// first rules folder, or "unversioned".
    public var version: String = "unversioned"

    /// Loads rules with the district's settings kept in the history (`rule.parameter=value`,
    /// said to come from `origin`) under `overrides` (what the command itself was given wins).
    /// A setting of a rule or parameter the pack no longer has is left out, with a warning: a
    /// rule renamed in the files does not stop every later scan.
    public static func load(
        paths: [String], settings: [String], origin: String, overrides: ParameterOverrides = ParameterOverrides(),
        log: inout DiagnosticLog
    ) -> RulePack? {
        var scratch = DiagnosticLog(cap: 1)
        let parameters = Dictionary(
            RuleLoader().load(paths: paths, log: &scratch).map { ($0.id, Set($0.params.map(\.name))) },
            uniquingKeysWith: { a, _ in a })
        var merged = ParameterOverrides()
        for a in settings {
            var one = ParameterOverrides()
            guard one.set(a) == nil, let (rule, values) = one.values.first, let (name, value) = values.first else {
                log.warning("bad-setting", file: origin, "'\(a)' is not rule.parameter=value; left out")
                continue
            }
            guard parameters[rule]?.contains(name) == true else {
                log.warning(
                    "stale-setting", file: origin,
                    "\(rule).\(name): the pack has no such \(parameters[rule] == nil ? "rule" : "parameter"); left out")
                continue
            }
            merged.set(rule: rule, parameter: name, text: value.text, origin: origin)
        }
        for (rule, values) in overrides.values {
            for (name, value) in values {
                merged.set(rule: rule, parameter: name, text: value.text, origin: value.origin)
            }
        }
        return load(paths: paths, overrides: merged, log: &log)
    }

    /// Loads rules from folders or files, applies overrides, checks every rule. Returns nil
    /// when there are errors (all of them are in `log`).
    public static func load(
        paths: [String], overrides: ParameterOverrides = ParameterOverrides(),
        log: inout DiagnosticLog
    ) -> RulePack? {
        let definitions = RuleLoader().load(paths: paths, log: &log)
        var compiled: [CompiledRule] = []
        let known = Set(definitions.map(\.id))
        for (rule, _) in overrides.values where !known.contains(rule) {
            let origin = overrides.values[rule]?.values.first?.origin ?? "overrides"
            log.error(
                "bad-override", file: origin,
                "no rule '\(rule)' in the pack"
                    + (Suggest.closest(rule, in: Array(known)).map { "; did you mean '\($0)'?" } ?? ""))
        }
        for definition in definitions {
            if let rule = Checker.compile(definition, overrides: overrides.values[definition.id] ?? [:], log: &log) {
                compiled.append(rule)
            }
        }
        guard !log.hasErrors else { return nil }
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for path in paths {
            for file in RuleLoader.ruleFiles(at: path) {
                for b in RuleLoader.contents(of: file) ?? [] {
                    h = (h ^ UInt64(b)) &* 0x100_0000_01B3
                }
            }
        }
        // Sixteen hex digits always (a hash with a leading zero printed 15).
        let hex = String(h, radix: 16)
        var pack = RulePack(rules: compiled, hash: String(repeating: "0", count: 16 - hex.count) + hex)
        if let first = paths.first,
            let bytes = RuleLoader.contents(of: (first as NSString).appendingPathComponent("VERSION")),
            case let text = String(decoding: bytes, as: UTF8.self),
            let line = text.split(separator: "\n").first?.trimmingCharacters(in: .whitespaces), !line.isEmpty
        {
            pack.version = line
        }
        return pack
    }

    public func rule(id: String) -> CompiledRule? { rules.first { $0.id == id } }
}

/// Which entities a scan looks at.
public struct ScanScope: Sendable {
    public var schoolID: String?
    public var classID: String?
    public init(schoolID: String? = nil, classID: String? = nil) {
        self.schoolID = schoolID
        self.classID = classID
    }
}

/// Which evaluator a scan uses. Both give the same alerts (the differential tests check it).
public enum ScanEngine: String, Sendable, CaseIterable {
    /// Rules compiled into closures over the snapshot's columns, on every core.
    case compiled
    /// The plain tree-walking interpreter on one core: simple, slow, the yardstick.
    case reference
}

/// Runs a rule pack over a snapshot.
public enum Scanner {
    /// The schools, classes and pupils a scope covers, in snapshot order. A class's scope is
    /// its pupils and the class itself: no school's alerts, not even its own school's (what a
    /// class teacher sees and acts on).
    static func entities(_ index: SnapshotIndex, _ scope: ScanScope) -> (
        schools: [Int], classes: [Int], pupils: [Int32]
    ) {
        let s = index.snapshot
        let inSchool = (0..<s.schools.count).filter { scope.schoolID == nil || s.schools.id[$0] == scope.schoolID }
        let schoolSet = Set(inSchool)
        let classes = (0..<s.classes.count).filter {
            schoolSet.contains(Int(s.classes.school[$0])) && (scope.classID == nil || s.classes.id[$0] == scope.classID)
        }
        return (scope.classID == nil ? inSchool : [], classes, classes.flatMap { index.classPupils[$0] })
    }

    /// Every finding, rule by rule: first the rules that look at the gradebook, then those
    /// that look at other rules' alerts (two or more indicators). Throws when a rule could not
    /// be evaluated for some entity (an overflow from the data): a scan never gives a silently
    /// partial answer.
    public static func scan(
        _ pack: RulePack, index: SnapshotIndex, scope: ScanScope = ScanScope(),
        engine: ScanEngine = .compiled
    ) throws(ScanFailure) -> [Finding] {
        let outcome = run(pack, index: index, scope: scope, engine: engine)
        guard outcome.faults.isEmpty else { throw ScanFailure(faults: outcome.faults) }
        return outcome.findings
    }

    /// The findings, and the faults of the rules and entities that could not be evaluated
    /// (ordered by rule and entity, the same on both engines).
    public static func run(
        _ pack: RulePack, index: SnapshotIndex, scope: ScanScope = ScanScope(),
        engine: ScanEngine = .compiled
    ) -> ScanOutcome {
        var outcome: ScanOutcome
        switch engine {
        case .compiled: outcome = CompiledScan(pack: pack, index: index, scope: scope).run()
        case .reference: outcome = referenceScan(pack, index: index, scope: scope)
        }
        outcome.faults.sort { ($0.rule, $0.entity, $0.message) < ($1.rule, $1.entity, $1.message) }
        return outcome
    }

    /// Warnings for the patterns that gave up on texts (PCRE2's match or depth limit): one per
    /// pattern, with how many distinct texts and the first of them; ordered by rule and pattern.
    static func limitWarnings(_ hits: [(regex: Regex, texts: Set<String>)]) -> [String] {
        var merged: [ObjectIdentifier: (regex: Regex, texts: Set<String>)] = [:]
        for h in hits { merged[ObjectIdentifier(h.regex), default: (h.regex, [])].texts.formUnion(h.texts) }
        return merged.values.sorted { ($0.regex.owner, $0.regex.pattern) < ($1.regex.owner, $1.regex.pattern) }.map {
            h in
            let first = h.texts.min() ?? ""
            let shown = first.count > 40 ? String(first.prefix(40)) + "…" : first
            return
                "warning: rule \(h.regex.owner): the pattern '\(h.regex.pattern)' passed PCRE2's match limit on \(h.texts.count) "
                + "text\(h.texts.count == 1 ? "" : "s") (taken as not matching), such as «\(shown)»"
        }
    }

    /// The reference scan: one evaluator, one entity after another.
    static func referenceScan(_ pack: RulePack, index: SnapshotIndex, scope: ScanScope) -> ScanOutcome {
        let (schools, classes, pupils) = entities(index, scope)
        let evaluator = Evaluator(index: index)
        var findings: [Finding] = []
        // Pupil rules pupil by pupil, so that what several rules compute about one pupil is
        // computed once (Evaluator's memo); class and school rules rule by rule.
        func run(_ rules: [CompiledRule]) {
            let pupilRules = rules.filter { $0.definition.scope == .pupil }
            if !pupilRules.isEmpty {
                for p in pupils {
                    evaluator.forget()
                    for rule in pupilRules { findings += evaluator.evaluate(rule, on: .pupil(p)) }
                }
                evaluator.forget()
            }
            for rule in rules {
                switch rule.definition.scope {
                case .pupil: break
                case .class: for c in classes { findings += evaluator.evaluate(rule, on: .class(Int32(c))) }
                case .school:
                    // A class scope still shows the alerts of its school.
                    for sc in schools { findings += evaluator.evaluate(rule, on: .school(Int32(sc))) }
                }
            }
        }
        run(pack.rules.filter { !$0.usesAlerts })
        evaluator.alertsByPupil = alertsByPupil(findings)
        run(pack.rules.filter(\.usesAlerts))
        return ScanOutcome(
            findings: findings, faults: evaluator.faults,
            warnings: limitWarnings(Array(evaluator.limitHits.values)))
    }

    /// Pupils' alerts as rules that count indicators see them.
    public static func alertsByPupil(_ findings: [Finding]) -> [Int32: [AlertSummary]] {
        var byPupil: [Int32: [AlertSummary]] = [:]
        // Read in place: a copy of a finding retains each of its texts.
        findings.withUnsafeBufferPointer { findings in
            for i in findings.indices {
                if case .pupil(let p) = findings[i].entity { byPupil[p, default: []].append(AlertSummary(findings[i])) }
            }
        }
        return byPupil
    }
}

/// What a scan found, and what it could not evaluate.
public struct ScanOutcome: @unchecked Sendable {
    public var findings: [Finding]
    public var faults: [RuleFault]
    /// What the scan could not do exactly but did (a pattern that gave up on a text).
    public var warnings: [String] = []
}

/// A scan in which some rule could not be evaluated for some entity.
public struct ScanFailure: Error, Sendable, CustomStringConvertible {
    public var faults: [RuleFault]

    public init(faults: [RuleFault]) { self.faults = faults }

    /// The faults, at most `cap` of them, then how many more.
    /// The faults, at most `cap` of them, and a last line: how many, and `consequence`.
    public func rendered(cap: Int = 20, consequence: String = "no alerts were written") -> String {
        var lines = faults.prefix(cap).map(\.description)
        if faults.count > cap { lines.append("… and \(faults.count - cap) more") }
        lines.append("\(faults.count) rule evaluation\(faults.count == 1 ? "" : "s") failed; \(consequence)")
        return lines.joined(separator: "\n")
    }

    public var description: String { rendered() }
}
