import Foundation

/// The marks and attendance tables of a large snapshot read on every core.
///
/// The data after the header is cut into chunks at line ends; each chunk is read by a reader
/// of its own into a copy of the load state (the tables before it are only looked up), and
/// the chunks are joined in order: rows, new work types (numbered as a sequential read would
/// number them), diagnostics (their lines moved to the file's numbering), so the result is
/// the same as reading the file whole. A cut that falls inside a quoted field (a line break
/// in a quoted text) is seen when the chunk before it ends inside quotes: then the file is
/// read whole after all.
extension SnapshotLoader {
    struct Chunk {
        var state: LoadState
        var log: DiagnosticLog
        var lines = 0
        var endedInQuote = false
    }

    /// Reads the rest of `file` (after `reader`'s header) in chunks; false when it should be
    /// read whole instead (a small or Windows-1251 file, one core, a quoted line break at a cut).
    func readInChunks(
        _ file: File, after reader: CSVReader, _ table: TableReader,
        _ state: inout LoadState, _ log: inout DiagnosticLog
    ) -> Bool {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        guard reader.encoding == .utf8, cores > 1, options.chunkBytes > 0 else { return false }
        let path = self.path(file)
        var st = stat()
        guard stat(path, &st) == 0 else { return false }
        let size = Int(st.st_size)
        let dataStart = reader.offset
        guard size - dataStart >= 2 * options.chunkBytes else { return false }
        let cuts = SnapshotLoader.cuts(
            path: path, from: dataStart, to: size, count: (size - dataStart) / options.chunkBytes)
        let display = self.display(file)
        let separator = reader.separator
        let cap = options.maxProblems
        let start = state
        var chunks: [Chunk?] = Parallel.collect(cuts.count - 1) { k in
            var chunk = Chunk(state: start, log: DiagnosticLog(cap: cap))
            guard
                let r = try? CSVReader(
                    path: path, displayName: display, range: cuts[k]..<cuts[k + 1], separator: separator, after: reader)
            else {
                chunk.endedInQuote = true  // cannot happen for a file just read; read it whole
                return chunk
            }
            SnapshotLoader.readRecords(r, file, table, &chunk.state, &chunk.log)
            chunk.lines = r.nextLine - 1
            chunk.endedInQuote = r.endedInQuote
            return chunk
        }
        guard chunks.dropLast().allSatisfy({ $0.map { !$0.endedInQuote } ?? false }) else { return false }
        // Diagnostics, lines and new work types chunk by chunk, in order; the rows after.
        var line = reader.nextLine - 1
        let knownTypes = state.snapshot.workTypes.count
        var joined = 0
        for k in chunks.indices {
            guard let chunk = chunks[k] else { return false }
            if file == .marks, let limit = chunks[k]!.state.renumberCodes(into: &state, knownWorkTypes: knownTypes) {
                log.error(limit.code, file: display, limit.message)
                state.incomplete.insert(file)
                return true
            }
            var chunkLog = chunk.log.shiftingLines(by: line, in: display)
            // A stray byte is warned about once per file, as a whole read does.
            if log.diagnostics.contains(where: {
                $0.code == "bad-encoding" && $0.file == display && $0.severity == .warning
            }) {
                chunkLog.remove(.warning, code: "bad-encoding", file: display)
            }
            log.append(contentsOf: chunkLog)
            line += chunk.lines
            joined += 1
            state.incomplete.formUnion(chunk.state.incomplete)
            // A file found not to be UTF-8 is not read past that point.
            if chunk.state.incomplete.contains(file) { break }
        }
        chunks.removeLast(chunks.count - joined)
        // Each chunk under the marks' limit, together over it: refused, as a whole read does.
        if file == .marks,
            chunks.reduce(state.snapshot.marks.count, { $0 + ($1?.state.snapshot.marks.count ?? 0) })
                > LoadState.maxMarks
        {
            log.error("too-many-rows", file: display, LoadState.tooManyMarks)
            state.incomplete.insert(file)
            return true
        }
        state.join(&chunks, file: file)
        return true
    }

    /// Offsets that cut `from..<to` into about `count` parts, each just after a line break.
    static func cuts(path: String, from: Int, to: Int, count: Int) -> [Int] {
        var cuts = [from]
        guard let handle = FileHandle(forReadingAtPath: path) else { return [from, to] }
        defer { try? handle.close() }
        for k in 1..<max(1, count) {
            var at = max(cuts.last!, from + (to - from) * k / count)
            try? handle.seek(toOffset: UInt64(at))
            var cut: Int?
            while cut == nil, at < to, let data = try? handle.read(upToCount: 1 << 16), !data.isEmpty {
                if let i = data.firstIndex(of: 0x0A) { cut = at + (i - data.startIndex) + 1 }
                at += data.count
            }
            if let cut, cut < to, cut > cuts.last! { cuts.append(cut) }
        }
        cuts.append(to)
        return cuts
    }
}

extension LoadState {
    /// Gives the work types and weights this chunk numbered the codes a whole read gives them
    /// (first sight in file order: work types interned into `whole`, the state being joined
    /// into, as are weights), and recodes its marks. The limit passed, if the chunks together
    /// pass one.
    mutating func renumberCodes(into whole: inout LoadState, knownWorkTypes known: Int) -> CodeLimit? {
        var types = (0..<snapshot.workTypes.count).map { UInt16(truncatingIfNeeded: $0) }
        for c in known..<max(known, snapshot.workTypes.count) {
            let name = snapshot.workTypes[Int32(c)]
            let global = whole.snapshot.workTypes.intern(name)
            _ = whole.workTypeByName.insert(name, global)
            guard let narrow = UInt16(exactly: global) else { return .workTypes }
            types[c] = narrow
        }
        var weights: [UInt8] = []
        for w in snapshot.marks.weight.table {
            guard let global = whole.snapshot.marks.weight.code(of: w) else { return .weights }
            weights.append(global)
        }
        LoadState.recode(&snapshot.marks.workType, types)
        LoadState.recode(&snapshot.marks.weight.codes, weights)
        return nil
    }

    /// Each code of `column` replaced by `code[it]`.
    static func recode<C: FixedWidthInteger>(_ column: inout [C], _ code: [C]) {
        column.withUnsafeMutableBufferPointer { column in
            for i in column.indices { column[i] = code[Int(column[i])] }
        }
    }

    /// Appends the rows the chunks read (each from the same starting state) to this state's
    /// table, in order: column by column, each copied on every core, each chunk's copy let go
    /// as soon as it is copied.
    mutating func join(_ chunks: inout [SnapshotLoader.Chunk?], file: SnapshotLoader.File) {
        func append<T>(_ table: inout [T], _ column: (inout LoadState) -> [T], _ drop: (inout LoadState) -> Void) {
            let parts = chunks.indices.map { column(&chunks[$0]!.state) }
            var offsets = [table.count]
            for part in parts { offsets.append(offsets.last! + part.count) }
            let old = table
            table = [T](filling: offsets.last!) { out in
                Parallel.forEach(parts.count + 1) { k in
                    let source = k == 0 ? old : parts[k - 1]
                    let at = k == 0 ? 0 : offsets[k - 1]
                    source.withUnsafeBufferPointer { source in
                        guard let from = source.baseAddress else { return }
                        (out.baseAddress! + at).initialize(from: from, count: source.count)
                    }
                }
            }
            for k in chunks.indices { drop(&chunks[k]!.state) }
            // The chunks' columns were allocated on the readers' threads; their memory goes
            // back to the system now, not at exit.
            returnFreeMemory()
        }
        switch file {
        case .marks:
            for k in chunks.indices {
                snapshot.marks.pupil.append(contentsOf: chunks[k]!.state.snapshot.marks.pupil)
                chunks[k]!.state.snapshot.marks.pupil = PupilRuns()
            }
            append(&snapshot.marks.subject, { $0.snapshot.marks.subject }, { $0.snapshot.marks.subject = [] })
            append(&snapshot.marks.day, { $0.snapshot.marks.day }, { $0.snapshot.marks.day = [] })
            append(&snapshot.marks.value, { $0.snapshot.marks.value }, { $0.snapshot.marks.value = [] })
            append(&snapshot.marks.workType, { $0.snapshot.marks.workType }, { $0.snapshot.marks.workType = [] })
            append(
                &snapshot.marks.weight.codes, { $0.snapshot.marks.weight.codes },
                { $0.snapshot.marks.weight = WeightColumn() })
        case .attendance:
            append(&snapshot.attendance.pupil, { $0.snapshot.attendance.pupil }, { $0.snapshot.attendance.pupil = [] })
            append(&snapshot.attendance.day, { $0.snapshot.attendance.day }, { $0.snapshot.attendance.day = [] })
            append(
                &snapshot.attendance.lesson, { $0.snapshot.attendance.lesson }, { $0.snapshot.attendance.lesson = [] })
            append(
                &snapshot.attendance.subject, { $0.snapshot.attendance.subject },
                { $0.snapshot.attendance.subject = [] })
            append(&snapshot.attendance.code, { $0.snapshot.attendance.code }, { $0.snapshot.attendance.code = [] })
        default:
            preconditionFailure("only marks and attendance are read in chunks")
        }
    }
}

#if os(Linux)
    /// glibc's `malloc_trim` (malloc.h is not part of the Glibc module).
    @_silgen_name("malloc_trim") private func mallocTrim(_ pad: Int) -> Int32
    func returnFreeMemory() { _ = mallocTrim(0) }
#else
    func returnFreeMemory() {}
#endif
