// swift-tools-version: 6.1
// Mayak: an early-warning scanner for schools.
//
// The target list is a picture of the pipeline:
//   files (safe output) → snapshot (model, readers, figures) → rules → engine → alerts and plans → history → front ends.
// Dependencies point one way, from the front ends towards the snapshot.
import PackageDescription

let package = Package(
    name: "Mayak",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "mayak", targets: ["mayak"]),
        .library(name: "MayakFiles", targets: ["MayakFiles"]),
        .library(name: "MayakSnapshot", targets: ["MayakSnapshot"]),
        .library(name: "MayakImport", targets: ["MayakImport"]),
        .library(name: "MayakGenerator", targets: ["MayakGenerator"]),
        .library(name: "MayakRules", targets: ["MayakRules"]),
        .library(name: "MayakEngine", targets: ["MayakEngine"]),
        .library(name: "MayakAlerts", targets: ["MayakAlerts"]),
        .library(name: "MayakHistory", targets: ["MayakHistory"]),
        .library(name: "MayakReports", targets: ["MayakReports"]),
        .library(name: "MayakWeb", targets: ["MayakWeb"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // Stage 0: writing what the user names with --out without destroying what Mayak did not
        // write: atomic files, devices and pipes written through, folders replaced only when
        // they are Mayak's own earlier output; temporary files removed on failure and signals.
        .target(name: "MayakFiles"),
        // Stage 1: the gradebook snapshot: columnar model, CSV and manifest readers,
        // validation with positioned diagnostics, and the standard figures.
        .target(
            name: "MayakSnapshot",
            dependencies: ["MayakFiles", .product(name: "Yams", package: "Yams")],
            // Each CSV reader and chunk of a load belongs to one thread: the run-time checks of
            // exclusive access (on every field of every row) guard nothing here.
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]
        ),
        // libxml2's HTML parser (Debian's libxml2-dev): СГО saves its reports as HTML named .xls.
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        // FreeXL (Debian's libfreexl-dev): Excel 97–2003 binary workbooks (BIFF), as ЭлЖур exports.
        .systemLibrary(name: "CFreeXL", pkgConfig: "freexl", providers: [.apt(["libfreexl-dev"])]),
        // libxlsxwriter (Debian's libxlsxwriter-dev): writes the tests' XLSX fixtures.
        .systemLibrary(name: "CXLSXWriter", pkgConfig: "xlsxwriter", providers: [.apt(["libxlsxwriter-dev"])]),
        // Stage 1a (sources → snapshot): the importer. Reads the exports schools have (XLSX,
        // BIFF .xls, СГО's HTML, CSV of any shape) as grids, recognises their layout (built-in
        // profiles or a mapping file), gives pupils lasting ids, and writes a snapshot folder.
        .target(
            name: "MayakImport",
            dependencies: [
                "MayakFiles", "MayakSnapshot", "MayakBuiltIn", "CLibXML2", "CFreeXL",
                .product(name: "Yams", package: "Yams"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        // PCRE2 from Debian's libpcre2-dev (regular expressions in rules, JIT-compiled).
        .systemLibrary(name: "CPCRE2", pkgConfig: "libpcre2-8", providers: [.apt(["libpcre2-dev"])]),
        // The files built into the program: the default rule pack (rules/) and the importer's
        // mapping files (mappings/), put in as strings at build time by the EmbedFiles plugin.
        .target(name: "MayakBuiltIn", plugins: ["EmbedFiles"]),
        .plugin(name: "EmbedFiles", capability: .buildTool(), dependencies: ["EmbedFilesTool"]),
        .executableTarget(name: "EmbedFilesTool", path: "Plugins/EmbedFilesTool"),
        // Stage 2: the rule language's syntax and rule files. Knows nothing about gradebooks.
        .target(
            name: "MayakRules",
            dependencies: ["MayakFiles", "MayakSnapshot", "MayakBuiltIn", .product(name: "Yams", package: "Yams")]
        ),
        // A prefetch hint for the compiled engine's scan (one inline C function).
        .target(name: "CPrefetch"),
        // Stage 3: checking rules against the snapshot schema, and evaluating them.
        .target(
            name: "MayakEngine",
            dependencies: [
                "MayakSnapshot", "MayakRules", "CPCRE2", "CPrefetch", .product(name: "Yams", package: "Yams"),
            ],
            // The compiled engine's contexts belong to one thread each: the run-time checks of
            // exclusive access cost ~5 % of a scan and guard nothing here.
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]
        ),
        // Stage 4: alerts with evidence and fingerprints, individual plans, and their formats.
        .target(
            name: "MayakAlerts",
            dependencies: ["MayakFiles", "MayakSnapshot", "MayakEngine"]
        ),
        // Stage 5: the history of runs in SQLite (GRDB), the alert lifecycle, triage, plans, diffs.
        .target(
            name: "MayakHistory",
            dependencies: [
                "MayakSnapshot", "MayakRules", "MayakEngine", "MayakAlerts",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // Stage 6 (front end): the static report site: district, school, class and pupil pages,
        // printable individual plans.
        .target(
            name: "MayakReports",
            dependencies: ["MayakFiles", "MayakSnapshot", "MayakEngine", "MayakAlerts", "MayakRules", "MayakHistory"]
        ),
        // Stage 6 (front end): the web app staff sign in to (`mayak serve`): Hummingbird 2,
        // server-rendered pages (swift-mustache), sessions and accounts in the history database,
        // passwords hashed with bcrypt (HummingbirdBcrypt); one scope check for every route.
        .target(
            name: "MayakWeb",
            dependencies: [
                "MayakSnapshot", "MayakEngine", "MayakAlerts", "MayakRules", "MayakHistory", "MayakReports",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // A deterministic synthetic district, streamed to disk in the snapshot format.
        .target(
            name: "MayakGenerator",
            dependencies: ["MayakFiles", "MayakSnapshot"]
        ),
        // Front end: the `mayak` command. Thin: parses flags and hands off to the libraries.
        .executableTarget(
            name: "mayak",
            dependencies: [
                "MayakFiles",
                "MayakBuiltIn",
                "MayakSnapshot",
                "MayakImport",
                "MayakGenerator",
                "MayakRules",
                "MayakEngine",
                "MayakAlerts",
                "MayakReports",
                "MayakHistory",
                "MayakWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        // What every test target shares: temporary folders removed when the test process ends.
        .target(name: "MayakTestSupport", path: "Tests/MayakTestSupport"),
        .testTarget(name: "MayakFilesTests", dependencies: ["MayakFiles", "MayakTestSupport"]),
        .testTarget(name: "MayakSnapshotTests", dependencies: ["MayakSnapshot", "MayakTestSupport"]),
        .testTarget(name: "MayakRulesTests", dependencies: ["MayakTestSupport", "MayakRules"]),
        // XLSX fixtures for the importer's tests, written from invented data (libxlsxwriter,
        // or raw parts zipped with ZIPFoundation).
        .target(
            name: "ImportFixtureSupport",
            dependencies: ["MayakImport", "CXLSXWriter", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            path: "Tests/ImportFixtureSupport"),
        .testTarget(
            name: "MayakImportTests",
            dependencies: [
                "MayakImport", "MayakSnapshot", "MayakGenerator", "MayakTestSupport", "ImportFixtureSupport",
                "MayakEngine", "MayakRules",
            ]),
        .testTarget(
            name: "MayakEngineTests",
            dependencies: [
                "MayakTestSupport", "MayakEngine", "MayakRules", "MayakSnapshot", "MayakAlerts", "MayakGenerator",
                .product(name: "Yams", package: "Yams"),
            ]),
        .testTarget(
            name: "MayakHistoryTests",
            dependencies: [
                "MayakTestSupport", "MayakHistory", "MayakAlerts", "MayakEngine", "MayakSnapshot", "MayakRules",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        .testTarget(
            name: "MayakGeneratorTests", dependencies: ["MayakTestSupport", "MayakGenerator", "MayakSnapshot"]),
        .testTarget(name: "MayakReportsTests", dependencies: ["MayakReports", "MayakTestSupport"]),
        .testTarget(
            name: "MayakWebTests",
            dependencies: [
                "MayakWeb", "MayakHistory", "MayakSnapshot", "MayakEngine", "MayakRules", "MayakTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Yams", package: "Yams"),
            ]),
        .testTarget(
            name: "MayakCLITests",
            dependencies: [
                "MayakTestSupport", "ImportFixtureSupport", "MayakImport", "mayak",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
    ]
)

// The fuzzing harnesses (scripts/fuzz): libFuzzer executables, declared only when MAYAK_FUZZ is
// set, since each is built with -sanitize=fuzzer (libFuzzer supplies their main).
if Context.environment["MAYAK_FUZZ"] != nil {
    // The fuzzing flags (-sanitize=fuzzer, -parse-as-library) reach every executable of the
    // build, the plugin's tool too, which cannot be built with them: the harnesses are built
    // without the files built in (they fuzz texts they are handed, never the default pack).
    if let i = package.targets.firstIndex(where: { $0.name == "MayakBuiltIn" }) {
        package.targets[i] = .target(name: "MayakBuiltIn", swiftSettings: [.define("MAYAK_NOTHING_BUILT_IN")])
    }
    package.targets.append(
        .target(
            name: "FuzzSupport", dependencies: ["MayakSnapshot", "MayakEngine", "MayakImport"], path: "Fuzz/Support"))
    for (name, dependencies) in [
        ("fuzz-tables", ["FuzzSupport"]),
        ("fuzz-manifest", ["FuzzSupport"]),
        ("fuzz-rules", ["FuzzSupport", "MayakRules", "MayakEngine", "MayakSnapshot"]),
        ("fuzz-expression", ["FuzzSupport", "MayakRules"]),
        ("fuzz-cache", ["FuzzSupport", "MayakSnapshot", "MayakEngine"]),
        ("fuzz-xlsx", ["FuzzSupport", "MayakImport"]),
        ("fuzz-html", ["FuzzSupport", "MayakImport"]),
        ("fuzz-biff", ["FuzzSupport", "MayakImport"]),
        ("fuzz-gridwire", ["FuzzSupport", "MayakImport"]),
    ] as [(String, [Target.Dependency])] {
        package.targets.append(.executableTarget(name: name, dependencies: dependencies, path: "Fuzz/\(name)"))
    }
}
