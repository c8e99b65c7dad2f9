extension Array {
    /// An array of `count` elements, each of which `initialize` puts in its place in the
    /// uninitialized buffer it is handed (from any thread: the buffer is exactly `count` long).
    ///
    /// Zero elements give `[]` and `initialize` is not called. Every empty array shares one
    /// storage object in the Swift runtime (`_swiftEmptyArrayStorage`), and
    /// `Array(unsafeUninitializedCapacity: 0)` (Swift 6.3) writes its count, 0, into that object:
    /// a data race with any other thread reading it (growing an empty array reads it), which
    /// ThreadSanitizer reports. Mayak fills arrays this way on every core, and empty columns,
    /// text lists and result lists are common, so it never asks for zero.
    @inlinable
    public init(filling count: Int, _ initialize: (UnsafeMutableBufferPointer<Element>) -> Void) {
        guard count > 0 else {
            self = []
            return
        }
        self.init(unsafeUninitializedCapacity: count) { buffer, initialized in
            initialize(buffer)
            initialized = count
        }
    }
}
