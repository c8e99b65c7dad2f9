import ArgumentParser
import Foundation
import MayakImport
import MayakSnapshot

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: Help.Import.abstract, discussion: Help.Import.discussion)

    @Argument(help: Help.Import.files)
    var files: [String]

    @Option(help: Help.Import.into)
    var into: String

    @Option(help: Help.Import.mapping)
    var mapping: String?

    @Option(help: Help.Import.profile)
    var profile: String?

    @Option(help: Help.Import.codes)
    var codes: String?

    @Option(help: Help.Import.schoolYear)
    var schoolYear: String?

    @Option(help: Help.Import.calendar)
    var calendar: String = SchoolCalendar.quarters.rawValue

    @Option(name: .customLong("as-of"), help: Help.Import.asOf)
    var asOf: String?

    @Option(help: Help.Import.school)
    var school: String?

    @Option(help: Help.Import.schoolName)
    var schoolName: String?

    @Option(help: Help.Import.district)
    var district: String?

    @Flag(help: Help.Import.dryRun)
    var dryRun = false

    func run() throws {
        var request = ImportRequest(files: files, into: into)
        request.mapping = mapping
        request.profile = profile
        request.codes = codes
        if SchoolCalendar.parse(calendar) == nil && FileManager.default.fileExists(atPath: calendar) {
            do { request.calendarPeriods = try CalendarFile.load(calendar) } catch {
                Terminal.error(error.description)
                throw ExitCode.failure
            }
        } else if let (cal, grades) = SchoolCalendar.parse(calendar) {
            request.calendar = cal
            request.calendarGrades = grades
        } else {
            Terminal.error(Messages.error(Messages.badCalendar(calendar)))
            throw ExitCode.failure
        }
        if let schoolYear {
            guard let y = SchoolCalendar.startYear(schoolYear) else {
                Terminal.error(Messages.error(Messages.badSchoolYear(schoolYear)))
                throw ExitCode.failure
            }
            request.schoolYearStart = y
        }
        if let asOf {
            guard let d = Day(asOf) else {
                Terminal.error(Messages.error(Messages.badDate(flag: "--as-of", found: asOf)))
                throw ExitCode.failure
            }
            request.asOf = d
        }
        request.district = district
        request.dryRun = dryRun
        request.options = ImportOptions(school: school, schoolName: schoolName)
        // FreeXL reads .xls in a child process (`mayak read-xls`): a memory error in it stays there.
        request.biff = .isolated(ReadXLS.isolatedReader)
        let outcome = Importer.run(request)
        let problems = outcome.log.rendered
        if !problems.isEmpty { Terminal.error(problems.joined(separator: "\n")) }
        guard !outcome.log.hasErrors else {
            Terminal.error(dryRun ? Messages.importWouldWriteNothing : Messages.importWroteNothing(into))
            throw ExitCode.failure
        }
        report(outcome)
    }

    func report(_ outcome: ImportOutcome) {
        for s in outcome.sources {
            Terminal.say(Messages.importSource(file: s.file, kind: s.kind.title, layout: s.layout))
            for (table, byClass) in s.changes.counts.sorted(by: { $0.key < $1.key }) {
                for (classID, c) in byClass.sorted(by: { $0.key < $1.key }) {
                    Terminal.say(
                        Messages.importChange(table: table, classID: classID, added: c.added, removed: c.removed))
                }
            }
            if s.changes.newPupils > 0 { Terminal.say(Messages.importNewPupils(s.changes.newPupils)) }
            for m in s.changes.movedPupils { Terminal.say(Messages.importMoved(m)) }
        }
        if !outcome.inferences.isEmpty {
            Terminal.say(Messages.importInferences)
            for i in outcome.inferences { Terminal.say(Messages.importInference(i)) }
        }
        if dryRun {
            Terminal.say(Messages.importDryRun(pupils: outcome.pupils))
        } else {
            Terminal.say(
                Messages.imported(
                    into, pupils: outcome.pupils, asOf: outcome.asOf.map { Day(number: $0.number).russian } ?? "—"))
        }
    }
}
