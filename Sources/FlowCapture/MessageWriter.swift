import Foundation
import JSON
import Synchronization

/// Writes newline-delimited protocol messages to a file descriptor through a large buffer.
///
/// Captured documents accumulate in the buffer, which is written when full; every other
/// message is followed by a flush, so a peer sees each checkpoint as soon as it is sent.
/// Safe to call from several threads: each message is written whole.
public final class MessageWriter: Sendable {
    private let fileDescriptor: Int32
    private let capacity: Int
    /// The output buffer; each message is written into it whole under the mutex.
    private let buffer: Mutex<JSONWriter>
    /// Set by ``close()`` while it holds the buffer's mutex, read under it: nothing is written after.
    private let closed = Atomic<Bool>(false)

    public init(fileDescriptor: Int32, bufferSize: Int = 1 << 20) {
        self.fileDescriptor = fileDescriptor
        self.capacity = bufferSize
        self.buffer = Mutex(JSONWriter(reservingCapacity: bufferSize + 4096))
    }

    /// Writes a response, flushing unless it is a captured document.
    public func write(_ response: CaptureResponse) throws(MessageIOError) {
        var shouldFlush = true
        if case .captured = response { shouldFlush = false }
        try writeLine(response.protoJSON(), flush: shouldFlush)
    }

    /// Writes a request and flushes.
    public func write(_ request: CaptureRequest) throws(MessageIOError) {
        try writeLine(request.protoJSON(), flush: true)
    }

    /// Writes one JSON value as a line.
    public func writeLine(_ value: JSON, flush shouldFlush: Bool) throws(MessageIOError) {
        try buffer.withLock { (writer) throws(MessageIOError) in
            try refuseIfClosed()
            writer.write(value)
            writer.bytes.append(0x0A)
            if shouldFlush || writer.bytes.count >= capacity { try Self.flush(&writer, to: fileDescriptor) }
        }
    }

    /// Writes a `captured` message around a document that is already serialized JSON,
    /// without parsing it again. The caller guarantees `document` is one JSON object.
    public func writeCaptured(binding: UInt32, document: UnsafeRawBufferPointer) throws(MessageIOError) {
        try writeCaptured(binding: binding) { $0.bytes.append(contentsOf: document) }
    }

    /// Writes a `captured` message whose document `encode` writes straight into the output buffer
    /// (one JSON object, with no newline), so that it is never copied.
    public func writeCaptured(binding: UInt32, encode: (inout JSONWriter) -> Void) throws(MessageIOError) {
        try buffer.withLock { (writer) throws(MessageIOError) in
            try refuseIfClosed()
            if binding == 0 {
                writer.writeRaw(#"{"captured":{"doc":"#)
            } else {
                writer.writeRaw(#"{"captured":{"binding":"#)
                writer.write(integer: Int64(binding))
                writer.writeRaw(#","doc":"#)
            }
            encode(&writer)
            writer.writeRaw("}}\n")
            if writer.bytes.count >= capacity { try Self.flush(&writer, to: fileDescriptor) }
        }
    }

    /// Writes everything buffered.
    public func flush() throws(MessageIOError) {
        try buffer.withLock { (writer) throws(MessageIOError) in try Self.flush(&writer, to: fileDescriptor) }
    }

    /// Writes everything buffered, then refuses every further message. Once it returns, no write is in progress and
    /// none will start: a process that exits right after (a failed capture, while other threads still produce
    /// documents) leaves whole lines only, never a message cut in two.
    public func close() throws(MessageIOError) {
        try buffer.withLock { (writer) throws(MessageIOError) in
            closed.store(true, ordering: .sequentiallyConsistent)
            try Self.flush(&writer, to: fileDescriptor)
        }
    }

    private func refuseIfClosed() throws(MessageIOError) {
        if closed.load(ordering: .sequentiallyConsistent) {
            throw MessageIOError.system(operation: "write", errno: EPIPE, detail: "the output is closed")
        }
    }

    /// Writes `writer`'s bytes to `fileDescriptor` and empties it (also when the write fails).
    private static func flush(_ writer: inout JSONWriter, to fileDescriptor: Int32) throws(MessageIOError) {
        var offset = 0
        let total = writer.bytes.count
        while offset < total {
            let written = writer.bytes.withUnsafeBytes { raw in
                Foundation.write(fileDescriptor, raw.baseAddress! + offset, total - offset)
            }
            if written >= 0 {
                offset += written
                continue
            }
            if errno == EINTR { continue }
            let code = errno
            writer.bytes.removeAll(keepingCapacity: true)
            throw MessageIOError.system(operation: "write", errno: code, detail: String(cString: strerror(code)))
        }
        writer.bytes.removeAll(keepingCapacity: true)
    }
}
