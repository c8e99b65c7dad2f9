import MayakSnapshot

/// The report's messages that are not page text (the pages' own words are Russian where they
/// are written): its errors, and the labels its charts put on the periods of a school year.
enum ReportText {
    // MARK: - Errors

    static func samePageName(_ name: String) -> String {
        "две страницы получили бы одно имя \(name); переименуйте один из их кодов"
    }

    // MARK: - Charts

    /// A period on a chart's axis as a school names it («I четверть», «II полугодие», «Год»):
    /// the manifest's name, not its id (`Q1`, `H2`, `Y`).
    static func period(_ p: Period) -> String { p.name.isEmpty ? p.id : p.name }
}
