#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs of documents given as consecutive lines (each followed by its newline), as the runtime hands them to a store.
enum Lines {
    /// Calls `body` with each line of `lines`, without its newline, in order (`memchr` finds each end).
    @inline(__always)
    static func forEach<E: Error>(in lines: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws(E) -> Void) throws(E) {
        guard let base = lines.baseAddress else { return }
        var start = 0
        while start < lines.count {
            let end = memchr(base + start, 0x0A, lines.count - start).map { UnsafeRawPointer($0) - base } ?? lines.count
            try body(UnsafeRawBufferPointer(start: base + start, count: end - start))
            start = end + 1
        }
    }
}
