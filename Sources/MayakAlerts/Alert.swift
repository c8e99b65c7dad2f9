import MayakEngine
import MayakRules
import MayakSnapshot

/// An alert: which rule fired, on whom, why (the evidence), and a fingerprint that stays the
/// same next week for the same rule, subject and key.
public struct Alert: Sendable {
    public struct Subject: Sendable, Equatable {
        public var kind: RuleScope
        public var id: String
        public var name: String
        public var classID: String?
        public var className: String?
        public var classTeacher: String?
        public var schoolID: String
        public var schoolName: String
        /// Dense indexes, for grouping.
        public var schoolIndex: Int
        public var classIndex: Int?
        public var pupilIndex: Int?
    }

    public var ruleID: String
    public var ruleTitle: String
    public var severity: Severity
    public var indicator: String?
    public var subject: Subject
    public var key: String
    public var message: String
    public var evidence: [(name: String, value: EvidenceValue)]
    /// The rule's measure of how bad the alert is (`worse_when`), and what it says.
    public var worse: Finding.Worse?
    /// The parameters in force, so a reader sees the thresholds the rule used.
    public var parameters: [(name: String, value: String)]
    public var fingerprint: String
    public var plan: [PlanStep]

    /// A stable 64-bit FNV-1a of rule, subject kind, subject id and key (separated by U+001F),
    /// in hex. History matches alerts from run to run by it: it must never change.
    public static func fingerprint(rule: String, kind: RuleScope, subjectID: String, key: String) -> String {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        func add(_ text: String) { for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 } }
        func separator() { h = (h ^ 0x1F) &* 0x100_0000_01B3 }
        add(rule)
        separator()
        add(kind.rawValue)
        separator()
        add(subjectID)
        separator()
        add(key)
        return String(unsafeUninitializedCapacity: 16) { digits in
            for i in 0..<16 {
                let nibble = UInt8(truncatingIfNeeded: h >> (60 - 4 * i)) & 0xF
                digits[i] = nibble < 10 ? 48 + nibble : 87 + nibble
            }
            return 16
        }
    }

    /// What every alert of a scan shares, made once rather than per alert: each rule's
    /// parameters as text, each class's name.
    struct Shared {
        let parameters: [ObjectIdentifier: [(name: String, value: String)]]
        let classNames: [String]

        init(rules: [CompiledRule], snapshot s: borrowing Snapshot) {
            var parameters: [ObjectIdentifier: [(name: String, value: String)]] = [:]
            for rule in rules { parameters[ObjectIdentifier(rule)] = Alert.parameters(of: rule) }
            self.parameters = parameters
            classNames = s.classes.id.indices.map { s.classes.displayName($0) }
        }
    }

    static func parameters(of rule: CompiledRule) -> [(name: String, value: String)] {
        rule.parameters.map { ($0.name, $0.value.description) }
    }

    public init(_ f: borrowing Finding, snapshot s: borrowing Snapshot) {
        self.init(f, snapshot: s, shared: nil)
    }

    init(_ f: borrowing Finding, snapshot s: borrowing Snapshot, shared: Shared?) {
        ruleID = f.ruleID
        ruleTitle = f.rule.definition.title
        severity = f.severity
        indicator = f.rule.definition.indicator
        key = f.key
        message = f.message
        evidence = f.evidence
        worse = f.worse
        parameters = shared?.parameters[ObjectIdentifier(f.rule)] ?? Alert.parameters(of: f.rule)
        plan = f.plan
        func className(_ c: Int) -> String { shared?.classNames[c] ?? s.classes.displayName(c) }
        switch f.entity {
        case .pupil(let p):
            let c = Int(s.pupils.classIndex[Int(p)])
            let sc = Int(s.classes.school[c])
            subject = Subject(
                kind: .pupil, id: s.pupils.id[Int(p)], name: s.pupils.fullName[Int(p)], classID: s.classes.id[c],
                className: className(c),
                classTeacher: s.classes.classTeacher[c].isEmpty ? nil : s.classes.classTeacher[c],
                schoolID: s.schools.id[sc],
                schoolName: s.schools.name[sc], schoolIndex: sc, classIndex: c, pupilIndex: Int(p))
        case .class(let ci):
            let c = Int(ci)
            let sc = Int(s.classes.school[c])
            subject = Subject(
                kind: .class, id: s.classes.id[c], name: className(c), classID: s.classes.id[c],
                className: className(c),
                classTeacher: s.classes.classTeacher[c].isEmpty ? nil : s.classes.classTeacher[c],
                schoolID: s.schools.id[sc],
                schoolName: s.schools.name[sc], schoolIndex: sc, classIndex: c, pupilIndex: nil)
        default:
            var sc = 0
            if case .school(let i) = f.entity { sc = Int(i) }
            subject = Subject(
                kind: .school, id: s.schools.id[sc], name: s.schools.name[sc], classID: nil, className: nil,
                classTeacher: nil, schoolID: s.schools.id[sc], schoolName: s.schools.name[sc], schoolIndex: sc,
                classIndex: nil, pupilIndex: nil)
        }
        fingerprint = Alert.fingerprint(rule: ruleID, kind: subject.kind, subjectID: subject.id, key: key)
    }
}

/// A pupil's suggested individual plan: the plan items of every rule that fired, merged.
public struct IndividualPlan: Sendable {
    public struct Item: Sendable, Equatable {
        public var action: String
        public var role: String
        public var due: Day
        public var check: String
        public var priority: Int
        public var severity: Severity
        /// The rules whose alerts this item answers.
        public var rules: [String]
    }

    public var pupilIndex: Int
    public var pupilID: String
    public var pupilName: String
    public var classID: String
    public var className: String
    public var schoolID: String
    public var items: [Item]
    /// The gaps the plan addresses: each alert's message.
    public var gaps: [String]

    /// Plans for every pupil with alerts. An action suggested by several rules appears once,
    /// with the earliest deadline and the most urgent priority; items are ordered by
    /// priority, then by the severity of their alerts, then by deadline.
    public static func build(from alerts: [Alert]) -> [IndividualPlan] {
        // Alerts are read in place and grouped as ranges: a copy of an alert retains each of
        // its texts. A pupil's alerts are next to each other, most severe first (the order of
        // `ScanResult.alerts`); plans come in the order of pupils' indexes.
        alerts.withUnsafeBufferPointer { alerts in
            var runs: [(pupil: Int, range: Range<Int>)] = []
            var i = 0
            while i < alerts.count {
                guard alerts[i].subject.kind == .pupil, let p = alerts[i].subject.pupilIndex else {
                    i += 1
                    continue
                }
                var end = i + 1
                while end < alerts.count && alerts[end].subject.kind == .pupil && alerts[end].subject.pupilIndex == p {
                    end += 1
                }
                runs.append((p, i..<end))
                i = end
            }
            let mostSevereFirst = runs.allSatisfy { run in
                run.range.dropLast().allSatisfy { alerts[$0].severity >= alerts[$0 + 1].severity }
            }
            guard mostSevereFirst, Set(runs.map(\.pupil)).count == runs.count else { return buildGrouping(alerts) }
            runs.sort { $0.pupil < $1.pupil }
            return Parallel.map(runs) { run in plan(for: run.pupil, Array(run.range), alerts) }
        }
    }

    /// The same for alerts in any order: grouped by pupil, each pupil's most severe first.
    private static func buildGrouping(_ alerts: UnsafeBufferPointer<Alert>) -> [IndividualPlan] {
        var byPupil: [Int: [Int]] = [:]
        for i in alerts.indices where alerts[i].subject.kind == .pupil {
            byPupil[alerts[i].subject.pupilIndex ?? -1, default: []].append(i)
        }
        return byPupil.keys.sorted().map { p in
            plan(for: p, byPupil[p]!.sorted(by: { alerts[$0].severity > alerts[$1].severity }), alerts)
        }
    }

    /// A pupil's plan from the pupil's alerts (by index, most severe first).
    private static func plan(for p: Int, _ list: [Int], _ alerts: UnsafeBufferPointer<Alert>) -> IndividualPlan {
        var items: [Item] = []
        for a in list {
            let severity = alerts[a].severity
            let ruleID = alerts[a].ruleID
            alerts[a].plan.withUnsafeBufferPointer { steps in
                for s in steps.indices {
                    // The same action is the same text, written from one template with the same
                    // values: compared byte by byte (`==` on Cyrillic texts normalizes both
                    // sides wherever they differ).
                    let action = steps[s].action.utf8
                    if let i = items.firstIndex(where: {
                        $0.action.utf8.count == action.count && $0.action.utf8.elementsEqual(action)
                    }) {
                        items[i].due = min(items[i].due, steps[s].due)
                        items[i].priority = min(items[i].priority, steps[s].priority)
                        items[i].severity = max(items[i].severity, severity)
                        if !items[i].rules.contains(ruleID) { items[i].rules.append(ruleID) }
                    } else {
                        items.append(
                            Item(
                                action: steps[s].action, role: steps[s].role, due: steps[s].due, check: steps[s].check,
                                priority: steps[s].priority, severity: severity, rules: [ruleID]))
                    }
                }
            }
        }
        items.sort { ($0.priority, -$0.severity.rank, $0.due) < ($1.priority, -$1.severity.rank, $1.due) }
        let first = list[0]
        return IndividualPlan(
            pupilIndex: p, pupilID: alerts[first].subject.id, pupilName: alerts[first].subject.name,
            classID: alerts[first].subject.classID ?? "", className: alerts[first].subject.className ?? "",
            schoolID: alerts[first].subject.schoolID, items: items, gaps: list.map { alerts[$0].message })
    }
}

/// The outcome of a scan, ready for output.
public struct ScanResult: Sendable {
    public var district: String
    public var asOf: Day
    public var rulesHash: String
    public var ruleCount: Int
    public var alerts: [Alert]
    public var plans: [IndividualPlan]

    /// Builds alerts from findings, keeps those at or above `minSeverity` and in scope, and
    /// orders them school → class → pupil → severity.
    public init(findings: [Finding], snapshot: Snapshot, pack: RulePack, minSeverity: Severity = .info) {
        district = snapshot.manifest.district
        asOf = snapshot.manifest.asOf
        rulesHash = pack.hash
        ruleCount = pack.rules.count
        // The findings are put in order first, through an order of indexes, and each alert is
        // built once in its place: alerts are large, copying them is not free.
        // Findings are read in place: a copy of one retains each of its texts.
        alerts = findings.withUnsafeBufferPointer { findings in
            let kept = findings.indices.filter { findings[$0].severity >= minSeverity }
            let keys = kept.map { i -> SortKey in
                let severity = -findings[i].severity.rank
                switch findings[i].entity {
                case .pupil(let p):
                    let c = Int(snapshot.pupils.classIndex[Int(p)])
                    return SortKey(school: Int(snapshot.classes.school[c]), klass: c, pupil: Int(p), severity: severity)
                case .class(let c):
                    return SortKey(
                        school: Int(snapshot.classes.school[Int(c)]), klass: Int(c), pupil: -1, severity: severity)
                case .school(let sc):
                    return SortKey(school: Int(sc), klass: -1, pupil: -1, severity: severity)
                default:
                    return SortKey(school: 0, klass: -1, pupil: -1, severity: severity)
                }
            }
            let order = kept.indices.sorted { i, j in
                if keys[i] != keys[j] { return keys[i] < keys[j] }
                let (a, b) = (kept[i], kept[j])
                return (findings[a].ruleID, findings[a].key, i) < (findings[b].ruleID, findings[b].key, j)
            }
            let shared = Alert.Shared(rules: pack.rules, snapshot: snapshot)
            return Parallel.map(order) { Alert(findings[kept[$0]], snapshot: snapshot, shared: shared) }
        }
        plans = IndividualPlan.build(from: self.alerts)
    }

    /// Read in place: `reduce` would hand each alert over as a copy, retaining all its texts.
    public func count(_ severity: Severity) -> Int {
        alerts.withUnsafeBufferPointer { alerts in
            var n = 0
            for i in alerts.indices where alerts[i].severity == severity { n += 1 }
            return n
        }
    }

    /// Where an alert goes in the list: school → class → pupil → most severe first.
    struct SortKey: Equatable, Comparable {
        var school: Int, klass: Int, pupil: Int, severity: Int
        static func < (a: SortKey, b: SortKey) -> Bool {
            (a.school, a.klass, a.pupil, a.severity) < (b.school, b.klass, b.pupil, b.severity)
        }
    }
}
