// swift-tools-version: 6.1
// Mayak: an early-warning scanner for schools.
//
// The target list is a picture of the pipeline:
//   snapshot (model, readers, figures) → rules → engine → alerts and plans → history → front ends.
// Dependencies point one way, from the front ends towards the snapshot.
import PackageDescription

let package = Package(
    name: "Mayak",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "mayak", targets: ["mayak"]),
        .library(name: "MayakSnapshot", targets: ["MayakSnapshot"]),
        .library(name: "MayakGenerator", targets: ["MayakGenerator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // Stage 1: the gradebook snapshot: columnar model, CSV and manifest readers,
        // validation with positioned diagnostics, and the standard figures.
        .target(
            name: "MayakSnapshot",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        // A deterministic synthetic district, streamed to disk in the snapshot format.
        .target(
            name: "MayakGenerator",
            dependencies: ["MayakSnapshot"]
        ),
        // Front end: the `mayak` command. Thin: parses flags and hands off to the libraries.
        .executableTarget(
            name: "mayak",
            dependencies: [
                "MayakSnapshot",
                "MayakGenerator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "MayakSnapshotTests", dependencies: ["MayakSnapshot"]),
        .testTarget(name: "MayakGeneratorTests", dependencies: ["MayakGenerator", "MayakSnapshot"]),
        .testTarget(name: "MayakCLITests", dependencies: ["mayak"]),
    ]
)
