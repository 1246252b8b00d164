import CollectionStore
import JSON
import Logging
import Postgres
import Synchronization

/// A ``CollectionStore`` in a PostgreSQL database shared by any number of `capstan` processes on any number of
/// machines: each collection a table, each capture's checkpoint a row, both committed in one database transaction.
///
/// ## Layout (in ``schema``, `capstan` by default; created and migrated by the store)
/// - `schema_version (version)`: the layout version (see `StoreSchema`).
/// - `captures (capture, epoch, leased_by, leased_at, connector_state, transactions, committed_at, last_documents,
///   last_rejected, last_bytes)`: one row per capture; `connector_state` is null until a commit or a state reset.
/// - `collections (collection, table_name, capture, key, last_position, last_rejected_position, created_at)`: the
///   registry: each collection's table, the capture that writes it, its key columns, its committed ends.
/// - one table per collection, named after it (see ``CollectionTable``): the key's columns (text, generated from
///   the document), `_meta/uuid`, `_position` (increasing in commit order), `_commit` (the capture's transaction
///   number) and `flow_document` (jsonb).
/// - `rejected (collection, _position, _commit, record)`: rejected records of every collection.
///
/// ## Transactions and fencing
/// A store transaction is one database transaction on the capture's own connection: documents stream into their
/// tables with binary `COPY` (or batched `INSERT`s, see ``InsertMethod``); the commit then updates the capture's
/// row — state, counts, and a check that the lease epoch is still this writer's — and the registry's committed
/// ends, and commits. Readers, through MVCC, see whole commits only. A lost connection fails the transaction in
/// flight (the server rolls it back), and the next transaction reconnects.
///
/// ``takeLease(capture:)`` (the runtime calls it before reading the checkpoint) bumps the capture's epoch: from
/// then on, the commits of any other process that held the capture fail, and its writer refuses every further
/// transaction with ``CollectionStore/StoreError/Kind/leaseLost``. Replacing the state through a store object that does not hold the lease
/// takes the lease too, so a running capture cannot overwrite the new state.
///
/// Thread-safe; each capture's transactions are driven by one thread at a time, as the protocol requires.
public final class PostgresCollectionStore: CollectionStore, Sendable {
    /// The database schema holding the store's tables.
    public let schema: String
    /// How documents are sent.
    public let insertMethod: InsertMethod
    /// The store's location for messages: `PostgreSQL store host:port/database, schema "s"` (no user, no password).
    public let location: String

    let parameters: ConnectionParameters
    let keys: [String: [KeyProjection]]
    let logger: Logger?

    private struct State {
        var writers: [[UInt8]: CaptureWriter] = [:]
        var idleReaders: [StoreConnection] = []
        var closed = false
    }
    private let state = Mutex(State())
    /// How many idle reader connections are kept for reuse.
    private static let idleReaderLimit = 2

    /// A store in `schema` of the database at `url` (`postgres://user:password@host:port/database?…`); nothing
    /// connects until first used.
    ///
    /// - Parameters:
    ///   - keys: each collection's key columns (from the catalog). A collection without an entry gets whatever key
    ///     its table was created with, or none.
    /// - Throws: a malformed URL (the message never holds the password).
    public init(url: String, schema: String = "capstan", keys: [String: [KeyProjection]] = [:], insertMethod: InsertMethod = .copy,
                logger: Logger? = nil) throws(StoreError) {
        var parameters: ConnectionParameters
        do {
            parameters = try ConnectionParameters(url: url)
        } catch {
            throw StoreError("PostgreSQL store: \(StoreConnection.describe(error))", kind: StoreConnection.kind(of: error))
        }
        guard SQLText.isUsable(schema), schema.utf8.count <= CollectionTable.maximumNameBytes else {
            throw StoreError("PostgreSQL store: the schema name \"\(schema)\" is empty, has a NUL, or is over \(CollectionTable.maximumNameBytes) bytes")
        }
        for (collection, key) in keys { try CollectionTable.validate(key: key, collection: collection) }
        if parameters.applicationName == nil { parameters.applicationName = "capstan" }
        if parameters.connectTimeout == nil { parameters.connectTimeout = 30 }
        // Notice a dead server or network within about a minute even while waiting for a result.
        for (keyword, value) in [("keepalives_idle", "30"), ("keepalives_interval", "10"), ("keepalives_count", "3")] where parameters.options[keyword] == nil {
            parameters.options[keyword] = value
        }
        self.parameters = parameters
        self.schema = schema
        self.keys = keys
        self.insertMethod = insertMethod
        self.logger = logger
        let host = parameters.host ?? "localhost"
        let port = parameters.port.map(String.init) ?? "5432"
        let database = parameters.database ?? parameters.user ?? "?"
        location = "PostgreSQL store \(host):\(port)/\(database), schema \"\(schema)\""
    }

    deinit { close() }

    /// Closes every connection. Transactions still open fail at their next statement; the store then refuses new ones.
    public func close() {
        // Writers in a transaction are closed by release(_:) when it ends; which ones are idle is decided under the
        // lock that guards transactionOpen.
        let (idleWriters, readers) = state.withLock { state in
            state.closed = true
            defer { state.writers = [:]; state.idleReaders = [] }
            return (state.writers.values.filter { !$0.transactionOpen }, state.idleReaders)
        }
        for reader in readers { reader.connection.close() }
        for writer in idleWriters { writer.close() }
    }

    // MARK: - Writing

    /// Takes the capture's lease for this store object (once; later calls return at once), bumping its epoch so
    /// that any other process writing the capture can no longer commit. Throws if this store was fenced.
    public func takeLease(capture: String) throws(StoreError) {
        try withWriter(capture) { (writer) throws(StoreError) in try writer.takeLease(self) }
    }

    /// Starts the capture's next transaction: a database transaction on the capture's connection (reconnecting
    /// if it broke), taking the lease first if this store does not hold it, and failing at once if another
    /// process took it since.
    public func beginTransaction(capture: String) throws(StoreError) -> any StoreTransaction {
        let writer = try claimWriter(capture)
        do throws(StoreError) {
            try writer.takeLease(self)
            var connection = try writer.connected(self)
            let context = "\(connection.location), \(writer.context)"
            do throws(StoreError) {
                try connection.execute("BEGIN", "\(context): beginning a transaction")
            } catch {
                // An idle connection the server closed (a restart, a timeout) shows only when used: reconnect once.
                guard !connection.isHealthy else { throw error }
                writer.dropConnection()
                connection = try writer.connected(self)
                try connection.execute("BEGIN", "\(context): beginning a transaction")
            }
            let rows: [[String?]]
            do throws(StoreError) {
                rows = try connection.query("SELECT epoch, transactions FROM \(SQLText.identifier(schema)).captures WHERE capture = $1",
                                            [capture], "\(context): reading the capture's lease")
            } catch {
                connection.rollback()
                throw error
            }
            guard let row = rows.first, let epoch = row[0].flatMap({ Int64($0) }), epoch == writer.epoch,
                  let transactions = row[1].flatMap({ Int64($0) })
            else {
                connection.rollback()
                throw writer.fenceAfterLookup(self, connection)
            }
            return PostgresStoreTransaction(store: self, writer: writer, connection: connection, commit: transactions + 1)
        } catch {
            if !(writer.connectedIsHealthy) { writer.dropConnection() }
            release(writer)
            throw error
        }
    }

    /// Replaces the capture's connector state, keeping the rest of its checkpoint (creating the row, with no
    /// transactions, if the capture never committed). Through the store object holding the lease, it checks the
    /// epoch like a commit; through any other, it takes the lease, so a process running the capture stops at its
    /// next commit instead of overwriting the new state.
    public func replaceConnectorState(capture: String, with state: JSON) throws(StoreError) {
        let writer = try claimWriter(capture)
        defer { release(writer) }
        // Under the capture's lease (taken now if this store has not yet), so a concurrent writer is fenced.
        try writer.takeLease(self)
        guard let epoch = writer.epoch else { throw writer.fenced ?? StoreError("\(writer.context): no lease") }
        let connection = try writer.connected(self)
        let rows = try connection.query(
            "UPDATE \(SQLText.identifier(schema)).captures SET connector_state = $2::jsonb WHERE capture = $1 AND epoch = $3 RETURNING epoch",
            [capture, state.serializedString(), String(epoch)], "\(connection.location), \(writer.context): replacing the connector state")
        if rows.isEmpty { throw writer.fenceAfterLookup(self, connection) }
    }

    // MARK: - Reading

    /// The capture's last committed checkpoint, or `nil` if it never committed (nor had its state set).
    public func checkpoint(capture: String) throws(StoreError) -> CaptureCheckpoint? {
        try withReader("capture \"\(capture)\"") { (connection, context) throws(StoreError) -> CaptureCheckpoint? in
            let rows = try connection.query("""
                SELECT connector_state::text, transactions, to_char(committed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                  last_documents, last_rejected, last_bytes
                FROM \(SQLText.identifier(schema)).captures WHERE capture = $1
                """, [capture], "\(context): reading the checkpoint")
            guard let row = rows.first, let stateText = row[0] else { return nil }
            let connectorState: JSON
            do {
                connectorState = try JSON.parse(stateText)
            } catch {
                throw StoreError("\(context): the connector state in \(SQLText.identifier(schema)).captures is not JSON: \(error)")
            }
            var summary: TransactionSummary?
            if let documents = row[3].flatMap({ Int($0) }), let rejected = row[4].flatMap({ Int($0) }), let bytes = row[5].flatMap({ Int($0) }) {
                summary = TransactionSummary(documents: documents, rejected: rejected, bytes: bytes)
            }
            return CaptureCheckpoint(connectorState: connectorState, transactions: row[1].flatMap { Int64($0) } ?? 0,
                                     committedAt: row[2] ?? "", lastTransaction: summary)
        } ?? nil
    }

    /// Calls `body` with each committed document of `collection` in commit order (`position` is `_position`),
    /// as of the moment the read starts, streamed one row at a time. Documents are jsonb's text made compact:
    /// the same JSON values as written, with object keys in jsonb's order.
    public func read(collection: String, _ body: (StoredDocument) throws -> Void) throws {
        try stream(collection: collection, latest: false, body)
    }

    /// Calls `body` with the last committed document of each key of `collection` (by its key columns), in
    /// position order: `SELECT DISTINCT ON (key columns) … ORDER BY key columns, _position DESC`, sorted by
    /// position. The server sorts; memory here stays bounded. Keys compare as text (a number `1` and a string
    /// `"1"` are the same key); a collection without key columns yields every document.
    public func readLatest(collection: String, _ body: (StoredDocument) throws -> Void) throws {
        try stream(collection: collection, latest: true, body)
    }

    /// Calls `body` with each committed rejected record of `collection`, in commit order.
    public func readRejected(collection: String, _ body: (StoredDocument) throws -> Void) throws {
        let sql = "SELECT _position, record::text FROM \(SQLText.identifier(schema)).rejected WHERE collection = $1 ORDER BY _position"
        try withReader("collection \"\(collection)\"") { (connection, context) throws in
            try streamRows(connection, sql, [collection], context: "\(context): reading rejected records", body)
        }
    }

    /// The collections that hold committed documents, sorted.
    public func collectionNames() throws(StoreError) -> [String] {
        let names = try withReader("collections") { (connection, context) throws(StoreError) -> [String] in
            try connection.query("SELECT collection FROM \(SQLText.identifier(schema)).collections WHERE last_position > 0", [],
                                 "\(context): listing").compactMap { $0[0] }
        }
        return (names ?? []).sorted()
    }

    /// The table of `collection` (quoted, schema-qualified) and its key columns, or nil if nothing was ever
    /// written to it.
    public func tableName(of collection: String) throws(StoreError) -> String? {
        try withReader("collection \"\(collection)\"") { (connection, context) throws(StoreError) -> String? in
            try registered(collection, on: connection, context: context)?.table.qualifiedName(schema: schema)
        } ?? nil
    }

    private func stream(collection: String, latest: Bool, _ body: (StoredDocument) throws -> Void) throws {
        try withReader("collection \"\(collection)\"") { (connection, context) throws in
            guard let entry = try registered(collection, on: connection, context: context) else { return }
            let table = entry.table.qualifiedName(schema: schema)
            let keyColumns = entry.table.keyColumns
            let sql: String
            if latest && !keyColumns.isEmpty {
                let key = keyColumns.joined(separator: ", ")
                sql = "SELECT _position, flow_document::text FROM (SELECT DISTINCT ON (\(key)) _position, flow_document FROM \(table) ORDER BY \(key), _position DESC) latest ORDER BY _position"
            } else {
                sql = "SELECT _position, flow_document::text FROM \(table) ORDER BY _position"
            }
            try streamRows(connection, sql, [], context: "\(context): reading \(table)", body)
        }
    }

    /// Streams `(position, jsonb text)` rows through `body`, one row in memory at a time, compacting the text.
    private func streamRows(_ connection: StoreConnection, _ sql: String, _ parameters: [String?], context: String,
                            _ body: (StoredDocument) throws -> Void) throws {
        var compact: [UInt8] = []
        var bodyError: (any Error)?
        do {
            try connection.connection.stream(sql, parameters: parameters, strategy: .singleRow) { row in
                let position = row.bytes(at: 0).reduce(Int64(0)) { $0 &* 10 &+ Int64($1 &- 48) }
                JSONBText.compact(row.bytes(at: 1), into: &compact)
                do {
                    try compact.withUnsafeBytes { try body(StoredDocument(bytes: $0, position: position)) }
                } catch {
                    bodyError = error
                    throw error
                }
            }
        } catch {
            if let bodyError { throw bodyError }
            throw StoreError("\(context): \(StoreConnection.describe(error))", kind: StoreConnection.kind(of: error))
        }
    }

    /// The registry's entry for `collection`, or nil.
    func registered(_ collection: String, on connection: StoreConnection, context: String) throws(StoreError) -> RegisteredCollection? {
        let rows = try connection.query("""
            SELECT table_name, capture, key::text, last_position, last_rejected_position
            FROM \(SQLText.identifier(schema)).collections WHERE collection = $1
            """, [collection], "\(context): reading the collection registry")
        guard let row = rows.first, let tableName = row[0], let capture = row[1], let keyText = row[2] else { return nil }
        let keyJSON: JSON
        do { keyJSON = try JSON.parse(keyText) } catch {
            throw StoreError("\(context): the registry's key is not JSON: \(error)")
        }
        let table = CollectionTable(name: tableName, key: try CollectionTable.key(fromJSON: keyJSON, collection: collection))
        return RegisteredCollection(table: table, capture: capture, lastPosition: row[3].flatMap { Int64($0) } ?? 0,
                                    lastRejectedPosition: row[4].flatMap { Int64($0) } ?? 0)
    }

    // MARK: - Connections

    /// A new connection to the database.
    func connect() throws(StoreError) -> StoreConnection {
        try StoreConnection(parameters: parameters, location: location)
    }

    /// Runs `body` on a reader connection (pooled) if the store's tables exist; nil if they do not (nothing was
    /// ever written). A pooled connection the server closed meanwhile is replaced once, before `body` runs.
    private func withReader<Result>(_ what: String, _ body: (StoreConnection, String) throws -> Result) throws -> Result? {
        let context = "\(location), \(what)"
        var connection = try state.withLock { state in state.idleReaders.popLast() } ?? connect()
        let schemaState: StoreSchema.State
        do {
            schemaState = try StoreSchema.readerState(connection, schema: schema, context: context)
        } catch {
            guard !connection.isHealthy else {
                connection.connection.close()
                throw error
            }
            connection.connection.close()
            connection = try connect()
            do {
                schemaState = try StoreSchema.readerState(connection, schema: schema, context: context)
            } catch {
                connection.connection.close()
                throw error
            }
        }
        var reusable = false
        defer {
            if reusable && connection.isHealthy && connection.connection.transactionStatus == .idle {
                let kept = state.withLock { state -> Bool in
                    guard !state.closed, state.idleReaders.count < Self.idleReaderLimit else { return false }
                    state.idleReaders.append(connection)
                    return true
                }
                if !kept { connection.connection.close() }
            } else {
                connection.connection.close()
            }
        }
        guard schemaState == .ready else {
            reusable = true
            return nil
        }
        let result = try body(connection, context)
        reusable = true
        return result
    }

    /// `withReader` for bodies that throw only `StoreError`.
    private func withReader<Result>(_ what: String, _ body: (StoreConnection, String) throws(StoreError) -> Result) throws(StoreError) -> Result? {
        do {
            return try withReader(what) { (connection: StoreConnection, context: String) throws -> Result in try body(connection, context) }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError("\(location), \(what): \(error)")
        }
    }

    // MARK: - Writers

    /// Runs `body` with the capture's writer marked busy.
    private func withWriter(_ capture: String, _ body: (CaptureWriter) throws(StoreError) -> Void) throws(StoreError) {
        let writer = try claimWriter(capture)
        defer { release(writer) }
        try body(writer)
    }

    /// The capture's writer (created on first use), marked busy; fails if a transaction of the capture is open.
    private func claimWriter(_ capture: String) throws(StoreError) -> CaptureWriter {
        guard SQLText.isUsable(capture) else { throw StoreError("\(location): invalid capture name \"\(capture)\"") }
        return try state.withLock { (state) throws(StoreError) -> CaptureWriter in
            if state.closed { throw StoreError("\(location), capture \"\(capture)\": the store is closed") }
            let key = Array(capture.utf8)
            let writer = state.writers[key] ?? CaptureWriter(capture: capture)
            state.writers[key] = writer
            if writer.transactionOpen { throw StoreError("\(location), capture \"\(capture)\" already has an open transaction") }
            writer.transactionOpen = true
            return writer
        }
    }

    /// Marks the writer free again.
    func release(_ writer: CaptureWriter) {
        let closed = state.withLock { state in
            writer.transactionOpen = false
            return state.closed
        }
        if closed { writer.close() }
    }
}
