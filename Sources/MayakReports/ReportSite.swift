import Foundation
import MayakAlerts
import MayakEngine
import MayakFiles
import MayakHistory
import MayakRules
import MayakSnapshot

/// What to put in a report.
public struct ReportOptions: Sendable {
    public var schoolID: String?
    public var classID: String?
    /// Replace pupils' names (and ids) with stable codes, for reports that leave the school.
    public var pseudonymize: Bool
    /// Pupil pages (with plans) only for pupils with an alert at least this severe.
    public var pupilPagesFrom: Severity
    public init(
        schoolID: String? = nil, classID: String? = nil, pseudonymize: Bool = false, pupilPagesFrom: Severity = .info
    ) {
        self.schoolID = schoolID
        self.classID = classID
        self.pseudonymize = pseudonymize
        self.pupilPagesFrom = pupilPagesFrom
    }
}

/// What the history knows, for "what changed since last week" and trends.
public struct ReportHistory: Sendable {
    public var runs: [RunInfo]
    /// The tracked state of each alert, by fingerprint.
    public var states: [String: TrackedAlert]
    /// Alerts the latest run resolved.
    public var resolvedLastRun: [RunAlert]
    /// Alerts per run, by severity: run id → (severity → count).
    public var countsByRun: [Int64: [Severity: Int]]

    public init(store: HistoryStore) throws {
        runs = try store.runs()
        let tracked = try store.trackedAlerts()
        states = Dictionary(tracked.map { ($0.latest.fingerprint, $0) }, uniquingKeysWith: { a, _ in a })
        let last = runs.last?.id ?? -1
        resolvedLastRun = tracked.filter { $0.seenInRun == last && $0.state.status == .resolved }.map(\.latest)
        var counts: [Int64: [Severity: Int]] = [:]
        for r in runs.suffix(12) {
            for a in try store.runAlerts(r.id) { counts[r.id, default: [:]][a.severity, default: 0] += 1 }
        }
        countsByRun = counts
    }
}

/// What a report wrote.
public struct ReportSummary: Sendable {
    public var pages = 0
    public var bytes = 0
    public var pupilPages = 0
}

/// The static site of `mayak report`: a district page, a page per school and class, and a page
/// per pupil on the list with a printable individual plan. Written to a sibling folder first
/// and renamed, so a reader never sees half a site.
public struct ReportSite {
    let snapshot: Snapshot
    let index: SnapshotIndex
    let result: ScanResult
    let summary: SnapshotSummary
    let previous: SnapshotSummary?
    let options: ReportOptions
    let history: ReportHistory?
    let schools: [Int]
    let classes: [Int]
    /// Alerts grouped once, since every page asks for its own.
    let bySchool: [Int: [Alert]]
    let byClass: [Int: [Alert]]
    let byPupil: [Int: [Alert]]

    public init(
        snapshot: Snapshot, result: ScanResult, previous: Snapshot?, options: ReportOptions,
        history: ReportHistory? = nil
    ) {
        self.history = history
        index = SnapshotIndex(snapshot)
        // The index's copy: its marks are in the order its runs point into.
        self.snapshot = index.snapshot
        self.result = result
        summary = SnapshotSummary(snapshot)
        self.previous = previous.map { SnapshotSummary($0) }
        self.options = options
        let s = snapshot
        var schools = Array(0..<s.schools.count)
        var classes = Array(0..<s.classes.count)
        if let id = options.classID, let c = s.classes.id.firstIndex(of: id) {
            classes = [c]
            schools = [Int(s.classes.school[c])]
        } else if let id = options.schoolID, let sc = s.schools.id.firstIndex(of: id) {
            schools = [sc]
            classes = classes.filter { Int(s.classes.school[$0]) == sc }
        }
        self.schools = schools
        self.classes = classes
        bySchool = Dictionary(grouping: result.alerts, by: { $0.subject.schoolIndex })
        byClass = Dictionary(
            grouping: result.alerts.filter { $0.subject.classIndex != nil }, by: { $0.subject.classIndex! })
        byPupil = Dictionary(
            grouping: result.alerts.filter { $0.subject.pupilIndex != nil }, by: { $0.subject.pupilIndex! })
    }

    // MARK: - Names and links

    /// A stable code for a pupil: the same id gives the same code in every report.
    public static func pseudonym(_ pupilID: String) -> String {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in "mayak-pseudonym|\(pupilID)".utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        var code = ""
        for _ in 0..<6 {
            code.append(alphabet[Int(h & 31)])
            h >>= 5
        }
        return "Ученик \(code)"
    }

    func pupilName(_ p: Int) -> String {
        options.pseudonymize ? ReportSite.pseudonym(snapshot.pupils.id[p]) : snapshot.pupils.fullName[p]
    }

    /// Staff as «Фамилия И. О.» in pseudonymized reports: they leave the school, and a full
    /// name there could also be a pupil's.
    func staffName(_ name: String) -> String {
        // An export without the class teacher (СГО's journals do not name one).
        if name.trimmingCharacters(in: .whitespaces).isEmpty { return "не указан" }
        guard options.pseudonymize else { return name }
        let parts = name.split(separator: " ")
        guard parts.count >= 2 else { return name }
        return ([String(parts[0])] + parts.dropFirst().map { "\($0.prefix(1))." }).joined(separator: " ")
    }

    /// A page's file name part for an id: the id itself when it is short (80 bytes at most)
    /// and only letters, digits, `-` and `_`; otherwise those characters (anything else as
    /// `_`), cut to 80 bytes, then `-` and a 64-bit hash of the exact id — so that ids differing
    /// only in what the readable part drops (`C5/A`, `C5.A`) get different pages, and a long id
    /// a name the file system takes (255 bytes). An id that itself ends like a hash is hashed.
    static func slug(_ id: String) -> String {
        let safe = id.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
        let hashLike =
            id.utf8.count > 17 && id.utf8.suffix(17).first == UInt8(ascii: "-")
            && id.utf8.suffix(16).allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
        if safe && !id.isEmpty && id.utf8.count <= 80 && !hashLike { return id }
        var readable = ""
        var bytes = 0
        for c in id {
            let kept: Character = c.isLetter || c.isNumber || c == "-" || c == "_" ? c : "_"
            bytes += kept.utf8.count
            if bytes > 80 { break }
            readable.append(kept)
        }
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in id.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        let hex = String(h, radix: 16)
        return readable + "-" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    func schoolFile(_ sc: Int) -> String { "school-\(ReportSite.slug(snapshot.schools.id[sc])).html" }
    func classFile(_ c: Int) -> String { "class-\(ReportSite.slug(snapshot.classes.id[c])).html" }
    func pupilFile(_ p: Int) -> String {
        let key =
            options.pseudonymize
            ? String(ReportSite.pseudonym(snapshot.pupils.id[p]).split(separator: " ").last!) : snapshot.pupils.id[p]
        return "pupil-\(ReportSite.slug(key)).html"
    }

    /// Whether a pupil gets a page of their own (by the most severe of their alerts).
    func hasPage(_ p: Int) -> Bool {
        (byPupil[p] ?? []).contains { $0.severity >= options.pupilPagesFrom }
    }

    static func link(_ file: String) -> String {
        file.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? file
    }

    // MARK: - Writing

    /// Writes every page into `folder`'s staging folder and puts it in place (replacing an
    /// earlier report there, and nothing else: see `OutputFolder`).
    public func write(to folder: OutputFolder) throws -> ReportSummary {
        var summary = ReportSummary()
        var files: [String] = []
        var written = Set<String>()
        func save(_ name: String, _ page: String) throws {
            // Two pages of one name would lose one: only a 64-bit hash collision could do it.
            guard written.insert(name).inserted else {
                throw ReportError(ReportText.samePageName(name))
            }
            let data = Data(page.utf8)
            try data.write(to: URL(fileURLWithPath: folder.staging).appendingPathComponent(name))
            files.append(name)
            summary.pages += 1
            summary.bytes += data.count
        }
        do {
            try save("index.html", districtPage())
            for sc in schools { try save(schoolFile(sc), schoolPage(sc)) }
            for c in classes { try save(classFile(c), classPage(c)) }
            let classSet = Set(classes)
            for plan in result.plans
            where classSet.contains(Int(snapshot.pupils.classIndex[plan.pupilIndex])) && hasPage(plan.pupilIndex) {
                try save(pupilFile(plan.pupilIndex), pupilPage(plan))
                summary.pupilPages += 1
            }
            try folder.commit(files: files)
        } catch {
            folder.discard()
            throw error
        }
        return summary
    }

    // MARK: - Shared pieces

    static func pct(_ v: Double?) -> String { v.map { Evaluator.format($0, digits: 1) } ?? "—" }

    func alerts(school sc: Int) -> [Alert] { bySchool[sc] ?? [] }
    func alerts(class c: Int) -> [Alert] { byClass[c] ?? [] }

    /// How an alert changed since the last recorded run: «новое», «3-я неделя», «вернулось».
    func change(_ a: Alert) -> String {
        guard let history else { return "" }
        guard let t = history.states[a.fingerprint] else { return "новое" }
        var text: String
        switch t.state.status {
        case .new: text = "новое"
        case .persisting: text = "\(t.state.weeksOpen)-я неделя"
        case .reopened: text = "вернулось"
        case .resolved: text = "снова (было снято)"
        }
        if t.state.triage == .acknowledged { text += ", в работе" + (t.assignee.map { " (\(staffName($0)))" } ?? "") }
        if t.state.triage == .dismissed { text += ", отклонено" }
        if t.state.coveredByPlan != nil { text += ", по плану" }
        return text
    }

    static func badge(_ s: Severity) -> String {
        "<span class=\"sev sev-\(s.rawValue)\">\(HTML.escape(s.russian))</span>"
    }

    func alertBlock(_ a: Alert, _ h: inout HTML) {
        h.block("div", [("class", "alert \(a.severity.rawValue)")]) { h in
            h.block("p") { h in
                h.raw(ReportSite.badge(a.severity) + " ")
                h.element("strong", [], a.ruleTitle)
                h.text(": " + a.message)
            }
            if !a.evidence.isEmpty {
                h.block("p", [("class", "evidence")]) { h in
                    h.text(a.evidence.map { "\($0.name): \(Alert.text($0.value))" }.joined(separator: "; "))
                }
            }
        }
    }

    /// «выросло на 1,1 %» / «снизилось на 0,4 %» / «не изменилось».
    static func change(_ now: Double?, _ before: Double?, noun: String, neuter: Bool) -> String? {
        guard var now, var before else { return nil }
        // Compare what the reader sees: both rounded to one decimal.
        now = (now * 10).rounded() / 10
        before = (before * 10).rounded() / 10
        let d = now - before
        if abs(d) < 0.05 { return "\(noun) не изменил\(neuter ? "ось" : "ась") (\(pct(now)) %)" }
        let verb = d > 0 ? (neuter ? "выросло" : "выросла") : (neuter ? "снизилось" : "снизилась")
        return "\(noun) \(verb) на \(pct(abs(d))) % (\(pct(before)) % → \(pct(now)) %)"
    }
}

/// A report that cannot be written as asked.
public struct ReportError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
