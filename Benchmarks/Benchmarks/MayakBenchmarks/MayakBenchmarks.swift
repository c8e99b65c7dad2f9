import Benchmark
import Foundation
import MayakEngine
import MayakGenerator
import MayakSnapshot

/// Generated data sets, made once per benchmark process.
enum DataSets {
    static let root: String = {
        let dir =
            ProcessInfo.processInfo.environment["MAYAK_BENCH_DIR"]
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("mayak-bench").path
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }()

    static func folder(_ preset: Preset) -> String {
        let folder = root + "/" + preset.rawValue
        if !FileManager.default.fileExists(atPath: folder + "/manifest.yaml") {
            _ = try? DistrictGenerator(options: GeneratorOptions(preset: preset, seed: 1, output: folder, force: true))
                .run()
        }
        return folder
    }

    static func snapshot(_ preset: Preset) -> Snapshot? {
        try? SnapshotCache.load(folder: folder(preset), cacheDirectory: root + "/cache").snapshot
    }

    static let rules: String = {
        // Benchmarks/Benchmarks/MayakBenchmarks/x.swift → the repository's rules/
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("rules").path
    }()

    static func pack() -> RulePack? {
        var log = DiagnosticLog()
        return RulePack.load(paths: [rules], log: &log)
    }

    /// Which presets to run: MAYAK_BENCH_PRESETS=district,city,region (MAYAK_BENCH_CITY=1 adds the city).
    static var presets: [Preset] {
        let env = ProcessInfo.processInfo.environment
        if let list = env["MAYAK_BENCH_PRESETS"] {
            return list.split(separator: ",").compactMap { Preset(rawValue: String($0)) }
        }
        return env["MAYAK_BENCH_CITY"] == "1" ? [.district, .city] : [.district]
    }
}

/// The yardstick of issue 4: a plain Swift loop over each pupil's marks (grouped by subject)
/// counting, per pupil, the subjects whose weighted mean in the current period is under 2.5 —
/// on every core, no rules, no allocation. The engine is compared with this in the same run.
func plainLoop(_ index: SnapshotIndex) -> Int {
    let s = index.snapshot
    let pupils = s.pupils.count
    let workers = ProcessInfo.processInfo.activeProcessorCount
    let chunk = (pupils + workers - 1) / workers
    return Parallel.collect(workers) { w -> Int in
        var failing = 0
        s.marks.day.withUnsafeBufferPointer { day in
            s.marks.value.withUnsafeBufferPointer { value in
                s.marks.weight.codes.withUnsafeBufferPointer { weightCode in
                    s.marks.weight.table.withUnsafeBufferPointer { weightOf in
                        s.marks.subject.withUnsafeBufferPointer { subject in
                            for p in (w * chunk)..<min(pupils, (w + 1) * chunk) {
                                let period = index.currentPeriod[index.grade(ofPupil: Int32(p))]
                                guard period >= 0 else { continue }
                                // Days as the marks' column holds them (since MarkTable.firstDay).
                                let from = UInt16(s.manifest.periods[period].start.number - MarkTable.firstDay)
                                let to = UInt16(
                                    min(s.manifest.periods[period].end, s.manifest.asOf).number - MarkTable.firstDay)
                                var current = -1
                                var sum = 0.0
                                var weights = 0.0
                                for i in Int(index.markStart[p])..<Int(index.markStart[p + 1]) {
                                    if Int(subject[i]) != current {
                                        if weights > 0 && sum / weights < 2.5 { failing += 1 }
                                        current = Int(subject[i])
                                        sum = 0
                                        weights = 0
                                    }
                                    let g = value[i] & 0x0F
                                    guard g >= 1 && g <= 5, day[i] >= from, day[i] <= to else { continue }
                                    let weight = Double(weightOf[Int(weightCode[i])])
                                    sum += weight * Double(g)
                                    weights += weight
                                }
                                if weights > 0 && sum / weights < 2.5 { failing += 1 }
                            }
                        }
                    }
                }
            }
        }
        return failing
    }.reduce(0, +)
}

let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .peakMemoryResident, .mallocCountTotal],
        warmupIterations: 1, maxDuration: .seconds(60), maxIterations: 5)
    for preset in DataSets.presets {
        let name = preset.rawValue
        Benchmark("load CSV \(name)", configuration: configuration) { benchmark in
            let folder = DataSets.folder(preset)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(try? SnapshotLoader(folder: folder).load())
            }
        }
        Benchmark("load cache \(name)", configuration: configuration) { benchmark in
            let folder = DataSets.folder(preset)
            let cache = DataSets.root + "/cache"
            _ = try? SnapshotCache.load(folder: folder, cacheDirectory: cache)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(try? SnapshotCache.load(folder: folder, cacheDirectory: cache))
            }
        }
        Benchmark("index \(name)", configuration: configuration) { benchmark in
            guard let snapshot = DataSets.snapshot(preset) else { return }
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { blackHole(SnapshotIndex(snapshot)) }
        }
        Benchmark("plain loop \(name)", configuration: configuration) { benchmark in
            guard let snapshot = DataSets.snapshot(preset) else { return }
            let index = SnapshotIndex(snapshot)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { blackHole(plainLoop(index)) }
        }
        for engine in ScanEngine.allCases where engine == .compiled || preset != .region {
            Benchmark("scan \(engine.rawValue) \(name)", configuration: configuration) { benchmark in
                guard let snapshot = DataSets.snapshot(preset), let pack = DataSets.pack() else { return }
                let index = SnapshotIndex(snapshot)
                benchmark.startMeasurement()
                for _ in benchmark.scaledIterations {
                    blackHole(try Scanner.scan(pack, index: index, engine: engine))
                }
            }
        }
    }
}
