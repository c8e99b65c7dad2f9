import MayakSnapshot

/// СГО's «Отчёт об успеваемости и посещаемости ученика»: header lines naming the pupil, the
/// class and the period; one row per subject of journal cells under month names over day
/// numbers; «Средн.» and «Итог.». The report is the truth for that pupil (not the class) in
/// each of its subjects over its period.
enum SGOPupilReportLayout: Layout {
    static let name = "sgo-pupil-report"
    static let title = ImportText.sgoPupilReportTitle

    static func recognises(_ workbook: Workbook) -> Bool {
        workbook.grids.indices.contains { index in
            let g = workbook.grids[index]
            guard let t = DatedTable(g.filled(), labels: ["предмет", "предметы"]) else { return false }
            return SGOReport.Header(g, above: t.headerRow, earlier: Array(workbook.grids[..<index]))["ученик"] != nil
        }
    }

    static func read(_ workbook: Workbook, context: LayoutContext, log: inout ImportLog) -> ImportBatch {
        var batch = ImportBatch(file: workbook.file)
        var read = 0
        for (index, raw) in workbook.grids.enumerated() {
            let grid = raw.filled()
            guard let table = DatedTable(grid, labels: ["предмет", "предметы"]) else { continue }
            let header = SGOReport.Header(raw, above: table.headerRow, earlier: Array(workbook.grids[..<index]))
            guard let name = header["ученик"], !name.isEmpty else { continue }
            batch.schoolYearStart = batch.schoolYearStart ?? header.startYear
            read += 1
            let origin = header.values["ученик"]?.location ?? grid.file
            guard let classText = header["класс"], let label = ClassLabel.parse(classText) else {
                log.error(ImportError(origin, ImportText.noClass(in: .report)))
                continue
            }
            guard let school = SGOReport.school(header, options: context.options) else {
                log.error(ImportError(grid.file, ImportText.noSchool(in: .report)))
                continue
            }
            if !batch.schools.contains(school) { batch.schools.append(school) }
            let classLabel = "\(label.grade)\(label.letter)"
            var birth: String?
            if let b = header["дата рождения"], case .day(let d) = Day.parse(b) { birth = d.description }
            batch.pupils.append(
                .init(
                    school: school.id, classLabel: classLabel, grade: label.grade, letter: label.letter, fullName: name,
                    birthDate: birth, key: nil, location: origin))
            let p = batch.pupils.count - 1
            for r in table.rows(log: &log) {
                let (subject, _) = SGOReport.subject(grid[r, table.labelColumn])
                batch.subjects.insert([school.id, classLabel, subject])
                table.cells(r, startYear: header.startYear ?? context.options.schoolYearStart, log: &log) {
                    day, cell, at in
                    batch.add(cell, "", pupil: p, subject: subject, day: day, at: at)
                }
                if let c = table.finalColumn, !grid[r, c].isEmpty {
                    table.periodMark(
                        grid[r, c], at: grid.location(row: r, column: c), pupil: p, subject: subject,
                        range: header.period, grade: label.grade, options: context.options, batch: &batch, log: &log)
                }
                if let range = header.period {
                    batch.coverage.append(
                        .init(
                            school: school.id, classLabel: classLabel, subject: subject, from: range.from, to: range.to,
                            pupil: p))
                }
            }
        }
        if read > 0 {
            batch.inferences.append(ImportText.noWorkTypes(file: workbook.file, .sgoReport))
        }
        return batch
    }
}

/// СГО's «Сводная ведомость» (ReportBulletinOfProgress): for each pupil a group of rows, the
/// name merged down them, one row per period («1 четверть» … «Годовая», «Экзамен»,
/// «Итоговая»); a column per subject, often abbreviated («Рус.яз», «Алгеб»); a last column
/// «Решение педагогического совета». Each cell is the period mark of that pupil, subject and
/// period; rows the snapshot has no period for (exams, «Итоговая») are left out and said.
enum SGOSummaryLayout: Layout {
    static let name = "sgo-summary"
    static let title = ImportText.sgoSummaryTitle

    static func recognises(_ workbook: Workbook) -> Bool {
        workbook.grids.contains { summaryHeader($0.filled()) != nil }
    }

    /// The header row, the name column and the period column.
    static func summaryHeader(_ grid: Grid) -> (row: Int, name: Int, period: Int)? {
        for r in 0..<min(grid.rowCount, 60) {
            let row = grid[rowOf: r].map { $0.lowercased().trimmingSpaces() }
            guard let name = row.firstIndex(where: { ["ученик", "фио", "ф.и.о.", "учащийся"].contains($0) }) else {
                continue
            }
            // The period column: a header «Период», or the column whose cells below name periods.
            if let p = row.firstIndex(where: { $0.hasPrefix("период") }) { return (r, name, p) }
            for c in 0..<max(grid[rowOf: r + 1].count, row.count) where c != name {
                if SGOReport.periodID(named: grid[r + 1, c]) != nil { return (r, name, c) }
            }
        }
        return nil
    }

    static func read(_ workbook: Workbook, context: LayoutContext, log: inout ImportLog) -> ImportBatch {
        var batch = ImportBatch(file: workbook.file)
        var skippedRows: [String: Int] = [:]
        var expanded: Set<String> = []
        for (index, raw) in workbook.grids.enumerated() {
            let grid = raw.filled()
            guard let (headerRow, nameColumn, periodColumn) = summaryHeader(grid) else { continue }
            let header = SGOReport.Header(raw, above: headerRow, earlier: Array(workbook.grids[..<index]))
            batch.schoolYearStart = batch.schoolYearStart ?? header.startYear
            guard let classText = header["класс"], let label = ClassLabel.parse(classText) else {
                log.error(ImportError(grid.location(row: headerRow, column: 0), ImportText.noClass(in: .summary)))
                continue
            }
            guard let school = SGOReport.school(header, options: context.options) else {
                log.error(ImportError(grid.file, ImportText.noSchool(in: .summary)))
                continue
            }
            if !batch.schools.contains(school) { batch.schools.append(school) }
            let classLabel = "\(label.grade)\(label.letter)"
            var subjectColumns: [(Int, String)] = []
            for (c, h) in grid[rowOf: headerRow].enumerated() where c != nameColumn && c != periodColumn && !h.isEmpty {
                let l = h.lowercased()
                if l.hasPrefix("№") || l.hasPrefix("решение") || l.contains("педагогическ") || l == "период" {
                    continue
                }
                let (subject, wasExpanded) = SGOReport.subject(h)
                if wasExpanded { expanded.insert(ImportText.abbreviation(h, subject)) }
                subjectColumns.append((c, subject))
                batch.subjects.insert([school.id, classLabel, subject])
            }
            var pupilOf: [String: Int] = [:]
            for r in (headerRow + 1)..<max(headerRow + 1, grid.rowCount) {
                let name = grid[r, nameColumn]
                let periodName = grid[r, periodColumn]
                guard !name.isEmpty, !periodName.isEmpty else { continue }
                let key = PersonName.normalised(name)
                let p: Int
                if let existing = pupilOf[key] {
                    p = existing
                } else {
                    batch.pupils.append(
                        .init(
                            school: school.id, classLabel: classLabel, grade: label.grade, letter: label.letter,
                            fullName: name, birthDate: nil, key: nil,
                            location: grid.location(row: r, column: nameColumn)))
                    p = batch.pupils.count - 1
                    pupilOf[key] = p
                }
                guard let period = SGOReport.periodID(named: periodName) else {
                    skippedRows[periodName, default: 0] += 1
                    continue
                }
                for (c, subject) in subjectColumns {
                    let text = grid[r, c]
                    guard !text.isEmpty, text != "-", text != "—" else { continue }
                    let at = grid.location(row: r, column: c)
                    let tokens = text.split(separator: " ").map(String.init)
                    guard let last = tokens.last, case .success(let v) = MarkValue.parse(last), v.absence == nil else {
                        log.error(
                            ImportError(at, ImportText.notAPeriodMark(text)),
                            kind: "svod:\(grid.file):\(grid.name):\(c)")
                        continue
                    }
                    if tokens.count > 1 {
                        log.warning(
                            ImportError(at, ImportText.severalPeriodMarks(text, taken: v.description)),
                            kind: "svod-several:\(grid.file)")
                    }
                    batch.periodMarks.append(
                        .init(pupil: p, subject: subject, period: period, value: v.description, location: at))
                }
            }
        }
        for (row, n) in skippedRows.sorted(by: { $0.key < $1.key }) {
            batch.inferences.append(ImportText.summaryRowsSkipped(file: workbook.file, row: row, count: n))
        }
        if !expanded.isEmpty {
            batch.inferences.append(ImportText.abbreviatedSubjects(file: workbook.file, expanded.sorted()))
        }
        return batch
    }
}
