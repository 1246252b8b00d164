import CLibPQ

/// `COPY … FROM STDIN`: bulk loading through libpq's copy-in protocol (`PQputCopyData`, `PQputCopyEnd`).
///
/// ```swift
/// try connection.beginCopyIn("COPY t (a, b) FROM STDIN")
/// try connection.putCopyData(rowBytes)   // as many times as needed, any split of the stream
/// let rows = try connection.endCopyIn()
/// ```
/// The data format is whatever the statement names (text by default; `WITH (FORMAT binary)` for binary rows).
/// Between `beginCopyIn` and `endCopyIn`/`abortCopyIn` the connection takes no other statement. A COPY inside an
/// open transaction is part of it; one that fails (bad data, a constraint) puts that transaction in the aborted
/// state, as any failing statement does.
extension Connection {
    /// Starts a `COPY … FROM STDIN` statement. Throws the server's error (a missing table, a bad column) at once.
    public func beginCopyIn(_ sql: String) throws {
        let connection = try open()
        guard let started = PQexec(connection, sql) else { throw connectionError() }
        let result = ResultHandle(started)
        guard result.status == PGRES_COPY_IN else {
            let status = result.status
            if status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK {
                throw PostgresError(.invalidArgument, message: "not a COPY … FROM STDIN statement: \(sql.prefix(60))")
            }
            throw result.error(scrubbing: password)
        }
    }

    /// Sends bytes of the COPY data stream (libpq buffers them and sends when its buffer fills; this may block
    /// while the server catches up). Rows may be split across calls anywhere. Throws only when sending fails
    /// (a lost connection); errors in the data itself are reported by `endCopyIn()`.
    public func putCopyData(_ bytes: UnsafeRawBufferPointer) throws {
        let connection = try open()
        guard var start = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let chunk = min(remaining, 1 << 30)
            let sent = start.withMemoryRebound(to: CChar.self, capacity: chunk) { PQputCopyData(connection, $0, Int32(chunk)) }
            guard sent == 1 else { throw connectionError() }
            start += chunk
            remaining -= chunk
        }
    }

    /// Ends the COPY data stream and waits for the statement's result; returns how many rows it loaded. Throws
    /// the server's error if any row was refused (then no row of this COPY is loaded).
    @discardableResult
    public func endCopyIn() throws -> Int {
        let connection = try open()
        guard PQputCopyEnd(connection, nil) == 1 else { throw connectionError() }
        return try finishCopy(connection)
    }

    /// Ends the COPY as failed (`PQputCopyEnd` with an error message): the server loads nothing of it, and an
    /// enclosing transaction is aborted. The connection is then ready for the next statement (a `ROLLBACK`).
    public func abortCopyIn(reason: String) {
        guard let connection = handle else { return }
        guard PQputCopyEnd(connection, reason) == 1 else { return }
        _ = try? finishCopy(connection)
    }

    /// Reads the COPY's results until libpq has none left; throws the first error.
    private func finishCopy(_ connection: OpaquePointer) throws -> Int {
        var failure: PostgresError?
        var rows = 0
        var sawResult = false
        while let next = PQgetResult(connection) {
            let result = ResultHandle(next)
            sawResult = true
            switch result.status {
            case PGRES_COMMAND_OK:
                rows = Int(String(cString: PQcmdTuples(result.pointer))) ?? 0
            case PGRES_COPY_IN:
                // Still in copy-in state: the end message could not be sent.
                if failure == nil { failure = connectionError() }
                PQputCopyEnd(connection, "abandoned")
            default:
                if failure == nil { failure = result.error(scrubbing: password) }
            }
        }
        if let failure { throw failure }
        guard sawResult else { throw connectionError() }
        return rows
    }
}
