import Foundation
import MayakTestSupport
import Testing

@testable import MayakSnapshot

/// The binary cache gives back exactly what the CSVs give, and only while they are unchanged.
@Suite struct SnapshotCacheTests {
    func copyOfTiny() throws -> (folder: String, cache: String) {
        let base = TemporaryFolders.fresh("cache")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        let folder = base.appendingPathComponent("tiny").path
        try FileManager.default.copyItem(atPath: Fixtures.tiny, toPath: folder)
        return (folder, base.appendingPathComponent("cache").path)
    }

    @Test func aRerunReadsTheCacheAndGetsTheSameSnapshot() throws {
        let (folder, cache) = try copyOfTiny()
        let csv = try SnapshotLoader(folder: folder).load().snapshot
        let first = try SnapshotCache.load(folder: folder, cacheDirectory: cache)
        let second = try SnapshotCache.load(folder: folder, cacheDirectory: cache)
        #expect(!first.cached)
        #expect(second.cached)
        #expect(first.snapshot == csv)
        #expect(second.snapshot == csv)
        // NaN-free, so equality is exact; the period calendar and extra columns come back too.
        #expect(second.snapshot.pupils.extraValues == csv.pupils.extraValues)
        #expect(second.snapshot.manifest == csv.manifest)
    }

    @Test func warningsComeBackFromTheCache() throws {
        let (folder, cache) = try copyOfTiny()
        let marks = folder + "/marks.csv"
        let text =
            try String(contentsOfFile: marks, encoding: .utf8) + "P01,Русский язык,2026-03-20,4,ответ на уроке,1\n"
        try text.write(toFile: marks, atomically: true, encoding: .utf8)
        let first = try SnapshotCache.load(folder: folder, cacheDirectory: cache)
        let second = try SnapshotCache.load(folder: folder, cacheDirectory: cache)
        #expect(second.cached)
        #expect(first.warnings.rendered() == second.warnings.rendered())
        #expect(second.warnings.warningCount == 1)
    }

    @Test func aChangedSourceIsReadAgain() throws {
        let (folder, cache) = try copyOfTiny()
        _ = try SnapshotCache.load(folder: folder, cacheDirectory: cache)
        let marks = folder + "/marks.csv"
        let text = try String(contentsOfFile: marks, encoding: .utf8) + "P05,Математика,2026-03-02,5,ответ на уроке,1\n"
        try text.write(toFile: marks, atomically: true, encoding: .utf8)
        let again = try SnapshotCache.load(folder: folder, cacheDirectory: cache)
        #expect(!again.cached)
        #expect(again.snapshot.marks.count == 16)
        #expect(try SnapshotCache.load(folder: folder, cacheDirectory: cache).cached)
        // Other options (a forced encoding) are another cache key.
        #expect(
            !(try SnapshotCache.load(folder: folder, options: .init(encoding: .utf8), cacheDirectory: cache).cached))
    }

    /// What the writer streams out, the reader gives back: columns longer than one 4 MiB
    /// block (copied and hashed block by block on every core), texts, counts. The checksums
    /// the writer computes from memory are the ones the reader computes from the bytes, and a
    /// changed byte anywhere — in a column's elements, its digest, a text, a count — is caught.
    @Test func columnsAndTextsComeBackCheckedBlockByBlock() {
        let block = SnapshotCache.PayloadHash.block
        var x: UInt64 = 88_172_645_463_325_252
        let column = (0..<(block + 12_345)).map { _ -> UInt16 in
            x ^= x << 13
            x ^= x >> 7
            x ^= x << 17
            return UInt16(truncatingIfNeeded: x)
        }
        let texts = (0..<5_000).map { "Ученик \($0)" } + ["", "x"]
        var w = Writer()
        w.string("options")
        w.column(column)
        w.strings(texts)
        w.column([Int32]())
        w.int(42)
        let written = w.bytes
        let checksum = w.payloadHash()

        func read(_ bytes: [UInt8]) -> (column: [UInt16], texts: [String], empty: [Int32], last: UInt64, sound: Bool) {
            bytes.withUnsafeBytes { raw in
                var r = Reader(raw)
                r.beginPayload()
                _ = r.string()
                let c: [UInt16] = r.column()
                let t = r.strings()
                let e: [Int32] = r.column()
                let last = r.int()
                return (c, t, e, last, !r.failed && r.offset == raw.count && r.payloadHash() == checksum)
            }
        }
        let back = read(written)
        #expect(back.sound)
        #expect(back.column == column)
        #expect(back.texts == texts)
        #expect(back.empty.isEmpty)
        #expect(back.last == 42)
        // Positions in the options text, the column's count, its first and second block, its
        // digest, the texts, the empty column's digest, the last number.
        let columnStart = 8 + 7 + 8
        for i in [
            3, 8 + 2, columnStart + 1, columnStart + block + 7, columnStart + 2 * column.count + 3,
            columnStart + 2 * column.count + 8 + 20, written.count - 12, written.count - 1,
        ] {
            var damaged = written
            damaged[i] ^= 0x10
            #expect(!read(damaged).sound, "byte \(i) changed")
        }
    }

    /// Empty columns and text lists decode to `[]` (and check as sound) while other threads
    /// grow empty arrays of their own. Filling an array of capacity 0 in place wrote its count
    /// into the storage every empty array shares, a data race ThreadSanitizer reported
    /// (`scripts/sanitize thread`); `Array(filling:)` never asks for zero.
    @Test func emptyColumnsComeBackWhileOtherThreadsGrowEmptyArrays() {
        var w = Writer()
        w.column([Int32]())
        w.strings([])
        w.column([UInt8]())
        let written = w.bytes
        let checksum = w.payloadHash()
        let results = Parallel.collect(64) { k -> Bool in
            (0..<20).allSatisfy { _ in
                guard k % 2 == 0 else {
                    var grown: [Int] = []
                    grown.reserveCapacity(k)
                    grown.append(k)
                    return grown == [k]
                }
                return written.withUnsafeBytes { raw in
                    var r = Reader(raw)
                    r.beginPayload()
                    let a: [Int32] = r.column()
                    let t = r.strings()
                    let b: [UInt8] = r.column()
                    return a.isEmpty && t.isEmpty && b.isEmpty && !r.failed && r.offset == raw.count
                        && r.payloadHash() == checksum
                }
            }
        }
        #expect(results.allSatisfy { $0 })
        #expect([Int](filling: 0) { _ in Issue.record("called for no elements") } == [])
        #expect([Int](filling: 3) { $0.initialize(repeating: 7) } == [7, 7, 7])
    }

    @Test func aDamagedCacheIsIgnored() throws {
        let (folder, cache) = try copyOfTiny()
        _ = try SnapshotCache.load(folder: folder, cacheDirectory: cache)
        let file = SnapshotCache.file(for: folder, in: cache)
        let good = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
        let csv = try SnapshotLoader(folder: folder).load().snapshot
        // A changed byte anywhere (header, texts, counts, columns, digests, warnings) is caught.
        for i in stride(from: 0, to: good.count, by: max(1, good.count / 150)) + [good.count - 10] {
            var bytes = good
            bytes[i] ^= 0x04
            try Data(bytes).write(to: URL(fileURLWithPath: file))
            let again = try SnapshotCache.load(folder: folder, cacheDirectory: cache)
            let cached = again.cached
            let same = again.snapshot == csv
            #expect(!cached, "byte \(i) of \(good.count) changed")
            #expect(same)
        }
        // Truncated: ignored too.
        try Data(good.prefix(100)).write(to: URL(fileURLWithPath: file))
        #expect(!(try SnapshotCache.load(folder: folder, cacheDirectory: cache).cached))
        try Data(good.dropLast()).write(to: URL(fileURLWithPath: file))
        #expect(!(try SnapshotCache.load(folder: folder, cacheDirectory: cache).cached))
    }

    @Test func aBadSnapshotLeavesNoCache() throws {
        let (folder, cache) = try copyOfTiny()
        try "pupil_id,class_id,full_name\nP01,C9Z,Кто-то\n".write(
            toFile: folder + "/pupils.csv", atomically: true, encoding: .utf8)
        #expect(throws: SnapshotLoadError.self) { try SnapshotCache.load(folder: folder, cacheDirectory: cache) }
        #expect(!FileManager.default.fileExists(atPath: SnapshotCache.file(for: folder, in: cache)))
    }
}

/// The integrity check a decoded cache must pass holds for what the CSV loader builds (or
/// every cached load would miss), and fails for a broken reference.
@Suite struct SnapshotIntegrityTests {
    @Test func loadedSnapshotsAreWholeAndABrokenOneIsNot() throws {
        var snapshot = try SnapshotLoader(folder: Fixtures.tiny).load().snapshot
        #expect(snapshot.integrityProblem == nil)
        snapshot.pupils.classIndex[0] = Int32(snapshot.classes.count)
        #expect(snapshot.integrityProblem == "pupils")
        snapshot.pupils.classIndex[0] = 0
        snapshot.attendance.code[0] = 200
        #expect(snapshot.integrityProblem == "attendance")
    }
}
