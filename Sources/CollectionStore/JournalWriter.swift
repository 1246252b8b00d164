#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Appends lines to one journal's segments through a bounded buffer, for the capture that claims it.
///
/// Offsets are journal-wide: `committed` is where the last commit ended, `end` where the appended
/// (written or buffered) data ends. Appends go to the last segment until it would grow past the
/// segment limit, then to a new segment named by its start offset. Not thread-safe: the open
/// transaction of the owning ``CaptureWriter`` drives it.
final class JournalWriter {
    let id: JournalID
    let directory: String
    /// `capture "c", collection "x"`, for messages.
    let context: String
    let segmentLimit: Int64
    let bufferCapacity: Int

    /// Where the committed data ends.
    private(set) var committed: Int64 = 0
    /// Where the appended data (written or buffered) ends.
    private(set) var end: Int64 = 0
    /// Whether anything was appended since the last commit or recovery.
    private(set) var touched = false

    /// The current (last) segment: its start, its length including buffered bytes, its descriptor (-1: not open).
    private var segmentStart: Int64 = 0
    private var segmentBytes: Int64 = 0
    private var fd: Int32 = -1
    private var segmentPath = ""
    /// The write buffer, allocated at the first append of a transaction and freed at its end.
    private var buffer: UnsafeMutableRawPointer?
    private var buffered = 0
    /// Where in the current segment writeback was last started (``FileSystem/startWriteback(_:from:count:)``).
    private var writebackFrom: Int64 = 0
    /// Whether the directory is known to exist, and whether it has entries not yet fsynced.
    private var directoryExists = false
    private var directoryDirty = false

    init(id: JournalID, root: String, context: String, segmentLimit: Int64, bufferCapacity: Int) {
        self.id = id
        directory = id.directory(root: root)
        self.context = context
        self.segmentLimit = segmentLimit
        self.bufferCapacity = bufferCapacity
    }

    deinit {
        FileSystem.close(fd)
        buffer?.deallocate()
    }

    /// Makes the files hold exactly the data up to `offset`: deletes segments starting at or past it
    /// and truncates the one holding it. Anything buffered is dropped.
    func recover(to offset: Int64) throws(StoreError) {
        closeSegment()
        releaseBuffer()
        touched = false
        let segments = try Segment.list(in: directory, context: context)
        directoryExists = !segments.isEmpty || FileSystem.exists(directory)
        var last: Segment?
        var removed = false
        for segment in segments {
            if segment.start >= offset {
                try FileSystem.remove(segment.path, context: context)
                removed = true
            } else {
                last = segment
            }
        }
        if let last {
            let size = try FileSystem.size(last.path, context: context)
            let wanted = offset - last.start
            if size < wanted {
                throw StoreError("\(context): committed data is missing: \(last.path) has \(size) bytes, the checkpoint needs \(wanted)")
            }
            if size > wanted { try FileSystem.truncate(last.path, to: wanted, context: context) }
            segmentStart = last.start
            segmentBytes = wanted
        } else {
            if offset > 0 {
                throw StoreError("\(context): committed data is missing: no segment in \(directory) (the checkpoint needs \(offset) bytes)")
            }
            segmentStart = 0
            segmentBytes = 0
        }
        if removed { try FileSystem.syncDirectory(directory, context: context) }
        committed = offset
        end = offset
    }

    /// Appends `document` and a newline; returns the error if that failed (a result rather than a
    /// throw, so that callers can reach it through `Unmanaged` without retaining the writer).
    @inline(__always)
    func append(_ document: UnsafeRawBufferPointer, what: StaticString) -> StoreError? {
        guard let base = document.baseAddress, document.count > 0 else {
            return StoreError("\(context): cannot append an empty \(what)")
        }
        if memchr(base, 0x0A, document.count) != nil {
            return StoreError("\(context): cannot append a \(what) that contains a newline (at byte \(end - committed) of the transaction)")
        }
        let need = document.count + 1
        if _slowPath(fd < 0 || buffer == nil || (segmentBytes > 0 && segmentBytes + Int64(need) > segmentLimit) || need > bufferCapacity - buffered) {
            return appendSlowly(base, document.count)
        }
        let target = buffer.unsafelyUnwrapped + buffered
        target.copyMemory(from: base, byteCount: document.count)
        target.storeBytes(of: UInt8(ascii: "\n"), toByteOffset: document.count, as: UInt8.self)
        buffered += need
        advance(need)
        return nil
    }

    /// Appends `count` documents given as consecutive lines, each ending with its newline (the caller guarantees that
    /// none holds another newline: documents cut from a connector's lines or serialized by the runtime), with one
    /// copy into the journal's buffer and no per-line work; a run larger than the buffer is written as it is, and a
    /// run that would cross into a new segment is appended line by line, so that no line straddles two segments.
    func appendLines(_ lines: UnsafeRawBufferPointer, count: Int) -> StoreError? {
        guard let base = lines.baseAddress, lines.count > 0, count > 0,
              base.load(fromByteOffset: lines.count - 1, as: UInt8.self) == UInt8(ascii: "\n"),
              base.load(as: UInt8.self) != UInt8(ascii: "\n") else {
            return StoreError("\(context): cannot append documents that are not whole, non-empty lines")
        }
        let total = lines.count
        if _slowPath(segmentBytes + Int64(total) > segmentLimit && (segmentBytes > 0 || count > 1)) {
            // Line by line, so that the segment rolls between two of them.
            do throws(StoreError) {
                try Lines.forEach(in: lines) { (line) throws(StoreError) in
                    if let error = append(line, what: "document") { throw error }
                }
            } catch {
                return error
            }
            return nil
        }
        do {
            if _slowPath(fd < 0 || buffer == nil) { try prepareSegment(for: total) }
            if total > bufferCapacity - buffered { try flush() }
            if _slowPath(total > bufferCapacity) {
                // Larger than the buffer: written as it is.
                try FileSystem.writeAll(fd, base, total, path: segmentPath, context: context)
                advance(total)
                startWritebackIfDue()
                return nil
            }
        } catch {
            return error
        }
        // Measured: copying a run into the journal's buffer and writing it whole is as fast as writing each run from
        // the caller's memory, and steadier.
        (buffer.unsafelyUnwrapped + buffered).copyMemory(from: base, byteCount: total)
        buffered += total
        advance(total)
        return nil
    }

    /// Appends a line when a segment must be opened or rolled, or the buffer is full.
    @inline(never)
    private func appendSlowly(_ base: UnsafeRawPointer, _ count: Int) -> StoreError? {
        let need = count + 1
        do {
            try prepareSegment(for: need)
            if need > bufferCapacity - buffered { try flush() }
            if need > bufferCapacity {
                try FileSystem.writeAll(fd, base, count, path: segmentPath, context: context)
                var newline = UInt8(ascii: "\n")
                try FileSystem.writeAll(fd, &newline, 1, path: segmentPath, context: context)
            } else {
                let target = buffer.unsafelyUnwrapped + buffered
                target.copyMemory(from: base, byteCount: count)
                target.storeBytes(of: UInt8(ascii: "\n"), toByteOffset: count, as: UInt8.self)
                buffered += need
            }
        } catch {
            return error
        }
        advance(need)
        return nil
    }

    @inline(__always)
    private func advance(_ count: Int) {
        segmentBytes += Int64(count)
        end += Int64(count)
        touched = true
    }

    /// Opens (or rolls to) the segment the next `need` bytes go to, and allocates the buffer; does
    /// nothing if they fit where the data goes now.
    private func prepareSegment(for need: Int) throws(StoreError) {
        if buffer == nil { buffer = UnsafeMutableRawPointer.allocate(byteCount: bufferCapacity, alignment: 16) }
        if segmentBytes > 0 && segmentBytes + Int64(need) > segmentLimit {
            // Roll: the full segment is made durable now, since it is closed.
            if fd >= 0 {
                try flush()
                try FileSystem.sync(fd, path: segmentPath, context: context)
                closeSegment()
            }
            segmentStart = end
            segmentBytes = 0
        }
        guard fd < 0 else { return }
        if !directoryExists {
            try FileSystem.ensureDirectory(directory, context: context)
            directoryExists = true
        }
        segmentPath = "\(directory)/\(Segment.fileName(start: segmentStart))"
        writebackFrom = segmentBytes
        if segmentBytes == 0 {
            fd = try FileSystem.open(segmentPath, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, context: context)
            directoryDirty = true
        } else {
            fd = try FileSystem.open(segmentPath, O_WRONLY | O_APPEND, context: context)
            let size = try FileSystem.size(fd, path: segmentPath, context: context)
            if size != segmentBytes {
                closeSegment()
                throw StoreError("\(context): \(segmentPath) changed under the store: \(size) bytes, expected \(segmentBytes)")
            }
        }
    }

    /// Writes the buffered bytes to the segment file, and has the kernel start writing what was written to disk
    /// once a few megabytes have gathered: so the fsync of a commit finds most of the transaction's data on disk
    /// already, rather than the whole of it to write while the capture waits.
    func flush() throws(StoreError) {
        guard buffered > 0, let buffer else { return }
        try FileSystem.writeAll(fd, buffer, buffered, path: segmentPath, context: context)
        buffered = 0
        startWritebackIfDue()
    }

    /// Has the kernel start writing what was written to the segment once ``writebackBytes`` have gathered since the
    /// last start (everything written is in the file, none of it buffered here).
    private func startWritebackIfDue() {
        if buffered == 0 && segmentBytes - writebackFrom >= Self.writebackBytes {
            FileSystem.startWriteback(fd, from: writebackFrom, count: segmentBytes - writebackFrom)
            writebackFrom = segmentBytes
        }
    }

    /// How much written data starts its writeback early.
    static let writebackBytes: Int64 = 4 << 20

    /// Makes everything appended durable: flushes, fsyncs the segment, and fsyncs the directory if
    /// segments were created.
    func sync() throws(StoreError) {
        try flush()
        if touched && fd >= 0 { try FileSystem.sync(fd, path: segmentPath, context: context) }
        if directoryDirty {
            try FileSystem.syncDirectory(directory, context: context)
            directoryDirty = false
        }
    }

    /// Records that everything appended is committed (after the checkpoint naming `end` is durable).
    func markCommitted() {
        committed = end
        touched = false
        releaseBuffer()
    }

    /// Forgets buffered bytes without writing them (the transaction was abandoned; recovery follows).
    func dropBuffer() {
        buffered = 0
        releaseBuffer()
    }

    private func releaseBuffer() {
        buffered = 0
        buffer?.deallocate()
        buffer = nil
    }

    private func closeSegment() {
        FileSystem.close(fd)
        fd = -1
    }
}
