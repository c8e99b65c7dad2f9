import Foundation
import MayakSnapshot
import MayakTestSupport
import Testing

@testable import MayakImport

/// СГО's reports as it saves them (HTML under an .xls name), with invented people: recognised
/// without a mapping, imported, and imported again next week.
@Suite struct SGOLayoutTests {
    func folder() -> String {
        let dir = TemporaryFolders.fresh("sgo")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.path
    }

    /// A class journal page: header lines, months over days, one row per pupil, «Средн.», «Итог.».
    static func journal(
        subject: String, klass: String = "7А", period: String = "с 01.09.2025 по 27.10.2025",
        days: [(month: String, days: [Int])], pupils: [(name: String, cells: [String], final: String)]
    ) -> String {
        var html = """
            <html><head><meta charset="utf-8"></head><body>
            <div>МБОУ «Средняя школа № 7» г. Зареченска</div>
            <p>Учебный год: 2025/2026<br>Период: \(period)</p>
            <div><b>Класс:</b> \(klass)</div><div><b>Предмет:</b> \(subject)</div>
            <table><tr><th rowspan="2">№</th><th rowspan="2">Ученик</th>
            """
        for m in days { html += "<th colspan=\"\(m.days.count)\">\(m.month)</th>" }
        html += "<th rowspan=\"2\">Средн.</th><th rowspan=\"2\">Итог.</th></tr>\n<tr>"
        for m in days { for d in m.days { html += "<th>\(d)</th>" } }
        html += "</tr>\n"
        for (i, p) in pupils.enumerated() {
            html += "<tr><td>\(i + 1)</td><td>\(p.name)</td>"
            for c in p.cells { html += "<td>\(c)</td>" }
            html += "<td></td><td>\(p.final)</td></tr>\n"
        }
        return html + "</table></body></html>\n"
    }

    func importing(_ files: [(String, String)], into: String, in dir: String) -> ImportOutcome {
        for (name, text) in files { TemporaryFolders.write(Data(text.utf8), to: dir + "/" + name) }
        return Importer.run(ImportRequest(files: files.map { dir + "/" + $0.0 }, into: into))
    }

    let days = [(month: "Сентябрь", days: [2, 9, 16]), (month: "Октябрь", days: [7, 14])]

    @Test func aClassJournalImportsWithoutAMapping() throws {
        let dir = folder()
        let page = Self.journal(
            subject: "Алгебра", days: days,
            pupils: [
                ("Белкина Арина", ["5", "4 5", "Н", "4/5", ""], "5"),
                ("Гусев Тимофей", ["2 Н", "5/Н", "УП", "Б", "НП"], "3"),
            ])
        let outcome = importing([("algebra.xls", page)], into: dir + "/snap", in: dir)
        #expect(outcome.log.rendered == [])
        #expect(outcome.sources.map(\.layout) == ["СГО: классный журнал по предмету"])
        let (s, _) = try SnapshotLoader(folder: dir + "/snap").load()
        #expect(s.pupils.count == 2)
        #expect(s.marks.count == 7)
        #expect(s.attendance.count == 6)
        #expect(s.periodMarks.count == 2)
        #expect(s.schools.name == ["МБОУ «Средняя школа № 7» г. Зареченска"])
        #expect(s.classes.id == ["S01-7А"])
        let periods = try String(contentsOfFile: dir + "/snap/period_marks.csv", encoding: .utf8)
        #expect(periods.contains("P000001,Алгебра,Q1,5"))
        // «4 5» and «4/5» are two marks each, and the summary says so once, at the first.
        #expect(
            outcome.inferences.contains {
                $0.contains("2 ячейки с несколькими отметками (первая — «4 5», \(dir)/algebra.xls:")
            })
    }

    @Test func nextWeeksJournalReplacesItsPeriodAndKeepsIds() throws {
        let dir = folder()
        let week1 = Self.journal(
            subject: "Алгебра", days: days,
            pupils: [("Белкина Арина", ["5", "4", "", "3", ""], ""), ("Гусев Тимофей", ["2", "", "", "", ""], "")])
        #expect(importing([("a.xls", week1)], into: dir + "/snap", in: dir).wrote)
        // «4» on 9.09 is now «5», «3» on 7.10 deleted, a new «2» on 14.10; Гусев unchanged.
        let week2 = Self.journal(
            subject: "Алгебра", days: days,
            pupils: [("Белкина Арина", ["5", "5", "", "", "2"], ""), ("Гусев Тимофей", ["2", "", "", "", ""], "")])
        let outcome = importing([("a.xls", week2)], into: dir + "/snap", in: dir)
        #expect(outcome.wrote)
        let marks = try String(contentsOfFile: dir + "/snap/marks.csv", encoding: .utf8)
        #expect(
            marks == """
                pupil_id,subject,date,value,work_type,weight
                P000001,Алгебра,2025-09-02,5,ответ на уроке,1
                P000001,Алгебра,2025-09-09,5,ответ на уроке,1
                P000001,Алгебра,2025-10-14,2,ответ на уроке,1
                P000002,Алгебра,2025-09-02,2,ответ на уроке,1

                """)
        #expect(outcome.sources.first?.changes.newPupils == 0)
    }

    @Test func aPupilReportCoversThatPupilOnly() throws {
        let dir = folder()
        let journal = Self.journal(
            subject: "Алгебра", days: days,
            pupils: [("Белкина Арина", ["5", "4", "", "", ""], ""), ("Гусев Тимофей", ["2", "3", "", "", ""], "")])
        #expect(importing([("a.xls", journal)], into: dir + "/snap", in: dir).wrote)
        let report = """
            <html><body><div>МБОУ «Средняя школа № 7» г. Зареченска</div>
            <p>Отчёт об успеваемости и посещаемости ученика</p>
            <p>Ученик: Гусев Тимофей</p><p>Класс: 7А</p><p>Период: с 01.09.2025 по 27.10.2025</p>
            <table><tr><th rowspan="2">Предмет</th><th colspan="3">Сентябрь</th><th colspan="2">Октябрь</th>
            <th rowspan="2">Средн.</th></tr><tr><th>2</th><th>9</th><th>16</th><th>7</th><th>14</th></tr>
            <tr><td>Алгебра</td><td>2</td><td></td><td>4</td><td></td><td></td><td>3,00</td></tr>
            <tr><td>Русский язык</td><td></td><td>5</td><td></td><td>Н</td><td></td><td>5,00</td></tr>
            </table></body></html>
            """
        let outcome = importing([("r.xls", report)], into: dir + "/snap", in: dir)
        #expect(outcome.log.rendered == [])
        #expect(outcome.sources.first?.layout == "СГО: отчёт об успеваемости и посещаемости ученика")
        let marks = try String(contentsOfFile: dir + "/snap/marks.csv", encoding: .utf8)
        // Белкина's marks stay; Гусев's algebra is the report's: «3» on 9.09 gone, «4» on 16.09.
        #expect(marks.contains("P000001,Алгебра,2025-09-09,4"))
        #expect(!marks.contains("P000002,Алгебра,2025-09-09,3"))
        #expect(marks.contains("P000002,Алгебра,2025-09-16,4"))
        #expect(marks.contains("P000002,Русский язык,2025-09-09,5"))
        let (s, _) = try SnapshotLoader(folder: dir + "/snap").load()
        #expect(s.pupils.count == 2)
        #expect(s.attendance.count == 1)
    }

    @Test func aSummaryStatementGivesPeriodMarks() throws {
        let dir = folder()
        func pupil(_ name: String, _ rows: [(String, [String])]) -> String {
            var html = ""
            for (i, row) in rows.enumerated() {
                html += "<tr>" + (i == 0 ? "<td rowspan=\"\(rows.count)\">\(name)</td>" : "") + "<td>\(row.0)</td>"
                for c in row.1 { html += "<td>\(c)</td>" }
                html += i == 0 ? "<td rowspan=\"\(rows.count)\"></td></tr>\n" : "</tr>\n"
            }
            return html
        }
        let page =
            """
            <html><body><div>МБОУ «Средняя школа № 7» г. Зареченска</div><p>Сводная ведомость</p>
            <p>Учебный год: 2025/2026</p><p>Класс: 7А</p>
            <table><tr><th>Ученик</th><th>Период</th><th>Рус.яз</th><th>Алгеб</th><th>Физ-ра</th>
            <th>Решение педагогического совета</th></tr>
            """
            + pupil(
                "Белкина Арина",
                [
                    ("1 четверть", ["5", "4", "зач"]), ("2 четверть", ["4", "4 5", "зач"]), ("Годовая", ["", "", ""]),
                    ("Итоговая", ["", "", ""]),
                ])
            + pupil("Гусев Тимофей", [("1 четверть", ["3", "2", "незач"]), ("2 четверть", ["н/а", "3", "зач"])])
            + "</table></body></html>\n"
        let outcome = importing([("svod.xls", page)], into: dir + "/snap", in: dir)
        #expect(outcome.sources.first?.layout == "СГО: сводная ведомость")
        #expect(
            outcome.log.rendered.map { $0.replacingOccurrences(of: dir + "/", with: "") } == [
                "svod.xls:5: предупреждение: в «4 5» несколько отметок; отметкой за период взята последняя, «5»"
            ])
        #expect(outcome.wrote)
        let periods = try String(contentsOfFile: dir + "/snap/period_marks.csv", encoding: .utf8)
        #expect(periods.contains("P000001,Алгебра,Q2,5"))
        #expect(periods.contains("P000002,Русский язык,Q2,н/а"))
        #expect(periods.contains("P000002,Физическая культура,Q1,незач"))
        #expect(outcome.inferences.contains { $0.contains("строки «Итоговая» (1) не записаны") })
        #expect(outcome.inferences.contains { $0.contains("«Алгеб» — «Алгебра»") })
        let (s, _) = try SnapshotLoader(folder: dir + "/snap").load()
        #expect(s.periodMarks.count == 12)
    }

    @Test func namesakesInOneJournalAreAnErrorNamingBothRows() throws {
        let dir = folder()
        let page = Self.journal(
            subject: "Алгебра", days: days,
            pupils: [("Белкина Арина", ["5", "", "", "", ""], ""), ("Белкина  Арина", ["4", "", "", "", ""], "")])
        let outcome = importing([("a.xls", page)], into: dir + "/snap", in: dir)
        #expect(!outcome.wrote)
        #expect(
            outcome.log.rendered.map { $0.replacingOccurrences(of: dir + "/", with: "") } == [
                "a.xls:8: ошибка: двое учеников «Белкина Арина» в 7А: строки 3 и 4 "
                    + "(в журнале нет дат рождения, чтобы их различить)"
            ])
    }

    /// As a real СГО pupil report is laid out: the school in a heading, the header lines in a
    /// small table of their own (spans with bold keys), two-digit years, «Средняя оценка».
    @Test func aPupilReportWithItsHeaderInATableOfItsOwn() throws {
        let dir = folder()
        let page = """
            <head><meta HTTP-EQUIV='Content-type' CONTENT='text/html; charset=utf-8'></head><body>
            <h5 class="report-title-school">МБОУ «Гимназия № 2»</h5>
            <h2 align="center">Отчет об успеваемости и посещаемости ученика</h2><br><br>
            <table cellspacing="10px"><tbody><tr><td>
            <span class="select"><b>Учебный год:</b> 2025/2026</span><br>
            <span class="select"><b>Класс:</b> 9Б</span><br>
            <span class="select"><b>Период:</b> с 1.09.25 по 27.10.25</span><br>
            <span class="select"><b>Ученик:</b> Выдумкин Глеб</span><br>
            </td></tr></tbody></table><br>
            <table class="table-print"><tbody><tr><th rowspan="2">Предмет</th><th colspan="2">Сентябрь</th>
            <th colspan="1">Октябрь</th><th rowspan="2">Средняя оценка</th></tr>
            <tr><th>2</th><th>3</th><th>1</th></tr>
            <tr><td class="cell-text">Геометрия</td><td> Б </td><td> 5 </td><td> 5&nbsp;4 </td><td class="cell-num">4,67</td></tr>
            <tr><td class="cell-text">История России. Всеобщая история</td><td></td><td> УП </td><td> 3 </td><td class="cell-num">3</td></tr>
            </tbody></table>
            <span class="smalltext"><i>Состояние на 28.10.25 19:10:10</i></span></body>
            """
        let outcome = importing([("report.xls", page)], into: dir + "/snap", in: dir)
        #expect(outcome.log.rendered == [])
        #expect(outcome.sources.first?.layout == "СГО: отчёт об успеваемости и посещаемости ученика")
        let (s, _) = try SnapshotLoader(folder: dir + "/snap").load()
        #expect(s.pupils.fullName == ["Выдумкин Глеб"])
        #expect(s.classes.id == ["S01-9Б"])
        #expect(s.schools.name == ["МБОУ «Гимназия № 2»"])
        #expect(s.marks.count == 4)
        #expect(s.attendance.count == 2)
        let subjects = try String(contentsOfFile: dir + "/snap/subjects.csv", encoding: .utf8)
        #expect(subjects.contains("S01-9Б,История России. Всеобщая история,,2"))
    }
}
