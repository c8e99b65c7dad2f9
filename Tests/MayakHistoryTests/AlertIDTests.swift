import Testing

@testable import MayakHistory

/// Short alert ids: a prefix of at least four characters that names exactly one alert.
@Suite struct AlertIDTests {
    let fingerprints = ["530daf8aae665fc2", "530d1111aaaa2222", "85cb376e343463a1", "85cb476e343463a1"]

    @Test func aUniquePrefixNamesItsAlert() throws {
        #expect(
            try AlertID.resolve(["530da", "85CB3", "530d1111aaaa2222"], among: fingerprints) == [
                "530daf8aae665fc2", "85cb376e343463a1", "530d1111aaaa2222",
            ])
    }

    @Test func ambiguousUnknownAndMalformedIdsAreAllNamedAndNothingResolves() {
        #expect(
            throws: HistoryError(
                [
                    "«530d» неоднозначно: так начинаются 2 предупреждения (530daf8aae665fc2, 530d1111aaaa2222); укажите больше символов",
                    "ни одно предупреждение не начинается с «ffff»",
                    "«85c» — не код предупреждения: ожидалось от 4 до 16 символов 0–9, a–f (начало отпечатка)",
                    "«85cb-376e» — не код предупреждения: ожидалось от 4 до 16 символов 0–9, a–f (начало отпечатка)",
                ].joined(separator: "\n"))
        ) {
            try AlertID.resolve(["530d", "85cb3", "ffff", "85c", "85cb-376e"], among: fingerprints)
        }
    }

    @Test func theShortestPrefixesTellTheAlertsApart() throws {
        let short = AlertID.shortest(fingerprints)
        #expect(
            short == [
                "530daf8aae665fc2": "530da", "530d1111aaaa2222": "530d1", "85cb376e343463a1": "85cb3",
                "85cb476e343463a1": "85cb4",
            ])
        for (full, prefix) in short { #expect(try AlertID.resolve([prefix], among: fingerprints) == [full]) }
        #expect(AlertID.shortest(["0123456789abcdef"]) == ["0123456789abcdef": "0123"])
    }
}
