import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a path names, read without following a final symlink.
enum PathKind: Equatable {
    case missing
    case regular
    case folder
    case symlink
    case characterDevice
    case blockDevice
    case fifo
    case socket

    init(_ path: String) throws {
        var st = stat()
        if lstat(path, &st) != 0 {
            if errno == ENOENT {
                self = .missing
                return
            }
            throw FileError("unreadable-path", path: path, String(cString: strerror(errno)))
        }
        switch st.st_mode & S_IFMT {
        case S_IFREG: self = .regular
        case S_IFDIR: self = .folder
        case S_IFLNK: self = .symlink
        case S_IFCHR: self = .characterDevice
        case S_IFBLK: self = .blockDevice
        case S_IFIFO: self = .fifo
        default: self = .socket
        }
    }
}

enum Paths {
    /// The limit on symlinks followed in a row (as the kernel's ELOOP).
    static let symlinkLimit = 40

    /// `path` without trailing slashes (but `/` stays `/`).
    static func trimmed(_ path: String) -> String {
        var p = Substring(path)
        while p.count > 1, p.hasSuffix("/") { p = p.dropLast() }
        return String(p)
    }

    /// The folder part of `path`, as written (`.` for a bare name, `/` at the root); no
    /// normalisation, so that the kernel resolves `..` after symlinks, as it does for `path`.
    static func parent(_ path: String) -> String {
        let p = trimmed(path)
        guard let slash = p.lastIndex(of: "/") else { return "." }
        return slash == p.startIndex ? "/" : String(p[..<slash])
    }

    /// The last part of `path`, as written.
    static func name(_ path: String) -> String {
        let p = trimmed(path)
        guard let slash = p.lastIndex(of: "/") else { return p }
        return String(p[p.index(after: slash)...])
    }

    static func join(_ folder: String, _ name: String) -> String {
        folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }

    /// Follows `path` while it is a symlink; returns the path it ends at (which may be missing:
    /// a dangling symlink names the file to create). A loop is an error.
    static func followingSymlinks(_ path: String, shown: String) throws -> String {
        var current = path
        for _ in 0..<symlinkLimit {
            guard try PathKind(current) == .symlink else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = readlink(current, &buffer, buffer.count - 1)
            guard n >= 0 else { throw FileError("unreadable-path", path: shown, String(cString: strerror(errno))) }
            let target = String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = target.hasPrefix("/") ? target : join(real(parent(current)), target)
        }
        throw FileError("symlink-loop", path: shown, "too many levels of symbolic links (a loop?)")
    }

    /// The real, absolute path of `path` with every symlink resolved, for the part of it that
    /// exists; the missing rest is appended as written (`.` and `..` in it taken out).
    static func real(_ path: String) -> String {
        let p = path.isEmpty ? "." : path
        if let r = realpath(p, nil) {
            defer { free(r) }
            return String(cString: r)
        }
        let last = name(p)
        let up = parent(p)
        if up == p { return "/" }
        let base = real(up)
        switch last {
        case "", ".": return base
        case "..": return base == "/" ? "/" : parent(base)
        default: return join(base, last)
        }
    }

    /// Whether `ancestor` is `path` or a folder above it (both real, absolute paths).
    static func contains(_ ancestor: String, _ path: String) -> Bool {
        ancestor == "/" || path == ancestor || path.hasPrefix(ancestor + "/")
    }
}
