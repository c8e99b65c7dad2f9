import MayakSnapshot
import Testing

/// Russian numbers and counted nouns, as every output writes them.
@Suite struct RussianTests {
    /// The forms for 0–130 by the rule Russian grammar gives: 1, 21, 31 … (but 11) take the
    /// first form; 2–4, 22–24 … (but 12–14) the second; the rest the third.
    @Test func pluralFormsFrom0To130() {
        let expected: [Int: String] = [
            0: "двоек", 1: "двойка", 2: "двойки", 3: "двойки", 4: "двойки", 5: "двоек", 10: "двоек", 11: "двоек",
            12: "двоек", 14: "двоек", 15: "двоек", 20: "двоек", 21: "двойка", 22: "двойки", 25: "двоек",
            101: "двойка", 104: "двойки", 111: "двоек", 112: "двоек", 114: "двоек", 121: "двойка", 130: "двоек",
        ]
        for n in 0...130 {
            let form = Russian.plural(n, "двойка", "двойки", "двоек")
            let lastTwo = n % 100
            let last = n % 10
            let rule =
                (11...14).contains(lastTwo)
                ? "двоек" : last == 1 ? "двойка" : (2...4).contains(last) ? "двойки" : "двоек"
            #expect(form == rule, "\(n)")
            if let e = expected[n] { #expect(form == e, "\(n)") }
        }
        #expect(Russian.counted(21, "ученик", "ученика", "учеников") == "21 ученик")
        #expect(Russian.counted(22, "ученик", "ученика", "учеников") == "22 ученика")
        #expect(Russian.counted(25, "ученик", "ученика", "учеников") == "25 учеников")
        #expect(Russian.counted(2_992, "ученик", "ученика", "учеников") == "2\u{202F}992 ученика")
        #expect(Russian.counted(-3, "градус", "градуса", "градусов") == "−3 градуса")
    }

    @Test func numbersWithThousandsAndARealMinus() {
        #expect(Russian.number(0) == "0")
        #expect(Russian.number(999) == "999")
        #expect(Russian.number(1_000) == "1\u{202F}000")
        #expect(Russian.number(1_000_000) == "1\u{202F}000\u{202F}000")
        #expect(Russian.number(-1_351) == "−1\u{202F}351")
        #expect(Russian.number(Int.min).hasPrefix("−9\u{202F}223"))
        #expect(Russian.fixed(2.675, places: 2) == "2,68")
        #expect(Russian.fixed(50, places: 1) == "50,0")
        #expect(Russian.fixed(-0.51, places: 2) == "−0,51")
        #expect(Russian.fixed(-0.001, places: 2) == "0,00")
        #expect(Russian.fixed(1_234.5, places: 1) == "1\u{202F}234,5")
        #expect(Russian.fixed(1_000_000, places: 0) == "1\u{202F}000\u{202F}000")
    }
}
