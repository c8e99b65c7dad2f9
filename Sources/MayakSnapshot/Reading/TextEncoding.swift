/// Encodings that gradebook exports come in.
public enum TextEncoding: String, Sendable, CaseIterable {
    /// Detect, from the evidence of the file's first block (see `UTF8Evidence`).
    case auto
    case utf8
    case cp1251

    /// The encoding a sample points to, and the evidence it holds.
    struct Detection {
        var encoding: TextEncoding
        var evidence: UTF8Evidence
    }

    /// Decides the encoding of a file from its first bytes: a UTF-8 byte-order mark, or text
    /// that is overwhelmingly UTF-8 (`UTF8Evidence.isOverwhelminglyUTF8`), is UTF-8; anything
    /// else Windows-1251. A sample that ends in the middle of a multi-byte sequence is still
    /// valid UTF-8.
    static func detect(sample: UnsafeBufferPointer<UInt8>) -> Detection {
        if sample.count >= 3, sample[0] == 0xEF, sample[1] == 0xBB, sample[2] == 0xBF {
            return Detection(encoding: .utf8, evidence: evidence(sample, truncatedEndIsValid: true))
        }
        let e = evidence(sample, truncatedEndIsValid: true)
        return Detection(encoding: e.isOverwhelminglyUTF8 ? .utf8 : .cp1251, evidence: e)
    }

    /// Counts the evidence in `bytes` for each reading: valid multi-byte UTF-8 sequences and
    /// invalid bytes, and under each reading the Russian letters among the non-ASCII
    /// characters. ASCII is skipped eight bytes at a time.
    static func evidence(_ bytes: UnsafeBufferPointer<UInt8>, truncatedEndIsValid: Bool = false) -> UTF8Evidence {
        var e = UTF8Evidence()
        guard let p = bytes.baseAddress else { return e }
        let to = bytes.count
        var i = 0
        var lastLetterStart = -1
        var lastLetterEnd = -1
        while i < to {
            while i + 8 <= to && UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
            }
            guard i < to else { break }
            let b = p[i]
            if b < 0x80 {
                i += 1
                continue
            }
            var length = 0
            var scalar: UInt32 = 0
            if b & 0xE0 == 0xC0, b >= 0xC2 {
                length = 2
                scalar = UInt32(b & 0x1F)
            } else if b & 0xF0 == 0xE0 {
                length = 3
                scalar = UInt32(b & 0x0F)
            } else if b & 0xF8 == 0xF0, b <= 0xF4 {
                length = 4
                scalar = UInt32(b & 0x07)
            }
            if length > 0 && i + length > to {
                if truncatedEndIsValid { break }
                length = 0
            }
            if length > 0 {
                for k in 1..<length {
                    let c = p[i + k]
                    if c & 0xC0 != 0x80 {
                        length = 0
                        break
                    }
                    scalar = scalar << 6 | UInt32(c & 0x3F)
                }
            }
            if length == 0 {
                e.invalidBytes += 1
                e.nonASCIICharacters += 1
                e.add(cp1251Byte: b)
                i += 1
                continue
            }
            e.validSequences += 1
            e.nonASCIICharacters += 1
            let isLetter = (0x410...0x44F).contains(scalar) || scalar == 0x401 || scalar == 0x451
            if isLetter {
                e.utf8Letters += 1
                if lastLetterEnd == i {
                    if e.utf8LetterPairs == 0 { e.firstUTF8Word = lastLetterStart }
                    e.utf8LetterPairs += 1
                }
                lastLetterStart = i
                lastLetterEnd = i + length
            }
            for k in 0..<length { e.add(cp1251Byte: p[i + k]) }
            i += length
        }
        return e
    }

    /// The offset of the first byte in `from..<to` that breaks UTF-8, or nil. With
    /// `truncatedEndIsValid`, a sequence cut off by `to` counts as valid (a sample's end).
    static func firstInvalidUTF8(_ p: UnsafePointer<UInt8>, from: Int, to: Int, truncatedEndIsValid: Bool = false)
        -> Int?
    {
        var i = from
        // Most text is mostly ASCII: skip eight bytes at a time while it is.
        while i + 8 <= to && UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
            i += 8
        }
        while i < to {
            let b = p[i]
            if b < 0x80 {
                i += 1
                continue
            }
            let length: Int
            if b & 0xE0 == 0xC0, b >= 0xC2 {
                length = 2
            } else if b & 0xF0 == 0xE0 {
                length = 3
            } else if b & 0xF8 == 0xF0, b <= 0xF4 {
                length = 4
            } else {
                return i
            }
            if i + length > to { return truncatedEndIsValid ? nil : i }
            for k in 1..<length where p[i + k] & 0xC0 != 0x80 { return i }
            i += length
        }
        return nil
    }
}

/// The evidence a piece of text holds for being UTF-8 rather than Windows-1251.
///
/// Windows-1251 Russian text is almost never valid UTF-8 (a capital letter, C0–DF, would
/// have to be followed by one of the rare symbols 80–BF), so valid multi-byte sequences are
/// strong evidence for UTF-8 and invalid bytes for Windows-1251. Text is *overwhelmingly
/// UTF-8* when it has no invalid byte, or at least 16 valid sequences for each invalid byte
/// and read as UTF-8 gives no smaller a share of Russian letters among its non-ASCII
/// characters than read as Windows-1251 (UTF-8 Russian text read as Windows-1251 gives about
/// one letter in two: «Р» or «С», then a symbol). A stray byte of another encoding in a UTF-8
/// file then does not turn the whole file into mojibake.
struct UTF8Evidence: Equatable {
    var validSequences = 0
    var invalidBytes = 0
    /// Non-ASCII characters read as UTF-8 (each invalid byte counts as one), and the Russian
    /// letters among them.
    var nonASCIICharacters = 0
    var utf8Letters = 0
    /// Bytes 80–FF (each a character in Windows-1251), and the Russian letters among them.
    var highBytes = 0
    var cp1251Letters = 0
    /// Russian letters in UTF-8 right after another: a word in UTF-8. Windows-1251 text
    /// makes a valid sequence only by accident (a capital, then «»…ё), never two in a row.
    var utf8LetterPairs = 0
    /// Offset of the first such pair's first letter (for the warning on a mixed file).
    var firstUTF8Word: Int?

    @inline(__always) mutating func add(cp1251Byte b: UInt8) {
        highBytes += 1
        if b >= 0xC0 || b == 0xA8 || b == 0xB8 { cp1251Letters += 1 }
    }

    /// Read as Windows-1251 but with UTF-8 words in it: a file that mixes the two (rows
    /// pasted from another export).
    var looksMixed: Bool { !isOverwhelminglyUTF8 && utf8LetterPairs >= 8 }

    mutating func add(_ other: UTF8Evidence) {
        validSequences += other.validSequences
        invalidBytes += other.invalidBytes
        nonASCIICharacters += other.nonASCIICharacters
        utf8Letters += other.utf8Letters
        utf8LetterPairs += other.utf8LetterPairs
        highBytes += other.highBytes
        cp1251Letters += other.cp1251Letters
    }

    var isOverwhelminglyUTF8: Bool {
        if invalidBytes == 0 { return true }
        guard validSequences >= 16 * invalidBytes else { return false }
        // utf8Letters / nonASCIICharacters >= cp1251Letters / highBytes, without division.
        return utf8Letters * highBytes >= cp1251Letters * nonASCIICharacters
    }
}

/// Windows-1251 → UTF-8, a table of the upper 128 code points.
enum CP1251 {
    static let upper: [UInt16] = {
        var table = [UInt16](repeating: 0xFFFD, count: 128)
        let specials: [UInt16] = [
            0x0402, 0x0403, 0x201A, 0x0453, 0x201E, 0x2026, 0x2020, 0x2021, 0x20AC, 0x2030, 0x0409, 0x2039, 0x040A,
            0x040C, 0x040B, 0x040F,
            0x0452, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0xFFFD, 0x2122, 0x0459, 0x203A, 0x045A,
            0x045C, 0x045B, 0x045F,
            0x00A0, 0x040E, 0x045E, 0x0408, 0x00A4, 0x0490, 0x00A6, 0x00A7, 0x0401, 0x00A9, 0x0404, 0x00AB, 0x00AC,
            0x00AD, 0x00AE, 0x0407,
            0x00B0, 0x00B1, 0x0406, 0x0456, 0x0491, 0x00B5, 0x00B6, 0x00B7, 0x0451, 0x2116, 0x0454, 0x00BB, 0x0458,
            0x0405, 0x0455, 0x0457,
        ]
        for i in 0..<64 { table[i] = specials[i] }
        for i in 64..<128 { table[i] = UInt16(0x0410 + i - 64) }  // А…я
        return table
    }()

    /// The inverse, for writing Windows-1251 files (tests and the generator's cp1251 option).
    static let fromUnicode: [UInt32: UInt8] = {
        var map: [UInt32: UInt8] = [:]
        for (i, scalar) in upper.enumerated() where scalar != 0xFFFD { map[UInt32(scalar)] = UInt8(128 + i) }
        return map
    }()

    /// Encodes a string as Windows-1251, or nil if it holds a character the code page lacks.
    public static func encode(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if scalar.value < 0x80 {
                out.append(UInt8(scalar.value))
            } else if let b = fromUnicode[scalar.value] {
                out.append(b)
            } else {
                return nil
            }
        }
        return out
    }
}

extension TextEncoding {
    /// Encodes text in Windows-1251 (nil if a character has no code there).
    public static func windows1251Bytes(_ text: String) -> [UInt8]? { CP1251.encode(text) }
}

extension CP1251 {
    /// Writes the UTF-8 form of `input` at `output` (which has room for 3 bytes per input
    /// byte) and returns the number of bytes written.
    static func transcode(_ input: UnsafeBufferPointer<UInt8>, into output: UnsafeMutablePointer<UInt8>) -> Int {
        var n = 0
        for b in input {
            if b < 0x80 {
                output[n] = b
                n += 1
                continue
            }
            let u = upper[Int(b) - 128]
            if u < 0x800 {
                output[n] = UInt8(0xC0 | (u >> 6))
                output[n + 1] = UInt8(0x80 | (u & 0x3F))
                n += 2
            } else {
                output[n] = UInt8(0xE0 | (u >> 12))
                output[n + 1] = UInt8(0x80 | ((u >> 6) & 0x3F))
                output[n + 2] = UInt8(0x80 | (u & 0x3F))
                n += 3
            }
        }
        return n
    }
}

extension TextEncoding {
    /// A whole text file decoded as the snapshot reader decides its encoding (see
    /// `detect(sample:)`; `.auto` detects, a byte-order mark is dropped): the text, the
    /// encoding used, and the offset of the first byte that is not UTF-8 in a file read as
    /// UTF-8 (read as U+FFFD), for a warning. For the importer's CSV and HTML sources.
    public static func decode(_ bytes: [UInt8], as forced: TextEncoding = .auto) -> (
        text: String, encoding: TextEncoding, firstInvalid: Int?
    ) {
        guard !bytes.isEmpty else { return ("", forced == .cp1251 ? .cp1251 : .utf8, nil) }
        return bytes.withUnsafeBufferPointer { all in
            let bom = all.count >= 3 && all[0] == 0xEF && all[1] == 0xBB && all[2] == 0xBF
            let encoding =
                forced != .auto ? forced : detect(sample: UnsafeBufferPointer(rebasing: all.prefix(4 << 20))).encoding
            if encoding == .cp1251 {
                var out = [UInt8](repeating: 0, count: all.count * 3)
                let n = out.withUnsafeMutableBufferPointer { CP1251.transcode(all, into: $0.baseAddress!) }
                return (String(decoding: out[..<n], as: UTF8.self), .cp1251, nil)
            }
            let body = UnsafeBufferPointer(rebasing: all[(bom ? 3 : 0)...])
            let bad = body.baseAddress.flatMap { firstInvalidUTF8($0, from: 0, to: body.count) }
            return (String(decoding: body, as: UTF8.self), .utf8, bad.map { $0 + (bom ? 3 : 0) })
        }
    }
}
