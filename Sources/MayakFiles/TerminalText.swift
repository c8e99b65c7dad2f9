/// Text from data (names, messages, file contents) made safe to print on a terminal: control
/// characters that a terminal acts on — ESC (colours, titles, OSC 52 clipboard writes), CR and
/// backspace (overwriting what was printed), the C1 controls, DEL — and the bidirectional
/// overrides (which reorder what is shown) are written as JSON-style escapes (`\u001b`), so a
/// value shows what it holds and does nothing. Text with none of them is returned as it is.
public enum TerminalText {
    /// `text` escaped; with `keepingLines`, line feeds and tabs stay (for whole documents),
    /// otherwise they are escaped too (for one value on one line).
    public static func escaped(_ text: String, keepingLines: Bool = false) -> String {
        let clean =
            text.utf8.withContiguousStorageIfAvailable { !needsEscaping($0, keepingLines) }
            ?? !needsEscaping(Array(text.utf8), keepingLines)
        if clean { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for u in text.unicodeScalars {
            if isControl(u, keepingLines) {
                let hex = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            } else {
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    static func isControl(_ u: Unicode.Scalar, _ keepingLines: Bool) -> Bool {
        switch u.value {
        case 0x0A, 0x09: return !keepingLines
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    /// A pass over the bytes: C0 and DEL are single bytes, C1 is C2 80–9F, the bidirectional
    /// overrides are E2 80 AA–AE and E2 81 A6–A9.
    static func needsEscaping(_ bytes: some RandomAccessCollection<UInt8>, _ keepingLines: Bool) -> Bool {
        var previous: UInt8 = 0
        var beforePrevious: UInt8 = 0
        for b in bytes {
            if b < 0x20 {
                if !(keepingLines && (b == 0x0A || b == 0x09)) { return true }
            } else if b == 0x7F {
                return true
            } else if previous == 0xC2 && (0x80...0x9F).contains(b) {
                return true
            } else if beforePrevious == 0xE2
                && ((previous == 0x80 && (0xAA...0xAE).contains(b)) || (previous == 0x81 && (0xA6...0xA9).contains(b)))
            {
                return true
            }
            beforePrevious = previous
            previous = b
        }
        return false
    }
}
