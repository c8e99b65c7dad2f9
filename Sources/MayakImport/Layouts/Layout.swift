/// A built-in layout: an export whose shape Mayak knows (СГО's reports, ЭлЖур's journal,
/// ФИС ОКО's ВПР forms), recognised from its cells and read without a mapping file.
public protocol Layout {
    /// What `--profile` takes: `sgo-journal`, `fis-oko-f1`, …
    static var name: String { get }
    /// As the import's summary names it, in Russian: «СГО: классный журнал».
    static var title: String { get }
    /// Whether the workbook looks like this layout (its header cells, its preamble).
    static func recognises(_ workbook: Workbook) -> Bool
    /// The workbook's records; problems go to `log`, positioned at their cells.
    static func read(_ workbook: Workbook, context: LayoutContext, log: inout ImportLog) -> ImportBatch
}

/// What a layout may need beyond its file.
public struct LayoutContext: Sendable {
    public var options: ImportOptions
    /// ФИС ОКО participant codes → the pupils they stand for (the school's own list).
    public var codes: [String: CodedPupil]

    public struct CodedPupil: Sendable, Equatable {
        public var fullName: String
        public var classLabel: String?
        public var birthDate: String?
        public var location: String

        public init(fullName: String, classLabel: String?, birthDate: String?, location: String) {
            self.fullName = fullName
            self.classLabel = classLabel
            self.birthDate = birthDate
            self.location = location
        }
    }

    public init(options: ImportOptions, codes: [String: CodedPupil] = [:]) {
        self.options = options
        self.codes = codes
    }
}

/// The built-in layouts, in the order they are tried.
public enum Layouts {
    public static var all: [any Layout.Type] {
        [SGOJournalLayout.self, SGOPupilReportLayout.self, SGOSummaryLayout.self, ElJurLayout.self, FisOkoLayout.self]
    }

    public static func named(_ name: String) -> (any Layout.Type)? { all.first { $0.name == name } }

    /// The layout forced by name, or else the first that recognises the workbook.
    public static func choose(profile: String?, for workbook: Workbook) -> (any Layout.Type)? {
        if let profile { return named(profile) }
        return detect(workbook)
    }

    /// The first layout that recognises the workbook.
    public static func detect(_ workbook: Workbook) -> (any Layout.Type)? { all.first { $0.recognises(workbook) } }
}
