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
                    "an Excel 97–2003 sheet has at most 65536 rows and 256 columns (the file is damaged)")
        }
    }

    /// fuzz-biff: a crafted text record makes FreeXL 1.0.6 (Debian's libfreexl) read below a
    /// stack buffer while converting its code page — a bug in the library, seen only under
    /// AddressSanitizer; the file is kept out of the fuzzing corpus (CI replays it under ASan)
    /// and here the import must give an error at the file, not a trap or a snapshot.
    /// `mayak import` reads it in a child process, where the bug cannot reach the import
    /// (`IsolatedBIFFReader`; the CLI's XLSIsolationTests import it so).
    @Test func aTextRecordFreeXLCannotConvertIsAnError() throws {
        let path = Self.fixtures.appendingPathComponent("freexl-stack-underflow.xls").path
        #expect(
            throws: ImportError(
                path, "the workbook's text is in a code page that cannot be read (FREEXL_INVALID_CHARACTER)")
        ) {
            try BIFFReader.read(path: path, file: path)
        }
    }
}
