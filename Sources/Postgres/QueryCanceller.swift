import CLibPQ

/// Asks the server to cancel whatever statement its connection is running; safe to use from any thread.
///
/// Obtain one from `Connection.canceller` and hand it to the thread or task that may need to interrupt a
/// long query. A cancelled statement fails with SQLSTATE 57014 (`PostgresError.isQueryCanceled`). Cancelling
/// when nothing runs does nothing. The canceller stays usable after the connection is closed (it then has no
/// effect).
public final class QueryCanceller: Sendable {
    /// The `PGcancel *`. libpq documents `PQcancel` as safe to call from other threads (and signal handlers); the
    /// object is only read after creation.
    nonisolated(unsafe) private let handle: OpaquePointer

    init(_ handle: OpaquePointer) { self.handle = handle }

    deinit { PQfreeCancel(handle) }

    /// Sends a cancel request on a new connection and waits for the server to take it. Throws `.cancelFailed`
    /// when the request cannot be delivered.
    public func cancel() throws {
        var buffer = [CChar](repeating: 0, count: 256)
        let delivered = buffer.withUnsafeMutableBufferPointer { PQcancel(handle, $0.baseAddress, Int32($0.count)) }
        if delivered != 1 {
            let message = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            throw PostgresError(.cancelFailed, message: message.isEmpty ? "cancel request failed" : message)
        }
    }
}
