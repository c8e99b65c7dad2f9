import Benchmark
import Foundation
import MayakEngine
import MayakGenerator
import MayakSnapshot

/// Generated data sets, made once per benchmark process.
enum DataSets {
    static let root: String = {
        let dir = ProcessInfo.processInfo.environment["MAYAK_BENCH_DIR"]
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("mayak-bench").path
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }()

    static func folder(_ preset: Preset) -> String {
        let folder = root + "/" + preset.rawValue
        if !FileManager.default.fileExists(atPath: folder + "/manifest.yaml") {
            _ = try? DistrictGenerator(options: GeneratorOptions(preset: preset, seed: 1, output: folder, force: true)).run()
        }
        return folder
    }

    static let rules: String = {
        // Benchmarks/Benchmarks/MayakBenchmarks/x.swift → the repository's rules/
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("rules").path
    }()

    static func pack() -> RulePack? {
        var log = DiagnosticLog()
        return RulePack.load(paths: [rules], log: &log)
    }
}

let benchmarks: @Sendable () -> Void = {
    var presets: [Preset] = [.district]
    if ProcessInfo.processInfo.environment["MAYAK_BENCH_CITY"] == "1" { presets.append(.city) }
    let configuration = Benchmark.Configuration(metrics: [.wallClock, .peakMemoryResident, .mallocCountTotal],
                                                warmupIterations: 1, maxDuration: .seconds(60), maxIterations: 5)
    for preset in presets {
        Benchmark("load CSV \(preset.rawValue)", configuration: configuration) { benchmark in
            let folder = DataSets.folder(preset)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(try? SnapshotLoader(folder: folder).load())
            }
        }
        Benchmark("load cache \(preset.rawValue)", configuration: configuration) { benchmark in
            let folder = DataSets.folder(preset)
            let cache = DataSets.root + "/cache"
            _ = try? SnapshotCache.load(folder: folder, cacheDirectory: cache)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(try? SnapshotCache.load(folder: folder, cacheDirectory: cache))
            }
        }
        Benchmark("scan full pack in memory \(preset.rawValue)", configuration: configuration) { benchmark in
            let folder = DataSets.folder(preset)
            guard let snapshot = try? SnapshotCache.load(folder: folder, cacheDirectory: DataSets.root + "/cache").snapshot,
                  let pack = DataSets.pack() else { return }
            let index = SnapshotIndex(snapshot)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(Scanner.scan(pack, index: index))
            }
        }
    }
}
