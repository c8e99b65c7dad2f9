import Foundation
import ImportFixtureSupport
import MayakSnapshot
import MayakTestSupport
import Testing

@testable import MayakImport

/// Long tables through `mappings/generic-long.yaml`, into a snapshot and again next week.
@Suite struct MappingImportTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let mapping = root.appendingPathComponent("mappings/generic-long.yaml").path

    func folder() -> String {
        let dir = TemporaryFolders.fresh("import")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.path
    }

    func write(_ text: String, _ path: String, cp1251: Bool = false) {
        let bytes = cp1251 ? TextEncoding.windows1251Bytes(text)! : Array(text.utf8)
        TemporaryFolders.write(Data(bytes), to: path)
    }

    func run(_ files: [String], into: String, dryRun: Bool = false) -> ImportOutcome {
        var r = ImportRequest(files: files, into: into)
        r.mapping = mapping
        r.dryRun = dryRun
        r.options = ImportOptions(school: "SCH1", schoolName: "МБОУ «СОШ № 1»")
        return Importer.run(r)
    }

    let header = "ФИО;Класс;Предмет;Дата;Отметка;Вид работы;Вес\n"

    @Test func aLongCP1251TableBecomesASnapshotThatLoads() throws {
        let dir = folder()
        let source = dir + "/marks.csv"
        write(
            header + "Выдумкин Пётр Ильич;7А;Алгебра;10.02.2026;4 5;контрольная работа;2\n"
                + "Выдумкин Пётр Ильич;7А;Алгебра;12.02.2026;5/Н;;\n"
                + "Выдумкин Пётр Ильич;7А;Алгебра;13.02.2026;Н;;\n"
                + "Небылицына Ольга Павловна;7 «А»;Алгебра;10.02.2026;3;самостоятельная работа;1,5\n",
            source, cp1251: true)
        let outcome = run([source], into: dir + "/snap")
        #expect(outcome.log.rendered == [])
        #expect(outcome.wrote)
        let (s, _) = try SnapshotLoader(folder: dir + "/snap").load()
        #expect(s.pupils.count == 2)
        #expect(s.classes.count == 1)
        #expect(s.marks.count == 4)
        #expect(s.attendance.count == 2)
        #expect(s.manifest.asOf == Day(year: 2026, month: 2, day: 13))
        #expect(s.manifest.schoolYear.name == "2025/2026")
        #expect(Set(s.marks.weight.values) == [200, 100, 150])
        let identity = try String(contentsOfFile: dir + "/snap/identity.csv", encoding: .utf8)
        #expect(identity.contains("P000001,SCH1,SCH1-7А,выдумкин петр ильич,,"))
    }

    @Test func nextWeeksExportUpdatesWithoutDuplicates() throws {
        let dir = folder()
        let week1 = dir + "/week1.csv"
        let week2 = dir + "/week2.csv"
        write(
            header + "Выдумкин Пётр;7А;Алгебра;10.02.2026;4;;\n" + "Выдумкин Пётр;7А;Алгебра;11.02.2026;2;;\n"
                + "Выдумкин Пётр;7А;Химия;11.02.2026;5;;\n", week1)
        #expect(run([week1], into: dir + "/snap").wrote)
        // The 10th's «4» is now «5»; the 11th's «2» was deleted; a new mark on the 17th.
        write(header + "Выдумкин Пётр;7А;Алгебра;10.02.2026;5;;\n" + "Выдумкин Пётр;7А;Алгебра;17.02.2026;3;;\n", week2)
        let dry = run([week2], into: dir + "/snap", dryRun: true)
        #expect(!dry.wrote)
        #expect(dry.sources.first?.changes.counts["marks"]?["SCH1-7А"]?.added == 2)
        #expect(dry.sources.first?.changes.counts["marks"]?["SCH1-7А"]?.removed == 2)
        let before = try String(contentsOfFile: dir + "/snap/marks.csv", encoding: .utf8)
        #expect(before.contains("2026-02-11,2"))
        let outcome = run([week2], into: dir + "/snap")
        #expect(outcome.wrote)
        let marks = try String(contentsOfFile: dir + "/snap/marks.csv", encoding: .utf8)
        #expect(
            marks == """
                pupil_id,subject,date,value,work_type,weight
                P000001,Алгебра,2026-02-10,5,ответ на уроке,1
                P000001,Алгебра,2026-02-17,3,ответ на уроке,1
                P000001,Химия,2026-02-11,5,ответ на уроке,1

                """)
    }

    @Test func aPupilWhoMovedClassKeepsTheId() throws {
        let dir = folder()
        let withBirth = "ФИО;Класс;Дата рождения;Предмет;Дата;Отметка\n"
        var r = ImportRequest(files: [dir + "/a.csv"], into: dir + "/snap")
        let m = dir + "/m.yaml"
        write(
            "mapping: 1\npupil: ФИО\nclass: Класс\nbirth_date: Дата рождения\nsubject: Предмет\ndate: Дата\nmark: Отметка\n",
            m)
        r.mapping = m
        r.options = ImportOptions(school: "SCH1")
        write(
            withBirth
                + "Выдумкин Пётр;7А;01.03.2013;Алгебра;10.02.2026;4\nДругов Иван;7А;02.04.2013;Алгебра;10.02.2026;3\n",
            dir + "/a.csv")
        #expect(Importer.run(r).wrote)
        write(withBirth + "Выдумкин Пётр;7Б;01.03.2013;Алгебра;16.02.2026;5\n", dir + "/a.csv")
        let moved = Importer.run(r)
        #expect(moved.wrote)
        #expect(moved.sources.first?.changes.movedPupils == ["P000001: SCH1-7А → SCH1-7Б"])
        let pupils = try String(contentsOfFile: dir + "/snap/pupils.csv", encoding: .utf8)
        #expect(pupils.contains("P000001,SCH1-7Б,Выдумкин Пётр,2013-03-01"))
        #expect(!pupils.contains("P000003"))
    }

    @Test func namesakesThatCannotBeToldApartAreAnErrorAndNothingIsWritten() throws {
        let dir = folder()
        let withBirth = "ФИО;Класс;Дата рождения;Предмет;Дата;Отметка\n"
        let m = dir + "/m.yaml"
        write(
            "mapping: 1\npupil: ФИО\nclass: Класс\nbirth_date: Дата рождения\nsubject: Предмет\ndate: Дата\nmark: Отметка\n",
            m)
        var r = ImportRequest(files: [dir + "/a.csv"], into: dir + "/snap")
        r.mapping = m
        r.options = ImportOptions(school: "SCH1")
        write(
            withBirth
                + "Иванов Иван;7А;01.03.2013;Алгебра;10.02.2026;4\nИванов Иван;7А;05.06.2013;Алгебра;10.02.2026;3\n",
            dir + "/a.csv")
        #expect(Importer.run(r).wrote)
        let before = try String(contentsOfFile: dir + "/snap/marks.csv", encoding: .utf8)
        // Next week's export has no birth dates.
        write("ФИО;Класс;Предмет;Дата;Отметка\nИванов Иван;7А;Алгебра;17.02.2026;5\n", dir + "/b.csv")
        r.files = [dir + "/b.csv"]
        r.mapping = mapping
        let outcome = Importer.run(r)
        #expect(!outcome.wrote)
        #expect(
            outcome.log.rendered == [
                "\(dir)/b.csv:2:1: ошибка: «Иванов Иван» (7А): в снимке 2 ученика с таким именем в этом классе "
                    + "(P000001, P000002), а в выгрузке нет даты рождения, чтобы их различить"
            ])
        #expect(try String(contentsOfFile: dir + "/snap/marks.csv", encoding: .utf8) == before)
    }

    @Test func badCellsArePositionedAndASystematicProblemIsSaidOnce() throws {
        let dir = folder()
        let source = dir + "/marks.csv"
        var text = header + "Выдумкин Пётр;7А;Алгебра;10.02.2026;6;;\n"
        for day in 11...20 { text += "Выдумкин Пётр;7А;Алгебра;2026-02-\(day);отл;;\n" }
        text += "Выдумкин Пётр;7А;Алгебра;31.02.2026;5;;\n"
        write(text, source)
        let outcome = run([source], into: dir + "/snap")
        #expect(!outcome.wrote)
        #expect(!FileManager.default.fileExists(atPath: dir + "/snap"))
        #expect(
            outcome.log.rendered == [
                "\(source):2:37: ошибка: «6» — не отметка; ожидалась отметка 1–5, н/а, осв, зач, незач или код посещаемости Н, Б, УП, НП, ОП",
                "\(source):3:37: ошибка: «отл» — не отметка; ожидалась отметка 1–5, н/а, осв, зач, незач или код посещаемости Н, Б, УП, НП, ОП",
                "\(source):4:37: ошибка: «отл» — не отметка; ожидалась отметка 1–5, н/а, осв, зач, незач или код посещаемости Н, Б, УП, НП, ОП",
                "\(source):2:37: ошибка: … то же ещё в 8 местах (всего 11)",
                "\(source):13:26: ошибка: нет такой даты: «31.02.2026»",
            ])
    }

    @Test func aFolderAnImportDidNotWriteIsLeftAlone() throws {
        let dir = folder()
        write(header + "Выдумкин Пётр;7А;Алгебра;10.02.2026;4;;\n", dir + "/marks.csv")
        try FileManager.default.createDirectory(atPath: dir + "/mine", withIntermediateDirectories: true)
        write("notes", dir + "/mine/notes.txt")
        let outcome = run([dir + "/marks.csv"], into: dir + "/mine")
        #expect(!outcome.wrote)
        #expect(
            outcome.log.rendered == [
                "\(dir)/mine: ошибка: папка не пуста, и в ней нет прежнего импорта (identity.csv); "
                    + "импортируйте в новую или пустую папку"
            ])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/mine") == ["notes.txt"])
    }

    @Test func theUCIDataImportsThroughItsShippedMapping() throws {
        let data = Self.root.appendingPathComponent("Tests/Fixtures/real/uci-student-performance")
        let mat = data.appendingPathComponent("student-mat.csv").path
        let por = data.appendingPathComponent("student-por.csv").path
        try #require(FileManager.default.fileExists(atPath: mat), "the UCI data is at \(data.path)")
        let dir = folder()
        var r = ImportRequest(files: [mat, por], into: dir + "/uci")
        r.mapping = Self.root.appendingPathComponent("mappings/uci-student-performance.yaml").path
        r.calendar = .trimesters
        r.calendarGrades = 1...11
        r.schoolYearStart = 2025
        let outcome = Importer.run(r)
        #expect(outcome.log.rendered == [])
        let (s, warnings) = try SnapshotLoader(folder: dir + "/uci").load()
        #expect(warnings.rendered() == "")
        // 395 + 649 rows; pupils in both files are one pupil.
        #expect(s.pupils.count == 674)
        #expect(s.periodMarks.count == 3 * (395 + 649))
        #expect(s.schools.count == 2)
        #expect(Set(s.subjects.values) == ["Математика", "Португальский язык"])
    }

    /// An XLSX sheet with a title row above the table, the pupil's name merged down his rows,
    /// dates as spreadsheet dates and marks as numbers: read as the CSV would be.
    @Test func anXLSXSheetWithMergedNamesImports() throws {
        let dir = folder()
        let book = dir + "/7a.xlsx"
        typealias C = XLSXFixture.Cell
        let rows: [[C]] = [
            [.text("Журнал 7А, III четверть")],
            [.text("ФИО"), .text("Класс"), .text("Предмет"), .text("Дата"), .text("Отметка")],
            [.text("Выдумкин Пётр"), .text("7А"), .text("Алгебра"), .date(year: 2026, month: 2, day: 10), .number(4)],
            [.empty, .text("7А"), .text("Алгебра"), .date(year: 2026, month: 2, day: 12), .text("5/Н")],
            [
                .text("Небылицына Ольга"), .text("7А"), .text("Алгебра"), .date(year: 2026, month: 2, day: 12),
                .number(3),
            ],
        ]
        try XLSXFixture.write(
            sheets: [("7А", rows, [CellRange(firstRow: 2, firstColumn: 0, lastRow: 3, lastColumn: 0)])], to: book)
        let outcome = run([book], into: dir + "/snap")
        #expect(outcome.log.rendered == [])
        #expect(outcome.sources.first?.kind == .xlsx)
        let (s, _) = try SnapshotLoader(folder: dir + "/snap").load()
        #expect(s.pupils.count == 2)
        #expect(s.marks.count == 3)
        #expect(s.attendance.count == 1)
        #expect(s.manifest.asOf == Day(year: 2026, month: 2, day: 12))
    }
}

/// An earlier import read back before it is updated: a table spoiled by hand is an error
/// naming the file and line, and the snapshot is left as it was.
@Suite struct EarlierImportTests {
    let tests = MappingImportTests()

    func imported() -> (dir: String, source: String) {
        let dir = tests.folder()
        let source = dir + "/marks.csv"
        tests.write(
            tests.header + "Выдумкин Пётр Ильич;7А;Алгебра;10.02.2026;4;;\n"
                + "Выдумкин Пётр Ильич;7А;Алгебра;12.02.2026;5;;\n", source)
        #expect(tests.run([source], into: dir + "/snap").wrote)
        return (dir, source)
    }

    @Test func aDateSpoiledByHandIsAnErrorAtItsLine() throws {
        let (dir, source) = imported()
        let marks = dir + "/snap/marks.csv"
        let text = try String(contentsOfFile: marks, encoding: .utf8)
        try text.replacingOccurrences(of: "2026-02-12", with: "12/02/2026").write(
            toFile: marks, atomically: true, encoding: .utf8)
        let outcome = tests.run([source], into: dir + "/snap")
        #expect(!outcome.wrote)
        #expect(
            outcome.log.rendered == [
                "\(marks):3: ошибка: «12/02/2026» — не дата; ожидалась дата вида ГГГГ-ММ-ДД, как пишет mayak import"
            ])
        #expect(try String(contentsOfFile: marks, encoding: .utf8).contains("12/02/2026"))
    }

    @Test func aMissingColumnIsAnError() throws {
        let (dir, source) = imported()
        let subjects = dir + "/snap/subjects.csv"
        try "class_id,teacher\nSCH1-7А,\n".write(toFile: subjects, atomically: true, encoding: .utf8)
        let outcome = tests.run([source], into: dir + "/snap")
        #expect(!outcome.wrote)
        #expect(
            outcome.log.rendered == [
                "\(subjects): ошибка: нет столбца «subject»; эту папку снимка писал не mayak import"
            ])
    }

    @Test func aQuoteNeverClosedIsAnErrorAtItsPlace() throws {
        let (dir, source) = imported()
        let schools = dir + "/snap/schools.csv"
        try "school_id,name\nSCH1,\"МБОУ\n".write(toFile: schools, atomically: true, encoding: .utf8)
        let outcome = tests.run([source], into: dir + "/snap")
        #expect(!outcome.wrote)
        #expect(outcome.log.rendered.count == 1)
        #expect(outcome.log.rendered.first?.hasPrefix("\(schools):2:") == true)
    }
}
