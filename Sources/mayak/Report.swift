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
    static let configuration = CommandConfiguration(abstract: Help.Report.abstract)

    @OptionGroup var input: SnapshotOptions
    @OptionGroup var rules: RuleOptions

    @Option(help: Help.Report.previous)
    var previous: String?

    @Option(help: Help.Common.school)
    var school: String?

    @Option(name: .customLong("class"), help: Help.Common.scopeClass)
    var classID: String?

    @Flag(help: Help.Report.pseudonymize)
    var pseudonymize = false

    @Option(help: Help.Report.pupilPages)
    var pupilPages: Severity = .info

    @Option(help: Help.Report.out)
    var out: String

    @Option(help: Help.Report.db)
    var db: String?

    func run() throws {
        let started = Date()
        let folder: OutputFolder
        do { folder = try OutputFolder(out, kind: .report) } catch {
            Terminal.error(Messages.cannotWriteReport(error))
            throw ExitCode.failure
        }
        TestHooks.pause("output-open")
        let pack = try rules.load()
        let snapshot = try input.load()
        if let school, !snapshot.schools.id.contains(school) {
            Terminal.error(Messages.noSchool(school))
            throw ExitCode.failure
        }
        if let classID, !snapshot.classes.id.contains(classID) {
            Terminal.error(Messages.noClass(classID))
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
                Terminal.error(Messages.store(error, db))
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
            Terminal.error(Messages.cannotWriteReport(error))
            throw ExitCode.failure
        } catch {
            Terminal.error(Messages.cannotWriteReport(out, "\(error)"))
            throw ExitCode.failure
        }
        Terminal.say(
            Messages.reportWritten(
                folder: out, pages: written.pages, pupilPages: written.pupilPages,
                megabytes: Double(written.bytes) / 1_000_000, seconds: Date().timeIntervalSince(started)))
    }
}
