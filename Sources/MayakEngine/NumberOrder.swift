/// How rules compare numbers. The data are decimals (marks, weights, scores, percentages) and
/// reach a rule in binary floating point, where 28/48 − 11/15 of a hundred is
/// 14.999999999999993, not 15: compared exactly, a drop of exactly 15 points would not be
/// «at least 15». So two numbers are equal when they differ by at most one billionth of the
/// larger in magnitude, or of 1 below 1 (a tolerance far under any difference the data can
/// mean, and far over binary rounding's). Whole numbers under a billion are compared exactly
/// by it; infinities compare as they are.
enum NumberOrder {
    static let tolerance = 1e-9

    /// -1, 0 or 1; 0 when either is NaN (as `<` and `>` are both false for it).
    @inline(__always) static func order(_ a: Double, _ b: Double) -> Int {
        if same(a, b) { return 0 }
        return a < b ? -1 : (a > b ? 1 : 0)
    }

    /// Whether two numbers are equal within the tolerance; false when either is NaN.
    @inline(__always) static func same(_ a: Double, _ b: Double) -> Bool {
        if a == b { return true }
        guard a.isFinite && b.isFinite else { return false }
        return Swift.abs(a - b) <= tolerance * Swift.max(1, Swift.max(Swift.abs(a), Swift.abs(b)))
    }
}
