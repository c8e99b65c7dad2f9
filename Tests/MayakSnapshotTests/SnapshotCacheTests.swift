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
        let text = try String(contentsOfFile: marks, encoding: .utf8) + "P01,Русский язык,2026-03-20,4,ответ на уроке,1\n"
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
        #expect(!(try SnapshotCache.load(folder: folder, options: .init(encoding: .utf8), cacheDirectory: cache).cached))
    }

    /// The checksum written as a stream (in pieces of any multiple of eight) is the one the
    /// reader computes block by block on every core; a changed byte in any block changes it.
    @Test func thePayloadHashIsTheSameStreamedOrByBlocks() {
        let block = SnapshotCache.PayloadHash.block
        var bytes = [UInt8](repeating: 0, count: 2 * block + 12_345)
        var x: UInt64 = 88_172_645_463_325_252
        for i in bytes.indices { x ^= x << 13; x ^= x >> 7; x ^= x << 17; bytes[i] = UInt8(truncatingIfNeeded: x) }
        func streamed(_ bytes: [UInt8]) -> UInt64 {
            var h = SnapshotCache.PayloadHash()
            bytes.withUnsafeBytes { raw in
                var at = 0, step = 8
                while at < raw.count {
                    let next = min(raw.count, at + step)
                    h.add(UnsafeRawBufferPointer(rebasing: raw[at..<next]))
                    at = next
                    step = step * 3 % 1_000_003 / 8 * 8 + 8
                }
            }
            return h.finish()
        }
        func byBlocks(_ bytes: [UInt8]) -> UInt64 {
            bytes.withUnsafeBytes { raw in
                SnapshotCache.PayloadHash.combine(stride(from: 0, to: raw.count, by: block).map {
                    SnapshotCache.PayloadHash.of(UnsafeRawBufferPointer(rebasing: raw[$0..<min(raw.count, $0 + block)]))
                })
            }
        }
        #expect(streamed(bytes) == byBlocks(bytes))
        let original = byBlocks(bytes)
        for i in [0, block - 1, block, 2 * block + 7, bytes.count - 1] {
            var changed = bytes
            changed[i] ^= 1
            #expect(byBlocks(changed) != original)
            #expect(streamed(changed) == byBlocks(changed))
        }
    }

    @Test func aDamagedCacheIsIgnored() throws {
        let (folder, cache) = try copyOfTiny()
        _ = try SnapshotCache.load(folder: folder, cacheDirectory: cache)
        let file = SnapshotCache.file(for: folder, in: cache)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
        bytes[bytes.count - 10] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        let again = try SnapshotCache.load(folder: folder, cacheDirectory: cache)
        #expect(!again.cached)
        #expect(again.snapshot == (try SnapshotLoader(folder: folder).load().snapshot))
        // Truncated: ignored too.
        try Data(bytes.prefix(100)).write(to: URL(fileURLWithPath: file))
        #expect(!(try SnapshotCache.load(folder: folder, cacheDirectory: cache).cached))
    }

    @Test func aBadSnapshotLeavesNoCache() throws {
        let (folder, cache) = try copyOfTiny()
        try "pupil_id,class_id,full_name\nP01,C9Z,Кто-то\n".write(toFile: folder + "/pupils.csv", atomically: true, encoding: .utf8)
        #expect(throws: SnapshotLoadError.self) { try SnapshotCache.load(folder: folder, cacheDirectory: cache) }
        #expect(!FileManager.default.fileExists(atPath: SnapshotCache.file(for: folder, in: cache)))
    }
}
