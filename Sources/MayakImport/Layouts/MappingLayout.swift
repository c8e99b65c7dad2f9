import Foundation
import MayakSnapshot

/// Reads grids as a mapping file says (see `Mapping`): one batch per source file.
public struct MappingLayout {
    public var mapping: Mapping
    public var options: ImportOptions

    public init(mapping: Mapping, options: ImportOptions) {
        self.mapping = mapping
        self.options = options
    }

    /// How many rows the header is looked for in, when the mapping does not say.
    static let headerSearchRows = 50

    public func read(_ workbook: Workbook, log: inout ImportLog) -> ImportBatch {
        var batch = ImportBatch(file: workbook.file)
        var grids = workbook.grids
        if let sheet = mapping.sheet {
            if let n = Int(sheet), n >= 1, n <= grids.count {
                grids = [grids[n - 1]]
            } else if let g = grids.first(where: { $0.name == sheet }) {
                grids = [g]
            } else {
                log.error(ImportError(workbook.file, ImportText.noSuchSheet(sheet, has: grids.map(\.name))))
                return batch
            }
        }
        var state = State(batch: batch)
        for grid in grids { read(grid.filled(), into: &state, log: &log) }
        batch = state.batch
        if mapping.workType == nil && (mapping.mark != nil || mapping.wide.contains { $0.kind == .marks }) {
            batch.inferences.append(ImportText.noWorkTypes(file: workbook.file, .table))
        }
        return batch
    }

    /// Pupils seen so far in this file, by what identifies them.
    struct State {
        var batch: ImportBatch
        var pupilIndex: [String: Int] = [:]
        var keyCount: [String: Int] = [:]
        var letterInferred = false
        var schools: Set<String> = []
        /// The pupil of the cells that identify one (school, class, name, birth date, key) as
        /// a row writes them.
        var pupilOfCells: [PupilCells: Int] = [:]
        var lastPupil: (cells: PupilCells, index: Int)?
        /// The (school, class label, subject) already in `batch.subjects`.
        var subjectsSeen: Set<[ByteKey]> = []
        var lastSubject: [ByteKey] = []

        /// Notes that a pupil's class has a subject.
        mutating func subject(of p: Int, _ subject: String) {
            let school = batch.pupils[p].school
            let classLabel = batch.pupils[p].classLabel
            let key = [ByteKey(school), ByteKey(classLabel), ByteKey(subject)]
            if key == lastSubject { return }
            lastSubject = key
            if subjectsSeen.insert(key).inserted { batch.subjects.insert([school, classLabel, subject]) }
        }
    }

    /// The cells of a row that identify its pupil, as written.
    struct PupilCells: Hashable {
        var cells: [ByteKey]
        init(_ cells: [String]) { self.cells = cells.map(ByteKey.init) }
    }

    /// The columns a table may lack: the mapping's work type, weight and birth date.
    var optionalColumns: Set<String> {
        var names: Set<String> = []
        for s in [mapping.workType, mapping.weight, mapping.birthDate] {
            if case .column(let c) = s { names.insert(MappingLayout.key(c)) }
        }
        return names
    }

    /// Every column name the mapping refers to.
    var referencedColumns: [String] {
        var names: [String] = []
        func add(_ s: Mapping.Source?) {
            switch s {
            case .column(let c): names.append(c)
            case .template(let t): names += MappingLayout.templateNames(t)
            default: break
            }
        }
        for s in [
            mapping.school, mapping.schoolName, mapping.className, mapping.grade, mapping.pupil, mapping.birthDate,
            mapping.subject, mapping.date, mapping.mark, mapping.workType, mapping.weight,
        ] { add(s) }
        names += mapping.key + mapping.keep
        for w in mapping.wide { names += w.columns ?? [] }
        return names
    }

    static func templateNames(_ t: String) -> [String] { templateParts(t).filter(\.isName).map(\.text) }

    /// A template (`{school}-{class}`) as its literal texts and the column names in braces.
    static func templateParts(_ t: String) -> [(text: String, isName: Bool)] {
        var out: [(text: String, isName: Bool)] = []
        var rest = Substring(t)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            if open > rest.startIndex { out.append((String(rest[..<open]), false)) }
            out.append((String(rest[rest.index(after: open)..<close]), true))
            rest = rest[rest.index(after: close)...]
        }
        if !rest.isEmpty { out.append((String(rest), false)) }
        return out
    }

    static func key(_ header: String) -> String { header.trimmingSpaces().lowercased() }

    /// The keys of the optional columns, to say what their absence means.
    var optionalColumnsMeaning: (weight: String?, workType: String?) {
        func k(_ s: Mapping.Source?) -> String? {
            if case .column(let c) = s { return MappingLayout.key(c) }
            return nil
        }
        return (k(mapping.weight), k(mapping.workType))
    }

    func read(_ grid: Grid, into state: inout State, log: inout ImportLog) {
        let wanted = Set(referencedColumns.map(MappingLayout.key)).subtracting(optionalColumns)
        let headerRow: Int
        if let h = mapping.headerRow {
            headerRow = h - 1
        } else if let found = (0..<min(grid.rowCount, MappingLayout.headerSearchRows)).first(where: { r in
            wanted.isSubset(of: Set(grid.rows[r].map(MappingLayout.key)))
        }) {
            headerRow = found
        } else {
            // The row with most of the columns is the header that lacks some; none: no header.
            let scan = 0..<min(grid.rowCount, MappingLayout.headerSearchRows)
            let best = scan.max { a, b in
                wanted.intersection(grid.rows[a].map(MappingLayout.key)).count
                    < wanted.intersection(grid.rows[b].map(MappingLayout.key)).count
            }
            if let best, wanted.intersection(grid.rows[best].map(MappingLayout.key)).count >= 2 {
                headerRow = best
            } else {
                let names = referencedColumns.filter { wanted.contains(MappingLayout.key($0)) }
                log.error(
                    ImportError(
                        grid.addressing == .cells ? "\(grid.file):\(grid.name)" : grid.file,
                        ImportText.noHeaderRow(
                            columns: names, searched: MappingLayout.headerSearchRows, mapping: mapping.title)),
                    kind: "no-header:\(grid.file)")
                return
            }
        }
        var columns: [String: Int] = [:]
        for (c, h) in grid[rowOf: headerRow].enumerated() where columns[MappingLayout.key(h)] == nil {
            columns[MappingLayout.key(h)] = c
        }
        for name in referencedColumns where optionalColumns.contains(MappingLayout.key(name)) {
            if columns[MappingLayout.key(name)] == nil {
                let k = MappingLayout.key(name)
                let meaning: ImportText.MissingColumn =
                    k == optionalColumnsMeaning.weight
                    ? .weight : k == optionalColumnsMeaning.workType ? .workType : .birthDate
                state.batch.inferences.append(ImportText.columnAbsent(file: grid.file, column: name, meaning: meaning))
            }
        }
        if let missing = referencedColumns.first(where: {
            columns[MappingLayout.key($0)] == nil && !optionalColumns.contains(MappingLayout.key($0))
        }) {
            log.error(
                ImportError(
                    grid.location(row: headerRow, column: 0),
                    ImportText.headerLacksColumn(
                        missing, mapping: mapping.title, has: grid[rowOf: headerRow].filter { !$0.isEmpty })))
            return
        }
        let header = grid[rowOf: headerRow]
        // Wide groups: the columns each takes.
        var wideColumns: [(Mapping.Wide, [Int])] = []
        for w in mapping.wide {
            var taken: [Int] = []
            if let names = w.columns {
                taken = names.compactMap { columns[MappingLayout.key($0)] }
            } else if let pattern = w.matching, let regex = try? NSRegularExpression(pattern: pattern) {
                for (c, h) in header.enumerated()
                where regex.firstMatch(in: h, range: NSRange(h.startIndex..., in: h)) != nil {
                    taken.append(c)
                }
            }
            if taken.isEmpty {
                log.warning(ImportError(grid.location(row: headerRow, column: 0), ImportText.wideMatchesNothing))
            }
            wideColumns.append((w, taken))
        }
        let fields = Fields(mapping, columns: columns, file: grid.file)
        // The kinds of systematic problems, once per grid.
        let markKind = "mark:\(grid.file):\(grid.name)"
        var lastDay: (text: String, day: Day)?
        for r in (headerRow + 1)..<max(headerRow + 1, grid.rowCount) {
            let row = grid[rowOf: r]
            guard row.contains(where: { !$0.isEmpty }) else { continue }
            func at(_ s: Resolved) -> String { grid.location(row: r, column: s.column ?? 0) }
            guard let p = pupil(fields, row: row, at: r, grid: grid, state: &state, log: &log) else { continue }
            let subject = fields.subject.value(row)
            let workType = fields.workType.value(row).flatMap { $0.isEmpty ? nil : $0 } ?? ImportOptions.defaultWorkType
            var weight: UInt16?
            if let w = fields.weight.value(row), !w.isEmpty {
                weight = WeightColumn.hundredths(parsing: w)
                if weight == nil {
                    log.error(ImportError(at(fields.weight), ImportText.notAWeight(w)), kind: "weight:\(grid.file)")
                }
            }
            if let s = subject, !s.isEmpty {
                state.subject(of: p, s)
            }
            if mapping.mark != nil {
                guard let subject, !subject.isEmpty else {
                    log.error(ImportError(at(fields.subject), ImportText.emptySubject), kind: "subject:\(grid.file)")
                    continue
                }
                let dateText = fields.date.value(row) ?? ""
                let day: Day
                if let last = lastDay, ByteKey.sameBytes(last.text, dateText) {
                    day = last.day
                } else {
                    guard let d = self.day(dateText, at: at(fields.date), log: &log) else { continue }
                    day = d
                    lastDay = (dateText, d)
                }
                cell(
                    fields.mark.value(row) ?? "", at: at(fields.mark), kind: markKind, pupil: p, subject: subject,
                    day: day, workType: workType, weight: weight, state: &state, log: &log)
            }
            for (g, (w, cols)) in wideColumns.enumerated() {
                for c in cols {
                    let text = c < row.count ? row[c] : ""
                    guard !text.isEmpty else { continue }
                    let location = grid.location(row: r, column: c)
                    let groupSubject = fields.wideSubject[g].value(row) ?? subject
                    switch w.kind {
                    case .periodMarks:
                        guard let s = groupSubject, !s.isEmpty else {
                            log.error(ImportError(location, ImportText.periodMarkWithoutSubject))
                            continue
                        }
                        state.subject(of: p, s)
                        guard let token = mapped(text, at: location, kind: "\(grid.file):\(c)", log: &log) else {
                            continue
                        }
                        guard case .success(let v) = MarkValue.parse(token), v.absence == nil else {
                            log.error(
                                ImportError(location, ImportText.notAMark(text)), kind: "period-mark:\(grid.file):\(c)")
                            continue
                        }
                        let period =
                            w.periods[header[c]] ?? w.periods.first {
                                MappingLayout.key($0.key) == MappingLayout.key(header[c])
                            }?.value ?? header[c]
                        state.batch.periodMarks.append(
                            .init(pupil: p, subject: s, period: period, value: v.description, location: location))
                    case .marks:
                        guard let s = groupSubject, !s.isEmpty else {
                            log.error(ImportError(location, ImportText.markWithoutSubject))
                            continue
                        }
                        state.subject(of: p, s)
                        guard let d = day(header[c], at: grid.location(row: headerRow, column: c), log: &log) else {
                            continue
                        }
                        cell(
                            text, at: location, kind: "\(markKind):\(c)", pupil: p, subject: s, day: d,
                            workType: fields.wideWorkType[g].value(row) ?? workType, weight: weight, state: &state,
                            log: &log)
                    }
                }
            }
        }
    }

    /// The pupil of a row, found or added; nil (with an error) when the row names none. A
    /// pupil met on an earlier row with the same school, class, name and birth date is found
    /// without reading them again (a long table has a row per mark).
    func pupil(_ f: Fields, row: [String], at r: Int, grid: Grid, state: inout State, log: inout ImportLog) -> Int? {
        // A table of one row per pupil numbers or refuses a repeated key: no shortcut.
        let oneRowPerPupil = !mapping.key.isEmpty && mapping.mark == nil
        var seen: PupilCells?
        if !oneRowPerPupil {
            let cells = PupilCells(
                [f.school, f.schoolName, f.className, f.grade, f.pupil, f.birthDate].map { $0.value(row) ?? "\u{0}" }
                    + f.key.map { $0.value(row) ?? "" })
            // A long table's rows come pupil by pupil: most are the last row's pupil.
            if let last = state.lastPupil, last.cells == cells { return last.index }
            if let p = state.pupilOfCells[cells] {
                state.lastPupil = (cells, p)
                return p
            }
            seen = cells
        }
        func at(_ s: Resolved) -> String { grid.location(row: r, column: s.column ?? 0) }
        let schoolID = f.school.value(row) ?? options.school
        guard let schoolID, !schoolID.isEmpty else {
            log.error(ImportError(grid.location(row: r, column: 0), ImportText.mappingNoSchool), kind: "no-school")
            return nil
        }
        let schoolName = f.schoolName.value(row).flatMap { $0.isEmpty ? nil : $0 } ?? options.schoolName ?? schoolID
        if state.schools.insert(schoolID).inserted {
            state.batch.schools.append(.init(id: schoolID, name: schoolName))
        }
        var grade: Int?
        var letter = ""
        let label = f.className.value(row) ?? ""
        if let parsed = ClassLabel.parse(label) {
            grade = parsed.grade
            letter = parsed.letter
        }
        if let g = f.grade.value(row) {
            guard let n = Int(g.trimmingSpaces()), (1...11).contains(n) else {
                log.error(ImportError(at(f.grade), ImportText.notAGrade(g)), kind: "grade:\(grid.file)")
                return nil
            }
            grade = n
        }
        guard let grade else {
            log.error(
                ImportError(at(f.className), ImportText.notAClass(label, example: "7А")), kind: "class:\(grid.file)")
            return nil
        }
        if letter.isEmpty {
            // A grade with one class: the snapshot's classes have letters.
            letter = "А"
            if !state.letterInferred {
                state.letterInferred = true
                state.batch.inferences.append(
                    ImportText.classByGradeOnly(
                        file: grid.file, label: label.isEmpty ? String(grade) : label, grade: grade))
            }
        }
        let classLabel = "\(grade)\(letter)"
        let name = (f.pupil.value(row) ?? "").trimmingSpaces()
        var birth: String?
        if let b = f.birthDate.value(row), !b.isEmpty {
            if case .day(let d) = Day.parse(b) {
                birth = d.description
            } else {
                log.error(ImportError(at(f.birthDate), ImportText.notADate(b)), kind: "birth:\(grid.file)")
                // Each such row is counted: not remembered.
                seen = nil
            }
        }
        var key: String?
        if !mapping.key.isEmpty {
            key = f.key.map { $0.value(row) ?? "" }.joined(separator: "|")
        }
        guard !name.isEmpty || key != nil else {
            log.error(ImportError(at(f.pupil), ImportText.emptyPupilName), kind: "name:\(grid.file)")
            return nil
        }
        var identity =
            key.map { "\(schoolID)|key|\($0)" }
            ?? "\(schoolID)|\(classLabel)|\(PersonName.normalised(name))|\(birth ?? "")"
        let location = grid.location(row: r, column: 0)
        // A table of one row per pupil: the same key twice is two pupils.
        if oneRowPerPupil {
            let seen = state.keyCount[identity, default: 0]
            state.keyCount[identity] = seen + 1
            if seen > 0 {
                guard mapping.numberDuplicateKeys else {
                    let first = state.batch.pupils[state.pupilIndex[identity]!].location
                    log.error(ImportError(location, ImportText.duplicateKey(columns: mapping.key, first: first)))
                    return nil
                }
                identity += "#\(seen + 1)"
                key = key! + "#\(seen + 1)"
            }
        }
        let found: Int
        if let p = state.pupilIndex[identity] {
            found = p
        } else {
            let extra = f.keep.map { ($0.name, $0.source.value(row) ?? "") }
            state.batch.pupils.append(
                .init(
                    school: schoolID, classLabel: classLabel, grade: grade, letter: letter, fullName: name,
                    birthDate: birth, key: key, extra: extra, location: location))
            found = state.batch.pupils.count - 1
            state.pupilIndex[identity] = found
        }
        if let seen {
            state.pupilOfCells[seen] = found
            state.lastPupil = (seen, found)
        }
        return found
    }

    /// A date cell (`DD.MM.YYYY`, `YYYY-MM-DD`, or `DD.MM` within the school year).
    func day(_ text: String, at location: @autoclosure () -> String, log: inout ImportLog) -> Day? {
        switch Day.parse(text) {
        case .day(let d): return d
        case .impossible:
            log.error(ImportError(location(), ImportText.noSuchDate(text)), kind: "impossible-date")
            return nil
        case .malformed:
            let parts = text.split(separator: ".")
            if parts.count == 2, let dd = Int(parts[0]), let mm = Int(parts[1]), let year = options.schoolYearStart,
                let d = Day(year: mm >= 9 ? year : year + 1, month: mm, day: dd)
            {
                return d
            }
            let at = location()
            log.error(
                ImportError(
                    at,
                    ImportText.notADateOrISO(text, giveSchoolYear: parts.count == 2 && options.schoolYearStart == nil)),
                kind: "date:" + (at.split(separator: ":").dropLast(2).joined(separator: ":")))
            return nil
        }
    }

    /// A mark cell through the mapping's value rules: the token, or nil when skipped or wrong.
    func mapped(_ text: String, at location: @autoclosure () -> String, kind: String, log: inout ImportLog)
        -> String?
    {
        guard !mapping.values.isEmpty else { return text }
        let number = Double(text.replacingOccurrences(of: ",", with: "."))
        for rule in mapping.values {
            if let t = rule.text, t == text { return rule.to == "skip" ? nil : rule.to }
            if let r = rule.range, let n = number, r.contains(n) { return rule.to == "skip" ? nil : rule.to }
        }
        log.error(
            ImportError(location(), ImportText.noValueRule(text)), kind: "values:" + kind)
        return nil
    }

    /// A journal cell's marks and absences added.
    func cell(
        _ text: String, at location: @autoclosure () -> String, kind: String, pupil p: Int, subject: String,
        day: Day, workType: String, weight: UInt16?, state: inout State, log: inout ImportLog
    ) {
        guard !text.isEmpty, let token = mapped(text, at: location(), kind: kind, log: &log) else { return }
        switch JournalCell.parse(token) {
        case .failure(let e):
            log.error(ImportError(location(), JournalCell.problem(e, in: text)), kind: kind)
        case .success(let cell):
            state.batch.add(
                cell, text, pupil: p, subject: subject, day: day, at: location(), workType: workType, weight: weight)
            let key = ImportBatch.Coverage(
                school: state.batch.pupils[p].school, classLabel: state.batch.pupils[p].classLabel, subject: subject,
                from: day, to: day)
            state.batch.extendCoverage(key)
        }
    }
}

extension Grid {
    /// A row's cells ([] past the end).
    subscript(rowOf r: Int) -> [String] { r >= 0 && r < rows.count ? rows[r] : [] }
}

extension ImportBatch {
    /// Widens the coverage of the class and subject to take in `c`'s days.
    mutating func extendCoverage(_ c: Coverage) {
        let key = CoverageKey(
            school: ByteKey(c.school), classLabel: ByteKey(c.classLabel), subject: c.subject.map(ByteKey.init),
            pupil: c.pupil)
        if let last = lastCoverage, last.key == key {
            coverage[last.slot].from = Swift.min(coverage[last.slot].from, c.from)
            coverage[last.slot].to = Swift.max(coverage[last.slot].to, c.to)
        } else if let i = coverageSlots[key] {
            lastCoverage = (key, i)
            coverage[i].from = Swift.min(coverage[i].from, c.from)
            coverage[i].to = Swift.max(coverage[i].to, c.to)
        } else {
            coverageSlots[key] = coverage.count
            lastCoverage = (key, coverage.count)
            coverage.append(c)
        }
    }
}

/// What the command line adds to every source.
public struct ImportOptions: Sendable {
    /// The school's id for sources that do not name it.
    public var school: String?
    public var schoolName: String?
    /// The first calendar year of the school year (2025 for 2025/2026), when given.
    public var schoolYearStart: Int?
    public static let defaultWorkType = "ответ на уроке"
    /// The calendar the snapshot will have: layouts name a report's period by it.
    public var calendar: SchoolCalendar = .quarters
    public var calendarGrades: ClosedRange<Int>?
    /// A calendar file's periods, when given.
    public var calendarPeriods: [Period]?

    public init(school: String? = nil, schoolName: String? = nil, schoolYearStart: Int? = nil) {
        self.school = school
        self.schoolName = schoolName
        self.schoolYearStart = schoolYearStart
    }
}
