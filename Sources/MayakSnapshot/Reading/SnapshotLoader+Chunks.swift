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
    func readInChunks(_ file: File, after reader: CSVReader, _ table: TableReader,
                      _ state: inout LoadState, _ log: inout DiagnosticLog) -> Bool {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        guard reader.encoding == .utf8, cores > 1, options.chunkBytes > 0 else { return false }
        let path = self.path(file)
        var st = stat()
        guard stat(path, &st) == 0 else { return false }
        let size = Int(st.st_size), dataStart = reader.offset
        guard size - dataStart >= 2 * options.chunkBytes else { return false }
        let cuts = SnapshotLoader.cuts(path: path, from: dataStart, to: size, count: (size - dataStart) / options.chunkBytes)
        let display = self.display(file), separator = reader.separator, cap = options.maxProblems
        let start = state
        var chunks: [Chunk?] = Parallel.collect(cuts.count - 1) { k in
            var chunk = Chunk(state: start, log: DiagnosticLog(cap: cap))
            guard let r = try? CSVReader(path: path, displayName: display, range: cuts[k]..<cuts[k + 1], separator: separator) else {
                chunk.endedInQuote = true  // cannot happen for a file just read; read it whole
                return chunk
            }
            SnapshotLoader.readRecords(r, file, table, &chunk.state, &chunk.log)
            chunk.lines = r.nextLine - 1
            chunk.endedInQuote = r.endedInQuote
            return chunk
        }
        guard chunks.dropLast().allSatisfy({ $0.map { !$0.endedInQuote } ?? false }) else { return false }
        var line = reader.nextLine - 1
        let knownTypes = state.snapshot.workTypes.count
        // Room for every chunk's rows at once: the columns are not regrown while joining.
        let rows = chunks.reduce(0) { $0 + ($1.map { file == .marks ? $0.state.snapshot.marks.count : $0.state.snapshot.attendance.count } ?? 0) }
        state.reserve(file, rows)
        for k in chunks.indices {
            guard let chunk = chunks[k] else { return false }
            chunks[k] = nil
            state.join(chunk.state, file: file, knownWorkTypes: knownTypes)
            log.append(contentsOf: chunk.log.shiftingLines(by: line, in: display))
            line += chunk.lines
            // A file found not to be UTF-8 is not read past that point.
            if chunk.state.incomplete.contains(file) {
                state.incomplete.insert(file)
                break
            }
        }
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
    mutating func reserve(_ file: SnapshotLoader.File, _ rows: Int) {
        if file == .marks {
            snapshot.marks.reserve(snapshot.marks.count + rows)
        } else {
            let a = snapshot.attendance.count + rows
            snapshot.attendance.pupil.reserveCapacity(a); snapshot.attendance.day.reserveCapacity(a)
            snapshot.attendance.lesson.reserveCapacity(a); snapshot.attendance.subject.reserveCapacity(a)
            snapshot.attendance.code.reserveCapacity(a)
        }
    }

    /// Appends the rows a chunk read (from the same starting state) to this state.
    mutating func join(_ chunk: LoadState, file: SnapshotLoader.File, knownWorkTypes: Int) {
        switch file {
        case .marks:
            // Work types first seen in the chunk, numbered as a whole read would number them.
            var code = Array(0..<Int32(chunk.snapshot.workTypes.count))
            for c in knownWorkTypes..<chunk.snapshot.workTypes.count {
                let name = chunk.snapshot.workTypes[Int32(c)]
                let global = snapshot.workTypes.intern(name)
                _ = workTypeByName.insert(name, global)
                code[c] = global
            }
            let m = chunk.snapshot.marks
            snapshot.marks.pupil += m.pupil
            snapshot.marks.subject += m.subject
            snapshot.marks.day += m.day
            snapshot.marks.value += m.value
            snapshot.marks.workType += m.workType.map { code[Int($0)] }
            snapshot.marks.weight += m.weight
        case .attendance:
            let a = chunk.snapshot.attendance
            snapshot.attendance.pupil += a.pupil
            snapshot.attendance.day += a.day
            snapshot.attendance.lesson += a.lesson
            snapshot.attendance.subject += a.subject
            snapshot.attendance.code += a.code
        default:
            preconditionFailure("only marks and attendance are read in chunks")
        }
        incomplete.formUnion(chunk.incomplete)
    }
}
