import Foundation
import FuzzSupport
import MayakImport

/// Any bytes as an Excel 97–2003 workbook (FreeXL reads from a file: the input is written to
/// one first), then through the layouts' recognisers.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let path = NSTemporaryDirectory() + "mayak-fuzz-biff-\(getpid()).xls"
    FileManager.default.createFile(atPath: path, contents: Data(bytes: data, count: size))
    defer { try? FileManager.default.removeItem(atPath: path) }
    if let book = try? BIFFReader.read(path: path, file: "fuzz.xls") {
        var log = ImportLog()
        let context = LayoutContext(options: ImportOptions(schoolYearStart: 2025))
        for layout in Layouts.all where layout.recognises(book) {
            _ = layout.read(book, context: context, log: &log)
        }
    }
    return 0
}

@_cdecl("fuzz_biff_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    FuzzSupport.main(argc, argv, fuzz)
}
