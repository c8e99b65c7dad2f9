import Foundation
import MayakTestSupport
import Testing
@testable import MayakSnapshot

/// Marks and attendance read in chunks on every core give the same snapshot and the same
/// diagnostics (lines included) as reading them whole — on good data, on every bad fixture,
/// and when a quoted field holds a line break where a chunk would be cut.
@Suite struct ChunkedLoadTests {
    /// Loads with tables read whole (chunkBytes 0) and in chunks of a few bytes (a cut at
    /// almost every line), and expects the same outcome.
    func expectSameLoad(_ folder: String, _ what: String) {
        func load(_ chunkBytes: Int) -> (Snapshot?, String) {
            do {
                let (s, warnings) = try SnapshotLoader(folder: folder, options: .init(chunkBytes: chunkBytes)).load()
                return (s, warnings.rendered())
            } catch {
                return (nil, error.log.rendered())
            }
        }
        let whole = load(0), chunked = load(8)
        #expect(chunked.0 == whole.0, "\(what): the snapshots differ")
        #expect(chunked.1 == whole.1, "\(what): the diagnostics differ\nchunked:\n\(chunked.1)\nwhole:\n\(whole.1)")
    }

    @Test func goodSnapshot() throws {
        let snapshot = try SnapshotLoader(folder: Fixtures.tiny, options: .init(chunkBytes: 8)).load().snapshot
        #expect(snapshot.marks.count == 15)
        expectSameLoad(Fixtures.tiny, "tiny")
    }

    @Test(arguments: Fixtures.badCases)
    func badFixture(name: String) throws {
        let (parent, folder, _) = try Fixtures.materialize(badCase: name)
        defer { try? FileManager.default.removeItem(at: parent) }
        expectSameLoad(folder.path, name)
    }

    /// Work types are numbered in two bytes: a 65,537th is refused with a clear error, read
    /// whole (at its line) or in chunks (each under the limit, together over it).
    @Test func tooManyWorkTypesIsAnError() throws {
        let folder = TemporaryFolders.fresh("types").path
        try FileManager.default.copyItem(atPath: Fixtures.tiny, toPath: folder)
        let marks = folder + "/marks.csv"
        var text = try String(contentsOfFile: marks, encoding: .utf8)
        for k in 0..<65_536 { text += "P01,Русский язык,2025-09-03,5,вид работы \(k),1\n" }
        try text.write(toFile: marks, atomically: true, encoding: .utf8)
        for chunkBytes in [0, 256 << 10] {
            do {
                _ = try SnapshotLoader(folder: folder, options: .init(chunkBytes: chunkBytes)).load()
                Issue.record("loaded with 65,544 work types (chunks of \(chunkBytes) bytes)")
            } catch {
                #expect(error.log.diagnostics.contains { $0.code == "too-many-work-types" }, "chunks of \(chunkBytes) bytes")
            }
        }
    }

    /// Weights are one-byte codes: a 257th distinct weight is refused the same two ways.
    @Test func tooManyWeightsIsAnError() throws {
        let folder = TemporaryFolders.fresh("weights").path
        try FileManager.default.copyItem(atPath: Fixtures.tiny, toPath: folder)
        let marks = folder + "/marks.csv"
        var text = try String(contentsOfFile: marks, encoding: .utf8)
        for k in 0..<300 { text += "P01,Русский язык,2025-09-03,5,ответ на уроке,\(1 + Double(k) / 100)\n" }
        try text.write(toFile: marks, atomically: true, encoding: .utf8)
        for chunkBytes in [0, 2 << 10] {
            do {
                _ = try SnapshotLoader(folder: folder, options: .init(chunkBytes: chunkBytes)).load()
                Issue.record("loaded with 300 weights (chunks of \(chunkBytes) bytes)")
            } catch {
                #expect(error.log.diagnostics.contains { $0.code == "too-many-weights" }, "chunks of \(chunkBytes) bytes")
            }
        }
    }

    @Test func quotedLineBreakAtACut() throws {
        let (parent, folder, _) = try Fixtures.materialize(badCase: "warnings-only")
        defer { try? FileManager.default.removeItem(at: parent) }
        let marks = folder.appendingPathComponent("marks.csv")
        var text = try String(contentsOf: marks, encoding: .utf8)
        if !text.hasSuffix("\n") { text += "\n" }
        // A work type written over two lines, then more rows (one of them wrong, so its
        // line number is checked too).
        text += "P01,Русский язык,2025-10-20,4,\"ответ\nу доски\",1\nP01,Русский язык,2025-10-21,7,ответ на уроке,1\nP01,Русский язык,2025-10-22,3,ответ на уроке,1\n"
        try text.write(to: marks, atomically: true, encoding: .utf8)
        expectSameLoad(folder.path, "quoted line break")
        do {
            _ = try SnapshotLoader(folder: folder.path, options: .init(chunkBytes: 8)).load()
            Issue.record("the mark 7 should be an error")
        } catch {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let expectedLine = lines.firstIndex { $0.contains(",7,") }.map { $0 + 1 }
            #expect(error.log.diagnostics.contains { $0.file.hasSuffix("marks.csv") && $0.line == expectedLine })
        }
    }
}
