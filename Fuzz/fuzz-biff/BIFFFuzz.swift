import Foundation
import FuzzSupport

@testable import MayakImport

/// Any bytes as an Excel 97–2003 workbook, read by FreeXL in this process under
/// AddressSanitizer (FreeXL reads from a file: the input is written to one first), so that its
/// memory errors show here; then its grids as `mayak import` gets them from the child process
/// it reads them in (`IsolatedBIFFReader`): through the frame, which must give them back as
/// they were, and every layout that recognises them.
///
/// The inputs known to make FreeXL 1.0.6 read out of bounds are not in the corpus
/// (Tests/Fixtures/import/freexl-*.xls, tests of the error the import gives), though mutations
/// of the seeds find the stack underflow again: the bugs are FreeXL's, and `mayak import` meets
/// them in the child, not in its own process. Fuzz-gridwire fuzzes the frame's decoder on bytes
/// of any kind, FreeXL aside.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let path = NSTemporaryDirectory() + "mayak-fuzz-biff-\(getpid()).xls"
    FileManager.default.createFile(atPath: path, contents: Data(bytes: data, count: size))
    defer { try? FileManager.default.removeItem(atPath: path) }
    guard let book = try? BIFFReader.read(path: path, file: "fuzz.xls") else { return 0 }
    guard case .workbook(let grids)? = try? GridWire.decode(GridWire.encode(book), file: "fuzz.xls"),
        grids == book.grids
    else { fatalError("the frame does not give the workbook back as it was") }
    FuzzSupport.readLayouts(Workbook(file: "fuzz.xls", kind: .xls, grids: grids))
    return 0
}

@_cdecl("fuzz_biff_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    FuzzSupport.main(argc, argv, fuzz)
}
