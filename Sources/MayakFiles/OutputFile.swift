import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One output file named by the user (`--out PATH`), written so that nothing Mayak does not
/// own is destroyed and nothing is left half-written:
///
/// | `PATH` names             | written                                                     |
/// |--------------------------|-------------------------------------------------------------|
/// | `-`                      | to standard output                                          |
/// | nothing, or a file       | to a hidden temporary file beside it, renamed over it once  |
/// |                          | complete (readers see the old file or the new one)          |
/// | a symlink                | as what it points to (the symlink stays)                    |
/// | a character device, FIFO | through it, directly (`/dev/null`, `/dev/stdout`, a pipe)   |
/// | a folder, a disk device, | refused                                                     |
/// | a socket, a symlink loop |                                                             |
///
/// The temporary file is registered with `TemporaryFiles`, so it is removed on a failure and
/// when the run is stopped by a signal.
public final class OutputFile {
    enum Target {
        case standardOutput
        case direct
        case atomic(final: String, temporary: String)
    }

    /// The path as the user gave it, for messages.
    public let shown: String
    let target: Target
    private var fd: Int32
    private var buffer: [UInt8] = []
    private static let flushAt = 1 << 22

    /// Opens `path` for writing as the table above says; throws a `FileError` naming the path
    /// when it is refused or cannot be opened.
    public init(_ path: String) throws {
        shown = path
        if path == "-" {
            target = .standardOutput
            fd = STDOUT_FILENO
            return
        }
        guard !path.isEmpty else { throw FileError("empty-path", path: path, "an empty file name") }
        let resolved = try Paths.followingSymlinks(path, shown: path)
        switch try PathKind(resolved) {
        case .characterDevice, .fifo:
            fd = open(resolved, O_WRONLY | O_NOCTTY | O_CLOEXEC)
            guard fd >= 0 else { throw FileError("cannot-open", path: path, String(cString: strerror(errno))) }
            target = .direct
        case .missing, .regular:
            let folder = Paths.parent(resolved)
            guard try PathKind(Paths.followingSymlinks(folder, shown: folder)) == .folder else {
                throw FileError("no-folder", path: path, "no such folder: \(folder)")
            }
            var existing = stat()
            let replacing = stat(resolved, &existing) == 0
            let temporary = Paths.join(folder, TemporaryFiles.siblingName(of: Paths.name(resolved), "tmp"))
            fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            guard fd >= 0 else { throw FileError("cannot-create", path: path, String(cString: strerror(errno))) }
            TemporaryFiles.register(temporary, folder: false)
            // The new file keeps the permissions of the one it replaces.
            if replacing { fchmod(fd, existing.st_mode & 0o7777) }
            target = .atomic(final: resolved, temporary: temporary)
        case .folder:
            throw FileError("is-a-folder", path: path, "is a folder; give the name of a file to write")
        case .blockDevice:
            throw FileError("is-a-device", path: path, "is a disk device; Mayak writes only files, pipes and terminals")
        case .socket, .symlink:
            throw FileError("not-a-file", path: path, "is not a file Mayak can write")
        }
    }

    deinit {
        if fd >= 0 { discard() }
    }

    /// Appends bytes (buffered).
    public func write(_ bytes: some Sequence<UInt8>) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= OutputFile.flushAt { try flush() }
    }

    public func write(_ text: String) throws { try write(text.utf8) }

    private func flush() throws {
        try buffer.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = systemWrite(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    if errno == EPIPE { throw FileError("broken-pipe", path: shown, "the reader closed the pipe") }
                    throw FileError("write-failed", path: shown, String(cString: strerror(errno)))
                }
                offset += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is buffered and puts the file in place (renames the temporary file over the
    /// target); after an error nothing is left behind.
    public func commit() throws {
        do { try flush() } catch {
            discard()
            throw error
        }
        switch target {
        case .standardOutput:
            fd = -1
        case .direct:
            close(fd)
            fd = -1
        case .atomic(let final, let temporary):
            let synced = fsync(fd) == 0 || errno == EINVAL
            let closed = close(fd) == 0
            fd = -1
            guard synced, closed else {
                let reason = String(cString: strerror(errno))
                TemporaryFiles.discard(temporary)
                throw FileError("write-failed", path: shown, reason)
            }
            // rename(2) replaces the target atomically: readers see the old file or the new one.
            let failure: Int32? = TemporaryFiles.settle(temporary) { rename(temporary, final) == 0 ? nil : errno }
            if let failure {
                unlink(temporary)
                throw FileError("cannot-replace", path: shown, String(cString: strerror(failure)))
            }
        }
    }

    /// Abandons the output: the temporary file is removed, the target left as it was.
    public func discard() {
        buffer.removeAll()
        switch target {
        case .standardOutput: break
        case .direct: if fd >= 0 { close(fd) }
        case .atomic(_, let temporary):
            if fd >= 0 { close(fd) }
            TemporaryFiles.discard(temporary)
        }
        fd = -1
    }
}

extension OutputFile {
    /// Writes what `produce` hands its `emit`, then commits: the output is complete, or (on
    /// any error) discarded.
    public func complete(_ produce: (_ emit: (String) throws -> Void) throws -> Void) throws {
        do {
            try produce { try write($0) }
            try commit()
        } catch {
            discard()
            throw error
        }
    }
}

@inline(__always) private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
        return Glibc.write(fd, bytes, count)
    #else
        return Darwin.write(fd, bytes, count)
    #endif
}
