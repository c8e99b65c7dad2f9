import Foundation
import Testing

@testable import MayakSnapshot

@Suite struct SnapshotFixtureTests {
    func loadTiny(_ path: String = Fixtures.tiny, encoding: TextEncoding = .auto) throws -> Snapshot {
        try SnapshotLoader(folder: path, options: .init(encoding: encoding)).load().snapshot
    }

    @Test func tinySnapshotLoadsEveryTable() throws {
        let (s, warnings) = try SnapshotLoader(folder: Fixtures.tiny).load()
        #expect(warnings.diagnostics.isEmpty)
        #expect(s.manifest.district == "Тестовый муниципальный округ")
        #expect(s.manifest.asOf == Day(year: 2026, month: 3, day: 13))
        #expect(s.manifest.periods.map(\.id) == ["Q1", "Q2", "Q3", "Q4", "H1", "H2", "Y"])
        #expect(s.schools.count == 2)
        #expect(s.schools.name[0] == "МБОУ «СОШ № 1 с. Тестовое»")
        #expect(s.classes.count == 5)
        #expect(s.classes.displayName(2) == "10А")
        #expect(s.pupils.count == 9)
        #expect(s.marks.count == 15)
        #expect(s.periodMarks.count == 21)
        #expect(s.attendance.count == 5)
        #expect(s.works.count == 4)
        #expect(s.workResults.count == 7)
        #expect(s.vprResults.count == 5)
        #expect(s.vprScales.count == 12)
    }

    @Test func markCellsKeepEveryKindOfValue() throws {
        let s = try loadTiny()
        let values = (0..<s.marks.count).map { MarkValue(raw: s.marks.value[$0]).description }
        #expect(values.contains("5/Н"))
        #expect(values.contains("осв"))
        #expect(values.contains("зач"))
        #expect(values.contains("н/а"))  // written " Н/А " in the file
        func row(_ pupil: String, _ subject: String, _ type: String) -> Int {
            let p = s.pupils.id.firstIndex(of: pupil)!
            return (0..<s.marks.count).first {
                Int(s.marks.pupil[$0]) == p && s.subjects[s.marks.subject[$0]] == subject
                    && s.workTypes[s.marks.workType[$0]] == type
            }!
        }
        // Weight: decimal comma, empty means 1.
        #expect(s.marks.weight[row("P01", "Русский язык", "самостоятельная работа")] == 150)
        #expect(s.marks.weight[row("P02", "Математика", "ответ на уроке")] == 100)
        // A DD.MM.YYYY date.
        #expect(
            Day(number: s.marks.date(row("P03", "Математика", "контрольная работа")))
                == Day(year: 2026, month: 1, day: 12))
        #expect(s.workTypes.values.contains("административная контрольная работа"))
    }

    /// The loader hands marks over in the engine's order (pupil, subject code, date), whatever
    /// the file's: P03's «Физическая культура» comes first in the file, «Математика» has the
    /// lower code.
    @Test func marksAreInTheEnginesOrder() throws {
        let s = try loadTiny()
        let starts = try #require(s.marks.starts(pupils: s.pupils.count))
        let p03 = s.pupils.id.firstIndex(of: "P03")!
        let rows = Int(starts[p03])..<Int(starts[p03 + 1])
        #expect(rows.map { s.subjects[s.marks.subject[$0]] } == ["Математика", "Физическая культура"])
        #expect(s.marks.count == 15)
        // Rows in another order: the first and the last swapped (pupils no longer together),
        // or each pupil's rows reversed (pupils together, subjects and dates not in order).
        func table(_ order: [Int]) -> MarkTable {
            var t = MarkTable()
            for i in order {
                t.pupil.append(s.marks.pupil[i])
                t.subject.append(s.marks.subject[i])
                t.day.append(s.marks.day[i])
                t.value.append(s.marks.value[i])
                t.workType.append(s.marks.workType[i])
                t.weight.append(s.marks.weight[i])
            }
            return t
        }
        var swapped = Array(0..<s.marks.count)
        swapped.swapAt(0, 14)
        let reversedWithin = (0..<s.pupils.count).flatMap { p in (Int(starts[p])..<Int(starts[p + 1])).reversed() }
        for order in [swapped, reversedWithin] {
            var shuffled = table(order)
            #expect(shuffled.starts(pupils: s.pupils.count) == nil)
            shuffled.putInOrder(pupils: s.pupils.count)
            #expect(shuffled == s.marks)
        }
        #expect(s.marks.pupil.pupils.count == Set(s.marks.pupil.rows).count)  // one run per pupil with marks
    }

    @Test func pupilRunsHoldEveryRow() {
        let rows: [Int32] = [3, 3, 3, 0, 0, 7, 3, 3]
        var runs = PupilRuns(rows[0..<4])
        runs.append(contentsOf: PupilRuns(rows[4...]))
        #expect(runs == PupilRuns(rows))
        #expect(runs.pupils == [3, 0, 7, 3] && runs.ends == [3, 5, 6, 8])
        #expect(runs.rows == rows)
        #expect((0..<rows.count).map { runs[$0] } == rows)
        #expect(PupilRuns(pupils: [1, 1], ends: [2, 3]) == nil)  // adjacent runs of one pupil
        #expect(PupilRuns(pupils: [1, 2], ends: [2, 2]) == nil)  // an empty run
        #expect(PupilRuns(pupils: [1, 2], ends: [2, 3]) == PupilRuns([1, 1, 2]))
    }

    @Test func extraPupilColumnsAreKept() throws {
        let s = try loadTiny()
        #expect(s.pupils.extraColumns == ["gender", "note"])
        #expect(s.pupils.extraValues[1][1] == "переведена из другой школы, 2024")
        #expect(s.pupils.extraValues[0][8] == "м")
    }

    @Test func worksAndResults() throws {
        let s = try loadTiny()
        #expect(s.works.kind == [.diagnostic, .administrative, .control, .vpr])
        #expect(s.works.title[1] == "Административная контрольная работа, I полугодие")
        #expect(s.workResults.status.prefix(3) == [.written, .absent, .excused])
        #expect(s.workResults.score[0] == 20.5)
        #expect(s.attendance.subject[2] == -1)
        #expect(s.attendance.lesson[3] == 0)
        #expect(AttendanceCode(rawValue: s.attendance.code[1]) == .absent)  // lower-case «н»
    }

    /// Figures by hand (latest finished period: Q2 for grades 5 and 7, H1 for grade 10):
    /// P01 5,4 · P02 3,н/а (fails) · P03 4,4,осв · P04 5,5 · P05 4,3 · P06 4,5,зач · P07 2,3 (fails) · P08 4,5.
    /// 8 assessed, 6 succeed, 5 of quality; marks 5×5, 6×4, 3×3, 1×2, 1×н/а →
    /// СОУ = (500 + 384 + 108 + 16 + 7) / 16 = 63.4375.
    @Test func districtFiguresMatchTheFormulas() throws {
        let summary = SnapshotSummary(try loadTiny())
        let t = summary.total
        #expect(t.pupils == 8)  // P09 is in grade 1
        #expect(t.assessed == 8)
        #expect(t.succeeding == 6)
        #expect(t.quality == 5)
        #expect(t.failing == 2)
        #expect(t.successRate == 75)
        #expect(t.qualityRate == 62.5)
        #expect(t.degreeOfLearning == 63.4375)
        #expect(summary.schools.map(\.figures.failing) == [1, 1])
        #expect(summary.schools.map(\.figures.quality) == [4, 1])
        #expect(summary.periodNames == ["II четверть", "I полугодие"])
        let text = summary.rendered()
        #expect(text.contains("Итого по округу"))
        #expect(text.contains("75,0"))
        #expect(text.contains("63,4"))
    }

    @Test func windows1251WithSemicolonsLoadsIdentically() throws {
        let utf8 = try loadTiny()
        let cp1251 = try loadTiny(Fixtures.tinyCP1251)
        #expect(utf8 == cp1251)
    }

    @Test func forcingTheWrongEncodingIsReported() throws {
        do {
            _ = try loadTiny(Fixtures.tinyCP1251, encoding: .utf8)
            Issue.record("a Windows-1251 file read as UTF-8 must fail")
        } catch let error as SnapshotLoadError {
            let first = error.log.sorted.first
            #expect(first?.code == "bad-encoding")
            #expect(first?.message.contains("--encoding cp1251") == true)
            #expect(first?.line == 2)
        }
    }

    @Test(arguments: Fixtures.badCases)
    func badFixtureGivesItsDiagnostics(name: String) throws {
        let (parent, folder, expectedText) = try Fixtures.materialize(badCase: name)
        defer { try? FileManager.default.removeItem(at: parent) }
        var expected = expectedText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while expected.last == "" { expected.removeLast() }
        let exitLine = expected.removeLast()
        // Diagnostics name files as the user gave the folder; the fixtures say SNAPSHOT/….
        func relative(_ text: String) -> [String] {
            text.replacingOccurrences(of: parent.path + "/", with: "").split(separator: "\n").map(String.init)
        }
        do {
            let (_, warnings) = try SnapshotLoader(folder: folder.path).load()
            #expect(exitLine == "exit 0", "the load succeeded, the fixture expects \(exitLine)")
            #expect(relative(warnings.rendered()) == expected)
        } catch {
            #expect(exitLine == "exit 1")
            #expect(relative(error.log.rendered()) == expected)
        }
    }

    /// Dates print as `YYYY-MM-DD` and `DD.MM.YYYY` (written digit by digit, not
    /// interpolated): every day of three centuries, and years outside four digits.
    @Test func datesPrintInBothForms() {
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let first = Day(year: 1900, month: 1, day: 1)!.number
        let last = Day(year: 2200, month: 12, day: 31)!.number
        for n in first...last {
            let day = Day(number: n)
            let (y, m, d) = day.components
            #expect(day.description == "\(y)-\(two(m))-\(two(d))")
            #expect(day.russian == "\(two(d)).\(two(m)).\(y)")
            #expect(day.dayAndMonth == "\(two(d)).\(two(m))")
            #expect(Day(day.description) == day)
        }
        let far = Day(number: Day(year: 2200, month: 1, day: 1)!.number + 3_000_000)
        #expect(far.description.hasPrefix("\(far.components.year)-"))
        #expect(far.components.year > 9999)
    }

    /// Marks' dates are two bytes from 1900-01-01, up to 2079-06-06: a day past it has no
    /// offset (the loader refuses such a mark; a mark outside the school year is refused
    /// before that), and an offset gives its day back.
    @Test func marksDatesInTwoBytes() throws {
        #expect(MarkTable.dayOffset(Day(year: 1900, month: 1, day: 1)!.number) == 0)
        #expect(MarkTable.dayOffset(Day(year: 2079, month: 6, day: 6)!.number) == UInt16.max)
        #expect(MarkTable.dayOffset(Day(year: 2079, month: 6, day: 7)!.number) == nil)
        let day = Day(year: 2026, month: 3, day: 13)!.number
        #expect(MarkTable.date(try #require(MarkTable.dayOffset(day))) == day)
    }
}
