/// The problems of an import, with one systematic problem said once: a kind of problem met
/// in many cells (a column of `5 4` cells, a column of dates in another format) is one message
/// with the count and the first positions, not hundreds of lines.
public struct ImportLog: Sendable {
    public struct Entry: Sendable, Equatable {
        /// `error` or `warning` (printed in Russian: `ImportText.severity`).
        public var severity: String
        public var location: String
        public var message: String
    }

    private var groups: [String: [Entry]] = [:]
    private var order: [String] = []
    /// How many of one kind are shown one by one before they are summed up.
    public static let shown = 3

    public init() {}

    /// Records a problem; `kind` groups problems of one cause (e.g. "F:bad-mark").
    public mutating func add(_ severity: String, _ location: String, _ message: String, kind: String? = nil) {
        let k = kind ?? "\(location)|\(message)"
        if groups[k] == nil { order.append(k) }
        groups[k, default: []].append(Entry(severity: severity, location: location, message: message))
    }

    public mutating func error(_ e: ImportError, kind: String? = nil) {
        add("error", e.location, e.message, kind: kind)
    }
    public mutating func warning(_ e: ImportError, kind: String? = nil) {
        add("warning", e.location, e.message, kind: kind)
    }

    public var hasErrors: Bool { groups.values.contains { $0.contains { $0.severity == "error" } } }
    public var isEmpty: Bool { order.isEmpty }

    /// The lines to print: each problem, or for a kind met more than `shown` times its first
    /// ones and a line with how many more.
    public var rendered: [String] {
        var lines: [String] = []
        for k in order {
            let entries = groups[k]!
            for e in entries.prefix(ImportLog.shown) {
                lines.append("\(e.location): \(ImportText.severity(e.severity)): \(e.message)")
            }
            if entries.count > ImportLog.shown {
                let rest = entries.count - ImportLog.shown
                lines.append(
                    "\(entries[0].location): \(ImportText.severity(entries[0].severity)): "
                        + ImportText.moreLikeIt(rest, total: entries.count))
            }
        }
        return lines
    }

    public mutating func append(_ other: ImportLog) {
        for k in other.order {
            if groups[k] == nil { order.append(k) }
            groups[k, default: []] += other.groups[k]!
        }
    }
}
