import CFileSync
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// POSIX file operations for the local store, each failing with a ``StoreError`` that names the
/// operation's context (capture, collection), the file and the errno text.
enum FileSystem {
    /// The `strerror` text of `code`.
    static func errnoText(_ code: Int32) -> String { String(cString: strerror(code)) }

    /// An error for a failed system call: `<context>: cannot <action> <path>: <errno text>`.
    static func failure(_ context: String, _ action: String, _ path: String, _ code: Int32 = errno) -> StoreError {
        StoreError("\(context.isEmpty ? "" : context + ": ")cannot \(action) \(path): \(errnoText(code))")
    }

    /// Opens `path`, retrying on `EINTR`.
    static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o644, context: String) throws(StoreError) -> Int32 {
        while true {
            let fd = posixOpen(path, flags | O_CLOEXEC, mode)
            if fd >= 0 { return fd }
            if errno != EINTR { throw failure(context, "open", path) }
        }
    }

    /// Opens `path` if it exists: `nil` on `ENOENT`.
    static func openIfExists(_ path: String, _ flags: Int32, context: String) throws(StoreError) -> Int32? {
        while true {
            let fd = posixOpen(path, flags | O_CLOEXEC, 0)
            if fd >= 0 { return fd }
            let code = errno
            if code == ENOENT { return nil }
            if code != EINTR { throw failure(context, "open", path, code) }
        }
    }

    /// Closes `fd`, ignoring errors (used where the data was already made durable or is discarded).
    static func close(_ fd: Int32) {
        if fd >= 0 { _ = posixClose(fd) }
    }

    /// Writes all `count` bytes at `base`, retrying on `EINTR` and partial writes.
    static func writeAll(_ fd: Int32, _ base: UnsafeRawPointer, _ count: Int, path: String, context: String) throws(StoreError) {
        var done = 0
        while done < count {
            let n = posixWrite(fd, base + done, count - done)
            if n > 0 {
                done += n
            } else if n < 0 && errno == EINTR {
                continue
            } else {
                throw failure(context, "write", path, n == 0 ? EIO : errno)
            }
        }
    }

    /// Reads up to `count` bytes into `base`: the count read, 0 at the end of the file, -1 on error (`errno`).
    static func readSome(_ fd: Int32, _ base: UnsafeMutableRawPointer, _ count: Int) -> Int {
        posixRead(fd, base, count)
    }

    /// Flushes `fd`'s data and metadata to stable storage.
    static func sync(_ fd: Int32, path: String, context: String) throws(StoreError) {
        while posixFsync(fd) != 0 {
            if errno != EINTR { throw failure(context, "fsync", path) }
        }
    }

    /// Asks the kernel to start writing `count` bytes of `fd` from `offset` to disk, without waiting: a hint
    /// that makes a later fsync shorter (Linux `sync_file_range`, through `CFileSync`; nothing elsewhere). Durability still comes
    /// from ``sync(_:path:context:)`` alone, which also reports any write error, so failures are ignored here.
    static func startWriteback(_ fd: Int32, from offset: Int64, count: Int64) {
        _ = capstan_start_writeback(fd, offset, count)
    }

    /// Makes the entries of directory `path` (creations, renames, removals) durable.
    static func syncDirectory(_ path: String, context: String) throws(StoreError) {
        let fd = try open(path, O_RDONLY | O_DIRECTORY, context: context)
        defer { close(fd) }
        try sync(fd, path: path, context: context)
    }

    /// Whether `path` exists (as anything).
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Creates directory `path` and its missing ancestors, making each creation durable (the new
    /// directory and its parent are fsynced).
    static func ensureDirectory(_ path: String, context: String) throws(StoreError) {
        var info = stat()
        if stat(path, &info) == 0 {
            if info.st_mode & S_IFMT == S_IFDIR { return }
            throw StoreError("\(context.isEmpty ? "" : context + ": ")\(path) exists and is not a directory")
        }
        let parent = parentDirectory(path)
        if parent != path { try ensureDirectory(parent, context: context) }
        if mkdir(path, 0o755) != 0 {
            let code = errno
            if code == EEXIST, stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR { return }
            throw failure(context, "create directory", path, code)
        }
        try syncDirectory(path, context: context)
        try syncDirectory(parent, context: context)
    }

    /// The directory holding `path` (`.` for a bare name).
    static func parentDirectory(_ path: String) -> String {
        var bytes = Array(path.utf8)
        while bytes.count > 1 && bytes.last == UInt8(ascii: "/") { bytes.removeLast() }
        guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return "." }
        if slash == 0 { return "/" }
        return String(decoding: bytes[..<slash], as: UTF8.self)
    }

    /// The names in directory `path` (without `.` and `..`), or `nil` if it does not exist.
    static func list(_ path: String, context: String) throws(StoreError) -> [String]? {
        guard let dir = opendir(path) else {
            if errno == ENOENT { return nil }
            throw failure(context, "list directory", path)
        }
        defer { closedir(dir) }
        var names: [String] = []
        while true {
            errno = 0
            guard let entry = readdir(dir) else {
                if errno != 0 { throw failure(context, "list directory", path) }
                break
            }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// The whole content of `path`, or `nil` if it does not exist.
    static func readFile(_ path: String, context: String) throws(StoreError) -> [UInt8]? {
        guard let fd = try openIfExists(path, O_RDONLY, context: context) else { return nil }
        defer { close(fd) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { posixRead(fd, $0.baseAddress!, $0.count) }
            if n > 0 {
                result.append(contentsOf: chunk[0..<n])
            } else if n == 0 {
                return result
            } else if errno != EINTR {
                throw failure(context, "read", path)
            }
        }
    }

    /// Replaces `path` with `bytes` atomically and durably: writes `<path>.tmp`, fsyncs it, renames
    /// it over `path` and fsyncs the directory. The caller holds whatever lock makes the temporary
    /// name its own.
    static func replaceFile(_ path: String, with bytes: [UInt8], context: String) throws(StoreError) {
        let temporary = path + ".tmp"
        let fd = try open(temporary, O_WRONLY | O_CREAT | O_TRUNC, context: context)
        defer { close(fd) }
        if !bytes.isEmpty { try writeAll(fd, bytes, bytes.count, path: temporary, context: context) }
        try sync(fd, path: temporary, context: context)
        if rename(temporary, path) != 0 { throw failure(context, "rename \(temporary) to", path) }
        try syncDirectory(parentDirectory(path), context: context)
    }

    /// The size of the file open as `fd`.
    static func size(_ fd: Int32, path: String, context: String) throws(StoreError) -> Int64 {
        var info = stat()
        if fstat(fd, &info) != 0 { throw failure(context, "stat", path) }
        return Int64(info.st_size)
    }

    /// The size of the file at `path`.
    static func size(_ path: String, context: String) throws(StoreError) -> Int64 {
        var info = stat()
        if stat(path, &info) != 0 { throw failure(context, "stat", path) }
        return Int64(info.st_size)
    }

    /// Truncates the file at `path` to `length` bytes.
    static func truncate(_ path: String, to length: Int64, context: String) throws(StoreError) {
        while posixTruncate(path, off_t(length)) != 0 {
            if errno != EINTR { throw failure(context, "truncate", path) }
        }
    }

    /// Removes the file at `path`; a missing file is fine.
    static func remove(_ path: String, context: String) throws(StoreError) {
        if unlink(path) != 0 && errno != ENOENT { throw failure(context, "remove", path) }
    }
}

// The C functions under names that the static methods above do not shadow.
import CFileSync
#if canImport(Glibc)
@inline(__always) private func posixOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 { Glibc.open(path, flags, mode) }
@inline(__always) private func posixClose(_ fd: Int32) -> Int32 { Glibc.close(fd) }
@inline(__always) private func posixWrite(_ fd: Int32, _ base: UnsafeRawPointer, _ count: Int) -> Int { Glibc.write(fd, base, count) }
@inline(__always) private func posixRead(_ fd: Int32, _ base: UnsafeMutableRawPointer, _ count: Int) -> Int { Glibc.read(fd, base, count) }
@inline(__always) private func posixFsync(_ fd: Int32) -> Int32 { Glibc.fsync(fd) }
@inline(__always) private func posixTruncate(_ path: String, _ length: off_t) -> Int32 { Glibc.truncate(path, length) }
#elseif canImport(Darwin)
@inline(__always) private func posixOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 { Darwin.open(path, flags, mode) }
@inline(__always) private func posixClose(_ fd: Int32) -> Int32 { Darwin.close(fd) }
@inline(__always) private func posixWrite(_ fd: Int32, _ base: UnsafeRawPointer, _ count: Int) -> Int { Darwin.write(fd, base, count) }
@inline(__always) private func posixRead(_ fd: Int32, _ base: UnsafeMutableRawPointer, _ count: Int) -> Int { Darwin.read(fd, base, count) }
@inline(__always) private func posixFsync(_ fd: Int32) -> Int32 { Darwin.fsync(fd) }
@inline(__always) private func posixTruncate(_ path: String, _ length: off_t) -> Int32 { Darwin.truncate(path, length) }
#endif
