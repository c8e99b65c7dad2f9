import FuzzSupport

/// manifest.yaml from the input, in the tiny snapshot; loaded, and scanned when it loads.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzSupport.put(data, size, as: "manifest.yaml")
    FuzzSupport.loadAndScan()
    return 0
}
