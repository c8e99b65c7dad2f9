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

    /// Encodes pairs for a query string.
    static func encode(_ pairs: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return pairs.map { n, v in
            "\(n.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")=\(v.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
        }.joined(separator: "&")
    }
}
