import Foundation
import Testing

@testable import MayakImport

/// Inputs fuzzing found that once trapped, each now an answer (committed in
/// Tests/Fixtures/import and in the harnesses' corpora).
@Suite struct FuzzFindingsTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/import")

    /// fuzz-xlsx: a central directory pointing past the end trapped ZIPFoundation's in-memory
    /// reader; the archive is now read from a file.
    @Test func aZIPWhoseDirectoryPointsPastItsEndIsAnError() throws {
        let bytes = try [UInt8](Data(contentsOf: Self.fixtures.appendingPathComponent("crash-central-directory.xlsx")))
        #expect(throws: ImportError.self) { try XLSXReader.read(bytes, file: "a.xlsx") }
    }

    /// fuzz-biff: a workbook whose sheet has no rows trapped the СГО journal's recogniser
    /// (a range built from the row count less one).
    @Test func aSheetWithNoRowsIsNoLayout() throws {
        let path = Self.fixtures.appendingPathComponent("crash-empty-sheet.xls").path
        let book = try BIFFReader.read(path: path, file: "b.xls")
        #expect(Layouts.all.filter { $0.recognises(book) }.map { $0.name } == [])
        let empty = Workbook(file: "e", kind: .html, grids: [Grid(file: "e", name: "t", addressing: .lines, rows: [])])
        #expect(Layouts.all.filter { $0.recognises(empty) }.map { $0.name } == [])
    }
}
