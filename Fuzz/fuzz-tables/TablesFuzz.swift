import FuzzSupport

/// A snapshot table from the input: its first byte picks which of the tiny snapshot's tables
/// it replaces, the rest is the file. The snapshot is loaded (CSV reader, table reader,
/// validation), and when it loads, scanned and summarised.
let tables = [
    "marks.csv", "pupils.csv", "period_marks.csv", "attendance.csv", "works.csv", "work_results.csv",
    "vpr_results.csv", "classes.csv", "schools.csv", "subjects.csv", "vpr_scales.csv",
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    FuzzSupport.put(data + 1, size - 1, as: tables[Int(data[0]) % tables.count])
    FuzzSupport.loadAndScan()
    return 0
}

/// The executable's entry (SwiftPM's name for `main`): libFuzzer's driver over `fuzz`.
@_cdecl("fuzz_tables_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    FuzzSupport.main(argc, argv, fuzz)
}
