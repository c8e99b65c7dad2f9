import Foundation
import MayakSnapshot
import MayakTestSupport
import Testing

@testable import MayakImport

/// The periods an import makes: presets, a calendar file, and the curriculum's weekly hours.
@Suite struct CalendarTests {
    func day(_ s: String) -> Day { Day(s)! }

    @Test func presetsMakeTheUsualRussianPeriods() {
        let q = SchoolCalendar.quarters.periods(startYear: 2025)
        #expect(q.map(\.id) == ["Q1", "Q2", "Q3", "Q4", "H1", "H2", "Y"])
        #expect(q[0].grades == 2...9 && q[0].start == day("2025-09-01") && q[0].end == day("2025-10-24"))
        #expect(q[6].id == "Y" && q[6].grades == 2...11)
        #expect(q[3].end == day("2026-05-26"))
        #expect(q[4].grades == 10...11)
        let t = SchoolCalendar.trimesters.periods(startYear: 2027, grades: 1...11)
        #expect(t.map(\.id) == ["T1", "T2", "T3", "Y"])
        #expect(t[1].end == day("2028-02-29"))
        #expect(SchoolCalendar.halfYears.periods(startYear: 2025).map(\.grades) == [2...11, 2...11, 2...11])
        #expect(SchoolCalendar.parse("trimesters/1-11")?.1 == 1...11)
        #expect(SchoolCalendar.parse("half-years/1-9") == nil)
        #expect(SchoolCalendar.parse("quarters/0-9") == nil)
        #expect(SchoolCalendar.startYear("2025/2026") == 2025)
        #expect(SchoolCalendar.startYear("2025/2027") == nil)
    }

    @Test func aCalendarFileReplacesThePreset() throws {
        let dir = TemporaryFolders.fresh("calendar")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let good = dir.appendingPathComponent("c.yaml").path
        TemporaryFolders.write(
            Data(
                """
                periods:
                  - { id: T1, name: "I триместр", kind: quarter, grades: 1-11, start: 2025-09-01, end: 2025-11-28 }
                  - { id: Y, kind: year, start: 2025-09-01, end: 2026-05-26 }
                """.utf8), to: good)
        let periods = try CalendarFile.load(good)
        #expect(periods.map(\.id) == ["T1", "Y"])
        #expect(periods[1].name == "Y" && periods[1].grades == 1...11)
        let bad = dir.appendingPathComponent("bad.yaml").path
        TemporaryFolders.write(
            Data("periods:\n  - { id: Q1, kind: quarter, start: 2025-09-01, end: 2026-10-01 }\n".utf8), to: bad)
        #expect(throws: ImportError(bad, "периоды должны лежать в одном учебном году (1 сентября – 31 августа)")) {
            try CalendarFile.load(bad)
        }
        TemporaryFolders.write(
            Data("periods:\n  - { id: Q1, kind: quarter, grades: 0-9, start: 2025-09-01, end: 2025-10-01 }\n".utf8),
            to: bad)
        #expect(throws: ImportError(bad + ":2", "период «Q1»: grades — это N или N-M в пределах 1–11, а здесь «0-9»")) {
            try CalendarFile.load(bad)
        }
    }

    @Test func weeklyHoursComeFromTheCurriculumPreset() {
        var d = SnapshotDraft()
        d.classes["S-7А"] = ("S", 7, "А", "")
        d.subjects[["S-7А", "Алгебра"]] = ("", "")
        d.subjects[["S-7А", "Русский язык"]] = ("", "5")
        d.subjects[["S-7А", "Краеведение"]] = ("", "")
        d.fillHours()
        #expect(d.subjects[["S-7А", "Алгебра"]]?.hours == "3")
        #expect(d.subjects[["S-7А", "Русский язык"]]?.hours == "5")
        #expect(d.subjects[["S-7А", "Краеведение"]]?.hours == "")
        #expect(
            d.inferences == [
                "часы в неделю для 1 пары «класс — предмет» взяты из примерного учебного плана (ФООП)",
                "часы в неделю неизвестны (нет в примерном учебном плане): «Краеведение»",
            ])
    }
}
