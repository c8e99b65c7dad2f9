/// How weighted means take their weights. Marks' weights are stored exactly, in hundredths
/// (`WeightColumn`); a mean sums `value × hundredths` and the hundredths, whole numbers while
/// the values are whole marks, so the mean is one correctly rounded division and a threshold
/// such as 2,5 holds exactly: 2 (0,1), 2 (0,6), 3 (0,7) average 2,5, not 2,4999999.
enum Weighting {
    /// A weight as a number (`m.weight` is 1,5 or 0,1) in hundredths: a mark's weight gives back
    /// its stored whole number exactly (0,07 × 100 is 7.000000000000001 in binary; snapped to
    /// 7), any other weight just scaled, which leaves a mean unchanged.
    @inline(__always) static func scaled(_ w: Double) -> Double {
        let scaled = w * 100
        let whole = scaled.rounded()
        return Swift.abs(scaled - whole) <= whole * 0x1p-50 ? whole : scaled
    }
}
