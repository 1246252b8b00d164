import CLibPQ

/// A libpq connection to PostgreSQL or Amazon Redshift.
///
/// Not thread-safe: use a connection from one thread at a time. The one exception is cancellation: hand
/// `canceller` to another thread to interrupt a running statement. The connection closes itself when released.
///
/// All values travel in text format; result bytes are the server's text output in UTF-8 (`client_encoding` is set
/// to `UTF8` unless `ConnectionParameters.options` says otherwise).
public final class Connection {
    /// The `PGconn *`; nil once closed. Internal for the extensions in other files (COPY).
    var handle: OpaquePointer?
    /// Kept only to scrub it from error messages.
    let password: String?
    /// Numbers the cursors this connection declares.
    private var cursorCount = 0

    /// Cancels the statement this connection is running; `Sendable`, for use from another thread.
    public let canceller: QueryCanceller

    /// Connects with `PQconnectdbParams`, blocking until the connection is up or has failed.
    ///
    /// Throws `PostgresError` with kind `.connectionFailed` and libpq's message (e.g. `password authentication
    /// failed for user "…"`); the password never appears in it.
    public init(_ parameters: ConnectionParameters) throws {
        var pairs = parameters.keywordValues
        if !pairs.contains(where: { $0.keyword == "client_encoding" }) { pairs.append(("client_encoding", "UTF8")) }
        let keywords = try CStringArray(pairs.map(\.keyword)) { "connection keyword \(pairs[$0].keyword)" }
        let values = try CStringArray(pairs.map(\.value)) { "the value of connection keyword \(pairs[$0].keyword)" }
        password = parameters.options["password"] ?? parameters.password  // the one libpq will use

        guard let connection = PQconnectdbParams(keywords.pointers, values.pointers, 0) else {
            throw PostgresError(.connectionFailed, message: "out of memory allocating a libpq connection")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(connection))
            PQfinish(connection)
            throw PostgresError(.connectionFailed, message: message, scrubbing: password)
        }
        guard let cancel = PQgetCancel(connection) else {
            PQfinish(connection)
            throw PostgresError(.connectionFailed, message: "could not create a cancel handle")
        }
        handle = connection
        canceller = QueryCanceller(cancel)
    }

    /// Connects to a `postgres://user:password@host:port/dbname?sslmode=…` URL (see
    /// `ConnectionParameters.init(url:)`).
    public convenience init(url: String) throws {
        try self.init(ConnectionParameters(url: url))
    }

    deinit { close() }

    /// Closes the connection (`PQfinish`). Further use throws `.connectionClosed`; closing twice does nothing.
    public func close() {
        if let handle { PQfinish(handle) }
        handle = nil
    }

    /// True after `close()`.
    public var isClosed: Bool { handle == nil }

    /// The server version as libpq reports it (e.g. 150018 for 15.18; Redshift reports 80002), or 0 when closed.
    public var serverVersion: Int { handle.map { Int(PQserverVersion($0)) } ?? 0 }

    /// A parameter the server reported at startup or on change (`server_version`, `TimeZone`, `DateStyle`,
    /// `integer_datetimes`, …), or nil.
    public func parameterStatus(_ name: String) -> String? {
        guard let handle, let value = PQparameterStatus(handle, name) else { return nil }
        return String(cString: value)
    }

    /// Runs one or more SQL commands in one round trip (`PQexec`), discarding any rows.
    public func execute(_ sql: String) throws {
        let result = try exec(sql)
        try check(result, allowing: PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY)
    }

    /// Runs one statement with `$1`, `$2`, … bound to `parameters` (text format, nil is NULL, types inferred by
    /// the server) and returns all its rows in memory.
    public func query(_ sql: String, parameters: [String?] = []) throws -> QueryResult {
        let result = try execParams(sql, parameters)
        try check(result, allowing: PGRES_COMMAND_OK, PGRES_TUPLES_OK)
        let pointer = result.pointer
        let columnCount = PQnfields(pointer)
        let rows = (0..<PQntuples(pointer)).map { row in
            (0..<columnCount).map { column -> String? in
                PQgetisnull(pointer, row, column) != 0 ? nil : String(cString: PQgetvalue(pointer, row, column))
            }
        }
        return QueryResult(
            columns: ColumnDescription.describing(pointer), rows: rows,
            commandTag: String(cString: PQcmdStatus(pointer)))
    }

    /// Streams the rows of one query through `body` without holding the result in memory, and returns how many
    /// rows it delivered.
    ///
    /// - Parameters:
    ///   - sql: one `SELECT` (or other row-returning statement) with `$1`, `$2`, … placeholders.
    ///   - parameters: the placeholder values in text format; nil is NULL.
    ///   - strategy: `.singleRow`, `.cursor(batchSize:)` or `.prefetchingCursor(batchSize:fetchesInFlight:)`; see
    ///     `RowStreamStrategy`.
    ///   - onColumns: called once with the result's columns, before the first row (also when there are none).
    ///   - body: called for each row, in order. The `RowView` and its buffers are valid only during the call.
    ///     When `body` throws, the query is abandoned (cancelled or its transaction rolled back), the connection
    ///     is left ready for the next statement, and the error is rethrown.
    @discardableResult
    public func stream(
        _ sql: String,
        parameters: [String?] = [],
        strategy: RowStreamStrategy = .singleRow,
        onColumns: ([ColumnDescription]) throws -> Void = { _ in },
        _ body: (borrowing RowView) throws -> Void
    ) throws -> Int {
        switch strategy {
        case .singleRow:
            return try streamSingleRows(sql, parameters, onColumns, body)
        case .cursor(let batchSize):
            return try streamWithCursor(sql, parameters, batchSize, fetchesInFlight: 0, onColumns, body)
        case .prefetchingCursor(let batchSize, let fetchesInFlight):
            guard fetchesInFlight > 0 else {
                throw PostgresError(
                    .invalidArgument, message: "FETCHes in flight must be positive, not \(fetchesInFlight)")
            }
            return try streamWithCursor(sql, parameters, batchSize, fetchesInFlight: fetchesInFlight, onColumns, body)
        }
    }

    /// Sends a cancel request for the running statement; same as `canceller.cancel()`.
    public func cancel() throws {
        try canceller.cancel()
    }

    /// Makes glibc keep up to `bytes` of freed memory for reuse instead of handing it back to the kernel page by page.
    ///
    /// Streaming frees a batch's `PGresult` (thousands of 2 KiB blocks) every few milliseconds. On a thread's arena,
    /// glibc then returns the top of the heap a page or two per free (`madvise`, with TLB shootdowns across the
    /// process's threads) and faults it back in for the next batch: measured 7,500 `madvise` calls and 46,000 page
    /// faults per million rows, none with this. The process's peak memory does not change; memory freed after a peak
    /// stays in the process, up to `bytes`. Process-wide (glibc's `M_TRIM_THRESHOLD`): call it once from a program's
    /// entry point.
    public static func keepFreedMemory(upTo bytes: Int = 64 << 20) {
        _ = mallopt(M_TRIM_THRESHOLD, Int32(clamping: bytes))
    }

    /// Sets `statement_timeout` for this session: statements running longer fail with SQLSTATE 57014. nil (or
    /// zero) removes the limit. Whole milliseconds; a positive duration under 1 ms counts as 1 ms.
    public func setStatementTimeout(_ timeout: Duration?) throws {
        var milliseconds: Int64 = 0
        if let timeout, timeout > .zero {
            let (seconds, attoseconds) = timeout.components
            milliseconds = max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000)
        }
        try execute("SET statement_timeout TO \(milliseconds)")
    }

    // MARK: - Streaming

    private func streamSingleRows(
        _ sql: String, _ parameters: [String?],
        _ onColumns: ([ColumnDescription]) throws -> Void,
        _ body: (borrowing RowView) throws -> Void
    ) throws -> Int {
        let connection = try open()
        let values = try CStringArray(parameters) { "parameter $\($0 + 1)" }
        guard PQsendQueryParams(connection, sql, Int32(values.count), nil, values.pointers, nil, nil, 0) == 1 else {
            throw connectionError()
        }
        var failure: (any Error)? = PQsetSingleRowMode(connection) == 1 ? nil : connectionError()
        var described = false
        var rowCount = 0
        // Every result must be read, even after a failure, before the connection can take another statement.
        while let next = PQgetResult(connection) {
            let result = ResultHandle(next)
            guard failure == nil else { continue }
            let status = result.status
            guard status == PGRES_SINGLE_TUPLE || status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK else {
                failure = result.error(scrubbing: password)
                continue
            }
            do {
                if !described {
                    described = true
                    try onColumns(ColumnDescription.describing(result.pointer))
                }
                if status == PGRES_SINGLE_TUPLE {
                    try body(RowView(result: result.pointer, row: 0, columnCount: Int(PQnfields(result.pointer))))
                    rowCount += 1
                }
            } catch {
                failure = error
                // Stop the server sending the rest; what is already on the way is read and dropped above.
                try? canceller.cancel()
            }
        }
        if let failure { throw failure }
        return rowCount
    }

    /// A server-side cursor read `batchSize` rows at a time: `.cursor` when `fetchesInFlight` is 0, else
    /// `.prefetchingCursor` with that many FETCHes queued ahead in pipeline mode.
    private func streamWithCursor(
        _ sql: String, _ parameters: [String?], _ batchSize: Int, fetchesInFlight: Int,
        _ onColumns: ([ColumnDescription]) throws -> Void,
        _ body: (borrowing RowView) throws -> Void
    ) throws -> Int {
        guard batchSize > 0 else {
            throw PostgresError(.invalidArgument, message: "cursor batch size must be positive, not \(batchSize)")
        }
        let connection = try open()
        let ownsTransaction: Bool
        switch PQtransactionStatus(connection) {
        case PQTRANS_IDLE: ownsTransaction = true
        case PQTRANS_INTRANS: ownsTransaction = false
        case PQTRANS_INERROR:
            throw PostgresError(.invalidArgument, message: "cannot declare a cursor: the current transaction is aborted")
        default:
            throw PostgresError(.invalidArgument, message: "cannot declare a cursor: the connection is busy")
        }
        cursorCount += 1
        let cursor = "capstan_cursor_\(cursorCount)"

        if ownsTransaction { try execute("BEGIN") }
        do {
            // Redshift documents only this form (no NO SCROLL); PostgreSQL adds no scrolling cost for it.
            let declared = try execParams("DECLARE \(cursor) CURSOR FOR \(sql)", parameters)
            try check(declared, allowing: PGRES_COMMAND_OK)
            let fetch = "FETCH \(batchSize) FROM \(cursor)"
            let rowCount: Int
            if fetchesInFlight == 0 {
                rowCount = try fetchOneByOne(fetch, batchSize, connection, onColumns, body)
            } else {
                rowCount = try fetchPipelined(fetch, batchSize, fetchesInFlight, connection, onColumns, body)
            }
            // COMMIT closes the cursor too.
            try execute(ownsTransaction ? "COMMIT" : "CLOSE \(cursor)")
            return rowCount
        } catch {
            // Leave the connection as we found it; the original error is the one worth reporting.
            discardPipeline(connection)
            if ownsTransaction {
                try? execute("ROLLBACK")
            } else if PQtransactionStatus(connection) == PQTRANS_INTRANS {
                try? execute("CLOSE \(cursor)")
            }
            throw error
        }
    }

    /// `.cursor`: each FETCH is sent once the previous batch's rows are handed out, so the connection is free
    /// between batches.
    private func fetchOneByOne(
        _ fetch: String, _ batchSize: Int, _ connection: OpaquePointer,
        _ onColumns: ([ColumnDescription]) throws -> Void,
        _ body: (borrowing RowView) throws -> Void
    ) throws -> Int {
        var rowCount = 0
        while true {
            let batch = try exec(fetch)
            try check(batch, allowing: PGRES_TUPLES_OK)
            // Only the first batch comes with rowCount 0: any later one follows a full batch.
            let rows = try deliver(batch, isFirst: rowCount == 0, onColumns, body)
            rowCount += rows
            if rows < batchSize { return rowCount }
        }
    }

    /// `.prefetchingCursor`: FETCHes queued in pipeline mode, up to `fetchesInFlight` ahead of the batch being
    /// handed out. On return the pipeline is closed and the connection idle (in its transaction); on a throw the
    /// caller's `discardPipeline` cleans up.
    private func fetchPipelined(
        _ fetch: String, _ batchSize: Int, _ fetchesInFlight: Int, _ connection: OpaquePointer,
        _ onColumns: ([ColumnDescription]) throws -> Void,
        _ body: (borrowing RowView) throws -> Void
    ) throws -> Int {
        guard PQenterPipelineMode(connection) == 1 else { throw connectionError() }
        var inFlight = 0
        func send(upTo count: Int) throws {
            guard inFlight < count else { return }
            while inFlight < count {
                // Each FETCH asks the server to flush its output, so a batch never waits for the next one.
                guard PQsendQueryParams(connection, fetch, 0, nil, nil, nil, nil, 0) == 1,
                      PQsendFlushRequest(connection) == 1
                else { throw connectionError() }
                inFlight += 1
            }
            guard PQflush(connection) == 0 else { throw connectionError() }
        }
        /// The next FETCH's result, with the NULL that ends it consumed.
        func receive() throws -> ResultHandle {
            guard let result = PQgetResult(connection) else { throw connectionError() }
            inFlight -= 1
            let handle = ResultHandle(result)
            if let unexpected = PQgetResult(connection) {
                PQclear(unexpected)
                throw PostgresError(.communicationFailed, message: "a FETCH returned more than one result")
            }
            try check(handle, allowing: PGRES_TUPLES_OK)
            return handle
        }

        // The first FETCH goes alone: most incremental polls return less than a batch.
        try send(upTo: 1)
        var rowCount = 0
        while true {
            let batch = try receive()
            let rows = Int(PQntuples(batch.pointer))
            let more = rows == batchSize
            // Before this batch's rows are handed out, so that the server works on the next ones meanwhile.
            if more { try send(upTo: fetchesInFlight) }
            _ = try deliver(batch, isFirst: rowCount == 0, onColumns, body)
            rowCount += rows
            if !more { break }
        }
        // The FETCHes sent past the end return no rows; the sync ends the pipeline.
        guard PQpipelineSync(connection) == 1 else { throw connectionError() }
        while inFlight > 0 { _ = try receive() }
        guard let sync = PQgetResult(connection) else { throw connectionError() }
        let syncResult = ResultHandle(sync)
        try check(syncResult, allowing: PGRES_PIPELINE_SYNC)
        guard PQexitPipelineMode(connection) == 1 else { throw connectionError() }
        return rowCount
    }

    /// Hands a batch's rows to `body` (its columns to `onColumns` first when `isFirst`); returns the row count.
    private func deliver(
        _ batch: borrowing ResultHandle, isFirst: Bool,
        _ onColumns: ([ColumnDescription]) throws -> Void,
        _ body: (borrowing RowView) throws -> Void
    ) throws -> Int {
        let pointer = batch.pointer
        if isFirst { try onColumns(ColumnDescription.describing(pointer)) }
        let columnCount = Int(PQnfields(pointer))
        let rows = PQntuples(pointer)
        for row in 0..<rows {
            try body(RowView(result: pointer, row: row, columnCount: columnCount))
        }
        return Int(rows)
    }

    /// After a failure in pipeline mode: sends a sync, reads and drops every queued result through every sync
    /// (the failure may have come after `fetchPipelined` had sent one of its own) until libpq can leave pipeline
    /// mode, so that the connection takes ordinary statements again. Does nothing outside pipeline mode.
    private func discardPipeline(_ connection: OpaquePointer) {
        guard PQpipelineStatus(connection) != PQ_PIPELINE_OFF else { return }
        _ = PQpipelineSync(connection)
        // Results are separated by NULLs; two in a row mean nothing more will come (e.g. the connection broke).
        var nulls = 0
        while PQexitPipelineMode(connection) != 1 && nulls < 2 && PQstatus(connection) == CONNECTION_OK {
            guard let next = PQgetResult(connection) else {
                nulls += 1
                continue
            }
            nulls = 0
            PQclear(next)
        }
    }

    /// The columns a statement would return, found by preparing it (unnamed) without running it.
    ///
    /// Checks that the statement parses and its tables and columns exist; `$n` parameter types are inferred.
    public func describe(_ sql: String) throws -> [ColumnDescription] {
        let connection = try open()
        guard let prepared = PQprepare(connection, "", sql, 0, nil) else { throw connectionError() }
        let preparedResult = ResultHandle(prepared)
        try check(preparedResult, allowing: PGRES_COMMAND_OK)
        guard let described = PQdescribePrepared(connection, "") else { throw connectionError() }
        let describedResult = ResultHandle(described)
        try check(describedResult, allowing: PGRES_COMMAND_OK)
        return ColumnDescription.describing(describedResult.pointer)
    }

    // MARK: - libpq plumbing

    func open() throws -> OpaquePointer {
        guard let handle else { throw PostgresError(.connectionClosed, message: "the connection is closed") }
        return handle
    }

    /// `PQexec`: simple protocol, possibly several statements, last result returned.
    private func exec(_ sql: String) throws -> ResultHandle {
        let connection = try open()
        guard let result = PQexec(connection, sql) else { throw connectionError() }
        return ResultHandle(result)
    }

    /// `PQexecParams`: one statement, text parameters, text results.
    private func execParams(_ sql: String, _ parameters: [String?]) throws -> ResultHandle {
        let connection = try open()
        let values = try CStringArray(parameters) { "parameter $\($0 + 1)" }
        guard let result = PQexecParams(connection, sql, Int32(values.count), nil, values.pointers, nil, nil, 0) else {
            throw connectionError()
        }
        return ResultHandle(result)
    }

    func check(_ result: borrowing ResultHandle, allowing expected: ExecStatusType...) throws {
        guard expected.contains(result.status) else { throw result.error(scrubbing: password) }
    }

    /// The connection's current error message as a `PostgresError`.
    func connectionError() -> PostgresError {
        let message = handle.map { String(cString: PQerrorMessage($0)) } ?? ""
        return PostgresError(
            .communicationFailed, message: message.isEmpty ? "libpq call failed" : message, scrubbing: password)
    }
}

/// A connection must not be shared between threads; use `Connection.canceller` to cancel from elsewhere.
@available(*, unavailable)
extension Connection: Sendable {}
