import GRDB

/// A version of the district's rule parameters, applied by the department (in the web app,
/// after a preview): every parameter that differs from the rule files, as `rule.parameter=value`
/// assignments (the form of `--set`). The newest version is in force for every scan that
/// records into the history and for the server; older ones stay, to say what was in force
/// when.
public struct RuleSettings: Sendable, Equatable {
    public var id: Int64
    /// ISO 8601, UTC.
    public var at: String
    public var actor: String
    /// Why («min_marks 3 → 4: меньше ложных тревог в начале четверти»).
    public var comment: String
    /// `rule.parameter=value`, sorted.
    public var assignments: [String]

    public init(id: Int64 = 0, at: String, actor: String, comment: String, assignments: [String]) {
        self.id = id
        self.at = at
        self.actor = actor
        self.comment = comment
        self.assignments = assignments
    }
}

extension SQLiteHistoryStore {
    /// Records a new version of the parameters; its number.
    public func addRuleSettings(_ s: RuleSettings) throws -> Int64 {
        try pool.write { db in
            try db.execute(
                sql: "INSERT INTO ruleSettings (at, actor, comment, assignments) VALUES (?, ?, ?, ?)",
                arguments: [s.at, s.actor, s.comment, s.assignments.sorted().joined(separator: "\n")])
            return db.lastInsertedRowID
        }
    }

    /// Every version, oldest first.
    public func ruleSettings() throws -> [RuleSettings] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, at, actor, comment, assignments FROM ruleSettings ORDER BY id").map {
                r in
                let text: String = r[4]
                return RuleSettings(
                    id: r[0], at: r[1], actor: r[2], comment: r[3],
                    assignments: text.split(separator: "\n").map(String.init))
            }
        }
    }

    /// The version in force: the newest, or nil when the department has applied none.
    public func currentRuleSettings() throws -> RuleSettings? { try ruleSettings().last }
}
