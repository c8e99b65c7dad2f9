import MayakSnapshot

/// СГО's class journal for one subject («Классный журнал», saved as HTML named .xls, or as a
/// spreadsheet): header lines with the class, the subject and the period; a two-row header,
/// month names over day numbers; one row per pupil of journal cells; «Средн.» and «Итог.»
/// columns. Every mark becomes a mark of that day (the journal export has no work types:
/// «ответ на уроке», weight 1, and the summary says so), every code an absence, «Итог.» the
/// period mark of the report's period. The report is the truth for its class and subject over
/// its period.
enum SGOJournalLayout: Layout {
    static let name = "sgo-journal"
    static let title = ImportText.sgoJournalTitle

    static func recognises(_ workbook: Workbook) -> Bool {
        workbook.grids.indices.contains { index in
            let g = workbook.grids[index]
            guard let t = DatedTable(g.filled(), labels: ["ученик", "фио", "ф.и.о.", "учащийся"]) else { return false }
            return SGOReport.Header(g, above: t.headerRow, earlier: Array(workbook.grids[..<index]))["предмет"] != nil
        }
    }

    static func read(_ workbook: Workbook, context: LayoutContext, log: inout ImportLog) -> ImportBatch {
        var batch = ImportBatch(file: workbook.file)
        var read = 0
        for (index, raw) in workbook.grids.enumerated() {
            let grid = raw.filled()
            guard let table = DatedTable(grid, labels: ["ученик", "фио", "ф.и.о.", "учащийся"]) else { continue }
            let header = SGOReport.Header(raw, above: table.headerRow, earlier: Array(workbook.grids[..<index]))
            guard let subject = header["предмет"], !subject.isEmpty else { continue }
            batch.schoolYearStart = batch.schoolYearStart ?? header.startYear
            read += 1
            guard let classText = header["класс"], let label = ClassLabel.parse(classText) else {
                log.error(ImportError(grid.location(row: table.headerRow, column: 0), ImportText.noClass(in: .journal)))
                continue
            }
            guard let school = SGOReport.school(header, options: context.options) else {
                log.error(ImportError(grid.file, ImportText.noSchool(in: .journal)))
                continue
            }
            if !batch.schools.contains(school) { batch.schools.append(school) }
            let classLabel = "\(label.grade)\(label.letter)"
            batch.subjects.insert([school.id, classLabel, subject])
            var seen: [String: Int] = [:]
            let rows = table.rows(log: &log)
            for r in rows {
                let name = grid[r, table.labelColumn]
                let key = PersonName.normalised(name)
                if let first = seen[key] {
                    log.error(
                        ImportError(
                            grid.location(row: r, column: table.labelColumn),
                            ImportText.journalNamesakes(name, classLabel: classLabel, rows: (first + 1, r + 1))))
                    continue
                }
                seen[key] = r
                batch.pupils.append(
                    .init(
                        school: school.id, classLabel: classLabel, grade: label.grade, letter: label.letter,
                        fullName: name, birthDate: nil, key: nil,
                        location: grid.location(row: r, column: table.labelColumn)))
                let p = batch.pupils.count - 1
                table.cells(r, startYear: header.startYear ?? context.options.schoolYearStart, log: &log) {
                    day, cell, at in
                    batch.add(cell, "", pupil: p, subject: subject, day: day, at: at)
                }
                if let c = table.finalColumn, !grid[r, c].isEmpty {
                    table.periodMark(
                        grid[r, c], at: grid.location(row: r, column: c), pupil: p, subject: subject,
                        range: header.period ?? table.range, grade: label.grade, options: context.options,
                        batch: &batch, log: &log)
                }
            }
            if let range = header.period ?? table.range {
                batch.coverage.append(
                    .init(school: school.id, classLabel: classLabel, subject: subject, from: range.from, to: range.to))
            }
        }
        if read > 0 {
            batch.inferences.append(ImportText.noWorkTypes(file: workbook.file, .sgoJournal))
        }
        return batch
    }
}

/// A table with a label column (a pupil's name, or a subject), then day columns under month
/// names (a two-row header), and «Средн.»/«Итог.» columns; as СГО's journal and pupil report
/// lay it out.
struct DatedTable {
    let grid: Grid
    let headerRow: Int
    let labelColumn: Int
    /// Day columns: column → (month, day).
    let days: [(column: Int, month: Int, day: Int)]
    /// «Итог.», «Четверть», «Отметка за период».
    let finalColumn: Int?

    /// The table in `grid` (merged cells filled) whose header row holds one of `labels`; nil
    /// when there is none with day columns under it.
    init?(_ grid: Grid, labels: Set<String>) {
        for r in 0..<max(0, min(grid.rowCount - 1, 60)) {
            guard let label = grid[rowOf: r].firstIndex(where: { labels.contains($0.lowercased().trimmingSpaces()) })
            else { continue }
            var days: [(Int, Int, Int)] = []
            var final: Int?
            let width = max(grid[rowOf: r].count, grid[rowOf: r + 1].count)
            for c in 0..<width where c != label {
                let top = grid[r, c]
                let below = grid[r + 1, c]
                if let m = SGOReport.month(top), let d = Int(below), (1...31).contains(d) {
                    days.append((c, m, d))
                } else {
                    let t = (top + " " + below).lowercased()
                    if t.contains("итог") || t.contains("четв") || t.contains("за период") || t.contains("полуг")
                        || t.contains("трим")
                    {
                        final = final ?? c
                    }
                }
            }
            guard !days.isEmpty else { continue }
            self.grid = grid
            self.headerRow = r
            self.labelColumn = label
            self.days = days
            self.finalColumn = final
            return
        }
        return nil
    }

    /// The data rows: after the two header rows, those with a label, up to a «Итого» row.
    func rows(log: inout ImportLog) -> [Int] {
        var out: [Int] = []
        for r in (headerRow + 2)..<max(headerRow + 2, grid.rowCount) {
            let label = grid[r, labelColumn]
            let l = label.lowercased()
            if l.hasPrefix("итого") || l.hasPrefix("средн") || l.hasPrefix("всего") { break }
            if label.isEmpty { continue }
            out.append(r)
        }
        return out
    }

    /// The days the table's columns span, when the report names no period.
    var range: (from: Day, to: Day)? { nil }

    /// Each day cell of row `r` read as a journal cell, with its date; a bad cell is an error there.
    func cells(
        _ r: Int, startYear: Int?, log: inout ImportLog, _ body: (Day, JournalCell, String) -> Void
    ) {
        for (c, month, dayNumber) in days {
            let text = grid[r, c]
            guard !text.isEmpty else { continue }
            let at = grid.location(row: r, column: c)
            guard let year = startYear else {
                log.error(ImportError(at, ImportText.reportNoSchoolYear), kind: "no-year:\(grid.file)")
                return
            }
            guard let day = Day(year: month >= 9 ? year : year + 1, month: month, day: dayNumber) else {
                log.error(
                    ImportError(
                        grid.location(row: headerRow + 1, column: c), ImportText.noSuchDay(dayNumber, month: month)))
                continue
            }
            switch JournalCell.parse(text) {
            case .success(let cell): body(day, cell, at)
            case .failure(let e):
                log.error(
                    ImportError(at, JournalCell.problem(e, in: text)), kind: "cell:\(grid.file):\(grid.name):\(c)")
            }
        }
    }

    /// A period mark of the «Итог.» column, for the report's period.
    func periodMark(
        _ text: String, at: String, pupil p: Int, subject: String, range: (from: Day, to: Day)?, grade: Int,
        options: ImportOptions, batch: inout ImportBatch, log: inout ImportLog
    ) {
        guard case .success(let v) = MarkValue.parse(text), v.absence == nil else {
            log.error(
                ImportError(at, ImportText.notAPeriodMark(text)),
                kind: "final:\(grid.file):\(grid.name)")
            return
        }
        guard let range, let period = SGOReport.periodID(from: range.from, to: range.to, grade: grade, options: options)
        else {
            log.warning(ImportError(at, ImportText.periodMarkNoPeriod), kind: "final-period:\(grid.file)")
            return
        }
        batch.periodMarks.append(.init(pupil: p, subject: subject, period: period, value: v.description, location: at))
    }
}
