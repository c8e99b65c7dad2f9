#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reading a file Mayak is given (a table, a manifest, a rule file): what stands at its path,
/// found by `stat` before anything opens it, and a bounded read.
///
/// A FIFO, a device or a directory in place of a table is refused by name without being
/// opened for reading (opening a FIFO blocks until a writer comes; reading a device may never
/// end). A symbolic link is followed; one that leads nowhere, or into a loop, is an error
/// rather than an absent file — an optional table that is a broken link is a broken export.
public enum InputFile {
    public enum Status: Equatable, Sendable {
        case regular(size: Int)
        /// Nothing at the path (not even a link).
        case absent
        /// A problem with what is at the path: the diagnostic's message.
        case refused(String)
    }

    public static func status(of path: String) -> Status {
        var st = stat()
        if stat(path, &st) == 0 {
            switch st.st_mode & S_IFMT {
            case S_IFREG: return .regular(size: Int(st.st_size))
            case S_IFDIR: return .refused("is a directory, not a regular file; it is not read")
            case S_IFIFO: return .refused("is a named pipe (FIFO), not a regular file; it is not read")
            case S_IFCHR, S_IFBLK: return .refused("is a device, not a regular file; it is not read")
            case S_IFSOCK: return .refused("is a socket, not a regular file; it is not read")
            default: return .refused("is not a regular file; it is not read")
            }
        }
        let reason = errno
        var link = stat()
        let isLink = lstat(path, &link) == 0 && link.st_mode & S_IFMT == S_IFLNK
        switch reason {
        case ENOENT where isLink:
            return .refused("is a symbolic link to '\(linkTarget(path))', which does not exist")
        case ENOENT, ENOTDIR:
            return .absent
        case ELOOP:
            return .refused("is a symbolic link that leads into a loop of links")
        default:
            return .refused("cannot be examined: \(String(cString: strerror(reason)))")
        }
    }

    /// Where a symbolic link points, as written in it.
    public static func linkTarget(_ path: String) -> String {
        var buffer = [CChar](repeating: 0, count: 4097)
        let n = readlink(path, &buffer, 4096)
        guard n >= 0 else { return "?" }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Opens a regular file for reading without ever blocking: `O_NONBLOCK`, so that a FIFO
    /// put in place between the `stat` and the `open` does not hang the load, then checked
    /// again on the open descriptor. Returns the descriptor, or the reason it was refused.
    public static func openRegular(_ path: String) -> Result<Int32, Refusal> {
        if case .refused(let why) = status(of: path) { return .failure(Refusal(message: why)) }
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            return .failure(Refusal(message: "cannot open the file: \(String(cString: strerror(errno)))"))
        }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            return .failure(Refusal(message: "is not a regular file; it is not read"))
        }
        return .success(fd)
    }

    public struct Refusal: Error, Sendable { public var message: String }

    /// Why a bounded read gave no bytes.
    public enum ReadProblem: Error, Equatable, Sendable {
        /// Nothing at the path.
        case absent
        /// Not a regular file, a broken link, or not readable: the reason.
        case refused(String)
        /// Longer than the bound (the size, as far as it was read).
        case tooLarge(Int)
    }

    /// The whole of a small regular file, at most `maxBytes` long: a pipe or a device is
    /// refused (never waited on, never read without end), and a file that grows past the
    /// bound while it is read is refused too.
    public static func contents(of path: String, atMost maxBytes: Int) -> Result<[UInt8], ReadProblem> {
        let expected: Int
        switch status(of: path) {
        case .absent: return .failure(.absent)
        case .refused(let why): return .failure(.refused(why))
        case .regular(let size) where size > maxBytes: return .failure(.tooLarge(size))
        case .regular(let size): expected = size
        }
        let fd: Int32
        switch openRegular(path) {
        case .success(let d): fd = d
        case .failure(let refusal): return .failure(.refused(refusal.message))
        }
        defer { close(fd) }
        // The size the file has now, and one byte more to see that it ends there; a file that
        // grows while it is read is read on, up to one byte past the bound.
        var bytes = [UInt8](repeating: 0, count: min(expected, maxBytes) + 1)
        var got = 0
        while got < maxBytes + 1 {
            if got == bytes.count {
                bytes += repeatElement(0, count: min(bytes.count, maxBytes + 1 - bytes.count))
            }
            let n = bytes.withUnsafeMutableBytes { b in
                b.baseAddress.map { readBytes(fd, $0 + got, b.count - got) } ?? 0
            }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return .failure(.refused("cannot be read: \(String(cString: strerror(errno)))")) }
            if n == 0 { break }
            got += n
        }
        guard got <= maxBytes else { return .failure(.tooLarge(got)) }
        bytes.removeLast(bytes.count - got)
        return .success(bytes)
    }

    /// `read(2)`, for callers whose own `read` hides it.
    public static func readBytes(_ fd: Int32, _ into: UnsafeMutableRawPointer, _ count: Int) -> Int {
        read(fd, into, count)
    }
}
