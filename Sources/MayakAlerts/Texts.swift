import MayakSnapshot

/// The words of MayakAlerts' text output that are not the alerts' own (those come from the
/// rules, and the evidence names from `EvidenceWords`): `mayak validate`'s table of what the
/// generator planted. JSON keeps its English keys and values: programs read it.
enum AlertsText {
    // MARK: - mayak validate

    /// The truth file's conditions (`condition` column) as the table names them.
    static let conditions = [
        "failing": "неуспеваемость", "chronic-absence": "хронические пропуски", "truancy": "прогулы",
        "missed-work": "пропуск работ", "vpr-drop": "падение по ВПР", "falling-trend": "снижение отметок",
    ]
    static func condition(_ id: String) -> String { conditions[id] ?? id }

    /// The table's columns, and their widths.
    static let truthColumns: [(title: String, width: Int)] = [
        ("условие", 22), ("правила", 46), ("заложено", 10), ("найдено", 9), ("полнота", 9), ("отмечено", 10),
        ("ложные срабатывания", 0),
    ]

    static func percent(_ share: Double) -> String { Russian.fixed(100 * share, places: 1) + " %" }
    static func falseAlarms(_ count: Int, share: Double) -> String {
        "\(Russian.number(count)) (\(percent(share)))"
    }
}
