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

    /// fuzz-biff: a sheet that declares 4 billion rows of no columns made the reader append as
    /// many empty rows (4 GiB); an Excel 97–2003 sheet has at most 65,536 rows and 256 columns.
    @Test func aSheetDeclaringMoreRowsThanExcelHasIsAnError() throws {
        let path = Self.fixtures.appendingPathComponent("zero-columns-many-rows.xls").path
        #expect {
            try BIFFReader.read(path: path, file: "z.xls")
        } throws: { error in
            guard let e = error as? ImportError else { return false }
            return e.location.hasPrefix("z.xls:")
                && e.message.hasSuffix(
                    "на листе Excel 97–2003 не больше 65\u{202F}536 строк и 256 столбцов (файл повреждён)")
        }
    }

    // The workbooks FreeXL itself mishandles (freexl-*.xls) are never read in this process:
    // under AddressSanitizer (scripts/sanitize) FreeXL's error would stop the whole test run.
    // The CLI's XLSIsolationTests import them through the child process, as `mayak import` does.
}
