import Foundation
import MayakFiles
import MayakSnapshot

/// One `mayak import`: source files into a snapshot folder, created or updated.
public struct ImportRequest: Sendable {
    public var files: [String]
    public var into: String
    public var mapping: String?
    /// A built-in layout forced by name (`--profile`), instead of recognising it.
    public var profile: String?
    /// The school's list of ФИС ОКО participant codes (`--codes`).
    public var codes: String?
    public var calendar: SchoolCalendar = .quarters
    /// The grades with the calendar's quarters or trimesters (nil: the preset's own).
    public var calendarGrades: ClosedRange<Int>?
    /// A calendar file's periods, in place of the preset's.
    public var calendarPeriods: [Period]?
    public var schoolYearStart: Int?
    public var asOf: Day?
    public var district: String?
    public var dryRun = false
    public var options = ImportOptions()
    /// How Excel 97–2003 workbooks are read: in this process, or isolated in a child process.
    public var biff = BIFFReading.inProcess

    public init(files: [String], into: String) {
        self.files = files
        self.into = into
    }
}

/// What an import did (or, with `--dry-run`, would do).
public struct ImportOutcome: Sendable {
    public var log = ImportLog()
    /// Per source file: its kind, layout and what it changed.
    public var sources: [(file: String, kind: SourceKind, layout: String, changes: SnapshotDraft.Changes)] = []
    public var inferences: [String] = []
    public var wrote = false
    public var asOf: Day?
    public var pupils = 0
}

public enum Importer {
    /// The largest source file read (a district's whole export is far smaller).
    public static let maxSourceBytes = 512 << 20

    public static func run(_ request: ImportRequest) -> ImportOutcome {
        var outcome = ImportOutcome()
        var draft = SnapshotDraft()
        var existingYear: Int?
        // An earlier import is read back and updated; anything else in the way is left alone
        // (OutputFolder refuses it when the snapshot is written).
        if FileManager.default.fileExists(atPath: request.into + "/identity.csv") {
            do {
                draft = try SnapshotDraft.read(folder: request.into)
                existingYear = SnapshotDraft.schoolYear(folder: request.into)
            } catch {
                outcome.log.error(error)
                return outcome
            }
        } else if let listing = try? FileManager.default.contentsOfDirectory(atPath: request.into), !listing.isEmpty {
            outcome.log.error(ImportError(request.into, ImportText.folderNotEmpty))
            return outcome
        }
        if let district = request.district { draft.district = district }
        let mapping: Mapping?
        do { mapping = try request.mapping.map { path throws(ImportError) in try Mapping.load(path) } } catch {
            outcome.log.error(error)
            return outcome
        }
        var options = request.options
        options.schoolYearStart = request.schoolYearStart ?? existingYear
        options.calendar = request.calendar
        options.calendarGrades = request.calendarGrades
        options.calendarPeriods = request.calendarPeriods
        if let profile = request.profile, Layouts.named(profile) == nil {
            outcome.log.error(ImportError(profile, ImportText.noSuchProfile(known: Layouts.all.map { $0.name })))
            return outcome
        }
        var codes: [String: LayoutContext.CodedPupil] = [:]
        if let list = request.codes {
            switch CodeList.load(list, biff: request.biff, log: &outcome.log) {
            case .success(let c): codes = c
            case .failure(let error):
                outcome.log.error(error)
                return outcome
            }
        }
        // The school year a source names, for sources without dates (a сводная ведомость).
        var sourceYear: Int?
        var workDays: [Day] = []
        // Sources are read and laid out a few at a time, one on each core (each is on its own:
        // its grids, its batch, its problems), and merged in the order given, one by one.
        let files = expand(request.files)
        let width = max(1, ProcessInfo.processInfo.activeProcessorCount)
        for start in stride(from: 0, to: files.count, by: width) {
            let group = Array(files[start..<min(files.count, start + width)])
            let read = Parallel.collect(group.count) { k in
                readSource(
                    group[k], mapping: mapping, profile: request.profile, options: options, codes: codes,
                    biff: request.biff)
            }
            for source in read {
                outcome.log.append(source.log)
                guard var batch = source.batch else { continue }
                if let first = batch.firstSeveralMarks {
                    let n = batch.severalMarks
                    batch.inferences.append(
                        ImportText.severalMarks(file: source.file, cells: n, first: first.text, at: first.location))
                }
                sourceYear = sourceYear ?? batch.schoolYearStart
                workDays += batch.workDays
                let changes = draft.merge(batch, log: &outcome.log)
                outcome.sources.append((source.file, source.kind, source.layout, changes))
            }
        }
        draft.fillHours()
        outcome.inferences = draft.inferences
        outcome.pupils = draft.pupils.count
        guard !outcome.log.hasErrors else { return outcome }
        var inferredFromVPR = false
        var startYear =
            options.schoolYearStart ?? draft.latestDate.map { SchoolCalendar.startYear(of: $0) } ?? sourceYear
            ?? request.calendarPeriods?.first.map { SchoolCalendar.startYear(of: $0.start) }
        if startYear == nil,
            let vprSpring = workDays.max().map({ SchoolCalendar.startYear(of: $0) + 1 })
                ?? draft.vprResults.keys.compactMap({ Int($0[1]) }).max()
        {
            // ВПР results only: the school year of the latest ВПР's spring.
            startYear = vprSpring - 1
            inferredFromVPR = true
            outcome.inferences.append(ImportText.schoolYearFromVPR(spring: vprSpring))
        }
        guard let startYear else {
            outcome.log.error(ImportError(request.into, ImportText.noSchoolYear))
            return outcome
        }
        if let late = draft.vprResults.keys.compactMap({ Int($0[1]) }).filter({ $0 > startYear + 1 }).max() {
            outcome.log.error(
                ImportError(request.into, ImportText.vprAfterSchoolYear(spring: late, startYear: startYear)))
            return outcome
        }
        let periods =
            request.calendarPeriods ?? request.calendar.periods(startYear: startYear, grades: request.calendarGrades)
        let yearEnd = Day(year: startYear + 1, month: 8, day: 31)!
        let yearStart = Day(year: startYear, month: 9, day: 1)!
        var asOf = request.asOf ?? draft.latestDate
        if asOf == nil, draft.periodMarks.isEmpty,
            let day = workDays.filter({ yearStart <= $0 && $0 <= yearEnd }).max()
        {
            // ВПР results only: the day of the latest ВПР (the form's «Дата»).
            asOf = day
            outcome.inferences.append(ImportText.asOfFromVPR(day))
        }
        if asOf == nil {
            // Period marks only: the end of the last period that has them.
            let used = Set(draft.periodMarks.keys.map { $0[2] })
            asOf = periods.filter { used.contains($0.id) }.map(\.end).max() ?? periods.map(\.end).max()
            if let asOf {
                outcome.inferences.append(
                    ImportText.asOfFromPeriodEnd(asOf, vprWithoutDate: used.isEmpty && inferredFromVPR))
            }
        }
        guard let asOf, yearStart <= asOf, asOf <= yearEnd else {
            outcome.log.error(ImportError(request.into, ImportText.asOfOutsideSchoolYear(asOf, startYear: startYear)))
            return outcome
        }
        outcome.asOf = asOf
        if request.dryRun { return outcome }
        let manifest = SnapshotDraft.manifest(
            district: draft.district, startYear: startYear, asOf: asOf, periods: periods)
        write(draft, manifest: manifest, request: request, outcome: &outcome)
        return outcome
    }

    /// One source file read and laid out, apart from every other.
    struct SourceRead: Sendable {
        var file: String
        var kind: SourceKind = .csv
        var layout = ""
        /// nil when the file could not be read or has no layout.
        var batch: ImportBatch?
        var log = ImportLog()
    }

    /// A source file's batch: read, its layout recognised (or the mapping's), and laid out.
    static func readSource(
        _ file: String, mapping: Mapping?, profile: String?, options: ImportOptions,
        codes: [String: LayoutContext.CodedPupil], biff: BIFFReading
    ) -> SourceRead {
        var out = SourceRead(file: file)
        let workbook: Workbook
        do { workbook = try load(file, biff: biff, log: &out.log) } catch {
            out.log.error(error)
            return out
        }
        out.kind = workbook.kind
        var batch: ImportBatch
        if let mapping {
            batch = MappingLayout(mapping: mapping, options: options).read(workbook, log: &out.log)
            out.layout = ImportText.mappingLayout(mapping.title)
        } else if let layout = Layouts.choose(profile: profile, for: workbook) {
            let context = LayoutContext(options: options, codes: codes)
            batch = layout.read(workbook, context: context, log: &out.log)
            out.layout = layout.title
        } else {
            out.log.error(
                ImportError(file, ImportText.unknownLayout(kind: workbook.kind, known: Layouts.all.map { $0.name })))
            return out
        }
        for w in batch.warnings { out.log.warning(w) }
        batch.warnings = []
        out.batch = batch
        return out
    }

    /// A source file's grids: read whole (at most `maxSourceBytes`), its kind told from its first
    /// bytes, and read by that kind's reader. Sources and code lists (`CodeList`) both come in
    /// through here.
    public static func load(_ file: String, biff: BIFFReading = .inProcess, log: inout ImportLog) throws(ImportError)
        -> Workbook
    {
        let bytes: [UInt8]
        switch InputFile.contents(of: file, atMost: maxSourceBytes) {
        case .success(let b): bytes = b
        case .failure(.absent): throw ImportError(file, ImportText.noSuchFile)
        case .failure(.refused(let why)): throw ImportError(file, why)
        case .failure(.tooLarge(let n)):
            throw ImportError(file, ImportText.sourceTooLarge(bytes: n))
        }
        return try read(bytes, kind: SourceKind.detect(Array(bytes.prefix(4096))), file: file, biff: biff, log: &log)
    }

    /// The grids of a source file, by its kind.
    static func read(
        _ bytes: [UInt8], kind: SourceKind, file: String, biff: BIFFReading = .inProcess, log: inout ImportLog
    ) throws(ImportError) -> Workbook {
        switch kind {
        case .csv:
            let (workbook, warnings) = try CSVGridReader.read(bytes, file: file)
            for w in warnings { log.warning(w) }
            return workbook
        case .html:
            return try HTMLReader.read(bytes, file: file)
        case .xls:
            return try biff.read(path: file, file: file)
        case .xlsx:
            return try XLSXReader.read(bytes, file: file)
        }
    }

    /// The snapshot written beside its place, checked by the snapshot reader as `mayak check`
    /// would, and put in place only when it loads without an error.
    static func write(_ draft: SnapshotDraft, manifest: String, request: ImportRequest, outcome: inout ImportOutcome) {
        let folder: OutputFolder
        do { folder = try OutputFolder(request.into, kind: .snapshot, replace: true) } catch {
            outcome.log.error(ImportError(request.into, "\(error)"))
            return
        }
        let files = draft.files(manifest: manifest, log: importLog(outcome))
        do {
            for (name, bytes) in files {
                try Data(bytes).write(to: URL(fileURLWithPath: folder.staging + "/" + name))
            }
        } catch {
            folder.discard()
            outcome.log.error(ImportError(request.into, ImportText.cannotWriteSnapshot(error.localizedDescription)))
            return
        }
        do {
            _ = try SnapshotLoader(folder: folder.staging).load()
        } catch {
            folder.discard()
            let shown = error.log.rendered().replacingOccurrences(of: folder.staging, with: request.into)
            outcome.log.error(ImportError(request.into, ImportText.snapshotFailsChecks(shown)))
            return
        }
        do { try folder.commit(files: files.map(\.name)) } catch {
            outcome.log.error(ImportError(request.into, "\(error)"))
            return
        }
        outcome.wrote = true
    }

    /// `import-log.json`: the sources, what each changed, and what was inferred.
    static func importLog(_ outcome: ImportOutcome) -> String {
        func q(_ s: String) -> String {
            var out = "\""
            for u in s.unicodeScalars {
                switch u {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case _ where u.value < 0x20: out += String(format: "\\u%04x", u.value)
                default: out.unicodeScalars.append(u)
                }
            }
            return out + "\""
        }
        var parts: [String] = []
        for s in outcome.sources {
            var counts: [String] = []
            for (table, byClass) in s.changes.counts.sorted(by: { $0.key < $1.key }) {
                let added = byClass.values.reduce(0) { $0 + $1.added }
                let removed = byClass.values.reduce(0) { $0 + $1.removed }
                counts.append("\(q(table)):{\"added\":\(added),\"removed\":\(removed)}")
            }
            parts.append(
                "{\"file\":\(q(s.file)),\"kind\":\(q(s.kind.rawValue)),\"layout\":\(q(s.layout)),\"new_pupils\":\(s.changes.newPupils),\"moved\":[\(s.changes.movedPupils.map(q).joined(separator: ","))],\"changes\":{\(counts.joined(separator: ","))}}"
            )
        }
        return
            "{\"sources\":[\(parts.joined(separator: ","))],\"inferences\":[\(outcome.inferences.map(q).joined(separator: ","))]}\n"
    }
}

extension Importer {
    /// The files named, a folder standing for its files (not hidden, sorted by name, not its
    /// subfolders): «a folder of downloaded exports».
    static func expand(_ paths: [String]) -> [String] {
        var out: [String] = []
        for path in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue,
                let names = try? FileManager.default.contentsOfDirectory(atPath: path)
            else {
                out.append(path)
                continue
            }
            for name in names.sorted() where !name.hasPrefix(".") {
                let file = (path as NSString).appendingPathComponent(name)
                var sub: ObjCBool = false
                if FileManager.default.fileExists(atPath: file, isDirectory: &sub), !sub.boolValue { out.append(file) }
            }
        }
        return out
    }
}

extension SnapshotDraft {
    /// The first calendar year of the school year of an earlier import's manifest.
    static func schoolYear(folder: String) -> Int? {
        guard let text = try? String(contentsOfFile: folder + "/manifest.yaml", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") {
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("name:"), let y = SchoolCalendar.startYear(String(t.dropFirst(5)).trimmingSpaces()) {
                return y
            }
        }
        return nil
    }
}
