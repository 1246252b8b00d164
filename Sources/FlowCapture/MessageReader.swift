#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads newline-delimited messages from a file descriptor through a large buffer.
///
/// Lines are found with `memchr` in buffered bytes, so reading costs one system call per
/// buffer, not per line. Blank lines are skipped (they still count for ``lineNumber``); a
/// last line without a newline is returned at end of input.
public final class MessageReader {
    private let fileDescriptor: Int32
    // Only ever used by one thread at a time: the per-line dynamic exclusivity checks are not worth their cost.
    @exclusivity(unchecked) private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    private var atEndOfInput = false
    private let maximumLineLength: Int

    /// The 1-based number of the line most recently returned.
    public private(set) var lineNumber = 0

    public init(fileDescriptor: Int32, bufferSize: Int = 1 << 20, maximumLineLength: Int = 1 << 30) {
        self.fileDescriptor = fileDescriptor
        self.buffer = [UInt8](repeating: 0, count: max(bufferSize, 16))
        self.maximumLineLength = maximumLineLength
    }

    /// The next non-blank line without its newline, or `nil` at end of input.
    ///
    /// The slice shares the reader's buffer; drop it before the next call to avoid a copy.
    public func nextLine() throws(MessageIOError) -> ArraySlice<UInt8>? {
        var searchFrom = start
        while true {
            if let newline = findNewline(from: searchFrom) {
                let line = buffer[start..<newline]
                start = newline + 1
                lineNumber += 1
                if Self.isBlank(line) {
                    searchFrom = start
                    continue
                }
                return line
            }
            if atEndOfInput {
                guard start < end else { return nil }
                let line = buffer[start..<end]
                start = end
                lineNumber += 1
                return Self.isBlank(line) ? nil : line
            }
            searchFrom = end - start
            try fill()
            searchFrom = min(searchFrom, end)
        }
    }

    /// True when bytes read from the descriptor are buffered, not yet returned.
    public var hasBufferedInput: Bool { start < end }

    /// True when more input is already at hand: buffered bytes, or data (or end of input) ready on the descriptor.
    public var hasPendingInput: Bool { hasPendingInput(waitingMilliseconds: 0) }

    /// True when more input is at hand or arrives within `milliseconds` (returning as soon as it does).
    public func hasPendingInput(waitingMilliseconds milliseconds: Int32) -> Bool {
        if start < end { return true }
        if atEndOfInput { return false }
        var descriptor = pollfd(fd: fileDescriptor, events: Int16(POLLIN), revents: 0)
        while true {
            let ready = poll(&descriptor, 1, milliseconds)
            if ready < 0 && errno == EINTR { continue }
            return ready > 0
        }
    }

    private func findNewline(from index: Int) -> Int? {
        guard index < end else { return nil }
        return buffer.withUnsafeBytes { raw -> Int? in
            guard let found = memchr(raw.baseAddress! + index, 0x0A, end - index) else { return nil }
            return UnsafeRawPointer(found) - raw.baseAddress!
        }
    }

    /// Moves pending bytes to the front, grows the buffer if it is full, and reads more.
    private func fill() throws(MessageIOError) {
        if start > 0 {
            let pending = end - start
            buffer.withUnsafeMutableBytes { raw in
                _ = memmove(raw.baseAddress!, raw.baseAddress! + start, pending)
            }
            start = 0
            end = pending
        }
        if end == buffer.count {
            guard buffer.count < maximumLineLength else { throw MessageIOError.lineTooLong(lineNumber: lineNumber + 1, limit: maximumLineLength) }
            buffer.append(contentsOf: repeatElement(0, count: min(buffer.count, maximumLineLength - buffer.count)))
        }
        while true {
            let count = buffer.withUnsafeMutableBytes { raw in
                read(fileDescriptor, raw.baseAddress! + end, raw.count - end)
            }
            if count > 0 {
                end += count
                return
            }
            if count == 0 {
                atEndOfInput = true
                return
            }
            if errno == EINTR { continue }
            let code = errno
            throw MessageIOError.system(operation: "read", errno: code, detail: String(cString: strerror(code)))
        }
    }

    private static func isBlank(_ line: ArraySlice<UInt8>) -> Bool {
        line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }
}
