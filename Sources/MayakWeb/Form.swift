import Foundation

/// An `application/x-www-form-urlencoded` body (or query): name–value pairs in order, a name
/// possibly repeated (the checkboxes of a bulk action).
struct Form: Sendable {
    private(set) var pairs: [(name: String, value: String)] = []

    init(_ text: String) {
        for part in text.split(separator: "&", omittingEmptySubsequences: true) {
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Form.decode(kv[0]) else { continue }
            pairs.append((name, kv.count > 1 ? Form.decode(kv[1]) ?? "" : ""))
        }
    }

    /// Percent-decoding with `+` as a space; nil when the escapes are not UTF-8.
    static func decode(_ s: Substring) -> String? {
        s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    subscript(_ name: String) -> String? { pairs.first { $0.name == name }?.value }

    func all(_ name: String) -> [String] { pairs.filter { $0.name == name }.map(\.value) }

    /// A field's value with surrounding spaces trimmed, nil when empty or missing.
    func text(_ name: String) -> String? {
        guard let v = self[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty else { return nil }
        return v
    }

    /// What an address may hold unescaped (RFC 3986's unreserved characters: ASCII only, so
    /// a Cyrillic class name is percent-encoded in an address, in a query and in a Location).
    static let unreserved: CharacterSet = {
        var allowed = CharacterSet.alphanumerics.intersection(
            CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
        allowed.insert(charactersIn: "-._~")
        return allowed
    }()

    /// A text percent-encoded for an address's path segment or a query's name or value.
    static func escape(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: unreserved) ?? "" }

    /// Encodes pairs for a query string.
    static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { n, v in "\(escape(n))=\(escape(v))" }.joined(separator: "&")
    }
}
