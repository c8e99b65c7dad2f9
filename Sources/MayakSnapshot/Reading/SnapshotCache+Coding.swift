import Foundation

/// The binary layout of a snapshot in the cache: every column as a count, its raw elements
/// and their digest (`SnapshotCache.PayloadHash`).
struct Writer {
    var bytes: [UInt8] = []
    /// When set, bytes go out to it as they pile up, so that a region's payload is never
    /// held in memory whole.
    let sink: FileHandle?
    /// The bytes written since the last column's elements (the current stretch), and the
    /// hashes of the stretches before it.
    private var stretch: [UInt8] = []
    private var stretches: [UInt64] = []
    private(set) var written = 0
    private(set) var error: Error?
    static let spill = 8 << 20

    init(sink: FileHandle? = nil) { self.sink = sink }

    private mutating func put(_ raw: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: raw)
        stretch.append(contentsOf: raw)
        spillIfFull()
    }

    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { put($0) } }
    mutating func int(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { put($0) } }
    mutating func string(_ s: String) {
        int(UInt64(s.utf8.count))
        var s = s
        s.withUTF8 { put(UnsafeRawBufferPointer($0)) }
    }
    mutating func strings(_ list: [String]) {
        int(UInt64(list.count))
        for s in list { string(s) }
    }

    /// The count, the elements (outside any stretch: the reader hashes them as it copies
    /// them), then their digest, which opens the next stretch.
    mutating func column<T>(_ values: [T]) {
        int(UInt64(values.count))
        endStretch()
        let digest = values.withUnsafeBytes { raw in
            var at = 0
            repeat {
                let next = Swift.min(raw.count, at + Writer.spill)
                bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[at..<next]))
                spillIfFull()
                at = next
            } while at < raw.count
            return SnapshotCache.PayloadHash.digest(raw)
        }
        int(digest)
    }

    private mutating func endStretch() {
        stretch.withUnsafeBytes { stretches.append(SnapshotCache.PayloadHash.of($0)) }
        stretch.removeAll(keepingCapacity: true)
    }

    /// The payload's checksum: the hashes of its stretches (which hold the columns' digests).
    mutating func payloadHash() -> UInt64 {
        endStretch()
        return SnapshotCache.PayloadHash.combine(stretches)
    }

    private mutating func spillIfFull() { if sink != nil && bytes.count >= Writer.spill { flush() } }

    /// Writes out what has piled up.
    mutating func flush() {
        guard let sink, error == nil else { return }
        do { try bytes.withUnsafeBytes { try sink.write(contentsOf: $0) } } catch { self.error = error }
        written += bytes.count
        bytes.removeAll(keepingCapacity: true)
    }

    mutating func encode(_ s: Snapshot) {
        let m = s.manifest
        int(UInt64(m.formatVersion))
        string(m.district)
        string(m.schoolYear.name)
        column([m.schoolYear.start.number, m.schoolYear.end.number, m.asOf.number])
        int(UInt64(m.periods.count))
        for p in m.periods {
            strings([p.id, p.name, p.kind.rawValue])
            column([Int32(p.grades.lowerBound), Int32(p.grades.upperBound), p.start.number, p.end.number])
        }
        let g = m.generated
        strings(g.map { [$0.preset, String($0.seed), $0.edgeCases ? "1" : "0"] } ?? [])
        strings(s.schools.id)
        strings(s.schools.name)
        strings(s.schools.municipality)
        strings(s.classes.id)
        column(s.classes.school)
        column(s.classes.grade)
        strings(s.classes.letter)
        strings(s.classes.classTeacher)
        strings(s.pupils.id)
        column(s.pupils.classIndex)
        strings(s.pupils.fullName)
        strings(s.pupils.extraColumns)
        for c in s.pupils.extraValues { strings(c) }
        strings(s.subjects.values)
        strings(s.workTypes.values)
        column(s.classSubjects.classIndex)
        column(s.classSubjects.subject)
        strings(s.classSubjects.teacher)
        column(s.classSubjects.hoursPerWeek)
        column(s.marks.pupil.pupils)
        column(s.marks.pupil.ends)
        column(s.marks.subject)
        column(s.marks.day)
        column(s.marks.value)
        column(s.marks.workType)
        column(s.marks.weight.codes)
        column(s.marks.weight.table)
        column(s.periodMarks.pupil)
        column(s.periodMarks.subject)
        column(s.periodMarks.period)
        column(s.periodMarks.value)
        column(s.attendance.pupil)
        column(s.attendance.day)
        column(s.attendance.lesson)
        column(s.attendance.subject)
        column(s.attendance.code)
        strings(s.works.id)
        column(s.works.classIndex)
        column(s.works.subject)
        column(s.works.day)
        column(s.works.kind.map { UInt8(WorkKind.allCases.firstIndex(of: $0)!) })
        strings(s.works.title)
        column(s.works.maxScore)
        column(s.workResults.work)
        column(s.workResults.pupil)
        column(s.workResults.status.map { UInt8(WorkStatus.allCases.firstIndex(of: $0)!) })
        column(s.workResults.score)
        column(s.workResults.mark)
        strings(s.vprResults.pupilID)
        column(s.vprResults.pupilIndex)
        column(s.vprResults.year)
        column(s.vprResults.grade)
        column(s.vprResults.subject)
        column(s.vprResults.score)
        column(s.vprResults.maxScore)
        column(s.vprResults.mark)
        column(s.vprResults.journalMark)
        column(s.vprScales.year)
        column(s.vprScales.grade)
        column(s.vprScales.subject)
        column(s.vprScales.mark)
        column(s.vprScales.minScore)
        column(s.vprScales.maxScore)
    }
}

struct Reader {
    let raw: UnsafeRawBufferPointer
    var offset = 0
    var failed = false
    /// Whether columns' digests are compared (off only in the fuzzing harness, so that its
    /// mutations reach the decoder: what decodes must then be checked as any other cache).
    var checksDigests = true
    /// Told how far reading has got after each column, so the pages behind can be let go.
    var release: ((Int) -> Void)?
    /// Told of a range of bytes read (from any thread), so that its pages can be let go.
    var drop: ((Int, Int) -> Void)?
    /// Where the current stretch began (see `Writer`), and the hashes of those before it.
    private var stretchStart = 0
    private var stretches: [UInt64] = []

    init(_ raw: UnsafeRawBufferPointer) { self.raw = raw }

    /// The payload begins here: its checksum covers what is read from now on.
    mutating func beginPayload() {
        stretchStart = offset
        stretches = []
    }

    private mutating func endStretch() {
        stretches.append(SnapshotCache.PayloadHash.of(UnsafeRawBufferPointer(rebasing: raw[stretchStart..<offset])))
    }

    /// The payload's checksum, once all of it is read (to compare with the one written).
    mutating func payloadHash() -> UInt64 {
        endStretch()
        return SnapshotCache.PayloadHash.combine(stretches)
    }

    mutating func take(_ n: Int) -> [UInt8] {
        guard !failed, n >= 0, offset + n <= raw.count else {
            failed = true
            return []
        }
        defer { offset += n }
        return Array(raw[offset..<(offset + n)])
    }

    mutating func u32() -> UInt32 {
        guard !failed, offset + 4 <= raw.count else {
            failed = true
            return 0
        }
        defer { offset += 4 }
        return UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    mutating func int() -> UInt64 {
        guard !failed, offset + 8 <= raw.count else {
            failed = true
            return 0
        }
        defer { offset += 8 }
        return UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    mutating func string() -> String? {
        let n = Int(clamping: int())
        guard !failed, n <= raw.count - offset else {
            failed = true
            return nil
        }
        defer { offset += n }
        return String(decoding: UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + n)]), as: UTF8.self)
    }

    /// A list of texts: where each one lies is found in one pass over their lengths, then
    /// they are decoded on every core (a region's pupils' ids and names are half a million).
    mutating func strings() -> [String] {
        let n = Int(clamping: int())
        guard !failed, n <= (raw.count - offset) / 8 else {
            failed = true
            return []
        }
        var bounds: [(start: Int, end: Int)] = []
        bounds.reserveCapacity(n)
        for _ in 0..<n {
            let length = Int(clamping: int())
            guard !failed, length <= raw.count - offset else {
                failed = true
                return []
            }
            bounds.append((offset, offset + length))
            offset += length
        }
        let raw = self.raw
        return bounds.withUnsafeBufferPointer { bounds in
            [String](filling: n) { buffer in
                let pieces = Parallel.chunks(n, minimum: 4096)
                Parallel.forEach(pieces.count) { k in
                    for i in pieces[k] {
                        let text = UnsafeRawBufferPointer(rebasing: raw[bounds[i].start..<bounds[i].end])
                        (buffer.baseAddress! + i).initialize(to: String(decoding: text, as: UTF8.self))
                    }
                }
            }
        }
    }

    /// A column: its elements copied in blocks on every core, each block hashed as it is
    /// copied (while in the cache), so the payload is read once, not once to check it and
    /// again to copy it; the digest of the blocks' hashes must be the one written after them.
    mutating func column<T>(_ type: T.Type = T.self) -> [T] {
        let n = Int(clamping: int())
        let size = n.multipliedReportingOverflow(by: MemoryLayout<T>.stride)
        guard !failed, !size.overflow, size.partialValue <= raw.count - offset else {
            failed = true
            return []
        }
        endStretch()
        let from = offset
        let raw = self.raw
        let drop = self.drop
        let block = SnapshotCache.PayloadHash.block
        // An empty column is one empty block, as the writer hashes it (and nothing is copied).
        var hashes = [UInt64](
            repeating: SnapshotCache.PayloadHash.of(UnsafeRawBufferPointer(start: nil, count: 0)),
            count: Swift.max(1, (size.partialValue + block - 1) / block))
        let out = [T](filling: n) { buffer in
            let target = UnsafeMutableRawBufferPointer(buffer)
            hashes.withUnsafeMutableBufferPointer { hashes in
                Parallel.forEach(hashes.count) { k in
                    let piece = (k * block)..<Swift.min(size.partialValue, (k + 1) * block)
                    let copy = UnsafeMutableRawBufferPointer(rebasing: target[piece])
                    copy.copyMemory(
                        from: UnsafeRawBufferPointer(
                            rebasing: raw[(from + piece.lowerBound)..<(from + piece.upperBound)]))
                    hashes[k] = SnapshotCache.PayloadHash.of(UnsafeRawBufferPointer(copy))
                    drop?(from + piece.lowerBound, from + piece.upperBound)
                }
            }
        }
        offset += size.partialValue
        stretchStart = offset
        let stored = int()
        if checksDigests && stored != SnapshotCache.PayloadHash.combine(hashes) { failed = true }
        release?(offset)
        return out
    }

    mutating func decodeSnapshot() -> Snapshot? {
        let version = Int(clamping: int())
        guard let district = string(), let yearName = string() else { return nil }
        let dates: [Int32] = column()
        guard dates.count == 3 else { return nil }
        var periods: [Period] = []
        for _ in 0..<Int(clamping: int()) {
            let t = strings()
            let n: [Int32] = column()
            guard t.count == 3, n.count == 4, let kind = Period.Kind(rawValue: t[2]), n[0] <= n[1] else { return nil }
            periods.append(
                Period(
                    id: t[0], name: t[1], kind: kind, grades: Int(n[0])...Int(n[1]), start: Day(number: n[2]),
                    end: Day(number: n[3])))
        }
        let g = strings()
        guard g.isEmpty || (g.count == 3 && UInt64(g[1]) != nil) else { return nil }
        var s = Snapshot(
            manifest: Manifest(
                formatVersion: version, district: district,
                schoolYear: SchoolYear(name: yearName, start: Day(number: dates[0]), end: Day(number: dates[1])),
                asOf: Day(number: dates[2]), periods: periods,
                generated: g.isEmpty
                    ? nil : Manifest.Generated(preset: g[0], seed: UInt64(g[1])!, edgeCases: g[2] == "1")))
        s.schools.id = strings()
        s.schools.name = strings()
        s.schools.municipality = strings()
        s.classes.id = strings()
        s.classes.school = column()
        s.classes.grade = column()
        s.classes.letter = strings()
        s.classes.classTeacher = strings()
        s.pupils.id = strings()
        s.pupils.classIndex = column()
        s.pupils.fullName = strings()
        s.pupils.extraColumns = strings()
        s.pupils.extraValues = s.pupils.extraColumns.map { _ in strings() }
        s.subjects = Vocabulary(values: strings())
        s.workTypes = Vocabulary(values: strings())
        s.classSubjects.classIndex = column()
        s.classSubjects.subject = column()
        s.classSubjects.teacher = strings()
        s.classSubjects.hoursPerWeek = column()
        let runs: [Int32] = column()
        let ends: [Int32] = column()
        guard let markPupils = PupilRuns(pupils: runs, ends: ends) else {
            failed = true
            return nil
        }
        s.marks.pupil = markPupils
        s.marks.subject = column()
        s.marks.day = column()
        s.marks.value = column()
        s.marks.workType = column()
        let weightCodes: [UInt8] = column()
        let weightTable: [UInt16] = column()
        guard let weights = WeightColumn(codes: weightCodes, table: weightTable) else {
            failed = true
            return nil
        }
        s.marks.weight = weights
        s.periodMarks.pupil = column()
        s.periodMarks.subject = column()
        s.periodMarks.period = column()
        s.periodMarks.value = column()
        s.attendance.pupil = column()
        s.attendance.day = column()
        s.attendance.lesson = column()
        s.attendance.subject = column()
        s.attendance.code = column()
        s.works.id = strings()
        s.works.classIndex = column()
        s.works.subject = column()
        s.works.day = column()
        let kinds: [UInt8] = column()
        s.works.kind = kinds.map { WorkKind.allCases[min(Int($0), WorkKind.allCases.count - 1)] }
        s.works.title = strings()
        s.works.maxScore = column()
        s.workResults.work = column()
        s.workResults.pupil = column()
        let statuses: [UInt8] = column()
        s.workResults.status = statuses.map { WorkStatus.allCases[min(Int($0), WorkStatus.allCases.count - 1)] }
        s.workResults.score = column()
        s.workResults.mark = column()
        s.vprResults.pupilID = strings()
        s.vprResults.pupilIndex = column()
        s.vprResults.year = column()
        s.vprResults.grade = column()
        s.vprResults.subject = column()
        s.vprResults.score = column()
        s.vprResults.maxScore = column()
        s.vprResults.mark = column()
        s.vprResults.journalMark = column()
        s.vprScales.year = column()
        s.vprScales.grade = column()
        s.vprScales.subject = column()
        s.vprScales.mark = column()
        s.vprScales.minScore = column()
        s.vprScales.maxScore = column()
        // Whatever the digests say, a snapshot that breaks what the later stages rely on is
        // not served.
        guard !failed, s.integrityProblem == nil else {
            failed = true
            return nil
        }
        return s
    }
}
