import FuzzSupport
import MayakImport

/// Any bytes as an СГО page (HTML): read into grids, and every built-in layout run over them
/// as an import would (layouts read cells, merges and header lines from hostile pages too).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let book = try? HTMLReader.read(bytes, file: "fuzz.xls") {
        FuzzSupport.readLayouts(book)
    }
    return 0
}

@_cdecl("fuzz_html_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    FuzzSupport.main(argc, argv, fuzz)
}
