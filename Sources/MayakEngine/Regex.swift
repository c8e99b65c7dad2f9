import CPCRE2
import Foundation

/// A PCRE2 pattern, compiled and JIT-compiled once when rules load.
///
/// Matching is case-insensitive over Unicode (Cyrillic included). Results are cached per
/// distinct text: subject names, work types and titles are few and repeat in every row, so
/// each is matched once per pattern. Match and depth limits stop runaway backtracking; a
/// match stopped by one is `Outcome.limit`, never a quiet "no match": a pattern that runs away
/// on a probe is an error when the rule loads (`probe`), and a text it runs away on in a scan
/// is counted and reported as a warning.
public final class Regex: @unchecked Sendable {
    public let pattern: String
    /// The id of the rule the pattern is written in (for warnings).
    public internal(set) var owner = ""

    /// What matching a text gave.
    public enum Outcome: UInt8, Sendable {
        case noMatch, match
        /// PCRE2 gave up (match, depth or heap limit): the text counts as not matching, and
        /// the scan says so.
        case limit
    }
    private let code: OpaquePointer
    private let matchData: OpaquePointer
    private let context: OpaquePointer?
    private var cache: [String: Outcome] = [:]
    private let lock = NSLock()

    /// A compile error: the message and the character offset in the pattern.
    public struct CompileError: Error {
        public var message: String
        public var offset: Int
    }

    public init(_ pattern: String, matchLimit: UInt32 = 100_000, depthLimit: UInt32 = 10_000) throws(CompileError) {
        self.pattern = pattern
        var errorCode: Int32 = 0
        var errorOffset: Int = 0
        let options = UInt32(PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS)
        let bytes = Array(pattern.utf8)
        guard
            let compiled = bytes.withUnsafeBufferPointer({ buf in
                pcre2_compile_8(buf.baseAddress, buf.count, options, &errorCode, &errorOffset, nil)
            })
        else {
            var message = [UInt8](repeating: 0, count: 256)
            let n = pcre2_get_error_message_8(errorCode, &message, message.count)
            let text = String(decoding: message.prefix(max(0, Int(n))), as: UTF8.self)
            // PCRE2 reports a byte offset; diagnostics count characters.
            let chars = String(decoding: bytes.prefix(errorOffset), as: UTF8.self).count
            throw CompileError(message: text, offset: chars)
        }
        code = compiled
        _ = pcre2_jit_compile_8(code, UInt32(PCRE2_JIT_COMPLETE))
        matchData = pcre2_match_data_create_from_pattern_8(code, nil)
        context = pcre2_match_context_create_8(nil)
        if let context {
            pcre2_set_match_limit_8(context, matchLimit)
            pcre2_set_depth_limit_8(context, depthLimit)
        }
    }

    deinit {
        pcre2_match_data_free_8(matchData)
        if let context { pcre2_match_context_free_8(context) }
        pcre2_code_free_8(code)
    }

    /// Whether the pattern matches anywhere in `text` (`.limit` counts as not).
    public func matches(_ text: String) -> Bool { outcome(text) == .match }

    /// Whether the pattern matches anywhere in `text`, or PCRE2 gave up. Safe to call from
    /// several threads.
    public func outcome(_ text: String) -> Outcome {
        lock.lock()
        defer { lock.unlock() }
        if let hit = cache[text] { return hit }
        var copy = text
        let rc = copy.withUTF8 { buf in
            pcre2_match_8(code, buf.baseAddress, buf.count, 0, 0, matchData, context)
        }
        let hit: Outcome = rc >= 0 ? .match : (rc == PCRE2_ERROR_NOMATCH ? .noMatch : .limit)
        if cache.count < 100_000 { cache[text] = hit }
        return hit
    }

    /// A text the pattern runs away on, if one of a few generated ones is: each character the
    /// pattern names, and a few common ones, repeated, with a character at the end that
    /// fails it (catastrophic backtracking shows on such runs: `(x+x+)+y` on `xxx…x`).
    public func probe() -> String? {
        var letters: [Character] = []
        for c in pattern where (c.isLetter || c.isNumber || c == " ") && !letters.contains(c) && letters.count < 32 {
            letters.append(c)
        }
        for c in ["a", "1", " ", "а", "_"] as [Character] where !letters.contains(c) { letters.append(c) }
        for c in letters {
            for length in [40, 400] {
                for end in ["", "!", "\n"] {
                    let text = String(repeating: String(c), count: length) + end
                    if outcome(text) == .limit { return text }
                }
            }
        }
        return nil
    }
}

/// The pattern in a rule's printed expression: rules that share work by their expressions'
/// text (`Compiler.program`) tell two patterns apart.
extension Regex: CustomDebugStringConvertible {
    public var debugDescription: String { "Regex(\(String(reflecting: pattern)))" }
}
