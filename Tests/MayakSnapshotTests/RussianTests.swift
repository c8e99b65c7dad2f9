import Foundation
import Testing

@testable import MayakSnapshot

/// Numbers and moments as Russian text writes them.
@Suite struct RussianTests {
    @Test func fixedDecimalsRoundAsASchoolRounds() {
        #expect(Russian.fixed(47.25, places: 1) == "47,3")
        #expect(Russian.fixed(83.333, places: 1) == "83,3")
        #expect(Russian.fixed(50, places: 1) == "50,0")
        #expect(Russian.fixed(0.05, places: 1) == "0,1")
        #expect(Russian.fixed(2.675, places: 2) == "2,68")
    }

    @Test func aRecordedMomentIsShownInTheReadersZone() throws {
        let moscow = try #require(TimeZone(identifier: "Europe/Moscow"))
        let vladivostok = try #require(TimeZone(identifier: "Asia/Vladivostok"))
        #expect(Russian.moment("2026-03-16T21:30:00Z", in: moscow) == "17.03.2026 00:30")
        #expect(Russian.moment("2026-03-16T21:30:00Z", in: vladivostok) == "17.03.2026 07:30")
        #expect(Russian.moment("2026-03-16T09:05:00+03:00", in: moscow) == "16.03.2026 09:05")
        #expect(Russian.moment("2026-03-16", in: moscow) == "16.03.2026")
        #expect(Russian.moment("вчера", in: moscow) == "вчера")
    }
}
