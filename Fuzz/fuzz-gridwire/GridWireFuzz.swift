import FuzzSupport

@testable import MayakImport

/// Any bytes as the frame the `.xls` reader's child process writes (`GridWire`): what
/// `mayak import` takes from a child it does not trust (`IsolatedBIFFReader`). The decoder must
/// refuse whatever is not a frame with an error, and every layout that recognises the grids it
/// gives is run over them. FreeXL is not involved: fuzz-biff runs it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard case .workbook(let grids)? = try? GridWire.decode(bytes, file: "fuzz.xls") else { return 0 }
    FuzzSupport.readLayouts(Workbook(file: "fuzz.xls", kind: .xls, grids: grids))
    return 0
}

@_cdecl("fuzz_gridwire_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    FuzzSupport.main(argc, argv, fuzz)
}
