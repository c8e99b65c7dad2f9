import FuzzSupport
import MayakEngine

@testable import MayakSnapshot

/// A binary cache's payload from the input, decoded with the column digests not compared (so
/// that mutations reach the decoder: a cache is only as trusted as the folder it lies in);
/// whatever decodes is indexed and scanned on both engines, as a cached load would be.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let raw = UnsafeRawBufferPointer(start: data, count: size)
    var reader = Reader(raw)
    reader.checksDigests = false
    reader.beginPayload()
    guard let snapshot = reader.decodeSnapshot() else { return 0 }
    FuzzSupport.scan(snapshot)
    return 0
}

/// The executable's entry (SwiftPM's name for `main`): libFuzzer's driver over `fuzz`.
@_cdecl("fuzz_cache_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    FuzzSupport.main(argc, argv, fuzz)
}
