import FuzzSupport
import MayakEngine

@testable import MayakSnapshot

/// A binary cache from the input — a whole cache file (it starts `MAYAKSNP`: its header is
/// read as the reader does, sources not compared) or a bare payload — decoded with the column
/// digests not compared, so that mutations reach the decoder (a cache is only as trusted as
/// the folder it lies in); whatever decodes is indexed and scanned on both engines, as a cached
/// load would be.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let raw = UnsafeRawBufferPointer(start: data, count: size)
    var reader = Reader(raw)
    reader.checksDigests = false
    if size >= 8 && Array(raw.prefix(8)) == Array("MAYAKSNP".utf8) {
        _ = reader.take(8)
        _ = reader.u32()
        for _ in 0..<min(Int(reader.u32()), 1000) {
            _ = reader.string()
            _ = reader.int()
            _ = reader.int()
            _ = reader.int()
        }
        _ = reader.int()
        _ = reader.int()
        reader.beginPayload()
        _ = reader.string()
    } else {
        reader.beginPayload()
    }
    guard !reader.failed, let snapshot = reader.decodeSnapshot() else { return 0 }
    FuzzSupport.scan(snapshot)
    return 0
}

/// The executable's entry (SwiftPM's name for `main`): libFuzzer's driver over `fuzz`.
@_cdecl("fuzz_cache_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    FuzzSupport.main(argc, argv, fuzz)
}
