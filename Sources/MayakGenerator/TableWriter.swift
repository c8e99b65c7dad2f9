import MayakFiles

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes one CSV table in large blocks. Text goes in as prepared UTF-8 bytes so that the
/// hot loops (marks, attendance) never build a `String` per row.
final class TableWriter {
    let path: String
    /// The file written, or nil when the table goes to `output`.
    private let fd: Int32
    private let output: OutputFile?
    private var buffer: [UInt8] = []
    private let flushAt = 1 << 20
    private(set) var bytesWritten = 0
    private(set) var rows = 0
    private var failure: Int32 = 0
    /// Fields every row ends with (the truth file's `seed,as_of`), after a comma.
    private let suffix: [UInt8]

    /// A table file Mayak creates (in its own staging folder).
    init(path: String, header: [String]) throws {
        self.path = path
        output = nil
        suffix = []
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { throw GeneratorError(GeneratorText.cannotCreate(path, GeneratorText.system(errno))) }
        start(header)
    }

    /// A table written to what the user named (committed by the caller); `constant` names
    /// and values of columns every row ends with.
    init(output: OutputFile, header: [String], constant: [(name: String, value: String)] = []) {
        path = output.shown
        self.output = output
        suffix = Array(constant.map { "," + $0.value }.joined().utf8)
        fd = -1
        start(header + constant.map(\.name))
    }

    private func start(_ header: [String]) {
        buffer.reserveCapacity(flushAt + 4096)
        for (i, name) in header.enumerated() {
            if i > 0 { buffer.append(UInt8(ascii: ",")) }
            buffer.append(contentsOf: name.utf8)
        }
        buffer.append(0x0A)
    }

    deinit { if fd >= 0 { close(fd) } }

    @inline(__always) func bytes(_ b: [UInt8]) { buffer.append(contentsOf: b) }
    @inline(__always) func comma() { buffer.append(UInt8(ascii: ",")) }
    @inline(__always) func byte(_ b: UInt8) { buffer.append(b) }

    /// A text field, quoted when it holds a comma, a quote or a line break.
    func text(_ s: String) {
        if s.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A }) {
            buffer.append(UInt8(ascii: "\""))
            for b in s.utf8 {
                if b == UInt8(ascii: "\"") { buffer.append(b) }
                buffer.append(b)
            }
            buffer.append(UInt8(ascii: "\""))
        } else {
            buffer.append(contentsOf: s.utf8)
        }
    }

    func int(_ v: Int) {
        if v >= 0 && v < 10 {
            buffer.append(UInt8(v) + 0x30)
            return
        }
        buffer.append(contentsOf: String(v).utf8)
    }

    /// Ends a row; flushes when the block is full.
    @inline(__always) func endRow() throws {
        if !suffix.isEmpty { buffer.append(contentsOf: suffix) }
        buffer.append(0x0A)
        rows += 1
        if buffer.count >= flushAt { try flush() }
    }

    func flush() throws {
        if let output {
            do { try output.write(buffer) } catch { throw GeneratorError(GeneratorText.cannotWrite("\(error)")) }
            bytesWritten += buffer.count
            buffer.removeAll(keepingCapacity: true)
            return
        }
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n <= 0 { throw GeneratorError(GeneratorText.cannotWrite(path, GeneratorText.system(errno))) }
            offset += n
        }
        bytesWritten += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }
}

public struct GeneratorError: Error, CustomStringConvertible {
    public var description: String
    init(_ d: String) { description = d }
}

/// Frequently written values, prepared once as UTF-8.
struct Bytes {
    static func of(_ s: String) -> [UInt8] { Array(s.utf8) }
    static func quoted(_ s: String) -> [UInt8] {
        s.utf8.contains(UInt8(ascii: ",")) ? Array("\"\(s)\"".utf8) : Array(s.utf8)
    }
}
