import Foundation
import MayakFiles
import MayakSnapshot

/// Options of `mayak generate`.
public struct GeneratorOptions: Sendable {
    public var preset: Preset
    public var seed: UInt64
    /// The snapshot's as-of date; the school year is the one containing it.
    public var asOf: Day
    public var output: String
    /// Where to write the planted truth (CSV), if anywhere.
    public var truth: String?
    /// Replace an existing output folder.
    public var force: Bool
    /// Also make the situations ordinary districts rarely hold, for the differential tests:
    /// period marks «1», uneven weights (0,1, 0,6, 0,7) and ВПР falls in successive springs
    /// (with this spring's ВПР once it is written). Off, the output is as before, byte for byte.
    public var edgeCases: Bool

    /// The default as-of date: mid-March, with two quarters and a half-year finished and the
    /// third quarter well under way.
    public static let defaultAsOf = Day(year: 2026, month: 3, day: 13)!

    public init(
        preset: Preset = .district, seed: UInt64 = 1, asOf: Day = GeneratorOptions.defaultAsOf,
        output: String, truth: String? = nil, force: Bool = false, edgeCases: Bool = false
    ) {
        self.preset = preset
        self.seed = seed
        self.asOf = asOf
        self.output = output
        self.truth = truth
        self.force = force
        self.edgeCases = edgeCases
    }
}

/// What a generation wrote.
public struct GenerationReport: Sendable {
    public struct File: Sendable {
        public var name: String
        public var bytes: Int
        public var rows: Int
    }
    public var files: [File] = []
    public var schools = 0, classes = 0, pupils = 0, marks = 0
    public var seconds = 0.0
    public var totalBytes: Int { files.reduce(0) { $0 + $1.bytes } }
}

/// Writes a synthetic district in the snapshot format, school by school, so that memory
/// stays flat whatever the preset: only one class's marks are held at a time.
///
/// Everything is drawn from streams keyed by the seed and the school's index, so the same
/// seed gives byte-identical files.
public final class DistrictGenerator {
    public let options: GeneratorOptions
    let calendar: SchoolCalendar

    public init(options: GeneratorOptions) {
        self.options = options
        calendar = SchoolCalendar(containing: options.asOf)
    }

    public func run() throws -> GenerationReport {
        let started = Date()
        let out = options.output
        // The folder is built beside its place and put there once complete (see OutputFolder:
        // only an empty folder or an earlier generated snapshot is replaced, and only with
        // --force); the truth file likewise (see OutputFile).
        let folder: OutputFolder
        let truthFile: OutputFile?
        do {
            folder = try OutputFolder(out, kind: .snapshot, replace: options.force)
            truthFile = try options.truth.map { try OutputFile($0) }
        } catch let error as FileError {
            throw GeneratorError(error.description)
        }
        let partial = folder.staging
        var report = GenerationReport()
        do {
            let tables = try Tables(folder: partial, truth: truthFile, generated: (options.seed, options.asOf))
            let schools = options.preset.schools(seed: options.seed)
            var context = GenerationContext(
                calendar: calendar, asOf: options.asOf, tables: tables, seed: options.seed,
                edgeCases: options.edgeCases)
            for plan in schools {
                var school = SchoolGenerator(plan: plan, context: context)
                try school.generate(into: &context)
            }
            try VPRHistory.writeScales(context: context)
            try tables.finish()
            var manifest = calendar.manifest(district: options.preset.title, asOf: options.asOf)
            manifest.generated = Manifest.Generated(
                preset: options.preset.rawValue, seed: options.seed, edgeCases: options.edgeCases)
            try ManifestWriter.write(manifest, to: (partial as NSString).appendingPathComponent("manifest.yaml"))
            report.schools = schools.count
            report.classes = context.classCount
            report.pupils = context.pupilCount
            report.marks = tables.marks.rows
            report.files = tables.all.map {
                .init(name: ($0.path as NSString).lastPathComponent, bytes: $0.bytesWritten, rows: $0.rows)
            }
            try folder.commit(files: tables.all.map { ($0.path as NSString).lastPathComponent } + ["manifest.yaml"])
            try truthFile?.commit()
        } catch {
            folder.discard()
            truthFile?.discard()
            if let error = error as? FileError { throw GeneratorError(error.description) }
            throw error
        }
        report.seconds = Date().timeIntervalSince(started)
        return report
    }
}

/// The open table files of one generation.
final class Tables {
    let schools, classes, pupils, subjects, marks, periodMarks, attendance, works, workResults, vprResults,
        vprScales: TableWriter
    let truth: TableWriter?

    /// `generated`: the truth file's rows end with the seed and the as-of date, so that
    /// `mayak validate` can refuse to pair it with another snapshot.
    init(folder: String, truth: OutputFile?, generated: (seed: UInt64, asOf: Day) = (1, GeneratorOptions.defaultAsOf))
        throws
    {
        func w(_ name: String, _ header: [String]) throws -> TableWriter {
            try TableWriter(path: (folder as NSString).appendingPathComponent(name), header: header)
        }
        schools = try w("schools.csv", ["school_id", "name", "municipality"])
        classes = try w("classes.csv", ["class_id", "school_id", "grade", "letter", "class_teacher"])
        pupils = try w("pupils.csv", ["pupil_id", "class_id", "full_name", "gender", "birth_date"])
        subjects = try w("subjects.csv", ["class_id", "subject", "teacher", "hours_per_week"])
        marks = try w("marks.csv", ["pupil_id", "subject", "date", "value", "work_type", "weight"])
        periodMarks = try w("period_marks.csv", ["pupil_id", "subject", "period", "value"])
        attendance = try w("attendance.csv", ["pupil_id", "date", "lesson", "subject", "code"])
        works = try w("works.csv", ["work_id", "class_id", "subject", "date", "kind", "title", "max_score"])
        workResults = try w("work_results.csv", ["work_id", "pupil_id", "status", "score", "mark"])
        vprResults = try w(
            "vpr_results.csv", ["pupil_id", "year", "grade", "subject", "score", "max_score", "mark", "journal_mark"])
        vprScales = try w("vpr_scales.csv", ["year", "grade", "subject", "mark", "min_score", "max_score"])
        self.truth = truth.map {
            TableWriter(
                output: $0, header: ["pupil_id", "condition", "subject", "period", "detail", "planted"],
                constant: [("seed", String(generated.seed)), ("as_of", "\(generated.asOf)")])
        }
    }

    var all: [TableWriter] {
        [schools, classes, pupils, subjects, marks, periodMarks, attendance, works, workResults, vprResults, vprScales]
    }

    func finish() throws {
        for t in all { try t.flush() }
        try truth?.flush()
    }
}

/// State shared across schools: the calendar, counters for ids, and prepared byte strings.
struct GenerationContext {
    let calendar: SchoolCalendar
    let asOf: Day
    let tables: Tables
    let seed: UInt64
    /// See `GeneratorOptions.edgeCases`; every draw it adds is made only when it is on.
    let edgeCases: Bool
    var nextPupil = 1_000_001
    var nextWork = 1
    var classCount = 0
    var pupilCount = 0
    /// `dates[d]`: the ISO bytes of lesson day `d` (an index into `calendar.lessonDays`).
    let dates: [[UInt8]]
    /// Lesson days up to the as-of date.
    let pastDays: Int
    let workTypeBytes: [[UInt8]]
    let weightBytes: [[UInt8]]
    /// ВПР scales used so far, written at the end: (year, grade, subject) → max score.
    var vprScalesUsed: [VPRHistory.ScaleKey: Int] = [:]

    init(calendar: SchoolCalendar, asOf: Day, tables: Tables, seed: UInt64, edgeCases: Bool = false) {
        self.calendar = calendar
        self.edgeCases = edgeCases
        self.asOf = asOf
        self.tables = tables
        self.seed = seed
        dates = calendar.lessonDays.map { Array($0.description.utf8) }
        pastDays = calendar.lessonDays.filter { $0 <= asOf }.count
        workTypeBytes = WorkTypes.names.map { Array($0.utf8) }
        weightBytes = WorkTypes.weights.map { Bytes.quoted($0) }
    }
}

/// Writes manifest.yaml.
enum ManifestWriter {
    static func write(_ m: Manifest, to path: String) throws {
        var text = "# Mayak snapshot manifest (docs/snapshot-format.md)\n"
        text += "format: 1\n"
        text += "district: \(yaml(m.district))\n"
        text +=
            "school_year:\n  name: \(m.schoolYear.name)\n  start: \(m.schoolYear.start)\n  end: \(m.schoolYear.end)\n"
        text += "as_of: \(m.asOf)\n"
        if let g = m.generated {
            text += "generated: { preset: \(g.preset), seed: \(g.seed)\(g.edgeCases ? ", edge_cases: true" : "") }\n"
        }
        text += "periods:\n"
        for p in m.periods {
            let grades =
                p.grades.lowerBound == p.grades.upperBound
                ? "\(p.grades.lowerBound)" : "\(p.grades.lowerBound)-\(p.grades.upperBound)"
            text +=
                "  - { id: \(p.id), name: \(yaml(p.name)), kind: \(p.kind.rawValue), grades: \(grades), start: \(p.start), end: \(p.end) }\n"
        }
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw GeneratorError(GeneratorText.cannotWrite(path))
        }
    }

    static func yaml(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
