import Foundation
import MayakFiles

/// Loads a snapshot folder: the manifest, then each table in dependency order, validating
/// every row. All problems are collected (up to a cap); any error means no snapshot.
public struct SnapshotLoader {
    public struct Options: Sendable {
        public var encoding: TextEncoding
        public var separator: FieldSeparator
        public var maxProblems: Int
        /// The marks and attendance tables are read in chunks of about this many bytes, on
        /// every core, when they hold at least two (UTF-8 files; Windows-1251 ones are read whole).
        public var chunkBytes: Int

        public init(
            encoding: TextEncoding = .auto, separator: FieldSeparator = .auto, maxProblems: Int = 200,
            chunkBytes: Int = 16 << 20
        ) {
            self.encoding = encoding
            self.separator = separator
            self.maxProblems = maxProblems
            self.chunkBytes = chunkBytes
        }
    }

    /// The files of a snapshot folder, in the order they are read (each refers only to
    /// tables before it).
    public enum File: String, CaseIterable, Sendable {
        case manifest = "manifest.yaml"
        case schools = "schools.csv"
        case classes = "classes.csv"
        case pupils = "pupils.csv"
        case subjects = "subjects.csv"
        case marks = "marks.csv"
        case periodMarks = "period_marks.csv"
        case attendance = "attendance.csv"
        case works = "works.csv"
        case workResults = "work_results.csv"
        case vprScales = "vpr_scales.csv"
        case vprResults = "vpr_results.csv"

        public var isRequired: Bool {
            switch self {
            case .manifest, .schools, .classes, .pupils, .subjects, .marks: return true
            default: return false
            }
        }
    }

    public let folder: String
    public let options: Options

    public init(folder: String, options: Options = Options()) {
        self.folder = folder
        self.options = options
    }

    /// The snapshot and its warnings, or the diagnostics that stopped it.
    public func load() throws(SnapshotLoadError) -> (snapshot: Snapshot, warnings: DiagnosticLog) {
        var log = DiagnosticLog(cap: options.maxProblems)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            log.error(
                "missing-folder", file: folder,
                "no such snapshot folder; expected a folder holding manifest.yaml and the CSV tables")
            throw SnapshotLoadError(log: log)
        }
        guard let manifest = ManifestReader.read(path: path(.manifest), displayName: display(.manifest), log: &log)
        else {
            throw SnapshotLoadError(log: log)
        }
        var state = LoadState(snapshot: Snapshot(manifest: manifest))
        for file in File.allCases where file != .manifest {
            read(file, state: &state, log: &log)
        }
        if log.hasErrors { throw SnapshotLoadError(log: log) }
        // In the order the engine reads them, so the cache holds them so and the index
        // needs no order of its own.
        state.snapshot.marks.putInOrder(pupils: state.snapshot.pupils.count)
        return (state.snapshot, log)
    }

    func path(_ file: File) -> String { (folder as NSString).appendingPathComponent(file.rawValue) }

    /// File names in diagnostics: the folder as the user gave it, then the file.
    func display(_ file: File) -> String {
        folder.hasSuffix("/") ? folder + file.rawValue : folder + "/" + file.rawValue
    }

    private func read(_ file: File, state: inout LoadState, log: inout DiagnosticLog) {
        let path = self.path(file)
        switch InputFile.status(of: path) {
        case .regular:
            break
        case .absent:
            if file.isRequired {
                log.error("missing-file", file: display(file), "missing required table \(file.rawValue)")
                state.incomplete.insert(file)
            }
            return
        case .refused(let why):
            // A broken link or a pipe is not an absent table, even an optional one.
            log.error("unreadable-file", file: display(file), why)
            state.incomplete.insert(file)
            return
        }
        let reader: CSVReader
        do {
            reader = try CSVReader(
                path: path, displayName: display(file), encoding: options.encoding, separator: options.separator)
        } catch let d as Diagnostic {
            log.report(d)
            state.incomplete.insert(file)
            return
        } catch {
            log.error("unreadable-file", file: display(file), "\(error)")
            return
        }
        let specs = TableSpecs.columns(of: file)
        let table = TableReader(file: display(file))
        var headerOK = false
        var sawHeader = false
        let chunked = file == .marks || file == .attendance
        reader.forEachRecord(
            header: { header, record in
                sawHeader = true
                headerOK = table.mapHeader(header, record: record, specs: specs, keepExtra: file == .pupils, log: &log)
                if headerOK && file == .pupils { state.beginPupils(extra: table.extraColumns.map(\.name)) }
                return headerOK
            }, headerOnly: chunked,
            { record in
                SnapshotLoader.handle(record, file, table, &state, &log)
            },
            onError: { e in
                SnapshotLoader.syntaxError(e, file, table, &state, &log)
            })
        if chunked && headerOK && !readInChunks(file, after: reader, table, &state, &log) {
            SnapshotLoader.readRecords(reader, file, table, &state, &log)
        }
        if !headerOK { state.incomplete.insert(file) }
        if !sawHeader && !reader.refusedHeader {
            log.error(
                "empty-file", file: display(file),
                "the file is empty; expected a header line with: \(specs.map(\.name).joined(separator: ", "))")
        }
    }

    /// The records of a reader past its header (or of a range that has none).
    static func readRecords(
        _ reader: CSVReader, _ file: File, _ table: TableReader, _ state: inout LoadState, _ log: inout DiagnosticLog
    ) {
        reader.forEachRecord(
            header: { _, _ in true },
            { record in
                handle(record, file, table, &state, &log)
            },
            onError: { e in
                syntaxError(e, file, table, &state, &log)
            })
    }

    /// One record of a table: the field count checked, then the row read into the state.
    static func handle(
        _ record: CSVReader.Record, _ file: File, _ table: TableReader, _ state: inout LoadState,
        _ log: inout DiagnosticLog
    ) {
        if record.count != table.fieldCount {
            // Point at the first extra field, or just past the last field present.
            let p =
                record.count > table.fieldCount
                ? record.position(ofField: table.fieldCount)
                : record.position(afterField: record.count - 1)
            log.error(
                "field-count", file: table.file, line: p.line, column: p.column,
                "expected \(table.fieldCount) fields as in the header, found \(record.count)")
            return
        }
        var row = Row(record, table)
        state.read(file, row: &row, log: &log)
    }

    static func syntaxError(
        _ e: CSVReader.SyntaxError, _ file: File, _ table: TableReader, _ state: inout LoadState,
        _ log: inout DiagnosticLog
    ) {
        if e.code == "bad-encoding" && e.severity == .error { state.incomplete.insert(file) }
        log.report(Diagnostic(e.severity, e.code, file: table.file, line: e.line, column: e.column, e.message))
    }
}
/// The columns of each table (docs/snapshot-format.md documents them).
enum TableSpecs {
    static func columns(of file: SnapshotLoader.File) -> [ColumnSpec] {
        switch file {
        case .manifest: return []
        case .schools: return [.required("school_id"), .required("name"), .optional("municipality")]
        case .classes:
            return [
                .required("class_id"), .required("school_id"), .required("grade"), .required("letter"),
                .optional("class_teacher"),
            ]
        case .pupils: return [.required("pupil_id"), .required("class_id"), .required("full_name")]
        case .subjects:
            return [.required("class_id"), .required("subject"), .optional("teacher"), .optional("hours_per_week")]
        case .marks:
            return [
                .required("pupil_id"), .required("subject"), .required("date"), .required("value"),
                .required("work_type"), .optional("weight"),
            ]
        case .periodMarks:
            return [.required("pupil_id"), .required("subject"), .required("period"), .required("value")]
        case .attendance:
            return [
                .required("pupil_id"), .required("date"), .optional("lesson"), .optional("subject"), .required("code"),
            ]
        case .works:
            return [
                .required("work_id"), .required("class_id"), .required("subject"), .required("date"), .required("kind"),
                .required("title"), .optional("max_score"),
            ]
        case .workResults:
            return [
                .required("work_id"), .required("pupil_id"), .required("status"), .optional("score"), .optional("mark"),
            ]
        case .vprScales:
            return [
                .required("year"), .required("grade"), .required("subject"), .required("mark"), .required("min_score"),
                .required("max_score"),
            ]
        case .vprResults:
            return [
                .required("pupil_id"), .required("year"), .required("grade"), .required("subject"), .required("score"),
                .required("max_score"), .required("mark"), .optional("journal_mark"),
            ]
        }
    }
}
