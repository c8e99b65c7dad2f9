// swift-tools-version: 6.1
// Benchmarks of Mayak (ordo-one/benchmark). Kept in their own package so that the main build
// and CI do not compile the benchmark harness.
//
//   swift package --package-path Benchmarks benchmark
//   swift package --package-path Benchmarks benchmark --filter "scan.*"
//
// The data sets are generated on first use into $MAYAK_BENCH_DIR (default: a temporary folder):
// the district preset always, the city preset when MAYAK_BENCH_CITY=1.
import PackageDescription

let package = Package(
    name: "MayakBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "Mayak", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "MayakBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "MayakSnapshot", package: "Mayak"),
                .product(name: "MayakGenerator", package: "Mayak"),
                .product(name: "MayakEngine", package: "Mayak"),
            ],
            path: "Benchmarks/MayakBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    ]
)
