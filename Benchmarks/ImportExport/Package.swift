// swift-tools-version: 6.1
// The import benchmark's exporter (scripts/bench-import): a generated snapshot written as the long
// tables schools keep in Excel, one workbook per school with a sheet per class (libxlsxwriter),
// and the same rows as CSV. A package of its own, with no dependency to fetch: the main build
// and CI do not compile it, and the ordo-one harness of Benchmarks/ is not needed to run it.
import PackageDescription

let package = Package(
    name: "MayakImportExport",
    platforms: [.macOS(.v13)],
    targets: [
        // libxlsxwriter (Debian's libxlsxwriter-dev), as the main package's test fixtures use it.
        .systemLibrary(name: "CXLSXWriter", pkgConfig: "xlsxwriter", providers: [.apt(["libxlsxwriter-dev"])]),
        .executableTarget(name: "export-long", dependencies: ["CXLSXWriter"]),
    ]
)
