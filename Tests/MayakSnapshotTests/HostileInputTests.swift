import Foundation
import MayakTestSupport
import Testing

@testable import MayakSnapshot

/// Snapshot files made to hurt the reader: huge headers and lines, pipes and broken links in
/// place of tables, a stray byte of another encoding, a cache that must not outlive an edit.
/// Every case must end, bounded, with a positioned diagnostic — never a hang or a trap.
@Suite struct HostileInputTests {
    /// A copy of the tiny snapshot in a fresh folder.
    func copyOfTiny() throws -> String {
        let base = TemporaryFolders.fresh("hostile")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        let folder = base.appendingPathComponent("SNAPSHOT").path
        try FileManager.default.copyItem(atPath: Fixtures.tiny, toPath: folder)
        return folder
    }

    /// The load's diagnostics, rendered with the folder's path cut off, and whether it failed.
    func load(_ folder: String, options: SnapshotLoader.Options = .init()) -> (
        failed: Bool, text: String, log: DiagnosticLog
    ) {
        let prefix = (folder as NSString).deletingLastPathComponent + "/"
        do {
            let (_, warnings) = try SnapshotLoader(folder: folder, options: options).load()
            return (false, warnings.rendered().replacingOccurrences(of: prefix, with: ""), warnings)
        } catch {
            return (true, error.log.rendered().replacingOccurrences(of: prefix, with: ""), error.log)
        }
    }

    func replace(_ file: String, in folder: String, with bytes: [UInt8]) throws {
        let path = folder + "/" + file
        try? FileManager.default.removeItem(atPath: path)
        TemporaryFolders.write(Data(bytes), to: path)
    }

    // MARK: - Caps: fields and line length

    /// A header of 10^5 columns (quadratic before: 48 s) stops at the field cap, at the
    /// position of the first field past it.
    @Test func aHeaderOfAHundredThousandColumnsStopsAtTheFieldCap() throws {
        let folder = try copyOfTiny()
        let header = (0..<100_000).map { "c\($0)" }.joined(separator: ",")
        try replace("vpr_scales.csv", in: folder, with: Array((header + "\n2025,6,x,3,1,2\n").utf8))
        let r = load(folder)
        #expect(r.failed)
        let first = try #require(r.log.diagnostics.first)
        #expect(first.code == "too-many-fields")
        #expect(first.line == 1)
        // c0, … c999 take 10·2 + 90·3 + 900·4 = 3,890 characters, and 1,000 commas.
        #expect(first.column == 4_891)
        #expect(r.log.diagnostics.count < 20, "\(r.text)")
    }

    /// A header of 10^6 columns (never finished before) is longer than the line cap.
    @Test func aHeaderOfAMillionColumnsStopsAtTheLineCap() throws {
        let folder = try copyOfTiny()
        let header = [String](repeating: "a", count: 1_000_000).joined(separator: ",")
        try replace("vpr_scales.csv", in: folder, with: Array((header + "\n2025,6,x,3,1,2\n").utf8))
        let r = load(folder)
        #expect(r.failed)
        #expect(r.log.diagnostics.first?.code == "line-too-long")
        #expect(r.log.diagnostics.first?.line == 1)
    }

    /// A data row of many fields: one error at the first field past the cap, and the rows
    /// after it are read.
    @Test func aRowOfTooManyFieldsIsOneErrorAndTheNextRowsAreRead() throws {
        let folder = try copyOfTiny()
        let marks = try String(contentsOfFile: folder + "/marks.csv", encoding: .utf8)
        let wide = [String](repeating: "x", count: 5_000).joined(separator: ",")
        var lines = marks.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.insert(wide, at: 2)
        lines.insert("P01,Алгебра,2025-09-03,7,ответ на уроке,1", at: 4)
        try replace("marks.csv", in: folder, with: Array(lines.joined(separator: "\n").utf8))
        let r = load(folder)
        let codes = r.log.diagnostics.map(\.code)
        #expect(codes.contains("too-many-fields"))
        #expect(r.log.diagnostics.first { $0.code == "too-many-fields" }?.line == 3)
        #expect(r.log.diagnostics.first { $0.code == "too-many-fields" }?.column == 2_001)
        #expect(r.log.diagnostics.contains { $0.code == "unknown-mark" && $0.line == 5 })
    }

    /// A line of 3 MiB: one error at its start; the reader's buffer stays within a few
    /// blocks (it does not hold the line), and the rows after the line are read.
    @Test func anOverlongLineIsSkippedWithoutBeingHeld() throws {
        let long = String(repeating: "ж", count: 3 << 19)  // 3 MiB of two-byte letters
        let text = "a,b\n1,2\n3," + long + "\n5,\"quoted\nline\"\n7,8\n"
        let path = try Fixtures.temporaryFile(Array(text.utf8))
        let reader = try CSVReader(path: path, displayName: "t.csv", blockSize: 1 << 16)
        var rows: [[String]] = []
        var lines: [Int] = []
        var errors: [String] = []
        reader.forEachRecord(
            header: { _, _ in true },
            { r in
                rows.append((0..<r.count).map { r.string($0) })
                lines.append(r.line)
            }, onError: { e in errors.append("\(e.line):\(e.column): \(e.code)") })
        #expect(errors == ["3:1: line-too-long"])
        #expect(rows == [["1", "2"], ["5", "quoted\nline"], ["7", "8"]])
        #expect(lines == [2, 4, 6])
        #expect(reader.bufferCapacity <= 2 * CSVReader.maxLineBytes + 8 << 16)
    }

    /// The cap holds inside a quoted field too (a quote never closed is read to the end of
    /// the file otherwise), and the reader goes on after the cap at the next line.
    @Test func anOverlongQuotedFieldIsCut() throws {
        let text = "a,b\n1,\"" + String(repeating: "x", count: CSVReader.maxLineBytes + 10) + "\n2,3\n"
        let path = try Fixtures.temporaryFile(Array(text.utf8))
        let reader = try CSVReader(path: path, displayName: "t.csv", blockSize: 1 << 16)
        var errors: [String] = []
        var count = 0
        reader.forEachRecord(
            header: { _, _ in true }, { _ in count += 1 },
            onError: { e in errors.append("\(e.line):\(e.column): \(e.code)") })
        #expect(errors.first == "2:1: line-too-long")
        #expect(reader.bufferCapacity <= 2 * CSVReader.maxLineBytes + 8 << 16)
    }

    // MARK: - What is at a table's path

    @Test func aFIFOInPlaceOfATableIsRefusedWithoutBlocking() throws {
        let folder = try copyOfTiny()
        try FileManager.default.removeItem(atPath: folder + "/works.csv")
        #expect(mkfifo(folder + "/works.csv", 0o600) == 0)
        let r = load(folder)
        #expect(r.failed)
        #expect(
            r.text.contains("SNAPSHOT/works.csv: error: is a named pipe (FIFO), not a regular file; it is not read"))
        // Through the cache too (which hashes the sources before the loader runs).
        let cache = TemporaryFolders.fresh("cache").path
        #expect(throws: SnapshotLoadError.self) { try SnapshotCache.load(folder: folder, cacheDirectory: cache) }
    }

    @Test func aFIFOManifestIsRefusedWithoutBlocking() throws {
        let folder = try copyOfTiny()
        try FileManager.default.removeItem(atPath: folder + "/manifest.yaml")
        #expect(mkfifo(folder + "/manifest.yaml", 0o600) == 0)
        let r = load(folder)
        #expect(r.failed)
        #expect(r.text.contains("SNAPSHOT/manifest.yaml: error: is a named pipe (FIFO)"))
    }

    @Test func aDanglingSymlinkInPlaceOfAnOptionalTableIsAnError() throws {
        let folder = try copyOfTiny()
        try FileManager.default.removeItem(atPath: folder + "/works.csv")
        try FileManager.default.createSymbolicLink(
            atPath: folder + "/works.csv", withDestinationPath: "../gone/works.csv")
        let r = load(folder)
        #expect(r.failed)
        #expect(
            r.text.contains(
                "SNAPSHOT/works.csv: error: is a symbolic link to '../gone/works.csv', which does not exist"))
    }

    @Test func aSymlinkLoopInPlaceOfAnOptionalTableIsAnError() throws {
        let folder = try copyOfTiny()
        try FileManager.default.removeItem(atPath: folder + "/vpr_results.csv")
        try FileManager.default.createSymbolicLink(
            atPath: folder + "/vpr_results.csv", withDestinationPath: "vpr_results.csv")
        let r = load(folder)
        #expect(r.failed)
        #expect(r.text.contains("SNAPSHOT/vpr_results.csv: error: is a symbolic link that leads into a loop of links"))
        // The cache does not stand in for the load either.
        let cache = TemporaryFolders.fresh("cache").path
        #expect(throws: SnapshotLoadError.self) { try SnapshotCache.load(folder: folder, cacheDirectory: cache) }
    }

    @Test func aDirectoryInPlaceOfATableIsAnError() throws {
        let folder = try copyOfTiny()
        try FileManager.default.removeItem(atPath: folder + "/attendance.csv")
        try FileManager.default.createDirectory(atPath: folder + "/attendance.csv", withIntermediateDirectories: false)
        let r = load(folder)
        #expect(r.failed)
        #expect(r.text.contains("SNAPSHOT/attendance.csv: error: is a directory, not a regular file; it is not read"))
    }

    /// A cache written while an optional table was absent is not used once a broken link
    /// stands in its place.
    @Test func aCacheOfAnAbsentTableDoesNotHideABrokenLink() throws {
        let folder = try copyOfTiny()
        let cache = TemporaryFolders.fresh("cache").path
        try FileManager.default.removeItem(atPath: folder + "/works.csv")
        try FileManager.default.removeItem(atPath: folder + "/work_results.csv")
        _ = try SnapshotCache.load(folder: folder, cacheDirectory: cache)
        #expect(try SnapshotCache.load(folder: folder, cacheDirectory: cache).cached)
        try FileManager.default.createSymbolicLink(atPath: folder + "/works.csv", withDestinationPath: "nowhere.csv")
        #expect(throws: SnapshotLoadError.self) { try SnapshotCache.load(folder: folder, cacheDirectory: cache) }
    }

    // MARK: - Encoding

    /// One stray 0xA0 (a Windows-1251 no-break space) in an otherwise UTF-8 pupils.csv:
    /// read as UTF-8, names intact, one warning at the byte.
    @Test func aStrayByteInAUTF8FileIsAWarningNotAnotherEncoding() throws {
        let folder = try copyOfTiny()
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder + "/pupils.csv")))
        let text = String(decoding: bytes, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        // Between the second pupil's names (line 3), where a spreadsheet puts a no-break space.
        let prefix = "P02,C5A,Примерова Мария"
        #expect(lines[2].hasPrefix(prefix))
        let at = lines[0].utf8.count + 1 + lines[1].utf8.count + 1 + prefix.utf8.count
        bytes.insert(0xA0, at: at)
        try replace("pupils.csv", in: folder, with: bytes)
        let (snapshot, warnings) = try SnapshotLoader(folder: folder).load()
        let original = try SnapshotLoader(folder: Fixtures.tiny).load().snapshot
        #expect(snapshot.pupils.fullName.dropFirst(2) == original.pupils.fullName.dropFirst(2))
        #expect(snapshot.pupils.fullName[0] == original.pupils.fullName[0])
        let w = try #require(warnings.diagnostics.first { $0.code == "bad-encoding" })
        #expect(w.severity == .warning)
        #expect(w.line == 3)
        #expect(w.column == prefix.count + 1)
        #expect(snapshot.pupils.fullName[1] == "Примерова Мария\u{FFFD} Сергеевна")
        #expect(w.message.contains("0xA0"))
    }

    /// Detection weighs the evidence: valid multi-byte sequences against invalid bytes,
    /// and the share of Cyrillic letters each reading gives.
    @Test func detectionWeighsTheEvidence() throws {
        let russian = "Иванов Иван Иванович,Петрова Мария Сергеевна,Сидоров Пётр Ильич,«Зачёт» № 5\n"
        let utf8 = Array(String(repeating: russian, count: 20).utf8)
        let cp = try #require(TextEncoding.windows1251Bytes(String(repeating: russian, count: 20)))
        func detect(_ b: [UInt8]) -> TextEncoding {
            b.withUnsafeBufferPointer { TextEncoding.detect(sample: $0).encoding }
        }
        #expect(detect(utf8) == .utf8)
        #expect(detect(cp) == .cp1251)
        // A few stray bytes in UTF-8 text: still UTF-8.
        var stray = utf8
        stray.insert(0xA0, at: 100)
        stray.insert(0xB9, at: 700)
        stray.insert(0xE9, at: 1200)
        #expect(detect(stray) == .utf8)
        // Windows-1251 text with pairs that happen to be valid UTF-8 ("Рё" is D0 B8, "и"): cp1251.
        let lookalike = try #require(
            TextEncoding.windows1251Bytes(String(repeating: "РёСЃ Ивановы Рё Петровы,\n", count: 20)))
        #expect(detect(lookalike) == .cp1251)
        // Half and half: not overwhelmingly UTF-8.
        #expect(detect(utf8 + cp) == .cp1251)
    }

    /// Past the detection sample, invalid bytes in a file detected as UTF-8: a few are a
    /// warning (the first positioned); a run of them is another encoding after all — an
    /// error there, and the rest of the file is not read.
    @Test func invalidBytesPastTheSample() throws {
        func read(_ bytes: [UInt8]) throws -> (rows: [[String]], errors: [String]) {
            let path = try Fixtures.temporaryFile(bytes)
            let reader = try CSVReader(path: path, displayName: "t.csv", blockSize: 256)
            var rows: [[String]] = []
            var errors: [String] = []
            reader.forEachRecord(
                header: { _, _ in true },
                { r in
                    rows.append((0..<r.count).map { r.string($0) })
                }, onError: { e in errors.append("\(e.line):\(e.column): \(e.severity) \(e.code)") })
            return (rows, errors)
        }
        let row = "Иванова Анна,Петров Пётр\n"
        var good = Array(("a,b\n" + String(repeating: row, count: 40)).utf8)
        good += [0x31, 0x2C, 0x78, 0xA0, 0x0A]  // "1,x\xA0"
        good += Array(String(repeating: row, count: 5).utf8)
        let few = try read(good)
        #expect(few.errors == ["42:4: warning bad-encoding"])
        #expect(few.rows.count == 46)
        #expect(few.rows[40] == ["1", "x\u{FFFD}"])
        // ASCII first, then Windows-1251: an error at the first such byte.
        let ascii = Array(("a,b\n" + String(repeating: "1,2\n", count: 100)).utf8)
        let cp = try #require(TextEncoding.windows1251Bytes(String(repeating: row, count: 5)))
        let other = try read(ascii + cp)
        #expect(other.errors == ["102:1: error bad-encoding"])
        #expect(other.rows.count == 100)
    }

    /// A file that mixes the encodings (UTF-8 rows pasted into a Windows-1251 export) is read
    /// as Windows-1251, with a warning at its first UTF-8 character: not silent mojibake.
    @Test func aMixedFileIsReadAsWindows1251WithAWarning() throws {
        let rows = "Иванова Анна,Петров Пётр\n"
        let cp = try #require(TextEncoding.windows1251Bytes("a,b\n" + String(repeating: rows, count: 10)))
        let bytes = cp + Array("Сидорова Юлия,Котов Илья\n".utf8) + cp.dropFirst(4)
        let path = try Fixtures.temporaryFile(bytes)
        let reader = try CSVReader(path: path, displayName: "t.csv")
        var errors: [String] = []
        var count = 0
        reader.forEachRecord(
            header: { _, _ in true }, { _ in count += 1 },
            onError: { e in errors.append("\(e.line):\(e.column): \(e.severity) \(e.code)") })
        #expect(reader.encoding == .cp1251)
        #expect(errors == ["12:1: warning bad-encoding"])
        #expect(count == 21)
        // Pure Windows-1251: no warning.
        let pure = try CSVReader(path: try Fixtures.temporaryFile(cp), displayName: "t.csv")
        var none: [String] = []
        pure.forEachRecord(header: { _, _ in true }, { _ in }, onError: { e in none.append(e.message) })
        #expect(none.isEmpty)
    }

    /// `--encoding utf8` is an assertion: a stray byte there stops the file, as before.
    @Test func forcedUTF8StaysStrict() throws {
        let folder = try copyOfTiny()
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder + "/pupils.csv")))
        bytes.insert(0xA0, at: bytes.count - 3)
        try replace("pupils.csv", in: folder, with: bytes)
        let r = load(folder, options: .init(encoding: .utf8))
        #expect(r.failed)
        #expect(r.log.diagnostics.contains { $0.code == "bad-encoding" && $0.severity == .error })
    }

    // MARK: - The cache

    /// A same-size edit in the middle of a table with its modification time put back: the
    /// cache is not used (it served the old figures before: only the first and last 64 KiB
    /// were hashed).
    @Test func aSameSizeEditWithItsTimeRestoredIsNotServedFromTheCache() throws {
        let folder = try copyOfTiny()
        let cache = TemporaryFolders.fresh("cache").path
        let marks = folder + "/marks.csv"
        var text = try String(contentsOfFile: marks, encoding: .utf8)
        let filler = "P01,Русский язык,2025-09-03,5,ответ на уроке,1\n"
        for _ in 0..<6_000 { text += filler }  // about 300 KB
        let middle = text.utf8.count / 2
        try text.write(toFile: marks, atomically: true, encoding: .utf8)
        let first = try SnapshotCache.load(folder: folder, cacheDirectory: cache)
        #expect(try SnapshotCache.load(folder: folder, cacheDirectory: cache).cached)
        var st = stat()
        #expect(stat(marks, &st) == 0)
        // The first mark "5" at or after the middle becomes a "4".
        var bytes = [UInt8](text.utf8)
        var i = middle
        while !(bytes[i] == 0x2C && bytes[i + 1] == 0x35 && bytes[i + 2] == 0x2C) { i += 1 }
        bytes[i + 1] = 0x34
        TemporaryFolders.write(Data(bytes), to: marks)
        var times = [st.st_atim, st.st_mtim]
        #expect(utimensat(AT_FDCWD, marks, &times, 0) == 0)
        let again = try SnapshotCache.load(folder: folder, cacheDirectory: cache)
        #expect(!again.cached)
        #expect(again.snapshot != first.snapshot)
        #expect(again.snapshot == (try SnapshotLoader(folder: folder).load().snapshot))
    }

    /// A cache whose payload length is out of any range is ignored, not a trap.
    @Test func aCacheWithAHugeLengthIsIgnored() throws {
        let folder = try copyOfTiny()
        let cache = TemporaryFolders.fresh("cache").path
        _ = try SnapshotCache.load(folder: folder, cacheDirectory: cache)
        let file = SnapshotCache.file(for: folder, in: cache)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
        let sources = try #require(SnapshotCache.sources(of: folder))
        var at = 8 + 4 + 4
        for s in sources { at += 8 + s.name.utf8.count + 8 + 8 + 8 }
        for k in 0..<8 { bytes[at + k] = 0xFF }
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        #expect(!(try SnapshotCache.load(folder: folder, cacheDirectory: cache).cached))
    }
}
