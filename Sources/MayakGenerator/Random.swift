/// A small, fast, seedable generator (xoshiro256**), so that a seed gives the same district
/// on every machine and Swift version.
struct SeededRandom: RandomNumberGenerator {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// Seeds from a value and any number of stream labels, so that each school (or pupil)
    /// draws from its own stream and the output does not depend on generation order.
    init(seed: UInt64, stream: UInt64...) {
        var x = seed
        for label in stream { x = SeededRandom.splitMix(x ^ (label &* 0x9E37_79B9_7F4A_7C15)) }
        var sm = x
        func next() -> UInt64 {
            sm = sm &+ 0x9E37_79B9_7F4A_7C15
            return SeededRandom.splitMix(sm)
        }
        s0 = next()
        s1 = next()
        s2 = next()
        s3 = next()
    }

    static func splitMix(_ v: UInt64) -> UInt64 {
        var z = v &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0) }

    mutating func chance(_ p: Double) -> Bool { unit() < p }

    mutating func uniform(_ lo: Double, _ hi: Double) -> Double { lo + (hi - lo) * unit() }

    /// An integer in `range`, without the modulo bias that matters for small ranges.
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        let span = UInt64(range.upperBound - range.lowerBound + 1)
        return range.lowerBound + Int(next().multipliedFullWidth(by: span).high)
    }

    /// Standard normal (Box–Muller).
    mutating func normal(_ mean: Double = 0, _ sd: Double = 1) -> Double {
        let u1 = max(unit(), 1e-12)
        let u2 = unit()
        return mean + sd * (-2 * _log(u1)).squareRoot() * _cos(2 * .pi * u2)
    }

    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
@inline(__always) func _log(_ x: Double) -> Double { log(x) }
@inline(__always) func _cos(_ x: Double) -> Double { cos(x) }
