import Foundation

/// Text compared and hashed by its UTF-8 bytes, for lookups on a hot path: `String`'s own `==`
/// and hash normalise non-ASCII text (every Cyrillic name) each time. Two spellings of one
/// text in different Unicode forms are two keys here — as they are two values to the snapshot
/// reader, which compares bytes; so it keys the draft's tables and the layouts' caches alike.
struct ByteKey: Hashable {
    var text: String

    init(_ text: String) { self.text = text }

    static func == (a: ByteKey, b: ByteKey) -> Bool { sameBytes(a.text, b.text) }

    func hash(into hasher: inout Hasher) {
        var copy = text
        copy.withUTF8 {
            hasher.combine($0.count)
            hasher.combine(bytes: UnsafeRawBufferPointer($0))
        }
    }

    /// Whether two texts are the same bytes.
    static func sameBytes(_ a: String, _ b: String) -> Bool {
        var a = a
        var b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                x.count == y.count && (x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0)
            }
        }
    }
}
