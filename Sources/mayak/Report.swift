import ArgumentParser
import Foundation
import MayakAlerts
import MayakEngine
import MayakFiles
import MayakHistory
import MayakReports
import MayakRules
import MayakSnapshot

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the report site: district analysis, school and class pages, pupils' printable plans.")

    @OptionGroup var input: SnapshotOptions
    @OptionGroup var rules: RuleOptions

    @Option(help: "A snapshot of the same period last year, for the year-on-year change.")
    var previous: String?

    @Option(help: "Only this school (school_id).")
    var school: String?

    @Option(
        name: .customLong("class"), help: "Only this class (class_id): its pupils and the class, no school's alerts.")
    var classID: String?

    @Flag(help: "Replace pupils' names with stable codes (for reports that leave the school).")
    var pseudonymize = false

    @Option(
        help:
            "Write pupil pages (with printable plans) only for pupils with an alert at least this severe (default: all on the list)."
    )
    var pupilPages: Severity = .info

    @Option(help: "The folder to write: a new one, an empty one, or an earlier report (replaced).")
    var out: String

    @Option(help: "A history database: class pages show what changed since the last run, the district page the trend.")
    var db: String?

    func run() throws {
        let started = Date()
        let folder: OutputFolder
        do { folder = try OutputFolder(out, kind: .report) } catch {
            Terminal.error("error: cannot write the report to \(error)")
            throw ExitCode.failure
        }
        TestHooks.pause("output-open")
        let pack = try rules.load()
        let snapshot = try input.load()
        if let school, !snapshot.schools.id.contains(school) {
            Terminal.error("error: no school '\(school)' in the snapshot")
            throw ExitCode.failure
        }
        if let classID, !snapshot.classes.id.contains(classID) {
            Terminal.error("error: no class '\(classID)' in the snapshot")
            throw ExitCode.failure
        }
        var previousSnapshot: Snapshot?
        if let previous {
            previousSnapshot = try SnapshotOptions.load(
                previous, encoding: input.encoding, separator: input.separator, maxProblems: input.maxProblems)
        }
        let findings = try Scanning.scan(
            pack, index: SnapshotIndex(snapshot), scope: ScanScope(schoolID: school, classID: classID))
        let result = ScanResult(findings: findings, snapshot: snapshot, pack: pack)
        var history: ReportHistory?
        if let db {
            do { history = try ReportHistory(store: SQLiteHistoryStore(path: db, access: .read)) } catch {
                Terminal.error(StoreOptions.message(error, db))
                throw ExitCode.failure
            }
        }
        let site = ReportSite(
            snapshot: snapshot, result: result, previous: previousSnapshot,
            options: ReportOptions(
                schoolID: school, classID: classID, pseudonymize: pseudonymize, pupilPagesFrom: pupilPages),
            history: history)
        let written: ReportSummary
        do { written = try site.write(to: folder) } catch let error as FileError {
            Terminal.error("error: cannot write the report to \(error)")
            throw ExitCode.failure
        } catch {
            Terminal.error("error: cannot write the report to \(out): \(error.localizedDescription)")
            throw ExitCode.failure
        }
        Terminal.say(
            "Отчёт: \(out)/index.html — страниц \(Russian.number(written.pages)) (учеников: \(Russian.number(written.pupilPages))), \(Russian.fixed(Double(written.bytes) / 1_000_000, places: 1)) МБ, \(Russian.fixed(Date().timeIntervalSince(started), places: 1)) с"
        )
    }
}
