import FuzzSupport
import MayakImport

/// Any bytes as an XLSX workbook: read into grids, and the grids through the built-in
/// layouts' recognisers; an error is an answer, a trap or a hang is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let book = try? XLSXReader.read(bytes, file: "fuzz.xlsx") {
        for layout in Layouts.all { _ = layout.recognises(book) }
        for g in book.grids { _ = g.filled() }
    }
    return 0
}

@_cdecl("fuzz_xlsx_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    FuzzSupport.main(argc, argv, fuzz)
}
