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
        let whole = load(0)
        let chunked = load(8)
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

    /// The tiny snapshot with `rows` added to marks.csv must be refused with `code`, read
    /// whole (the error at its line) and in chunks of `chunkBytes` (each chunk under the
    /// limit, together over it: the error names the file).
    func expectRefused(adding rows: [String], code: String, chunkBytes: Int) throws {
        let folder = TemporaryFolders.fresh("refused").path
        try FileManager.default.copyItem(atPath: Fixtures.tiny, toPath: folder)
        let marks = folder + "/marks.csv"
        let text = try String(contentsOfFile: marks, encoding: .utf8) + rows.map { $0 + "\n" }.joined()
        try text.write(toFile: marks, atomically: true, encoding: .utf8)
        for bytes in [0, chunkBytes] {
            do {
                _ = try SnapshotLoader(folder: folder, options: .init(chunkBytes: bytes)).load()
                Issue.record("loaded (chunks of \(bytes) bytes); expected \(code)")
            } catch {
                #expect(error.log.diagnostics.contains { $0.code == code }, "chunks of \(bytes) bytes")
            }
        }
    }

    /// Work types are numbered in two bytes: a 65,537th is refused.
    @Test func tooManyWorkTypesIsAnError() throws {
        try expectRefused(
            adding: (0..<65_536).map { "P01,Русский язык,2025-09-03,5,вид работы \($0),1" },
            code: "too-many-work-types", chunkBytes: 256 << 10)
    }

    /// Weights are one-byte codes: a 257th distinct weight is refused.
    @Test func tooManyWeightsIsAnError() throws {
        try expectRefused(
            adding: (0..<300).map { "P01,Русский язык,2025-09-03,5,ответ на уроке,\(1 + Double($0) / 100)" },
            code: "too-many-weights", chunkBytes: 2 << 10)
    }

    @Test func quotedLineBreakAtACut() throws {
        let (parent, folder, _) = try Fixtures.materialize(badCase: "warnings-only")
        defer { try? FileManager.default.removeItem(at: parent) }
        let marks = folder.appendingPathComponent("marks.csv")
        var text = try String(contentsOf: marks, encoding: .utf8)
        if !text.hasSuffix("\n") { text += "\n" }
        // A work type written over two lines, then more rows (one of them wrong, so its
        // line number is checked too).
        text +=
            "P01,Русский язык,2025-10-20,4,\"ответ\nу доски\",1\nP01,Русский язык,2025-10-21,7,ответ на уроке,1\nP01,Русский язык,2025-10-22,3,ответ на уроке,1\n"
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
