import Foundation
import MayakTestSupport
import Testing

@testable import MayakReports

/// Chart coordinates are written by a formatter of their own: it must write every number
/// exactly as `printf("%.1f")` did, or every chart of every report would change.
@Suite struct ChartNumberTests {
    static func printf(_ v: Double) -> String { String(format: "%.1f", v) }

    @Test func tiesAndNearTiesRoundAsPrintfDoes() {
        var values: [Double] = [0, -0.0, 0.04, -0.04, 0.05, 0.15, 0.25, 0.35, 0.45, 0.75, 1.25, 2.5, 9.95, 99.95]
        // Every multiple of 0.05 up to 2 000 (ties of the second decimal in decimal, not always in
        // binary), and the doubles just either side of each.
        for k in 0...40_000 {
            let v = Double(k) / 20
            values += [v, v.nextUp, v.nextDown, -v]
        }
        for v in values { #expect(Charts.number(v) == Self.printf(v), "\(v)") }
    }

    @Test func randomCoordinatesMatchPrintf() {
        var generator = SplitMix(seed: 20_261_203)
        for _ in 0..<200_000 {
            let v = Double.random(in: -2_000...2_000, using: &generator)
            #expect(Charts.number(v) == Self.printf(v), "\(v)")
        }
        for v in [1e13 + 0.05, 123_456_789.25, 1e15, .infinity, -.infinity, .nan] {
            #expect(Charts.number(v) == Self.printf(v), "\(v)")
        }
    }
}
