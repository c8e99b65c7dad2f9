import Foundation
import MayakSnapshot

/// ФИС ОКО's ВПР form «Ф1 Индивидуальные результаты» (XLSX): one sheet per work, with a title
/// «ВПР 2025 Математика 5 класс», meta rows (label in column A, value in B: «Предмет»,
/// «Максимальный первичный балл», «Дата»), a row naming the school and its code
/// («МБОУ СОШ № 3 (edu123456) | Кол-во участников: 24»), then a header row with «Код участника»,
/// «Класс», «Вариант», a column per task (`1 (2б)`, `9.1 (1б)`, `3К1 (1б)`: the task and its
/// maximum; its level «Б»/«П» in the row above), «Первичный балл», «Отметка» and «Отметка по
/// журналу».
///
/// The form names no pupil: participants are codes, and the school's code list
/// (`LayoutContext.codes`, `--codes`) says who they are. Each participant with a mark becomes
/// a ВПР result; a participant without one did not write and is counted, not recorded.
///
/// Diagnostics:
/// - errors (nothing is written): a participant code the list lacks (said once for the
///   form, with its first cells and the count); a code twice in the form; «Отметка» other
///   than 2–5; «Первичный балл» that is not a number or is above the work's maximum; a task
///   cell that is not a score or is above the task's maximum (the form was altered or its
///   columns are not what they say: its scores cannot be trusted); a class that is not one;
/// - warnings: «Первичный балл» that is not the sum of the task scores (the form's primary
///   score is what ФИС ОКО marked by, and it is what is written).
///
/// Task scores are checked but not stored: the snapshot has no table for them yet.
public enum FisOkoLayout: Layout {
    public static let name = "fis-oko-f1"
    public static let title = ImportText.fisOkoTitle

    /// How many rows the title is looked for in, and the header.
    static let titleRows = 12
    static let headerSearchRows = 40

    static let titlePattern = #"ВПР\s+(\d{4})\s+(.+?)\s+(\d+)\s*класс"#
    static let taskPattern = #"^(\d+(?:[.,]\d+)?(?:[КK]\d+)?)\s*\((\d+)\s*б\)$"#
    static let schoolPattern = #"^(.*?)\s*\(?\s*(edu\d{3,})\s*\)?"#

    public static func recognises(_ workbook: Workbook) -> Bool {
        workbook.grids.contains { grid in heading(of: grid) != nil || headerRow(of: grid) != nil }
    }

    public static func read(_ workbook: Workbook, context: LayoutContext, log: inout ImportLog) -> ImportBatch {
        var state = State(batch: ImportBatch(file: workbook.file))
        var forms = 0
        for grid in workbook.grids.map({ $0.filled() }) {
            guard let header = headerRow(of: grid) else { continue }
            forms += 1
            read(grid, header: header, context: context, state: &state, log: &log)
        }
        if forms == 0 {
            log.error(ImportError(workbook.file, ImportText.notAForm(searched: headerSearchRows)))
        }
        if let first = state.missing.first {
            // One error for the form: a code list that lacks codes lacks them all alike.
            let others = Array(state.missing.dropFirst().prefix(ImportLog.shown - 1))
            let message = ImportText.codesMissing(
                first: first.code, others: others, rest: state.missing.count - 1 - others.count,
                total: state.missing.count, listGiven: !context.codes.isEmpty)
            log.error(ImportError(first.location, message), kind: "f1-codes:\(workbook.file)")
            // Nothing partial: without every pupil the form is not read.
            return ImportBatch(file: workbook.file)
        }
        return state.batch
    }

    // MARK: the form's parts

    struct State {
        var batch: ImportBatch
        var pupilByCode: [String: Int] = [:]
        var schools: Set<String> = []
        var missing: [(code: String, location: String)] = []
        var letterInferred = false
    }

    /// The title's year, subject and grade, and where it is.
    struct Heading {
        var year: Int
        var subject: String
        var grade: Int
        var location: String
    }

    struct Task {
        var column: Int
        var number: String
        var max: Double
    }

    static func heading(of grid: Grid) -> Heading? {
        for r in 0..<min(grid.rowCount, titleRows) {
            for (c, text) in grid[rowOf: r].enumerated() where text.contains("ВПР") {
                if let g = groups(titlePattern, text), let year = Int(g[1]), let grade = Int(g[3]) {
                    return Heading(
                        year: year, subject: g[2].trimmingSpaces(), grade: grade,
                        location: grid.location(row: r, column: c))
                }
            }
        }
        return nil
    }

    /// The header row: the last of consecutive rows holding «Код участника» and «Первичный
    /// балл» (a header merged down over the level row has them in both).
    static func headerRow(of grid: Grid) -> Int? {
        func isHeader(_ r: Int) -> Bool {
            let keys = Set(grid[rowOf: r].map(MappingLayout.key))
            return keys.contains("код участника") && keys.contains("первичный балл")
        }
        guard var r = (0..<min(grid.rowCount, headerSearchRows)).first(where: isHeader) else { return nil }
        while r + 1 < grid.rowCount, isHeader(r + 1) { r += 1 }
        return r
    }

    /// The capture groups of `pattern`'s first match in `text` (0 is the whole match).
    static func groups(_ pattern: String, _ text: String) -> [String]? {
        guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]),
            let m = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text))
        else { return nil }
        return (0..<m.numberOfRanges).map { i in
            Range(m.range(at: i), in: text).map { String(text[$0]) } ?? ""
        }
    }

    /// A cell that holds no score: empty, `X` (Latin or Cyrillic), a dash.
    static func isBlank(_ text: String) -> Bool {
        ["", "x", "х", "—", "–", "-"].contains(text.trimmingSpaces().lowercased())
    }

    /// A score as written (`12`, `17,5`, `17.5`); nil for anything else.
    static func number(_ text: String) -> Double? {
        let t = text.trimmingSpaces()
        let parts = t.split(separator: ",", omittingEmptySubsequences: false).flatMap {
            $0.split(separator: ".", omittingEmptySubsequences: false)
        }
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) }),
            parts.allSatisfy({ $0.allSatisfy(\.isNumber) }), parts[0].count <= 6
        else { return nil }
        return Double(t.replacingOccurrences(of: ",", with: "."))
    }

    /// A number as a person writes it: `12`, `17,5`.
    static func written(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e9 { return String(Int(x)) }
        return String(x).replacingOccurrences(of: ".", with: ",")
    }

    /// The school named above the table: its name and `eduNNNNNN` code.
    static func school(in grid: Grid, before header: Int) -> (code: String, name: String?)? {
        for r in 0..<header {
            for text in grid[rowOf: r] where text.lowercased().contains("edu") {
                guard let g = groups(schoolPattern, text) else { continue }
                var name = g[1]
                if let colon = name.lastIndex(of: ":") { name = String(name[name.index(after: colon)...]) }
                name = name.trimmingSpaces()
                return (g[2].lowercased(), name.isEmpty ? nil : name)
            }
        }
        return nil
    }

    // MARK: reading a form

    static func read(_ grid: Grid, header: Int, context: LayoutContext, state: inout State, log: inout ImportLog) {
        guard let heading = heading(of: grid) else {
            log.error(ImportError("\(grid.file):\(grid.name)", ImportText.noFormTitle(searched: titleRows)))
            return
        }
        // Meta rows: a label in column A, its value in B.
        var subject = heading.subject
        var maxScore: (text: String, value: Double, location: String)?
        var day: Day?
        for r in 0..<header {
            let label = MappingLayout.key(grid[r, 0]).trimmingCharacters(in: [":"]).trimmingSpaces()
            let value = grid[r, 1].trimmingSpaces()
            guard !value.isEmpty else { continue }
            switch label {
            case "предмет": subject = value
            case "максимальный первичный балл", "максимальный балл":
                guard let x = number(value), x > 0 else {
                    log.error(ImportError(grid.location(row: r, column: 1), ImportText.notAMaximumScore(value)))
                    return
                }
                maxScore = (value, x, grid.location(row: r, column: 1))
            case "дата", "дата проведения":
                if case .day(let d) = Day.parse(value) {
                    day = d
                } else {
                    log.warning(ImportError(grid.location(row: r, column: 1), ImportText.notAVPRDate(value)))
                }
            default: break
            }
        }
        let school = school(in: grid, before: header)

        // The header's columns.
        var columns: [String: Int] = [:]
        var tasks: [Task] = []
        for (c, h) in grid[rowOf: header].enumerated() {
            let k = MappingLayout.key(h)
            if let g = groups(taskPattern, h.trimmingSpaces()), let max = Double(g[2]) {
                tasks.append(Task(column: c, number: g[1], max: max))
            } else if !k.isEmpty, columns[k] == nil {
                columns[k] = c
            }
        }
        let headerLocation = grid.location(row: header, column: 0)
        guard let codeColumn = columns["код участника"], let scoreColumn = columns["первичный балл"],
            let markColumn = columns["отметка"]
        else {
            log.error(ImportError(headerLocation, ImportText.noMarkColumn))
            return
        }
        let classColumn = columns["класс"]
        let journalColumn = columns["отметка по журналу"]
        let rowSchoolColumn = columns["оо"] ?? columns["код оо"]
        let rowSchoolNameColumn = columns["название оо"] ?? columns["наименование оо"]
        let workMax: (text: String, value: Double)
        if let m = maxScore {
            workMax = (m.text, m.value)
        } else if !tasks.isEmpty {
            let sum = tasks.reduce(0) { $0 + $1.max }
            workMax = (written(sum), sum)
            state.batch.inferences.append(ImportText.workMaximumFromTasks(file: grid.file, sum: written(sum)))
        } else {
            log.error(ImportError(headerLocation, ImportText.noWorkMaximum))
            return
        }
        let what = ImportText.vprWork(year: heading.year, subject: subject, grade: heading.grade)
        var absent = 0
        var seen: [String: String] = [:]
        let kind = "\(grid.file):\(grid.name)"

        for r in (header + 1)..<max(header + 1, grid.rowCount) {
            guard grid[rowOf: r].contains(where: { !$0.isEmpty }) else { continue }
            let code = CodeList.normalised(grid[r, codeColumn])
            guard !code.isEmpty else { continue }
            let at = { (c: Int) in grid.location(row: r, column: c) }
            if let first = seen[code] {
                log.error(ImportError(at(codeColumn), ImportText.codeTwiceInForm(code, first: first)))
                continue
            }
            seen[code] = at(codeColumn)
            let markText = grid[r, markColumn].trimmingSpaces()
            if isBlank(markText) {
                absent += 1
                continue
            }
            guard let mark = Int(markText), (2...5).contains(mark) else {
                log.error(ImportError(at(markColumn), ImportText.notAVPRMark(markText)), kind: "f1-mark:\(kind)")
                continue
            }
            var failed = false
            let scoreText = grid[r, scoreColumn].trimmingSpaces()
            guard let score = number(scoreText) else {
                log.error(
                    ImportError(at(scoreColumn), ImportText.notAPrimaryScore(scoreText)), kind: "f1-score:\(kind)")
                continue
            }
            if score > workMax.value {
                log.error(
                    ImportError(at(scoreColumn), ImportText.primaryScoreAboveMaximum(scoreText, maximum: workMax.text)),
                    kind: "f1-score-max:\(kind)")
                failed = true
            }
            var sum = 0.0
            var scored = 0
            for t in tasks {
                let text = grid[r, t.column].trimmingSpaces()
                guard !isBlank(text) else { continue }
                guard let x = number(text) else {
                    log.error(
                        ImportError(
                            at(t.column), ImportText.notATaskScore(text, task: t.number, maximum: written(t.max))),
                        kind: "f1-task:\(kind):\(t.column)")
                    failed = true
                    continue
                }
                if x > t.max {
                    log.error(
                        ImportError(
                            at(t.column),
                            ImportText.taskScoreAboveMaximum(task: t.number, score: text, maximum: written(t.max))),
                        kind: "f1-task-max:\(kind):\(t.column)")
                    failed = true
                }
                sum += x
                scored += 1
            }
            if !failed, scored > 0, abs(sum - score) > 1e-6 {
                log.warning(
                    ImportError(at(scoreColumn), ImportText.primaryScoreNotSum(scoreText, sum: written(sum))),
                    kind: "f1-sum:\(kind)")
            }
            if failed { continue }
            let journalMark = journalColumn.flatMap { Int(grid[r, $0].trimmingSpaces()) }.flatMap {
                (1...5).contains($0) ? $0 : nil
            }
            guard let coded = context.codes[code] else {
                state.missing.append((code, at(codeColumn)))
                continue
            }
            guard
                let p = pupil(
                    code: code, coded: coded, row: r, grid: grid, classColumn: classColumn, year: heading.year,
                    school: (
                        rowSchoolColumn.map { grid[r, $0].trimmingSpaces().lowercased() }.flatMap {
                            $0.hasPrefix("edu") ? $0 : nil
                        } ?? school?.code,
                        rowSchoolNameColumn.map { grid[r, $0].trimmingSpaces() }.flatMap { $0.isEmpty ? nil : $0 }
                            ?? school?.name
                    ), context: context, state: &state, log: &log)
            else { continue }
            state.batch.vprResults.append(
                ImportBatch.VPRResult(
                    pupil: p, year: heading.year, grade: heading.grade, subject: subject, score: scoreText,
                    maxScore: workMax.text, mark: mark, journalMark: journalMark, location: at(markColumn)))
        }
        if absent > 0 { state.batch.inferences.append(ImportText.vprAbsent(what, count: absent)) }
        if let day { state.batch.workDays.append(day) }
    }

    /// The batch's pupil for a participant, added the first time the code is met.
    static func pupil(
        code: String, coded: LayoutContext.CodedPupil, row r: Int, grid: Grid, classColumn: Int?, year: Int,
        school: (code: String?, name: String?), context: LayoutContext, state: inout State, log: inout ImportLog
    ) -> Int? {
        if let p = state.pupilByCode[code] { return p }
        let formLabel = classColumn.map { grid[r, $0].trimmingSpaces() } ?? ""
        let label = coded.classLabel ?? formLabel
        guard let parsed = ClassLabel.parse(label) else {
            let location =
                coded.classLabel != nil
                ? coded.location : grid.location(row: r, column: classColumn ?? 0)
            log.error(
                ImportError(
                    location,
                    label.isEmpty ? ImportText.noClassForCode(code) : ImportText.notAClass(label, example: "5А")),
                kind: "f1-class:\(grid.file)")
            return nil
        }
        guard let schoolID = context.options.school ?? school.code else {
            log.error(ImportError(grid.location(row: r, column: 0), ImportText.formNoSchool), kind: "no-school")
            return nil
        }
        if state.schools.insert(schoolID).inserted {
            state.batch.schools.append(
                .init(id: schoolID, name: context.options.schoolName ?? school.name ?? schoolID))
        }
        var letter = parsed.letter
        if letter.isEmpty {
            letter = "А"
            if !state.letterInferred {
                state.letterInferred = true
                state.batch.inferences.append(
                    ImportText.classByGradeOnly(file: grid.file, label: label, grade: parsed.grade))
            }
        }
        var pupil = ImportBatch.Pupil(
            school: schoolID, classLabel: "\(parsed.grade)\(letter)", grade: parsed.grade, letter: letter,
            fullName: coded.fullName, birthDate: coded.birthDate, key: nil,
            location: grid.location(row: r, column: 0))
        // The form's class of a spring before the snapshot's school year is the class of then:
        // a pupil the snapshot has in another class has not moved (the code list's class is now).
        if coded.classLabel == nil, let start = context.options.schoolYearStart, year <= start {
            pupil.classIsPast = true
        }
        state.batch.pupils.append(pupil)
        state.pupilByCode[code] = state.batch.pupils.count - 1
        return state.batch.pupils.count - 1
    }
}
