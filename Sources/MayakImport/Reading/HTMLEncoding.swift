/// How the bytes of an HTML page are to be read, decided before libxml2 sees them.
///
/// A `<meta charset>` or `http-equiv="Content-Type"` declaration in the first 16 KiB is
/// honoured (a byte-order mark before it wins, as in browsers); without one, bytes that are
/// valid UTF-8 are UTF-8 and anything else is Windows-1251, which is what a Russian school's
/// Windows machine writes. A declared UTF-8 that the bytes contradict is Windows-1251 as well:
/// the claim can be checked, and СГО's older pages make it falsely.
///
/// Windows-1251, Windows-1252 and UTF-16 are turned into UTF-8 here (every byte has a
/// character, as in browsers; iconv would stop at 1251's unassigned 0x98), so libxml2 is given
/// UTF-8 for them; the other Cyrillic code pages a page may declare (KOI8-R, KOI8-U, CP866,
/// ISO-8859-5, Mac Cyrillic) go to libxml2 by name.
enum HTMLEncoding: Equatable, Sendable {
    case utf8
    case windows1251
    case windows1252
    case utf16LE
    case utf16BE
    /// A code page libxml2 converts through iconv, by the name it knows.
    case other(String)

    /// How many leading bytes are searched for a declaration.
    static let prescanLimit = 16 << 10

    /// The encoding of a page, from its byte-order mark, its declaration, or its bytes.
    static func detect(_ bytes: [UInt8]) -> HTMLEncoding {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return .utf8 }
        if bytes.starts(with: [0xFF, 0xFE]) { return .utf16LE }
        if bytes.starts(with: [0xFE, 0xFF]) { return .utf16BE }
        if let label = declaredLabel(bytes), let declared = named(label) {
            if declared == .utf8, !isValidUTF8(bytes) { return .windows1251 }
            return declared
        }
        return isValidUTF8(bytes) ? .utf8 : .windows1251
    }

    /// The encoding a label names (WHATWG's labels for the encodings a Russian page may use);
    /// nil for a label not known here, which is then ignored. A declared UTF-16 is UTF-8, as the
    /// HTML standard says of a declaration found in bytes that could be read as ASCII.
    static func named(_ label: String) -> HTMLEncoding? {
        switch label.lowercased() {
        case "utf-8", "utf8", "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "x-unicode20utf8",
            "utf-16", "utf-16le", "utf-16be", "unicode", "unicodefffe", "ucs-2", "csunicode", "iso-10646-ucs-2":
            return .utf8
        case "windows-1251", "cp1251", "x-cp1251":
            return .windows1251
        case "windows-1252", "cp1252", "x-cp1252", "ascii", "us-ascii", "iso-8859-1", "iso8859-1", "iso88591",
            "iso_8859-1", "iso_8859-1:1987", "latin1", "l1", "cp819", "ibm819", "iso-ir-100", "csisolatin1",
            "ansi_x3.4-1968":
            return .windows1252
        case "koi8-r", "koi8", "koi", "koi8_r", "cskoi8r":
            return .other("KOI8-R")
        case "koi8-u", "koi8-ru":
            return .other("KOI8-U")
        case "ibm866", "cp866", "866", "csibm866":
            return .other("CP866")
        case "iso-8859-5", "iso8859-5", "iso88595", "iso_8859-5", "iso_8859-5:1988", "cyrillic", "iso-ir-144",
            "csisolatincyrillic":
            return .other("ISO-8859-5")
        case "x-mac-cyrillic", "x-mac-ukrainian":
            return .other("MAC-CYRILLIC")
        default:
            return nil
        }
    }

    /// The page as libxml2 is to read it: the bytes, and the encoding name to pass with them.
    func prepared(_ bytes: [UInt8]) -> (bytes: [UInt8], name: String) {
        switch self {
        case .utf8:
            return (bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes, "UTF-8")
        case .windows1251:
            return (HTMLEncoding.singleByte(bytes, HTMLEncoding.cp1251), "UTF-8")
        case .windows1252:
            return (HTMLEncoding.singleByte(bytes, HTMLEncoding.cp1252), "UTF-8")
        case .utf16LE, .utf16BE:
            let little = self == .utf16LE
            let start = bytes.starts(with: little ? [0xFF, 0xFE] : [0xFE, 0xFF]) ? 2 : 0
            var units: [UInt16] = []
            units.reserveCapacity((bytes.count - start) / 2)
            var i = start
            while i + 1 < bytes.count {
                let (a, b) = (UInt16(bytes[i]), UInt16(bytes[i + 1]))
                units.append(little ? a | b << 8 : a << 8 | b)
                i += 2
            }
            return (Array(String(decoding: units, as: UTF16.self).utf8), "UTF-8")
        case .other(let name):
            return (bytes, name)
        }
    }

    /// Whether the bytes are well-formed UTF-8 (no overlong forms, surrogates or values past
    /// U+10FFFF), checked byte by byte.
    static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { b in
            var i = 0
            while i < b.count {
                let lead = b[i]
                if lead < 0x80 {
                    i += 1
                    continue
                }
                let length: Int
                var scalar: UInt32
                let least: UInt32
                switch lead {
                case 0xC2...0xDF: (length, scalar, least) = (2, UInt32(lead & 0x1F), 0x80)
                case 0xE0...0xEF: (length, scalar, least) = (3, UInt32(lead & 0x0F), 0x800)
                case 0xF0...0xF4: (length, scalar, least) = (4, UInt32(lead & 0x07), 0x10000)
                default: return false
                }
                guard i + length <= b.count else { return false }
                for k in 1..<length {
                    let next = b[i + k]
                    guard next & 0xC0 == 0x80 else { return false }
                    scalar = scalar << 6 | UInt32(next & 0x3F)
                }
                guard scalar >= least, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else { return false }
                i += length
            }
            return true
        }
    }

    /// A single-byte code page's text as UTF-8; `high` maps the bytes 0x80–0xFF.
    static func singleByte(_ bytes: [UInt8], _ high: [UInt16]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            if b < 0x80 {
                out.append(b)
                continue
            }
            let u = high[Int(b - 0x80)]
            if u < 0x800 {
                out.append(UInt8(0xC0 | u >> 6))
                out.append(UInt8(0x80 | u & 0x3F))
            } else {
                out.append(UInt8(0xE0 | u >> 12))
                out.append(UInt8(0x80 | (u >> 6) & 0x3F))
                out.append(UInt8(0x80 | u & 0x3F))
            }
        }
        return out
    }

    // MARK: The declaration

    /// The label of the first `<meta charset=…>` or `<meta http-equiv="Content-Type"
    /// content="…; charset=…">` in the first 16 KiB (comments skipped), as the HTML standard's
    /// prescan finds it; nil when there is none.
    static func declaredLabel(_ all: [UInt8]) -> String? {
        let b = all.prefix(prescanLimit)
        var i = b.startIndex
        while i < b.endIndex {
            guard b[i] == UInt8(ascii: "<") else {
                i += 1
                continue
            }
            if b[i...].starts(with: Array("<!--".utf8)) {
                i = find(Array("-->".utf8), in: b, from: i + 4).map { $0 + 3 } ?? b.endIndex
                continue
            }
            var j = i + 1
            let isEnd = j < b.endIndex && b[j] == UInt8(ascii: "/")
            if isEnd { j += 1 }
            var name: [UInt8] = []
            while j < b.endIndex, isASCIILetterOrDigit(b[j]) {
                name.append(lower(b[j]))
                j += 1
            }
            guard !name.isEmpty, name.first.map(isASCIILetter) == true else {
                i += 1
                continue
            }
            var attributes: [(name: String, value: String)] = []
            while let (attribute, next) = attribute(b, from: j) {
                attributes.append(attribute)
                j = next
            }
            // `j` stands at the tag's `>` (or the end).
            if !isEnd, name == Array("meta".utf8) {
                if let label = metaLabel(attributes) { return label }
            }
            i = j < b.endIndex ? j + 1 : j
        }
        return nil
    }

    private static func metaLabel(_ attributes: [(name: String, value: String)]) -> String? {
        var seen: Set<String> = []
        var charset: String?
        var content: String?
        var httpEquivContentType = false
        for (name, value) in attributes where seen.insert(name).inserted {
            switch name {
            case "charset": charset = value
            case "content": content = value
            case "http-equiv": httpEquivContentType = value.lowercased() == "content-type"
            default: break
            }
        }
        if let charset, !charset.isEmpty { return trimmed(charset) }
        if httpEquivContentType, let content { return charsetInContent(content) }
        return nil
    }

    /// `text/html; charset=windows-1251` → `windows-1251` (quotes allowed around the value).
    static func charsetInContent(_ content: String) -> String? {
        let s = Array(content.utf8)
        var i = 0
        while i + 7 <= s.count {
            guard s[i..<i + 7].map(lower) == Array("charset".utf8) else {
                i += 1
                continue
            }
            var j = i + 7
            while j < s.count, isSpace(s[j]) { j += 1 }
            guard j < s.count, s[j] == UInt8(ascii: "=") else {
                i = j
                continue
            }
            j += 1
            while j < s.count, isSpace(s[j]) { j += 1 }
            guard j < s.count else { return nil }
            if s[j] == UInt8(ascii: "\"") || s[j] == UInt8(ascii: "'") {
                let quote = s[j]
                guard let end = s[(j + 1)...].firstIndex(of: quote) else { return nil }
                return String(decoding: s[(j + 1)..<end], as: UTF8.self)
            }
            var end = j
            while end < s.count, !isSpace(s[end]), s[end] != UInt8(ascii: ";") { end += 1 }
            return end > j ? String(decoding: s[j..<end], as: UTF8.self) : nil
        }
        return nil
    }

    /// One attribute of a tag from `i` (the HTML standard's "get an attribute", simplified);
    /// nil at the tag's `>` or the end, with `i` left there.
    private static func attribute(_ b: ArraySlice<UInt8>, from start: Int) -> ((name: String, value: String), Int)? {
        var i = start
        while i < b.endIndex, isSpace(b[i]) || b[i] == UInt8(ascii: "/") { i += 1 }
        guard i < b.endIndex, b[i] != UInt8(ascii: ">") else { return nil }
        var name: [UInt8] = []
        while i < b.endIndex, !isSpace(b[i]), b[i] != UInt8(ascii: "="), b[i] != UInt8(ascii: ">"),
            b[i] != UInt8(ascii: "/")
        {
            name.append(lower(b[i]))
            i += 1
        }
        while i < b.endIndex, isSpace(b[i]) { i += 1 }
        guard i < b.endIndex, b[i] == UInt8(ascii: "=") else {
            return ((String(decoding: name, as: UTF8.self), ""), i)
        }
        i += 1
        while i < b.endIndex, isSpace(b[i]) { i += 1 }
        var value: [UInt8] = []
        if i < b.endIndex, b[i] == UInt8(ascii: "\"") || b[i] == UInt8(ascii: "'") {
            let quote = b[i]
            i += 1
            while i < b.endIndex, b[i] != quote {
                value.append(b[i])
                i += 1
            }
            if i < b.endIndex { i += 1 }
        } else {
            while i < b.endIndex, !isSpace(b[i]), b[i] != UInt8(ascii: ">") {
                value.append(b[i])
                i += 1
            }
        }
        return ((String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self)), i)
    }

    private static func find(_ needle: [UInt8], in b: ArraySlice<UInt8>, from start: Int) -> Int? {
        var i = start
        while i + needle.count <= b.endIndex {
            if b[i] == needle[0], b[i..<i + needle.count].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    private static func trimmed(_ s: String) -> String {
        let scalars = Array(s.unicodeScalars)
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars[first...last])
        return String(out)
    }

    private static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0C || c == 0x0D }
    private static func isASCIILetter(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
    private static func isASCIILetterOrDigit(_ c: UInt8) -> Bool { isASCIILetter(c) || (c >= 0x30 && c <= 0x39) }
    private static func lower(_ c: UInt8) -> UInt8 { c >= 0x41 && c <= 0x5A ? c | 0x20 : c }

    /// Windows-1251's bytes 0x80–0xFF (0x98, unassigned, is U+0098 as in browsers).
    static let cp1251: [UInt16] = [
        0x0402, 0x0403, 0x201A, 0x0453, 0x201E, 0x2026, 0x2020, 0x2021,
        0x20AC, 0x2030, 0x0409, 0x2039, 0x040A, 0x040C, 0x040B, 0x040F,
        0x0452, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x0098, 0x2122, 0x0459, 0x203A, 0x045A, 0x045C, 0x045B, 0x045F,
        0x00A0, 0x040E, 0x045E, 0x0408, 0x00A4, 0x0490, 0x00A6, 0x00A7,
        0x0401, 0x00A9, 0x0404, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x0407,
        0x00B0, 0x00B1, 0x0406, 0x0456, 0x0491, 0x00B5, 0x00B6, 0x00B7,
        0x0451, 0x2116, 0x0454, 0x00BB, 0x0458, 0x0405, 0x0455, 0x0457,
        0x0410, 0x0411, 0x0412, 0x0413, 0x0414, 0x0415, 0x0416, 0x0417,
        0x0418, 0x0419, 0x041A, 0x041B, 0x041C, 0x041D, 0x041E, 0x041F,
        0x0420, 0x0421, 0x0422, 0x0423, 0x0424, 0x0425, 0x0426, 0x0427,
        0x0428, 0x0429, 0x042A, 0x042B, 0x042C, 0x042D, 0x042E, 0x042F,
        0x0430, 0x0431, 0x0432, 0x0433, 0x0434, 0x0435, 0x0436, 0x0437,
        0x0438, 0x0439, 0x043A, 0x043B, 0x043C, 0x043D, 0x043E, 0x043F,
        0x0440, 0x0441, 0x0442, 0x0443, 0x0444, 0x0445, 0x0446, 0x0447,
        0x0448, 0x0449, 0x044A, 0x044B, 0x044C, 0x044D, 0x044E, 0x044F,
    ]

    /// Windows-1252's bytes 0x80–0xFF (the five unassigned ones are the C1 controls of their value).
    static let cp1252: [UInt16] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
        0x00A0, 0x00A1, 0x00A2, 0x00A3, 0x00A4, 0x00A5, 0x00A6, 0x00A7,
        0x00A8, 0x00A9, 0x00AA, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF,
        0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7,
        0x00B8, 0x00B9, 0x00BA, 0x00BB, 0x00BC, 0x00BD, 0x00BE, 0x00BF,
        0x00C0, 0x00C1, 0x00C2, 0x00C3, 0x00C4, 0x00C5, 0x00C6, 0x00C7,
        0x00C8, 0x00C9, 0x00CA, 0x00CB, 0x00CC, 0x00CD, 0x00CE, 0x00CF,
        0x00D0, 0x00D1, 0x00D2, 0x00D3, 0x00D4, 0x00D5, 0x00D6, 0x00D7,
        0x00D8, 0x00D9, 0x00DA, 0x00DB, 0x00DC, 0x00DD, 0x00DE, 0x00DF,
        0x00E0, 0x00E1, 0x00E2, 0x00E3, 0x00E4, 0x00E5, 0x00E6, 0x00E7,
        0x00E8, 0x00E9, 0x00EA, 0x00EB, 0x00EC, 0x00ED, 0x00EE, 0x00EF,
        0x00F0, 0x00F1, 0x00F2, 0x00F3, 0x00F4, 0x00F5, 0x00F6, 0x00F7,
        0x00F8, 0x00F9, 0x00FA, 0x00FB, 0x00FC, 0x00FD, 0x00FE, 0x00FF,
    ]
}
