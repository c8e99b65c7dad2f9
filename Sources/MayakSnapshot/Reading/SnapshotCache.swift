import Foundation
import MayakFiles

/// A compact binary copy of a loaded snapshot, so that a rerun after a rule edit skips CSV
/// parsing and validation.
///
/// The cache lives outside the snapshot folder (exports are often read-only):
/// `$MAYAK_CACHE_DIR`, else `$XDG_CACHE_HOME/mayak`, else `~/.cache/mayak`, one file per
/// snapshot folder, named by a hash of its absolute path. It is used only while every source
/// file has the same size, modification time and **content hash** as when the cache was
/// written: a 64-bit hash of the whole file (`PayloadHash` over each 4 MiB block, on every
/// core, then combined), so that no edit — a same-size one with its time put back included —
/// can be served from the cache. A source that is not a regular file (a pipe, a broken link)
/// bypasses the cache: the loader reports it. The payload carries its own checksum, and a
/// format version guards against older or newer layouts.
///
/// ```
/// "MAYAKSNP" | format u32 | source count u32 | sources (name, size, mtime ns, content hash)
/// | payload length u64 | payload hash u64 (see `PayloadHash`) | payload (columns: count u64, raw elements,
/// digest u64 of the elements' 4 MiB blocks; marks in the engine's order: pupil, subject, day)
/// ```
public enum SnapshotCache {
    /// Bump when the layout or the meaning of any column changes.
    /// 7: a source's hash covers the whole file (it covered the first and last 64 KiB).
    /// 8: weights in hundredths (UInt16), not 32-bit floats.
    public static let formatVersion: UInt32 = 9

    public static func directory() -> String {
        let env = ProcessInfo.processInfo.environment
        if let d = env["MAYAK_CACHE_DIR"], !d.isEmpty { return d }
        if let x = env["XDG_CACHE_HOME"], !x.isEmpty { return x + "/mayak" }
        return NSHomeDirectory() + "/.cache/mayak"
    }

    static func file(for folder: String, in directory: String? = nil) -> String {
        let absolute = URL(fileURLWithPath: folder).standardizedFileURL.path
        return (directory ?? self.directory()) + "/snapshot-" + String(fnv(Array(absolute.utf8)), radix: 16) + ".bin"
    }

    static func fnv(_ bytes: [UInt8]) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        return h
    }

    /// A fast 64-bit hash, eight bytes at a time (sources' samples, the blocks' hashes).
    static func hash(_ p: UnsafeRawBufferPointer) -> UInt64 {
        var h = 0x9E37_79B9_7F4A_7C15 ^ UInt64(p.count)
        var i = 0
        while i + 8 <= p.count {
            h = mix(h, p.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i += 8
        }
        while i < p.count {
            h = (h ^ UInt64(p[i])) &* 0x100_0000_01B3
            i += 1
        }
        return h
    }

    /// One step of the hashes: a word mixed into a running value.
    @inline(__always) static func mix(_ h: UInt64, _ w: UInt64) -> UInt64 {
        let m = (h ^ w) &* 0xFF51_AFD7_ED55_8CCD
        return m ^ (m >> 32)
    }

    /// The payload's checksums. A column's elements are hashed in 4 MiB blocks and their
    /// digest (the hash of the blocks' hashes) follows them; the rest of the payload — counts,
    /// texts, digests — is hashed in stretches (what lies between two columns' elements), and
    /// the payload's checksum is the hash of the stretches' hashes. The reader hashes each
    /// block of a column as it copies it, on every core: the payload is read once.
    enum PayloadHash {
        static let block = 4 << 20

        /// The hash of one piece of bytes, in four lanes: its 8-byte words go to the lanes in
        /// turn, so the four multiplications of a step run side by side and the hash keeps up
        /// with memory (one chain of multiplications was half of a region's cache load). Four
        /// scalar chains, not SIMD4: without 64-bit vector multiplies in the baseline
        /// instruction set, those are emulated and slower than four `imul`s.
        static func of(_ p: UnsafeRawBufferPointer) -> UInt64 {
            var l0: UInt64 = 0x9E37_79B9_7F4A_7C15
            var l1: UInt64 = 0xC2B2_AE3D_27D4_EB4F
            var l2: UInt64 = 0x1656_67B1_9E37_79F9
            var l3: UInt64 = 0x85EB_CA77_C2B2_AE63
            func word(_ at: Int) -> UInt64 { p.loadUnaligned(fromByteOffset: at, as: UInt64.self) }
            var i = 0
            while i + 32 <= p.count {
                l0 = mix(l0, word(i))
                l1 = mix(l1, word(i + 8))
                l2 = mix(l2, word(i + 16))
                l3 = mix(l3, word(i + 24))
                i += 32
            }
            // The last whole words go to the lanes in turn, the last bytes into the first lane.
            if i + 8 <= p.count {
                l0 = mix(l0, word(i))
                i += 8
            }
            if i + 8 <= p.count {
                l1 = mix(l1, word(i))
                i += 8
            }
            if i + 8 <= p.count {
                l2 = mix(l2, word(i))
                i += 8
            }
            while i < p.count {
                l0 = (l0 ^ UInt64(p[i])) &* 0x100_0000_01B3
                i += 1
            }
            return mix(mix(mix(mix(UInt64(p.count), l0), l1), l2), l3)
        }

        static func combine(_ hashes: [UInt64]) -> UInt64 { hashes.withUnsafeBytes { hash($0) } }

        /// A column's digest: the hash of the hashes of its 4 MiB blocks (one block when empty).
        static func digest(_ raw: UnsafeRawBufferPointer) -> UInt64 {
            combine(
                stride(from: 0, to: Swift.max(1, raw.count), by: block).map {
                    of(
                        UnsafeRawBufferPointer(
                            rebasing: raw[Swift.min(raw.count, $0)..<Swift.min(raw.count, $0 + block)]))
                })
        }
    }

    struct Source: Equatable {
        var name: String
        var size: UInt64
        var mtime: Int64
        /// The hash of the whole file's content (`contentHashes`).
        var content: UInt64
    }

    /// Sizes, times and content hashes of the snapshot's files, as they are now; nil when
    /// one is not a regular file (or cannot be read), which the cache must not stand in for.
    static func sources(of folder: String) -> [Source]? {
        var out: [Source] = []
        var paths: [String] = []
        for file in SnapshotLoader.File.allCases {
            let path = (folder as NSString).appendingPathComponent(file.rawValue)
            switch InputFile.status(of: path) {
            case .absent: continue
            case .refused: return nil
            case .regular: break
            }
            var st = stat()
            guard stat(path, &st) == 0 else { return nil }
            let mtime = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
            out.append(Source(name: file.rawValue, size: UInt64(st.st_size), mtime: mtime, content: 0))
            paths.append(path)
        }
        guard let hashes = contentHashes(of: paths) else { return nil }
        for i in out.indices { out[i].content = hashes[i] }
        return out
    }

    /// The content hash of each file: each file mapped, its 4 MiB blocks hashed on every
    /// core (all files' blocks in one parallel loop), each file's block hashes combined as a
    /// column's digest is. Nil when a file cannot be opened or mapped.
    static func contentHashes(of paths: [String]) -> [UInt64]? {
        struct Mapped {
            var base: UnsafeRawPointer?
            var size: Int
        }
        var files: [Mapped] = []
        defer { for f in files { if let b = f.base { munmap(UnsafeMutableRawPointer(mutating: b), f.size) } } }
        for path in paths {
            guard case .success(let fd) = InputFile.openRegular(path) else { return nil }
            defer { close(fd) }
            var st = stat()
            guard fstat(fd, &st) == 0 else { return nil }
            let size = Int(st.st_size)
            if size == 0 {
                files.append(Mapped(base: nil, size: 0))
                continue
            }
            guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else { return nil }
            madvise(base, size, MADV_SEQUENTIAL)
            madvise(base, size, MADV_WILLNEED)
            files.append(Mapped(base: UnsafeRawPointer(base), size: size))
        }
        let block = PayloadHash.block
        var blocks: [(file: Int, range: Range<Int>)] = []
        for (k, f) in files.enumerated() {
            for at in stride(from: 0, to: max(1, f.size), by: block) {
                blocks.append((k, at..<min(f.size, at + block)))
            }
        }
        let shared = Unchecked(files)
        let hashes = Parallel.collect(blocks.count) { i -> UInt64 in
            let (k, range) = blocks[i]
            guard let base = shared.value[k].base else {
                return PayloadHash.of(UnsafeRawBufferPointer(start: nil, count: 0))
            }
            let h = PayloadHash.of(UnsafeRawBufferPointer(start: base + range.lowerBound, count: range.count))
            // The block's pages are let go as soon as it is hashed: hashing a region's 2 GB of
            // CSVs must not count 2 GB against the process (they stay in the page cache).
            madvise(UnsafeMutableRawPointer(mutating: base + range.lowerBound), range.count, MADV_DONTNEED)
            return h
        }
        var out: [UInt64] = []
        var i = 0
        for k in files.indices {
            var mine: [UInt64] = []
            while i < blocks.count && blocks[i].file == k {
                mine.append(hashes[i])
                i += 1
            }
            out.append(PayloadHash.combine(mine))
        }
        return out
    }

    // MARK: - Loading through the cache

    /// Loads a snapshot, from the cache when it is valid, else from the CSVs (and then writes
    /// the cache). Returns the snapshot, its warnings, and whether the cache was used.
    public static func load(
        folder: String, options: SnapshotLoader.Options = .init(), useCache: Bool = true,
        cacheDirectory: String? = nil
    )
        throws(SnapshotLoadError) -> (snapshot: Snapshot, warnings: DiagnosticLog, cached: Bool)
    {
        guard useCache else {
            let (s, w) = try SnapshotLoader(folder: folder, options: options).load()
            return (s, w, false)
        }
        guard let sources = self.sources(of: folder) else {
            // A source that is not a regular file: the loader says which, and nothing is cached.
            let (s, w) = try SnapshotLoader(folder: folder, options: options).load()
            return (s, w, false)
        }
        let cacheFile = file(for: folder, in: cacheDirectory)
        if let hit = read(cacheFile, expecting: sources, options: options) {
            return (hit.0, hit.1, true)
        }
        let (s, w) = try SnapshotLoader(folder: folder, options: options).load()
        write(s, warnings: w, sources: sources, options: options, to: cacheFile)
        return (s, w, false)
    }

    static func optionsKey(_ o: SnapshotLoader.Options) -> String {
        "\(o.encoding.rawValue)|\(o.separator.rawValue)|\(o.maxProblems)"
    }

    // MARK: - Writing

    static func write(
        _ s: Snapshot, warnings: DiagnosticLog, sources: [Source], options: SnapshotLoader.Options, to path: String
    ) {
        var header = Writer()
        header.bytes.append(contentsOf: Array("MAYAKSNP".utf8))
        header.u32(formatVersion)
        header.u32(UInt32(sources.count))
        for src in sources {
            header.string(src.name)
            header.int(src.size)
            header.int(UInt64(bitPattern: src.mtime))
            header.int(src.content)
        }
        // The payload's length and hash, filled in once it is written.
        let blanks = header.bytes.count
        header.int(0)
        header.int(0)
        let fm = FileManager.default
        try? fm.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let temporary = path + ".\(ProcessInfo.processInfo.processIdentifier).tmp"
        // Written beside and renamed: a reader never sees half a cache. Failing to write a
        // cache is not an error: the next run parses the CSVs again.
        guard fm.createFile(atPath: temporary, contents: nil), let handle = FileHandle(forWritingAtPath: temporary)
        else { return }
        do {
            try header.bytes.withUnsafeBytes { try handle.write(contentsOf: $0) }
            var w = Writer(sink: handle)
            w.string(optionsKey(options))
            w.encode(s)
            w.int(UInt64(warnings.diagnostics.count))
            for d in warnings.diagnostics {
                w.strings([d.severity.rawValue, d.code, d.file, d.message])
                w.int(UInt64(d.line))
                w.int(UInt64(d.column))
            }
            w.flush()
            if let error = w.error { throw error }
            var filled = Writer()
            filled.int(UInt64(w.written))
            filled.int(w.payloadHash())
            try handle.seek(toOffset: UInt64(blanks))
            try filled.bytes.withUnsafeBytes { try handle.write(contentsOf: $0) }
            try handle.close()
        } catch {
            try? handle.close()
            try? fm.removeItem(atPath: temporary)
            return
        }
        if rename(temporary, path) != 0 { try? fm.removeItem(atPath: temporary) }
    }

    // MARK: - Reading

    static func read(_ path: String, expecting sources: [Source], options: SnapshotLoader.Options) -> (
        Snapshot, DiagnosticLog
    )? {
        // Mapped, not copied; the pages already read are handed back to the kernel as reading
        // moves on, so a cached region costs the memory of its snapshot, not twice that.
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_size > 0 else { return nil }
        let size = Int(st.st_size)
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else { return nil }
        defer { munmap(base, size) }
        let page = max(4096, sysconf(Int32(_SC_PAGESIZE)))
        var released = 0
        func release(upTo offset: Int) {
            let end = offset / page * page
            guard end > released else { return }
            madvise(base + released, end - released, MADV_DONTNEED)
            released = end
        }
        let raw = UnsafeRawBufferPointer(start: base, count: size)
        do {
            var r = Reader(raw)
            guard r.take(8) == Array("MAYAKSNP".utf8), r.u32() == formatVersion else { return nil }
            let n = Int(r.u32())
            var stored: [Source] = []
            for _ in 0..<n {
                guard let name = r.string() else { return nil }
                stored.append(Source(name: name, size: r.int(), mtime: Int64(bitPattern: r.int()), content: r.int()))
            }
            guard !r.failed, stored == sources else { return nil }
            // Counts from the file are converted without trapping: a damaged one is a miss.
            let length = Int(clamping: r.int())
            let expected = r.int()
            guard !r.failed, length == raw.count - r.offset else { return nil }
            func drop(_ from: Int, _ to: Int) {
                let first = (from + page - 1) / page * page
                let last = to / page * page
                if last > first { madvise(base + first, last - first, MADV_DONTNEED) }
            }
            // Checked as it is read (columns' blocks as they are copied), not in a pass before.
            r.beginPayload()
            r.release = release
            r.drop = drop
            guard r.string() == optionsKey(options), let snapshot = r.decodeSnapshot() else { return nil }
            var log = DiagnosticLog(cap: options.maxProblems)
            let count = r.int()
            for _ in 0..<count {
                let parts = r.strings()
                let line = Int(clamping: r.int())
                let column = Int(clamping: r.int())
                guard parts.count == 4, let severity = Diagnostic.Severity(rawValue: parts[0]) else { return nil }
                log.report(Diagnostic(severity, parts[1], file: parts[2], line: line, column: column, parts[3]))
            }
            guard !r.failed, r.offset == raw.count, r.payloadHash() == expected else { return nil }
            return r.failed ? nil : (snapshot, log)
        }
    }
}
