import FuzzSupport
import MayakRules

/// An expression and a message template from the input: parsed, and what parsed printed.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if case .success(let expr) = Parser.parse(text) {
        _ = "\(expr)"
    }
    _ = Parser.parseTemplate(text)
    return 0
}

/// The executable's entry (SwiftPM's name for `main`): libFuzzer's driver over `fuzz`.
@_cdecl("fuzz_expression_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    FuzzSupport.main(argc, argv, fuzz)
}
