#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams the lines of a journal's segments up to a committed offset, through one buffer that grows
/// only to hold a line longer than it.
enum JournalReader {
    /// Calls `body` with each line (without its newline) that starts at or after `start` and ends at or
    /// before `end`, and its journal-wide offset. Fails if the segments do not hold every byte from
    /// `start` to `end` or `end` is not at a line's end; `start` must be at a line's start.
    static func read(
        directory: String,
        from start: Int64 = 0,
        upTo end: Int64,
        context: String,
        bufferSize: Int,
        _ body: (UnsafeRawBufferPointer, Int64) throws -> Void
    ) throws {
        guard end > start else { return }
        var segments = try Segment.list(in: directory, context: context).filter { $0.start < end }
        if start > 0, let first = segments.lastIndex(where: { $0.start <= start }) { segments.removeFirst(first) }
        var capacity = max(bufferSize, 4096)
        var buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        var expected: Int64 = segments.first.map { min($0.start, start) } ?? 0
        for (index, segment) in segments.enumerated() {
            guard segment.start == expected else {
                throw StoreError("\(context): committed data is missing: expected a segment starting at \(expected) in \(directory), found \(segment.path)")
            }
            let segmentEnd = index + 1 < segments.count ? segments[index + 1].start : end
            var remaining = segmentEnd - segment.start
            let fd = try FileSystem.open(segment.path, O_RDONLY, context: context)
            defer { FileSystem.close(fd) }
            #if canImport(Glibc)
            _ = posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL)
            #endif
            var filled = 0
            var position = segment.start  // the offset of buffer[0]
            if start > segment.start {
                // The first segment holds data before the visible start: skip it.
                guard lseek(fd, off_t(start - segment.start), SEEK_SET) >= 0 else { throw FileSystem.failure(context, "seek", segment.path) }
                position = start
                remaining -= start - segment.start
            }
            while remaining > 0 {
                if filled == capacity {
                    // One line longer than the buffer: grow to hold it.
                    let larger = UnsafeMutableRawPointer.allocate(byteCount: capacity * 2, alignment: 16)
                    larger.copyMemory(from: buffer, byteCount: filled)
                    buffer.deallocate()
                    buffer = larger
                    capacity *= 2
                }
                let want = Int(min(Int64(capacity - filled), remaining))
                let count = FileSystem.readSome(fd, buffer + filled, want)
                if count < 0 {
                    if errno == EINTR { continue }
                    throw FileSystem.failure(context, "read", segment.path)
                }
                if count == 0 {
                    throw StoreError("\(context): committed data is missing: \(segment.path) ends at \(position - segment.start + Int64(filled)) bytes, the checkpoint needs \(segmentEnd - segment.start)")
                }
                var scan = filled
                filled += count
                remaining -= Int64(count)
                var lineStart = 0
                while scan < filled, let newline = memchr(buffer + scan, 0x0A, filled - scan) {
                    let lineEnd = buffer.distance(to: newline)
                    try body(UnsafeRawBufferPointer(start: buffer + lineStart, count: lineEnd - lineStart), position + Int64(lineStart))
                    lineStart = lineEnd + 1
                    scan = lineStart
                }
                if lineStart > 0 {
                    filled -= lineStart
                    if filled > 0 { memmove(buffer, buffer + lineStart, filled) }
                    position += Int64(lineStart)
                }
            }
            if filled > 0 {
                throw StoreError("\(context): \(segment.path) has a partial line at the committed offset \(segmentEnd)")
            }
            expected = segmentEnd
        }
        guard expected == end else {
            throw StoreError("\(context): committed data is missing: the segments in \(directory) end at \(expected), the checkpoint needs \(end)")
        }
    }
}
