/// Rows of a table grouped by their owner (a pupil), each group in order of two keys.
public enum Grouping {
    /// A counting sort by group (stable), then each group's rows ordered by (`first`,
    /// `second`, row). Rows whose group is negative are left out. Exports usually list rows
    /// pupil by pupil, and a pupil's marks subject by subject in date order: groups are
    /// checked (on every core) before anything is sorted.
    ///
    /// Returns the rows in that order and, for each group `g`, where its rows start
    /// (`start[g]..<start[g + 1]`).
    public static func group(groups: Int, key: [Int32], _ first: [Int32], _ second: [Int32]) -> (
        rows: [Int32], start: [Int32]
    ) {
        // A concrete entry point: called from other modules, the generic one would run unspecialized.
        grouped(groups: groups, key: key, first, second)
    }

    static func grouped<First: FixedWidthInteger, Second: FixedWidthInteger>(
        groups: Int, key: [Int32], _ first: [First], _ second: [Second]
    ) -> (rows: [Int32], start: [Int32]) {
        var start = [Int32](repeating: 0, count: groups + 1)
        var grouped = true
        var last: Int32 = -1
        for k in key {
            if k >= 0 { start[Int(k) + 1] += 1 }
            if k < last || k < 0 { grouped = false }
            last = k
        }
        for g in 0..<groups { start[g + 1] += start[g] }
        var rows: [Int32]
        if grouped {
            rows = (0..<Int32(key.count)).map { $0 }
        } else {
            var fill = start
            rows = [Int32](repeating: 0, count: Int(start[groups]))
            for (i, k) in key.enumerated() where k >= 0 {
                rows[Int(fill[Int(k)])] = Int32(i)
                fill[Int(k)] += 1
            }
        }
        let chunks = max(1, min(64, groups / 256))
        let bounds = start
        first.withUnsafeBufferPointer { first in
            second.withUnsafeBufferPointer { second in
                rows.withUnsafeMutableBufferPointer { rows in
                    // Each iteration orders its own groups' rows.
                    Parallel.forEach(chunks) { c in
                        for g in (groups * c / chunks)..<(groups * (c + 1) / chunks) {
                            order(rows, Int(bounds[g]), Int(bounds[g + 1]), first, second)
                        }
                    }
                }
            }
        }
        return (rows, start)
    }

    /// Puts `rows[lo..<hi]` in order of (`first`, `second`, row). False when they already were.
    @discardableResult
    static func order<First: FixedWidthInteger, Second: FixedWidthInteger>(
        _ rows: UnsafeMutableBufferPointer<Int32>, _ lo: Int, _ hi: Int,
        _ first: UnsafeBufferPointer<First>, _ second: UnsafeBufferPointer<Second>
    ) -> Bool {
        guard hi - lo > 1 else { return false }
        func before(_ a: Int32, _ b: Int32) -> Bool {
            let (fa, fb) = (first[Int(a)], first[Int(b)])
            if fa != fb { return fa < fb }
            let (sa, sb) = (second[Int(a)], second[Int(b)])
            return sa != sb ? sa < sb : a < b
        }
        var sorted = true
        for i in lo..<(hi - 1) where !before(rows[i], rows[i + 1]) {
            sorted = false
            break
        }
        if sorted { return false }
        if !reorderRuns(rows, lo, hi, first, before) {
            var part = UnsafeMutableBufferPointer(rebasing: rows[lo..<hi])
            part.sort(by: before)
        }
        return true
    }

    /// A pupil's marks listed subject by subject (each subject's in date order) but with the
    /// subjects in another order than their codes: the runs are put in order whole. False
    /// when the rows are not such runs.
    static func reorderRuns<First: FixedWidthInteger>(
        _ rows: UnsafeMutableBufferPointer<Int32>, _ lo: Int, _ hi: Int, _ first: UnsafeBufferPointer<First>,
        _ before: (Int32, Int32) -> Bool
    ) -> Bool {
        var runs: [Range<Int>] = []
        var start = lo
        for i in (lo + 1)...hi where i == hi || first[Int(rows[i])] != first[Int(rows[i - 1])] {
            // Within a run, rows must already be in order.
            for j in start..<(i - 1) where !before(rows[j], rows[j + 1]) { return false }
            runs.append(start..<i)
            start = i
        }
        runs.sort { first[Int(rows[$0.lowerBound])] < first[Int(rows[$1.lowerBound])] }
        for k in 1..<max(1, runs.count)
        where first[Int(rows[runs[k].lowerBound])] == first[Int(rows[runs[k - 1].lowerBound])] {
            return false  // a subject in two runs
        }
        let reordered = runs.flatMap { rows[$0] }
        for (i, r) in reordered.enumerated() { rows[lo + i] = r }
        return true
    }
}

extension MarkTable {
    /// Where each pupil's marks start (`start[p]..<start[p + 1]`), when the rows are in the
    /// order the engine reads them: by pupil, then subject, then day. Nil when they are not
    /// (or a row names no pupil of `0..<pupils`). Checked on every core.
    public func starts(pupils: Int) -> [Int32]? {
        guard let start = runStarts(pupils: pupils), runsInOrder() else { return nil }
        return start
    }

    /// Whether each run's rows are in order of subject, then day.
    func runsInOrder() -> Bool {
        let ranges = Parallel.chunks(pupil.pupils.count, minimum: 256)
        return subject.withUnsafeBufferPointer { subject in
            day.withUnsafeBufferPointer { day in
                Parallel.collect(ranges.count) { c -> Bool in
                    for r in ranges[c] {
                        let rows = pupil.rows(ofRun: r)
                        for i in rows.dropFirst() where (subject[i], day[i]) < (subject[i - 1], day[i - 1]) {
                            return false
                        }
                    }
                    return true
                }.allSatisfy { $0 }
            }
        }
    }

    /// Where each pupil's rows start, when the rows come pupil by pupil (each pupil in one
    /// run, in order of pupils); nil when they do not.
    func runStarts(pupils: Int) -> [Int32]? {
        guard count < Int(Int32.max) else { return nil }
        var start = [Int32](repeating: Int32(count), count: pupils + 1)
        var previous: Int32 = -1
        for r in pupil.pupils.indices {
            let p = pupil.pupils[r]
            guard p > previous, Int(p) < pupils else { return nil }
            start[Int(p)] = Int32(pupil.rows(ofRun: r).lowerBound)
            previous = p
        }
        for p in stride(from: pupils - 1, through: 0, by: -1) where start[p] > start[p + 1] { start[p] = start[p + 1] }
        return start
    }

    /// The rows put in the engine's order (by pupil, subject, day; rows that tie keep their
    /// order), so that each pupil's and each subject's marks are contiguous. Every row must
    /// name a pupil of `0..<pupils`.
    public mutating func putInOrder(pupils: Int) {
        precondition(pupil.pupils.allSatisfy { $0 >= 0 && Int($0) < pupils }, "a mark names no pupil of the snapshot")
        if let start = runStarts(pupils: pupils) {
            guard !runsInOrder() else { return }
            // Each pupil's rows are already together: ordered and moved within their own
            // range, on every core, with no new columns.
            let ranges = Parallel.chunks(pupils, minimum: 256)
            subject.withUnsafeMutableBufferPointer { c1 in
                day.withUnsafeMutableBufferPointer { c2 in
                    value.withUnsafeMutableBufferPointer { c3 in
                        workType.withUnsafeMutableBufferPointer { c4 in
                            weight.codes.withUnsafeMutableBufferPointer { c5 in
                                // A pupil's keys are read before its own range is moved, never another's.
                                let subjects = UnsafeBufferPointer(c1)
                                let days = UnsafeBufferPointer(c2)
                                Parallel.forEach(ranges.count) { c in
                                    var rows: [Int32] = []
                                    var s1: [UInt16] = []
                                    var s3: [UInt8] = []
                                    for p in ranges[c] {
                                        let lo = Int(start[p])
                                        let hi = Int(start[p + 1])
                                        rows.removeAll(keepingCapacity: true)
                                        rows.append(contentsOf: Int32(lo)..<Int32(hi))
                                        let moved = rows.withUnsafeMutableBufferPointer {
                                            Grouping.order($0, 0, hi - lo, subjects, days)
                                        }
                                        guard moved else { continue }
                                        rows.withUnsafeBufferPointer { rows in
                                            rows.permute(c1, lo, &s1)
                                            rows.permute(c2, lo, &s1)
                                            rows.permute(c3, lo, &s3)
                                            rows.permute(c4, lo, &s1)
                                            rows.permute(c5, lo, &s3)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            return
        }
        let pupilRows = pupil.rows
        let rows = Grouping.grouped(groups: pupils, key: pupilRows, subject, day).rows
        pupil = PupilRuns(rows.gathering(pupilRows))
        // Column by column, so that only one extra column is alive at a time.
        subject = rows.gathering(subject)
        day = rows.gathering(day)
        value = rows.gathering(value)
        workType = rows.gathering(workType)
        weight.codes = rows.gathering(weight.codes)
    }
}

extension UnsafeBufferPointer where Element == Int32 {
    /// `column[lo..<lo + count]` rearranged to `column[self[i]]`, where every `self[i]` lies in
    /// that range.
    func permute<T>(_ column: UnsafeMutableBufferPointer<T>, _ lo: Int, _ scratch: inout [T]) {
        scratch.removeAll(keepingCapacity: true)
        for i in indices { scratch.append(column[Int(self[i])]) }
        for i in indices { column[lo + i] = scratch[i] }
    }
}

extension Array where Element == Int32 {
    /// `column[row]` for each row of `self`, on every core.
    func gathering<T>(_ column: [T]) -> [T] {
        let ranges = Parallel.chunks(count, minimum: 1 << 16)
        return [T](filling: count) { out in
            withUnsafeBufferPointer { rows in
                column.withUnsafeBufferPointer { column in
                    Parallel.forEach(ranges.count) { c in
                        for i in ranges[c] { (out.baseAddress! + i).initialize(to: column[Int(rows[i])]) }
                    }
                }
            }
        }
    }
}
