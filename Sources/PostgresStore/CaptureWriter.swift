import CollectionStore
import Foundation
import JSON
import Postgres

/// Everything a ``PostgresCollectionStore`` needs to write one capture: the capture's lease (its epoch), a
/// connection of its own, and the collections it writes as last committed.
///
/// The lease is the row of `captures`: taking it bumps `epoch`, and every commit updates that row only where
/// `epoch` is still the one taken, in the same database transaction as the documents. A writer whose epoch is
/// gone is fenced: it refuses every further transaction with the same error.
///
/// Driven by one thread at a time: the store's mutex guards ``transactionOpen``, and only the holder of an
/// open transaction (or of the flag) touches the rest.
// Unchecked: one transaction's thread at a time drives it, handed over by `transactionOpen` (see above).
final class CaptureWriter: @unchecked Sendable {
    let capture: String
    /// `capture "c"`, for messages.
    let context: String
    /// The lease epoch this writer holds, or nil before it takes one.
    private(set) var epoch: Int64?
    /// Set once another process took the capture: every later call fails with it.
    private(set) var fenced: StoreError?
    /// Whether a transaction (or a state replacement) is using the writer; guarded by the store's mutex.
    var transactionOpen = false

    private var connection: StoreConnection?
    /// The collections this capture writes, as of its last commit; emptied after anything failed.
    private var collections: [[UInt8]: RegisteredCollection] = [:]

    init(capture: String) {
        self.capture = capture
        context = "capture \"\(capture)\""
    }

    deinit { connection?.connection.close() }

    /// The writer's connection, connecting (and creating or migrating the schema) first if it has none or it broke.
    func connected(_ store: PostgresCollectionStore) throws(StoreError) -> StoreConnection {
        if let connection, connection.isHealthy { return connection }
        connection = nil
        collections = [:]
        let fresh = try store.connect()
        if let migrated = try StoreSchema.migrate(fresh, schema: store.schema, context: "\(fresh.location), \(context)") {
            store.logger?.info("\(migrated)", metadata: ["capture": .string(capture)])
        }
        connection = fresh
        return fresh
    }

    /// Takes the capture's lease unless this writer holds it: bumps the epoch, which fences whichever process held
    /// it. Blocks while another process is committing the capture (its commit holds the row).
    func takeLease(_ store: PostgresCollectionStore) throws(StoreError) {
        if let fenced { throw fenced }
        if epoch != nil { return }
        let connection = try connected(store)
        let s = SQLText.identifier(store.schema)
        let rows = try connection.query("""
            INSERT INTO \(s).captures AS c (capture, epoch, leased_by, leased_at) VALUES ($1, 1, $2, clock_timestamp())
            ON CONFLICT (capture) DO UPDATE SET epoch = c.epoch + 1, leased_by = EXCLUDED.leased_by, leased_at = EXCLUDED.leased_at
            RETURNING epoch
            """, [capture, Self.holder], "\(connection.location), \(context): taking the capture's lease")
        guard let text = rows.first?.first.flatMap({ $0 }), let taken = Int64(text) else {
            throw StoreError("\(connection.location), \(context): taking the capture's lease returned no epoch")
        }
        epoch = taken
        store.logger?.info("took the capture's lease", metadata: ["capture": .string(capture), "epoch": .stringConvertible(taken)])
    }

    /// Records that another process took the capture (found at `epoch` by `holder`): the error says so (``StoreError/Kind/leaseLost``).
    func fence(_ store: PostgresCollectionStore, current: Int64?, holder: String?, at time: String?) -> StoreError {
        if let fenced { return fenced }
        let ours = epoch.map(String.init) ?? "?"
        let by = [holder.map { "by \($0)" }, time.map { "at \($0)" }].compactMap { $0 }.joined(separator: " ")
        let error = StoreError(
            "\(context) was taken over by another capstan process (lease epoch \(current.map(String.init) ?? "gone")\(by.isEmpty ? "" : ", taken \(by)"); "
                + "this process held epoch \(ours)): nothing of its open transaction was committed, and it stops writing the capture",
            kind: .leaseLost)
        fenced = error
        epoch = nil
        return error
    }

    /// Looks up who holds the lease now, on `connection` (outside any failed transaction), and fences this writer.
    func fenceAfterLookup(_ store: PostgresCollectionStore, _ connection: StoreConnection) -> StoreError {
        let row = try? connection.query(
            "SELECT epoch, leased_by, to_char(leased_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') FROM \(SQLText.identifier(store.schema)).captures WHERE capture = $1",
            [capture], "").first
        return fence(store, current: row?[0].flatMap { $0 }.flatMap { Int64($0) }, holder: row?[1] ?? nil, at: row?[2] ?? nil)
    }

    /// The registered state of `collection` as of the last commit, if known.
    func committed(_ collection: [UInt8]) -> RegisteredCollection? { collections[collection] }

    /// Records the state of `collection` after a commit (or a lookup inside a transaction that then committed).
    func remember(_ collection: [UInt8], _ state: RegisteredCollection) { collections[collection] = state }

    /// Forgets what it knew of the collections (after a failed or aborted transaction: claims may have been rolled back).
    func forgetCollections() { collections = [:] }

    /// Whether the writer has a connection that still works.
    var connectedIsHealthy: Bool { connection?.isHealthy ?? false }

    /// Drops the connection (after it broke, or a commit whose outcome is unknown): the next use reconnects.
    func dropConnection() {
        connection?.connection.close()
        connection = nil
        collections = [:]
    }

    /// Closes the connection; the lease stays in the database until another process takes it.
    func close() { dropConnection() }

    /// `host pid N`, recorded as `leased_by`.
    static let holder: String = {
        var name = [CChar](repeating: 0, count: 256)
        let host = gethostname(&name, name.count) == 0 ? String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "unknown host"
        return "\(host) pid \(getpid())"
    }()
}
