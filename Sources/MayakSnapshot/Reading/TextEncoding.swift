/// Encodings that gradebook exports come in.
public enum TextEncoding: String, Sendable, CaseIterable {
    /// Detect: a UTF-8 byte-order mark or valid UTF-8 means UTF-8, anything else Windows-1251.
    case auto
    case utf8
    case cp1251

    /// Decides the encoding of a file from its first bytes.
    ///
    /// A sample that ends in the middle of a multi-byte sequence is still valid UTF-8.
    static func detect(sample: UnsafeBufferPointer<UInt8>) -> TextEncoding {
        if sample.count >= 3, sample[0] == 0xEF, sample[1] == 0xBB, sample[2] == 0xBF { return .utf8 }
        guard let base = sample.baseAddress else { return .utf8 }
        return firstInvalidUTF8(base, from: 0, to: sample.count, truncatedEndIsValid: true) == nil ? .utf8 : .cp1251
    }

    /// The offset of the first byte in `from..<to` that breaks UTF-8, or nil. With
    /// `truncatedEndIsValid`, a sequence cut off by `to` counts as valid (a sample's end).
    static func firstInvalidUTF8(_ p: UnsafePointer<UInt8>, from: Int, to: Int, truncatedEndIsValid: Bool = false) -> Int? {
        var i = from
        // Most text is mostly ASCII: skip eight bytes at a time while it is.
        while i + 8 <= to && UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8 }
        while i < to {
            let b = p[i]
            if b < 0x80 { i += 1; continue }
            let length: Int
            if b & 0xE0 == 0xC0, b >= 0xC2 { length = 2 }
            else if b & 0xF0 == 0xE0 { length = 3 }
            else if b & 0xF8 == 0xF0, b <= 0xF4 { length = 4 }
            else { return i }
            if i + length > to { return truncatedEndIsValid ? nil : i }
            for k in 1..<length where p[i + k] & 0xC0 != 0x80 { return i }
            i += length
        }
        return nil
    }
}

/// Windows-1251 → UTF-8, a table of the upper 128 code points.
enum CP1251 {
    static let upper: [UInt16] = {
        var table = [UInt16](repeating: 0xFFFD, count: 128)
        let specials: [UInt16] = [
            0x0402, 0x0403, 0x201A, 0x0453, 0x201E, 0x2026, 0x2020, 0x2021, 0x20AC, 0x2030, 0x0409, 0x2039, 0x040A, 0x040C, 0x040B, 0x040F,
            0x0452, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0xFFFD, 0x2122, 0x0459, 0x203A, 0x045A, 0x045C, 0x045B, 0x045F,
            0x00A0, 0x040E, 0x045E, 0x0408, 0x00A4, 0x0490, 0x00A6, 0x00A7, 0x0401, 0x00A9, 0x0404, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x0407,
            0x00B0, 0x00B1, 0x0406, 0x0456, 0x0491, 0x00B5, 0x00B6, 0x00B7, 0x0451, 0x2116, 0x0454, 0x00BB, 0x0458, 0x0405, 0x0455, 0x0457,
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
            if scalar.value < 0x80 { out.append(UInt8(scalar.value)) }
            else if let b = fromUnicode[scalar.value] { out.append(b) }
            else { return nil }
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
            if b < 0x80 { output[n] = b; n += 1; continue }
            let u = upper[Int(b) - 128]
            if u < 0x800 {
                output[n] = UInt8(0xC0 | (u >> 6)); output[n + 1] = UInt8(0x80 | (u & 0x3F)); n += 2
            } else {
                output[n] = UInt8(0xE0 | (u >> 12)); output[n + 1] = UInt8(0x80 | ((u >> 6) & 0x3F))
                output[n + 2] = UInt8(0x80 | (u & 0x3F)); n += 3
            }
        }
        return n
    }
}
