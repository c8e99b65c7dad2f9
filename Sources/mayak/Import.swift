import ArgumentParser
import Foundation
import MayakImport
import MayakSnapshot

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read e-journal exports (XLSX, .xls, СГО's HTML, CSV) into a snapshot folder.",
        discussion: """
            Creates the snapshot folder, or updates one an earlier import wrote: pupils keep their ids \
            (identity.csv), and what an export covers (a class's subject over its dates) replaces what the \
            snapshot held there. The snapshot is written beside its place, checked as `mayak check` checks, \
            and put in place only when it passes. See docs/import.md.
            """)

    @Argument(help: "The export files.")
    var files: [String]

    @Option(help: "The snapshot folder to create or update.")
    var into: String

    @Option(help: "A mapping file describing the table's columns (see mappings/ and docs/import.md).")
    var mapping: String?

    @Option(help: "A built-in layout by name, instead of recognising it (see docs/import.md).")
    var profile: String?

    @Option(
        help: "The school's list of ФИС ОКО participant codes and pupils (a table: «Код участника», «ФИО», «Класс»).")
    var codes: String?

    @Option(help: "The school year, like 2025/2026 (default: from the dates seen, or the folder's earlier import).")
    var schoolYear: String?

    @Option(
        help:
            "quarters (grades 1–9; half-years for 10–11), trimesters or half-years; trimesters/1-11 gives the grades that use them; or a calendar file (docs/import.md)."
    )
    var calendar: String = SchoolCalendar.quarters.rawValue

    @Option(name: .customLong("as-of"), help: "The snapshot's date, YYYY-MM-DD (default: the latest date seen).")
    var asOf: String?

    @Option(help: "The school's id for exports that do not name it.")
    var school: String?

    @Option(help: "The school's name, shown in reports (default: its id).")
    var schoolName: String?

    @Option(help: "The district's name, shown in reports.")
    var district: String?

    @Flag(help: "Print what would change; write nothing.")
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
            Terminal.error(
                "error: --calendar: expected quarters, trimesters or half-years (optionally with grades, like trimesters/1-11), found '\(calendar)'"
            )
            throw ExitCode.failure
        }
        if let schoolYear {
            guard let y = SchoolCalendar.startYear(schoolYear) else {
                Terminal.error("error: --school-year: expected a school year like 2025/2026, found '\(schoolYear)'")
                throw ExitCode.failure
            }
            request.schoolYearStart = y
        }
        if let asOf {
            guard let d = Day(asOf) else {
                Terminal.error("error: --as-of: expected a date as YYYY-MM-DD, found '\(asOf)'")
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
            Terminal.error(dryRun ? "nothing would be written" : "nothing was written; \(into) is as it was")
            throw ExitCode.failure
        }
        report(outcome)
    }

    func report(_ outcome: ImportOutcome) {
        for s in outcome.sources {
            Terminal.say("\(s.file): \(s.kind.title), \(s.layout)")
            let tables = [
                "marks": "отметки", "attendance": "пропуски", "period_marks": "отметки за период",
                "vpr_results": "результаты ВПР",
            ]
            for (table, byClass) in s.changes.counts.sorted(by: { $0.key < $1.key }) {
                for (classID, c) in byClass.sorted(by: { $0.key < $1.key }) {
                    Terminal.say(
                        "  \(tables[table] ?? table), \(classID): +\(Russian.number(c.added)) −\(Russian.number(c.removed))"
                    )
                }
            }
            if s.changes.newPupils > 0 {
                Terminal.say("  новых учеников: \(Russian.number(s.changes.newPupils))")
            }
            for m in s.changes.movedPupils { Terminal.say("  перевод в другой класс: \(m)") }
        }
        if !outcome.inferences.isEmpty {
            Terminal.say("Допущения:")
            for i in outcome.inferences { Terminal.say("  – \(i)") }
        }
        let pupils = Russian.plural(outcome.pupils, "ученик", "ученика", "учеников")
        if dryRun {
            Terminal.say(
                "Проверка без записи: в снимке было бы \(Russian.number(outcome.pupils)) \(pupils); ничего не записано."
            )
        } else {
            Terminal.say(
                "Снимок \(into) записан: \(Russian.number(outcome.pupils)) \(pupils), дата среза \(outcome.asOf.map { Day(number: $0.number).russian } ?? "—")."
            )
        }
    }
}
