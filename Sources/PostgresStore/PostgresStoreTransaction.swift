import CollectionStore
import JSON
import Postgres

/// A transaction of a ``PostgresCollectionStore``: one database transaction on the capture's connection.
///
/// Documents are encoded as they are appended into a per-collection buffer, sent once it holds
/// ``flushBytes`` (or at commit) through a `COPY` stream that stays open while the same collection keeps
/// coming (or as batched `INSERT`s). Rejected records go the same way into the `rejected` table. The commit
/// checks the lease and writes the checkpoint row and the registry's ends in the same database transaction.
///
/// After an error the database transaction is rolled back at once and only ``abort()`` is accepted. A
/// transaction dropped without commit or abort is rolled back.
final class PostgresStoreTransaction: StoreTransaction {
    /// The bytes buffered per collection before they are sent.
    static let flushBytes = 256 << 10

    private enum Stream: Equatable {
        case documents([UInt8])
        case rejected
    }

    private let store: PostgresCollectionStore
    private var writer: CaptureWriter?
    private let connection: StoreConnection
    /// The capture's transaction number this transaction commits as (`_commit` of its rows).
    private let commitNumber: Int64
    private let commitText: String
    /// `PostgreSQL store …, capture "c"`, for messages.
    private let context: String
    private var failure: StoreError?

    private var targets: [[UInt8]: TransactionTarget] = [:]
    private var order: [TransactionTarget] = []
    private var last: TransactionTarget?
    private var rejectedPending: [UInt8] = []
    /// The COPY in progress, if any.
    private var copying: Stream?

    init(store: PostgresCollectionStore, writer: CaptureWriter, connection: StoreConnection, commit: Int64) {
        self.store = store
        self.writer = writer
        self.connection = connection
        commitNumber = commit
        commitText = String(commit)
        context = "\(connection.location), \(writer.context)"
    }

    deinit { abort() }

    // MARK: - Appending

    func append(collection: String, document: UnsafeRawBufferPointer) throws(StoreError) {
        try checkUsable()
        guard !document.isEmpty else { throw fail(StoreError("\(context), collection \"\(collection)\": an empty document")) }
        let target: TransactionTarget
        if let last, collection.utf8.elementsEqual(last.key) { target = last } else { target = try find(collection) }
        target.position += 1
        switch store.insertMethod {
        case .copy:
            BinaryCopyRows.appendDocument(position: target.position, commit: commitNumber, json: document, to: &target.pendingCopy)
            if target.pendingCopy.count >= Self.flushBytes { try send(target) }
        case .batchedInsert(let rows):
            target.pendingParameters.append(String(target.position))
            target.pendingParameters.append(commitText)
            target.pendingParameters.append(String(decoding: document, as: UTF8.self))
            target.pendingRows += 1
            if target.pendingRows >= max(1, rows) { try send(target) }
        }
    }

    func appendRejected(collection: String, record: UnsafeRawBufferPointer) throws(StoreError) {
        try checkUsable()
        guard !record.isEmpty else { throw fail(StoreError("\(context), collection \"\(collection)\": an empty rejected record")) }
        let target: TransactionTarget
        if let last, collection.utf8.elementsEqual(last.key) { target = last } else { target = try find(collection) }
        target.rejectedPosition += 1
        BinaryCopyRows.appendRejected(collection: collection, position: target.rejectedPosition, commit: commitNumber, json: record, to: &rejectedPending)
        if rejectedPending.count >= Self.flushBytes { try sendRejected() }
    }

    /// The transaction's target for `collection`: known from the last commit, or looked up in the registry
    /// (and claimed, with its table created, if no capture wrote it yet).
    private func find(_ collection: String) throws(StoreError) -> TransactionTarget {
        let key = Array(collection.utf8)
        if let target = targets[key] {
            last = target
            return target
        }
        guard let writer else { throw StoreError("\(context): the transaction has already committed or aborted") }
        guard SQLText.isUsable(collection) else { throw fail(StoreError("\(context): invalid collection name \"\(collection)\"")) }
        let registered: RegisteredCollection
        if let known = writer.committed(key) {
            registered = known
        } else {
            do throws(StoreError) {
                try endCopy()
                registered = try claim(collection, writer: writer)
            } catch {
                throw fail(error)
            }
        }
        let target = TransactionTarget(collection: collection, registered: registered, schema: store.schema)
        targets[key] = target
        order.append(target)
        last = target
        return target
    }

    /// Looks `collection` up in the registry, checking that this capture writes it and that its key is the
    /// configured one; registers it and creates its table if it is new (all inside this transaction).
    private func claim(_ collection: String, writer: CaptureWriter) throws(StoreError) -> RegisteredCollection {
        let context = "\(self.context), collection \"\(collection)\""
        let configuredKey = store.keys[collection]
        func check(_ entry: RegisteredCollection) throws(StoreError) -> RegisteredCollection {
            guard entry.capture.utf8.elementsEqual(writer.capture.utf8) else {
                throw StoreError("\(context): cannot write it: capture \"\(entry.capture)\" writes it (\(SQLText.identifier(store.schema)).collections)")
            }
            if let configuredKey, configuredKey != entry.table.key {
                throw StoreError("\(context): its table \(entry.table.qualifiedName(schema: store.schema)) has key columns "
                    + "\(entry.table.key.map { "\($0.field) (\($0.pointer))" }) but the catalog's key is now \(configuredKey.map { "\($0.field) (\($0.pointer))" }); "
                    + "write to a new collection, or move the table aside and delete its row from \(SQLText.identifier(store.schema)).collections")
            }
            return entry
        }
        if let entry = try store.registered(collection, on: connection, context: context) { return try check(entry) }
        let table = CollectionTable(name: CollectionTable.tableName(for: collection), key: configuredKey ?? [])
        let s = SQLText.identifier(store.schema)
        let inserted = try connection.query("""
            INSERT INTO \(s).collections (collection, table_name, capture, key) VALUES ($1, $2, $3, $4::jsonb)
            ON CONFLICT DO NOTHING RETURNING 1
            """, [collection, table.name, writer.capture, table.keyJSON.serializedString()], "\(context): registering the collection")
        if inserted.isEmpty {
            if let entry = try store.registered(collection, on: connection, context: context) { return try check(entry) }
            throw StoreError("\(context): cannot register it: another collection's table is named \(table.qualifiedName(schema: store.schema))")
        }
        for statement in table.createStatements(schema: store.schema) {
            do {
                _ = try connection.connection.query(statement)
            } catch {
                if (error as? PostgresError)?.sqlState == "42P07" {
                    throw StoreError("\(context): cannot create its table: \(table.qualifiedName(schema: store.schema)) already exists and capstan did not create it for this collection")
                }
                throw StoreError("\(context): creating its table \(table.qualifiedName(schema: store.schema)): \(StoreConnection.describe(error))", kind: StoreConnection.kind(of: error))
            }
        }
        return RegisteredCollection(table: table, capture: writer.capture, lastPosition: 0, lastRejectedPosition: 0)
    }

    // MARK: - Sending

    /// Sends the target's buffered documents.
    private func send(_ target: TransactionTarget) throws(StoreError) {
        // Any other COPY ends first: from here on `copying` is nil or this target's.
        do {
            if copying != nil && copying != .documents(target.key) { try endCopy() }
        } catch {
            throw fail(error)
        }
        do {
            switch store.insertMethod {
            case .copy:
                guard !target.pendingCopy.isEmpty else { return }
                if copying == nil { try beginCopy(target.copyStatement, .documents(target.key)) }
                try put(target.pendingCopy)
                target.pendingCopy.removeAll(keepingCapacity: true)
            case .batchedInsert:
                guard target.pendingRows > 0 else { return }
                _ = try connection.connection.query(insertStatement(target), parameters: target.pendingParameters)
                target.pendingParameters.removeAll(keepingCapacity: true)
                target.pendingRows = 0
            }
        } catch {
            throw fail(StoreError("\(context), collection \"\(target.collection)\": sending documents to \(target.registered.table.qualifiedName(schema: store.schema)): \(StoreConnection.describe(error))", kind: StoreConnection.kind(of: error)))
        }
    }

    /// Sends the buffered rejected records.
    private func sendRejected() throws(StoreError) {
        guard !rejectedPending.isEmpty else { return }
        do {
            if copying != nil && copying != .rejected { try endCopy() }
        } catch {
            throw fail(error)
        }
        do {
            if copying == nil {
                try beginCopy("COPY \(SQLText.identifier(store.schema)).rejected (collection, _position, _commit, record) FROM STDIN WITH (FORMAT binary)", .rejected)
            }
            try put(rejectedPending)
            rejectedPending.removeAll(keepingCapacity: true)
        } catch {
            throw fail(StoreError("\(context): sending rejected records to \(SQLText.identifier(store.schema)).rejected: \(StoreConnection.describe(error))", kind: StoreConnection.kind(of: error)))
        }
    }

    private func insertStatement(_ target: TransactionTarget) -> String {
        let rows = target.pendingRows
        if let cached = target.insertStatements[rows] { return cached }
        var sql = target.insertPrefix
        for row in 0..<rows {
            if row > 0 { sql += ", " }
            sql += "($\(row * 3 + 1), $\(row * 3 + 2), $\(row * 3 + 3))"
        }
        target.insertStatements[rows] = sql
        return sql
    }

    private func beginCopy(_ statement: String, _ stream: Stream) throws {
        try connection.connection.beginCopyIn(statement)
        copying = stream
        try put(BinaryCopyRows.header)
    }

    private func put(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try connection.connection.putCopyData($0) }
    }

    /// Ends the COPY in progress, if any; its errors (a refused row) surface here, naming the collection.
    private func endCopy() throws(StoreError) {
        guard let stream = copying else { return }
        copying = nil
        do {
            try BinaryCopyRows.trailer.withUnsafeBytes { try connection.connection.putCopyData($0) }
            try connection.connection.endCopyIn()
        } catch {
            switch stream {
            case .documents(let key):
                let target = targets[key]
                throw StoreError("\(context), collection \"\(target?.collection ?? String(decoding: key, as: UTF8.self))\": sending documents"
                    + "\(target.map { " to \($0.registered.table.qualifiedName(schema: store.schema))" } ?? ""): \(StoreConnection.describe(error))", kind: StoreConnection.kind(of: error))
            case .rejected:
                throw StoreError("\(context): sending rejected records to \(SQLText.identifier(store.schema)).rejected: \(StoreConnection.describe(error))", kind: StoreConnection.kind(of: error))
            }
        }
    }

    // MARK: - Ending

    func commit(connectorState: JSON, transactionSummary: TransactionSummary) throws(StoreError) {
        try checkUsable()
        guard let writer, let epoch = writer.epoch else { throw fail(StoreError("\(context): the lease is not held")) }
        for target in order { try send(target) }
        try sendRejected()
        let s = SQLText.identifier(store.schema)
        do throws(StoreError) {
            try endCopy()
            let updated = try connection.query("""
                UPDATE \(s).captures SET connector_state = $2::jsonb, transactions = $3, committed_at = clock_timestamp(),
                  last_documents = $4, last_rejected = $5, last_bytes = $6
                WHERE capture = $1 AND epoch = $7 RETURNING 1
                """, [writer.capture, connectorState.serializedString(), commitText, String(transactionSummary.documents),
                      String(transactionSummary.rejected), String(transactionSummary.bytes), String(epoch)],
                "\(context): writing the checkpoint")
            if updated.isEmpty {
                connection.rollback()
                let fenced = writer.fenceAfterLookup(store, connection)
                throw fenced
            }
            for target in order where target.touched || target.touchedRejected {
                _ = try connection.query("UPDATE \(s).collections SET last_position = $2, last_rejected_position = $3 WHERE collection = $1",
                                         [target.collection, String(target.position), String(target.rejectedPosition)],
                                         "\(context), collection \"\(target.collection)\": recording its committed end")
            }
        } catch {
            throw fail(error)
        }
        do {
            try connection.connection.execute("COMMIT")
        } catch {
            let lost = !connection.isHealthy
            throw fail(StoreError("\(context): COMMIT failed: \(StoreConnection.describe(error))"
                + (lost ? " — the connection was lost, so whether the transaction committed is unknown: the next session reads the checkpoint back" : ""),
                kind: lost ? .connectionLost : StoreConnection.kind(of: error)))
        }
        for target in order {
            var registered = target.registered
            registered.lastPosition = target.position
            registered.lastRejectedPosition = target.rejectedPosition
            writer.remember(target.key, registered)
        }
        finish()
    }

    func abort() {
        guard writer != nil else { return }
        if failure == nil { rollBack(reason: "transaction aborted") }
        finish()
    }

    /// Throws unless the transaction is open and has not failed.
    private func checkUsable() throws(StoreError) {
        guard writer != nil else { throw StoreError("\(context): the transaction has already committed or aborted") }
        if let failure { throw StoreError("\(context): the transaction failed earlier (\(failure.message)); it can only be aborted") }
    }

    /// Remembers the first error and rolls the database transaction back at once (releasing its locks).
    private func fail(_ error: StoreError) -> StoreError {
        guard failure == nil else { return error }
        failure = error
        rollBack(reason: "transaction failed")
        return error
    }

    /// Ends any COPY with `reason`, rolls the database transaction back, and forgets what it may have undone.
    private func rollBack(reason: String) {
        if copying != nil {
            copying = nil
            connection.connection.abortCopyIn(reason: reason)
        }
        connection.rollback()
        writer?.forgetCollections()
        if !connection.isHealthy { writer?.dropConnection() }
    }

    private func finish() {
        guard let writer else { return }
        self.writer = nil
        targets = [:]
        order = []
        last = nil
        rejectedPending = []
        store.release(writer)
    }
}
