import Foundation

/// Work spread over every core, results in order. Used by every stage that handles a whole
/// region: reading the big tables, building the index, scanning, writing alerts.
public enum Parallel {
    /// `transform` of each item, computed in chunks on every core; the results in the items'
    /// order. Small inputs are mapped on the calling thread.
    public static func map<T: Sendable, U>(_ items: [T], minimumChunk: Int = 256, _ transform: @Sendable (T) -> U) -> [U] {
        guard items.count > minimumChunk else { return items.map(transform) }
        let chunk = max(minimumChunk, items.count / (ProcessInfo.processInfo.activeProcessorCount * 8) + 1)
        let chunks = (items.count + chunk - 1) / chunk
        var parts = [[U]](repeating: [], count: chunks)
        parts.withUnsafeMutableBufferPointer { buffer in
            let out = Unchecked(buffer)
            DispatchQueue.concurrentPerform(iterations: chunks) { k in
                out.value[k] = items[k * chunk..<min(items.count, (k + 1) * chunk)].map(transform)
            }
        }
        return parts.flatMap { $0 }
    }
}

/// Hands `concurrentPerform` what is used by one thread at a time — a buffer whose slots are
/// each written by one iteration, a context taken by one thread.
public struct Unchecked<T>: @unchecked Sendable {
    public let value: T
    public init(_ value: T) { self.value = value }
}
