import Foundation
import ImportFixtureSupport
import MayakSnapshot
import MayakTestSupport
import Testing

@testable import MayakImport

/// ФИС ОКО's form Ф1 «Индивидуальные результаты» (invented participants, written as XLSX by
/// libxlsxwriter) and the school's participant code list.
@Suite struct FisOkoLayoutTests {
    typealias Cell = XLSXFixture.Cell
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let mapping = root.appendingPathComponent("mappings/generic-long.yaml").path
    static let sheet = "Ф1 Индивидуальные результаты"

    func folder() -> String {
        let dir = TemporaryFolders.fresh("fisoko")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.path
    }

    func write(_ text: String, _ path: String) { TemporaryFolders.write(Data(text.utf8), to: path) }

    /// Two participants of 5А: tasks 1 (2б), 2 (3б), 9.1 (1б), 3К1 (4б), maximum 10.
    static let twoParticipants: [[Cell]] = [
        [
            .number(10001), .text("5А"), .number(1), .number(2), .number(3), .text("X"), .number(4), .number(9),
            .number(5), .number(5),
        ],
        [
            .number(10002), .text("5 А"), .number(2), .number(1), .text("Х"), .number(0), .number(2), .number(3),
            .number(3), .number(4),
        ],
    ]

    /// A form Ф1 as ФИС ОКО lays it out, with the given participant rows.
    func f1(
        _ participants: [[Cell]], to path: String, title: String = "ВПР 2025 Математика 5 класс",
        subject: String = "Математика",
        date: Cell = .date(year: 2025, month: 4, day: 15)
    ) throws {
        var rows: [[Cell]] = [
            [.text("Форма Ф1. Индивидуальные результаты участников")],
            [.text(title)],
            [.text("Предмет"), .text(subject)],
            [.text("Максимальный первичный балл"), .number(10)],
            [.text("Дата"), date],
            [.text("МБОУ СОШ № 3 (edu123456) | Кол-во участников: \(participants.count)")],
            [],
            [.empty, .empty, .empty, .text("Б"), .text("Б"), .text("П"), .text("Б")],
            [
                "Код участника", "Класс", "Вариант", "1 (2б)", "2 (3б)", "9.1 (1б)", "3К1 (4б)", "Первичный балл",
                "Отметка", "Отметка по журналу",
            ].map { Cell.text($0) },
        ]
        rows += participants
        try XLSXFixture.write(sheets: [(Self.sheet, rows, [])], to: path)
    }

    func codes(_ dir: String, _ lines: [String] = ["10001;Выдумкин Пётр Ильич;5А", "10002;Небылицына Ольга;5А"])
        -> String
    {
        let path = dir + "/codes.csv"
        write("Код участника;ФИО;Класс\n" + lines.joined(separator: "\n") + "\n", path)
        return path
    }

    func context(_ codes: [String: String], school: String? = nil) -> LayoutContext {
        LayoutContext(
            options: ImportOptions(school: school),
            codes: codes.mapValues { .init(fullName: $0, classLabel: "5А", birthDate: nil, location: "codes.csv") })
    }

    func run(_ files: [String], codes: String?, into: String, school: String? = "SCH1") -> ImportOutcome {
        var r = ImportRequest(files: files, into: into)
        r.codes = codes
        r.options = ImportOptions(school: school)
        return Importer.run(r)
    }

    @Test func aFormIsRecognisedAndReadWithXAndTheLevelRow() throws {
        let dir = folder()
        try f1(Self.twoParticipants, to: dir + "/f1.xlsx")
        let workbook = try XLSXReader.read(
            Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/f1.xlsx"))), file: "f1.xlsx")
        #expect(FisOkoLayout.recognises(workbook))
        #expect(Layouts.detect(workbook)?.name == "fis-oko-f1")
        #expect(Layouts.named("fis-oko-f1")?.title == "ФИС ОКО: ВПР, индивидуальные результаты (Ф1)")
        var log = ImportLog()
        let batch = FisOkoLayout.read(
            workbook, context: context(["10001": "Выдумкин Пётр Ильич", "10002": "Небылицына Ольга"]), log: &log)
        #expect(log.rendered == [])
        #expect(batch.vprResults.count == 2)
        let first = try #require(batch.vprResults.first)
        #expect(first.year == 2025)
        #expect(first.grade == 5)
        #expect(first.subject == "Математика")
        #expect(first.score == "9")
        #expect(first.maxScore == "10")
        #expect(first.mark == 5)
        #expect(first.journalMark == 5)
        #expect(first.location == "f1.xlsx:\(Self.sheet)!I10")
        #expect(batch.vprResults[1].score == "3")
        #expect(batch.vprResults[1].mark == 3)
        #expect(batch.vprResults[1].journalMark == 4)
        #expect(batch.pupils.map(\.fullName) == ["Выдумкин Пётр Ильич", "Небылицына Ольга"])
        #expect(batch.pupils.map(\.classLabel) == ["5А", "5А"])
        // No --school: the school is the form's code, named as the form names it.
        #expect(batch.pupils.map(\.school) == ["edu123456", "edu123456"])
        #expect(batch.schools == [.init(id: "edu123456", name: "МБОУ СОШ № 3")])
        #expect(batch.workDays == [Day(year: 2025, month: 4, day: 15)!])
        // A code list sheet is not a form.
        let list = Workbook(
            file: "codes.csv", kind: .csv,
            grids: [Grid(file: "codes.csv", name: "codes", addressing: .lines, rows: [["Код участника", "ФИО"]])])
        #expect(!FisOkoLayout.recognises(list))
    }

    @Test func aFormAloneImportsIntoItsSchoolYearAndPassesTheChecks() throws {
        let dir = folder()
        try f1(Self.twoParticipants, to: dir + "/f1.xlsx")
        let outcome = run([dir + "/f1.xlsx"], codes: codes(dir), into: dir + "/snap")
        #expect(outcome.log.rendered == [])
        #expect(outcome.wrote)
        #expect(outcome.asOf == Day(year: 2025, month: 4, day: 15))
        #expect(outcome.sources.first?.layout == FisOkoLayout.title)
        #expect(
            outcome.inferences == [
                "нет ни одной датированной отметки или пропуска — учебный год 2024/2025 взят по году ВПР (весна 2025)",
                "нет ни одной датированной отметки или пропуска — дата среза взята по дате ВПР: 15.04.2025",
            ])
        let vpr = try String(contentsOfFile: dir + "/snap/vpr_results.csv", encoding: .utf8)
        #expect(
            vpr == """
                pupil_id,year,grade,subject,score,max_score,mark,journal_mark
                P000001,2025,5,Математика,9,10,5,5
                P000002,2025,5,Математика,3,10,3,4

                """)
        let (s, _) = try SnapshotLoader(folder: dir + "/snap").load()
        #expect(s.manifest.schoolYear.name == "2024/2025")
        #expect(s.pupils.count == 2)
    }

    @Test func theCodeListIsReadFromCSVAndFromXLSX() throws {
        let dir = folder()
        let csv = dir + "/codes.csv"
        write(
            "Код участника;ФИО;Класс;Дата рождения\n10001;Выдумкин Пётр Ильич;5А;01.03.2014\n010002; Небылицына Ольга ;5 Б;\n\n",
            csv)
        var log = ImportLog()
        let fromCSV = try CodeList.load(csv, log: &log).get()
        #expect(log.rendered == [])
        #expect(
            fromCSV == [
                "10001": .init(
                    fullName: "Выдумкин Пётр Ильич", classLabel: "5А", birthDate: "2014-03-01", location: "\(csv):2:1"),
                "10002": .init(fullName: "Небылицына Ольга", classLabel: "5 Б", birthDate: nil, location: "\(csv):3:1"),
            ])
        // A workbook with a title above the header, codes as numbers, «Код» and «Ученик».
        let xlsx = dir + "/codes.xlsx"
        try XLSXFixture.write(
            sheets: [
                (
                    "Коды",
                    [
                        [.text("Список кодов участников ВПР")], [],
                        [.text("Ученик"), .text("Код"), .text("Класс")],
                        [.text("Выдумкин Пётр Ильич"), .number(10001), .text("5А")],
                    ], []
                )
            ], to: xlsx)
        let fromXLSX = try CodeList.load(xlsx, log: &log).get()
        #expect(log.rendered == [])
        #expect(
            fromXLSX == [
                "10001": .init(
                    fullName: "Выдумкин Пётр Ильич", classLabel: "5А", birthDate: nil, location: "\(xlsx):Коды!B4")
            ])
        // Not a code list at all.
        write("ФИО;Класс\nВыдумкин Пётр;5А\n", csv)
        guard case .failure(let e) = CodeList.load(csv, log: &log) else {
            Issue.record("a table without codes was read as a code list")
            return
        }
        #expect(e.message.hasPrefix("это не список кодов участников: в первых 20 строках нет строки заголовка"))
    }

    @Test func aDuplicateCodeAndAnEmptyNameInTheListAreErrorsAtTheirCells() throws {
        let dir = folder()
        let path = codes(dir, ["10001;Выдумкин Пётр;5А", "10002;;5А", "10001;Другов Иван;5А"])
        var log = ImportLog()
        _ = CodeList.load(path, log: &log)
        #expect(
            log.rendered == [
                "\(path):3:7: ошибка: пустое имя ученика у кода участника 10002; ожидалось ФИО ученика",
                "\(path):4:1: ошибка: код участника 10001 дважды в списке кодов: он есть и в \(path):2:1 (Выдумкин Пётр); "
                    + "каждый код — это один ученик",
            ])
        try f1(Self.twoParticipants, to: dir + "/f1.xlsx")
        let outcome = run([dir + "/f1.xlsx"], codes: path, into: dir + "/snap")
        #expect(outcome.log.hasErrors)
        #expect(!outcome.wrote)
        #expect(!FileManager.default.fileExists(atPath: dir + "/snap/vpr_results.csv"))
    }

    @Test func codesMissingFromTheListAreOneErrorAndNothingIsWritten() throws {
        let dir = folder()
        var rows = Self.twoParticipants
        for code in [10003.0, 10004, 10005] {
            var row = rows[1]
            row[0] = .number(code)
            rows.append(row)
        }
        try f1(rows, to: dir + "/f1.xlsx")
        let outcome = run([dir + "/f1.xlsx"], codes: codes(dir, ["10001;Выдумкин Пётр;5А"]), into: dir + "/snap")
        let at = "\(dir)/f1.xlsx:\(Self.sheet)!"
        #expect(
            outcome.log.rendered == [
                "\(at)A11: ошибка: кода участника 10002 нет в списке кодов; нет и 10003 (\(at)A12), 10004 (\(at)A13) "
                    + "и ещё 1 (всего 4 кода); каждому участнику нужен ученик: впишите каждый код с ФИО и классом "
                    + "ученика (--codes: «Код участника», «ФИО», «Класс»)"
            ])
        #expect(!outcome.wrote)
        #expect(!FileManager.default.fileExists(atPath: dir + "/snap"))
        // Without a code list at all.
        let none = run([dir + "/f1.xlsx"], codes: nil, into: dir + "/snap")
        #expect(
            none.log.rendered.first?.contains("код участника 10001: не указан список кодов (--codes ФАЙЛ)") == true)
        #expect(!none.wrote)
    }

    @Test func aScoreAboveTheTasksMaximumIsAnErrorAtTheCell() throws {
        let dir = folder()
        var rows = Self.twoParticipants
        rows[1][3] = .number(3)  // task 1 is worth 2
        rows[1][7] = .number(5)
        try f1(rows, to: dir + "/f1.xlsx")
        let outcome = run([dir + "/f1.xlsx"], codes: codes(dir), into: dir + "/snap")
        #expect(
            outcome.log.rendered == [
                "\(dir)/f1.xlsx:\(Self.sheet)!D11: ошибка: задание 1: балл 3 больше его максимума 2"
            ])
        #expect(!outcome.wrote)
        // A primary score that is not the tasks' sum is a warning; the form's score is written.
        rows = Self.twoParticipants
        rows[1][7] = .number(4)
        try? FileManager.default.removeItem(atPath: dir + "/f1.xlsx")
        try f1(rows, to: dir + "/f1.xlsx")
        let warned = run([dir + "/f1.xlsx"], codes: codes(dir), into: dir + "/snap")
        #expect(
            warned.log.rendered == [
                "\(dir)/f1.xlsx:\(Self.sheet)!H11: предупреждение: первичный балл 4 не равен сумме баллов за задания (3); "
                    + "записан первичный балл формы"
            ])
        #expect(warned.wrote)
        // A mark outside 2–5 is an error.
        rows[1][8] = .number(6)
        try? FileManager.default.removeItem(atPath: dir + "/f1.xlsx")
        try f1(rows, to: dir + "/f1.xlsx")
        let bad = run([dir + "/f1.xlsx"], codes: codes(dir), into: dir + "/snap")
        #expect(
            bad.log.rendered.contains(
                "\(dir)/f1.xlsx:\(Self.sheet)!I11: ошибка: «6» — не отметка ВПР; ожидалась отметка 2–5 "
                    + "(или X, если участник не писал)"
            ))
    }

    @Test func anAbsentParticipantIsSkippedAndCounted() throws {
        let dir = folder()
        var rows = Self.twoParticipants
        rows.append([
            .number(10003), .text("5А"), .empty, .text("X"), .text("X"), .text("X"), .text("X"), .empty, .text("X"),
        ])
        rows.append([.number(10004), .text("5А")])
        try f1(rows, to: dir + "/f1.xlsx")
        // The absent participants need no pupil: 10003 and 10004 are not in the list.
        let outcome = run([dir + "/f1.xlsx"], codes: codes(dir), into: dir + "/snap")
        #expect(outcome.log.rendered == [])
        #expect(outcome.wrote)
        #expect(
            outcome.inferences.contains(
                "ВПР 2025, Математика, 5 класс: 2 участника без отметки (не писали) не записаны"))
        let (s, _) = try SnapshotLoader(folder: dir + "/snap").load()
        #expect(s.pupils.count == 2)
    }

    @Test func aFormImportedIntoAJournalSnapshotLandsOnTheSamePupils() throws {
        let dir = folder()
        let journal = dir + "/marks.csv"
        write(
            "ФИО;Класс;Предмет;Дата;Отметка\nВыдумкин Пётр Ильич;5А;Математика;10.02.2026;4\n"
                + "Небылицына Ольга;5А;Математика;11.02.2026;5\nДругов Иван;5А;Математика;11.02.2026;3\n", journal)
        var r = ImportRequest(files: [journal], into: dir + "/snap")
        r.mapping = mapping
        r.options = ImportOptions(school: "SCH1")
        #expect(Importer.run(r).wrote)
        // Last spring's ВПР of grade 4; the code list gives the pupils' classes now.
        try f1(Self.twoParticipants, to: dir + "/f1.xlsx", title: "ВПР 2025 Математика 4 класс")
        let list = codes(dir, ["10001;ВЫДУМКИН Петр Ильич;5А", "10002;Небылицына  Ольга;5 А"])
        let outcome = run([dir + "/f1.xlsx"], codes: list, into: dir + "/snap")
        #expect(outcome.log.rendered == [])
        #expect(outcome.wrote)
        #expect(outcome.sources.first?.changes.newPupils == 0)
        #expect(outcome.asOf == Day(year: 2026, month: 2, day: 11))
        let vpr = try String(contentsOfFile: dir + "/snap/vpr_results.csv", encoding: .utf8)
        #expect(
            vpr == """
                pupil_id,year,grade,subject,score,max_score,mark,journal_mark
                P000001,2025,4,Математика,9,10,5,5
                P000002,2025,4,Математика,3,10,3,4

                """)
        let (s, _) = try SnapshotLoader(folder: dir + "/snap").load()
        #expect(s.pupils.count == 3)
        #expect(s.marks.count == 3)
        #expect(s.manifest.schoolYear.name == "2025/2026")
        // A code list without classes: the form's «4А» of last spring finds the pupils by name
        // and does not move them back to grade 4.
        var rows = Self.twoParticipants
        for i in rows.indices { rows[i][1] = .text("4А") }
        try f1(rows, to: dir + "/rus.xlsx", title: "ВПР 2025 Русский язык 4 класс", subject: "Русский язык")
        try? FileManager.default.removeItem(atPath: list)
        write("Код участника;ФИО\n10001;Выдумкин Пётр Ильич\n10002;Небылицына Ольга\n", list)
        let past = run([dir + "/rus.xlsx"], codes: list, into: dir + "/snap")
        #expect(past.log.rendered == [])
        #expect(past.wrote)
        #expect(past.sources.first?.changes.newPupils == 0)
        #expect(past.sources.first?.changes.movedPupils == [])
        let classes = try String(contentsOfFile: dir + "/snap/classes.csv", encoding: .utf8)
        #expect(!classes.contains("4А"))
        let pupils = try String(contentsOfFile: dir + "/snap/pupils.csv", encoding: .utf8)
        #expect(pupils.contains("P000001,SCH1-5А,"))
        #expect(!pupils.contains("P000004"))
        let results = try String(contentsOfFile: dir + "/snap/vpr_results.csv", encoding: .utf8)
        #expect(results.contains("P000002,2025,4,Русский язык,3,10,3,4"))
    }
}
