import MayakSnapshot
import Testing

@testable import MayakReports

/// The report's own words read as Russian: the periods on a pupil's marks timeline are named
/// as a school names them («I четверть», «II полугодие»), not by the manifest's ids (Q1, H2),
/// and the report's error is Russian.
///
/// The word check is private: another helper adds `RussianText.englishWords(in:)` to
/// MayakTestSupport on a branch this one cannot see; once both are in, this can use it.
@Suite struct RussianTextTests {
    /// The words of Latin letters in the text a reader sees of an SVG chart or a message:
    /// outside its tags, and outside file names and words with a digit or an underscore; the
    /// Roman numerals of periods («II полугодие») are Russian writing.
    static func englishWords(_ text: String) -> [String] {
        var t = text
        for pattern in [#"(?s)<[^>]*>"#, #"[\w-]+\.[A-Za-z]{2,5}\b"#, #"\b\w*[0-9_]\w*\b"#] {
            t = t.replacingOccurrences(of: pattern, with: " ", options: .regularExpression)
        }
        return t.split { !($0.isASCII && $0.isLetter) }.map(String.init).filter {
            !["I", "II", "III", "IV"].contains($0)
        }
    }

    @Test func aTimelinesPeriodsAreNamedAsASchoolNamesThem() throws {
        let calendar = StandardCalendar(containing: try #require(Day("2026-03-13")))
        for grade in [5, 10] {
            let periods = calendar.periods.filter { $0.grades.contains(grade) && $0.kind != .year }
            let svg = Charts.timeline(
                marks: [(try #require(Day("2025-10-01")), 2, "2", 1), (try #require(Day("2026-02-02")), 5, "5", 1)],
                periods: periods, periodMarks: [periods[0].id: "3"], start: calendar.schoolYear.start,
                end: try #require(Day("2026-03-13")))
            #expect(Self.englishWords(svg).isEmpty, "\(Self.englishWords(svg))")
            #expect(svg.contains(grade == 5 ? ">I четверть<" : ">I полугодие<"), "\(svg)")
            #expect(svg.contains(grade == 5 ? ">III четверть<" : ">II полугодие<"))
        }
    }

    @Test func theReportsErrorIsRussian() {
        let message = ReportText.samePageName("pupil-SH01-1.html")
        #expect(Self.englishWords(message).isEmpty, "\(message)")
        #expect(Self.englishWords("<text>Q1</text> two pages") == ["two", "pages"])
    }
}
