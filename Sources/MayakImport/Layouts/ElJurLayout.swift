import MayakSnapshot

/// ЭлЖур's Excel export of a pupil's journal (genuine BIFF `.xls`): lines naming the pupil and
/// the class above the table («Ученик: …», «Класс: 7А»), a header row of dates (`01.09`,
/// `01.09.2025` or spreadsheet dates) after a first column of subjects, the data from the
/// third row, one row per subject of journal cells, and «Итог» columns for period marks.
/// Built from descriptions of the export, not from a real file (docs/import.md says so).
/// The export is the truth for the pupil in each subject over its dates.
enum ElJurLayout: Layout {
    static let name = "eljur-journal"
    static let title = ImportText.elJurTitle

    /// The header row: a row whose cells after the first are mostly dates, within the first rows.
    static func dateHeader(_ grid: Grid) -> (row: Int, dates: [(column: Int, text: String)])? {
        for r in 0..<min(grid.rowCount, 8) {
            let row = grid[rowOf: r]
            guard row.count >= 3 else { continue }
            let dates = row.enumerated().dropFirst().filter { looksLikeDate($0.element) }.map {
                ($0.offset, $0.element)
            }
            if dates.count >= 2 && dates.count * 2 >= row.count - 1 { return (r, dates) }
        }
        return nil
    }

    static func looksLikeDate(_ text: String) -> Bool {
        let parts = text.split(separator: ".")
        return (parts.count == 2 || parts.count == 3) && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
    }

    static func recognises(_ workbook: Workbook) -> Bool {
        guard workbook.kind == .xls || workbook.kind == .xlsx else { return false }
        return workbook.grids.indices.contains { index in
            let g = workbook.grids[index]
            guard let (row, _) = dateHeader(g) else { return false }
            return SGOReport.Header(g, above: row, earlier: Array(workbook.grids[..<index]))["ученик"] != nil
        }
    }

    static func read(_ workbook: Workbook, context: LayoutContext, log: inout ImportLog) -> ImportBatch {
        var batch = ImportBatch(file: workbook.file)
        for (index, grid) in workbook.grids.enumerated() {
            guard let (headerRow, dateColumns) = dateHeader(grid) else { continue }
            let header = SGOReport.Header(grid, above: headerRow, earlier: Array(workbook.grids[..<index]))
            guard let name = header["ученик"], !name.isEmpty else { continue }
            let origin = header.values["ученик"]?.location ?? grid.file
            guard let classText = header["класс"], let label = ClassLabel.parse(classText) else {
                log.error(ImportError(origin, ImportText.noClass(in: .export)))
                continue
            }
            guard let school = SGOReport.school(header, options: context.options) else {
                log.error(ImportError(grid.file, ImportText.noSchool(in: .export)))
                continue
            }
            if !batch.schools.contains(school) { batch.schools.append(school) }
            let startYear = header.startYear ?? context.options.schoolYearStart
            // Each date column's day.
            var days: [(column: Int, day: Day)] = []
            for (c, text) in dateColumns {
                let parts = text.split(separator: ".").compactMap { Int($0) }
                var year = parts.count == 3 ? parts[2] : nil
                if year == nil, let s = startYear { year = parts[1] >= 9 ? s : s + 1 }
                guard let y = year, let d = Day(year: y, month: parts[1], day: parts[0]) else {
                    log.error(
                        ImportError(
                            grid.location(row: headerRow, column: c),
                            year == nil ? ImportText.dateWithoutYear(text) : ImportText.noSuchDate(text)),
                        kind: "eljur-date:\(grid.file)")
                    continue
                }
                days.append((c, d))
            }
            guard let first = days.map(\.day).min(), let last = days.map(\.day).max() else { continue }
            batch.schoolYearStart = batch.schoolYearStart ?? SchoolCalendar.startYear(of: first)
            let finals = grid[rowOf: headerRow].enumerated().filter {
                let t = $0.element.lowercased()
                return t.contains("итог") || t.contains("четв") || t.contains("полуг") || t.contains("трим")
            }.map(\.offset)
            let classLabel = "\(label.grade)\(label.letter)"
            batch.pupils.append(
                .init(
                    school: school.id, classLabel: classLabel, grade: label.grade, letter: label.letter, fullName: name,
                    birthDate: nil, key: nil, location: origin))
            let p = batch.pupils.count - 1
            for r in (headerRow + 1)..<max(headerRow + 1, grid.rowCount) {
                let subject = grid[r, 0]
                guard !subject.isEmpty else { continue }
                batch.subjects.insert([school.id, classLabel, subject])
                for (c, day) in days {
                    let text = grid[r, c]
                    guard !text.isEmpty else { continue }
                    let at = grid.location(row: r, column: c)
                    switch JournalCell.parse(text) {
                    case .failure(let e):
                        log.error(ImportError(at, JournalCell.problem(e, in: text)), kind: "eljur:\(grid.file):\(c)")
                    case .success(let cell):
                        batch.add(cell, text, pupil: p, subject: subject, day: day, at: at)
                    }
                }
                for c in finals where !grid[r, c].isEmpty {
                    let text = grid[r, c]
                    let at = grid.location(row: r, column: c)
                    guard case .success(let v) = MarkValue.parse(text), v.absence == nil,
                        let period = SGOReport.periodID(
                            from: first, to: last, grade: label.grade, options: context.options)
                    else {
                        log.error(
                            ImportError(at, ImportText.notAPeriodMarkOfExport(text)), kind: "eljur-final:\(grid.file)")
                        continue
                    }
                    batch.periodMarks.append(
                        .init(pupil: p, subject: subject, period: period, value: v.description, location: at))
                }
                batch.coverage.append(
                    .init(school: school.id, classLabel: classLabel, subject: subject, from: first, to: last, pupil: p))
            }
            batch.inferences.append(ImportText.noWorkTypes(file: workbook.file, .elJur))
        }
        return batch
    }
}
