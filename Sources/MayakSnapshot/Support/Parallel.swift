import Foundation

/// Work spread over every core, results in order. Every stage that handles a whole region
/// uses it: reading the big tables, building the index, scanning, writing alerts.
public enum Parallel {
    /// Calls `body(k)` for every `k` in `0..<count`, on every core. An iteration may write
    /// only what belongs to it (its slot of a result, its part of a buffer).
    public static func forEach(_ count: Int, _ body: (Int) -> Void) {
        guard count > 1 else {
            if count == 1 { body(0) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let shared = Unchecked(body)
            DispatchQueue.concurrentPerform(iterations: count) { shared.value($0) }
        }
    }

    /// `body(k)` for every `k` in `0..<count`, computed on every core, in order of `k`.
    public static func collect<U>(_ count: Int, _ body: (Int) -> U) -> [U] {
        var out = [U?](repeating: nil, count: count)
        out.withUnsafeMutableBufferPointer { slots in
            forEach(count) { slots[$0] = body($0) }
        }
        return out.map { $0! }
    }

    /// `0..<count` cut into ranges of at least `minimum`, about eight per core.
    public static func chunks(_ count: Int, minimum: Int) -> [Range<Int>] {
        let size = max(minimum, count / (ProcessInfo.processInfo.activeProcessorCount * 8) + 1)
        return stride(from: 0, to: count, by: size).map { $0..<min(count, $0 + size) }
    }

    /// `transform` of each item, in chunks on every core; the results in the items' order,
    /// each made in its place (not in a chunk's array copied over: a copy of a large value
    /// retains each of its references). Small inputs are mapped on the calling thread.
    public static func map<T, U>(_ items: [T], minimumChunk: Int = 256, _ transform: (T) -> U) -> [U] {
        guard items.count > minimumChunk else { return items.map(transform) }
        let ranges = chunks(items.count, minimum: minimumChunk)
        return [U](filling: items.count) { buffer in
            let results = Unchecked(buffer.baseAddress!)
            items.withUnsafeBufferPointer { items in
                forEach(ranges.count) { k in
                    for i in ranges[k] { (results.value + i).initialize(to: transform(items[i])) }
                }
            }
        }
    }
}

/// Hands `concurrentPerform` what is used by one thread at a time.
struct Unchecked<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
