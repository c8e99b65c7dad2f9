import Foundation
import MayakFiles
import ZIPFoundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The ZIP container of an XLSX workbook, read one part at a time.
///
/// ZIPFoundation finds the entries (from a temporary copy on disk: its in-memory reader traps on
/// a central directory that points past the end); their data is inflated here through ZIPFoundation's
/// `Data.decompress` with a provider bounded by the entry's compressed size. (Its own
/// `Archive.extract` keeps asking for input past the entry's end and spins forever once the
/// file is exhausted, when a crafted deflate stream never ends.) The uncompressed size is
/// counted while inflating, not taken from the header: a part that unpacks to more than
/// `limit` bytes is refused as a zip bomb.
struct XLSXPackage {
    let file: String
    let bytes: Data
    let archive: Archive
    let limit: Int
    /// The entries by path, and by lower-cased path (part names are case-insensitive).
    private var entries: [String: Entry] = [:]
    private var folded: [String: Entry] = [:]

    init(bytes: [UInt8], file: String, limit: Int) throws(ImportError) {
        self.file = file
        self.limit = limit
        self.bytes = Data(bytes)
        guard bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) || bytes.starts(with: [0x50, 0x4B, 0x05, 0x06]) else {
            throw ImportError(file, ImportText.notAZIP)
        }
        // The archive is opened from a file, never from memory: ZIPFoundation's in-memory
        // reader traps on a central directory that points past the end (found by fuzz-xlsx),
        // where reading a file past its end just gives no bytes.
        let copy = NSTemporaryDirectory() + "/" + TemporaryFiles.siblingName(of: "workbook.xlsx", "zip")
        TemporaryFiles.register(copy, folder: false)
        defer { TemporaryFiles.discard(copy) }
        do {
            try self.bytes.write(to: URL(fileURLWithPath: copy))
            archive = try Archive(url: URL(fileURLWithPath: copy), accessMode: .read)
        } catch {
            throw ImportError(file, ImportText.damagedZIP)
        }
        for entry in archive where entry.type == .file {
            let path = entry.path.hasPrefix("/") ? String(entry.path.dropFirst()) : entry.path
            if entries[path] == nil { entries[path] = entry }
            if folded[path.lowercased()] == nil { folded[path.lowercased()] = entry }
        }
    }

    func has(_ path: String) -> Bool { entry(path) != nil }

    private func entry(_ path: String) -> Entry? { entries[path] ?? folded[path.lowercased()] }

    /// The uncompressed bytes of a part; nil when the ZIP has no such part.
    func part(_ path: String) throws(ImportError) -> Data? {
        guard let entry = entry(path) else { return nil }
        let damaged = { (why: ImportText.EntryDamage) in ImportError(file, ImportText.entryDamaged(path, why)) }
        let tooLarge = ImportError(file, ImportText.entryTooLarge(path, mebibytes: limit / (1 << 20)))
        if entry.uncompressedSize > UInt64(limit) { throw tooLarge }
        guard let start = dataOffset(of: entry) else { throw damaged(.noLocalHeader) }
        guard entry.compressedSize <= UInt64(bytes.count - start) else {
            throw damaged(.pastTheEnd)
        }
        let end = start + Int(entry.compressedSize)
        var output = Data()
        var overflow = false
        do {
            if !entry.isCompressed {
                if end - start > limit { throw tooLarge }
                output = bytes.subdata(in: start..<end)
            } else {
                let chunk = 1 << 16
                var position = start
                _ = try Data.decompress(
                    size: Int64(entry.compressedSize), bufferSize: chunk, skipCRC32: true,
                    provider: { _, _ in
                        // Always a full chunk: ZIPFoundation hands zlib `bufferSize` bytes
                        // whatever the chunk's length, so the last one is padded with zeros.
                        guard position < end else { throw InflateError.pastTheEnd }
                        let count = min(chunk, end - position)
                        var data = bytes.subdata(in: position..<position + count)
                        if count < chunk { data.append(Data(count: chunk - count)) }
                        position += count
                        return data
                    },
                    consumer: { data in
                        guard output.count + data.count <= limit else {
                            overflow = true
                            throw InflateError.tooLarge
                        }
                        output.append(data)
                    })
            }
        } catch {
            if overflow { throw tooLarge }
            if case InflateError.pastTheEnd = error { throw damaged(.endsTooEarly) }
            throw damaged(.corrupt)
        }
        guard output.crc32(checksum: 0) == entry.checksum else { throw damaged(.checksum) }
        return output
    }

    private enum InflateError: Error {
        case pastTheEnd
        case tooLarge
    }

    /// Where an entry's data starts: after its local header, whose offset ZIPFoundation
    /// parsed but keeps internal (read by reflection, then checked against the bytes).
    private func dataOffset(of entry: Entry) -> Int? {
        let mirror = Mirror(reflecting: entry)
        guard let offset = mirror.descendant("centralDirectoryStructure", "relativeOffsetOfLocalHeader") as? UInt32,
            offset != .max, Int(offset) + 30 <= bytes.count
        else { return nil }
        let at = Int(offset)
        func u16(_ i: Int) -> Int { Int(bytes[at + i]) | Int(bytes[at + i + 1]) << 8 }
        guard bytes[at] == 0x50, bytes[at + 1] == 0x4B, bytes[at + 2] == 0x03, bytes[at + 3] == 0x04 else {
            return nil
        }
        let start = at + 30 + u16(26) + u16(28)
        return start <= bytes.count ? start : nil
    }
}
