import JSON

/// Where collections and capture checkpoints live, committed together exactly once.
///
/// A capture writes through one ``StoreTransaction`` at a time: documents appended to its target
/// collections (and rejected records beside them) become visible to readers only when the
/// transaction commits, together with the capture's checkpoint. A crash at any instant leaves each
/// collection as of the last commit: nothing committed is lost and nothing uncommitted survives.
///
/// A collection has at most one writing capture (the catalog enforces it); any number of readers.
public protocol CollectionStore: Sendable {
    /// The capture's last committed checkpoint, or `nil` if it never committed.
    func checkpoint(capture: String) throws(StoreError) -> CaptureCheckpoint?

    /// Starts the capture's next transaction, first discarding anything a crashed earlier run left
    /// uncommitted. At most one transaction of a capture is open at a time.
    func beginTransaction(capture: String) throws(StoreError) -> any StoreTransaction

    /// Calls `body` with each committed document of `collection`, in commit order, as serialized JSON
    /// (one object, no newline). Memory stays bounded whatever the collection's size.
    func read(collection: String, _ body: (StoredDocument) throws -> Void) throws

    /// Replaces the capture's connector state (for `capstan state reset`), atomically, keeping
    /// everything else of its checkpoint.
    func replaceConnectorState(capture: String, with state: JSON) throws(StoreError)

    /// The names of the collections that hold committed documents.
    func collectionNames() throws(StoreError) -> [String]

    /// Takes the capture for this store object; the runtime calls it before it reads the capture's checkpoint
    /// for a session. A store shared by several processes fences off any other process writing the capture
    /// here (`PostgresCollectionStore` bumps a lease epoch, so the other's next commit fails); later calls
    /// through the same store object do nothing. Optional: the default does nothing (the local store locks a
    /// capture at its first transaction).
    func takeLease(capture: String) throws(StoreError)
}

extension CollectionStore {
    /// Does nothing: stores that lock captures otherwise need no lease.
    public func takeLease(capture: String) throws(StoreError) {}
}

/// One transaction of one capture. Not thread-safe: one writer drives it.
public protocol StoreTransaction: AnyObject {
    /// Appends a document (serialized JSON object, no newline) to `collection`.
    func append(collection: String, document: UnsafeRawBufferPointer) throws(StoreError)

    /// `collection` resolved for appending many documents to it in this transaction (``append(to:document:)``).
    /// Stores that find collections cheaply keep the default, a target that appends by name.
    func appendTarget(collection: String) throws(StoreError) -> AppendTarget

    /// Appends a document (serialized JSON object, no newline) to the collection of `target`, which this
    /// transaction made.
    func append(to target: AppendTarget, document: UnsafeRawBufferPointer) throws(StoreError)

    /// Appends `count` documents to the collection of `target`, given as consecutive lines (serialized JSON objects,
    /// each followed by its newline, none holding another): the way the runtime hands over a run of prepared
    /// documents, so that a store can write them as they are. The default appends them one by one.
    func append(to target: AppendTarget, lines: UnsafeRawBufferPointer, count: Int) throws(StoreError)

    /// Appends a rejected record (serialized JSON object, no newline) to the rejected-records log of `collection`.
    func appendRejected(collection: String, record: UnsafeRawBufferPointer) throws(StoreError)

    /// Makes everything appended durable and visible, with `connectorState` as the capture's new state
    /// (already reduced from the connector's checkpoints). After this returns, the commit survives any crash.
    func commit(connectorState: JSON, transactionSummary: TransactionSummary) throws(StoreError)

    /// Discards everything appended since the transaction began.
    func abort()

    /// Empties `collection` as of this call: when the transaction commits, readers see only the documents
    /// appended to it after this call; until then they see what they saw before, and an aborted
    /// transaction changes nothing. This is what a full-refresh overwrite sync needs to replace a
    /// collection atomically. Stores that cannot do it keep the default, which throws.
    func truncate(collection: String) throws(StoreError)
}

extension StoreTransaction {
    /// The default: a target that appends by name.
    public func appendTarget(collection: String) throws(StoreError) -> AppendTarget { AppendTarget(collection: collection) }

    /// The default: appends by the target's name.
    public func append(to target: AppendTarget, document: UnsafeRawBufferPointer) throws(StoreError) {
        try append(collection: target.collection, document: document)
    }

    /// The default: one ``append(to:document:)`` per line.
    public func append(to target: AppendTarget, lines: UnsafeRawBufferPointer, count: Int) throws(StoreError) {
        try Lines.forEach(in: lines) { (document) throws(StoreError) in try append(to: target, document: document) }
    }

    /// The default: truncation is not supported by this store.
    public func truncate(collection: String) throws(StoreError) {
        throw StoreError("collection \"\(collection)\": truncating a collection (overwrite syncs) is not supported by this store")
    }
}

/// What a capture's checkpoint holds.
public struct CaptureCheckpoint: Sendable, Equatable {
    /// The connector state after merge-patch reduction of every committed checkpoint: the next `open.state`.
    public var connectorState: JSON
    /// How many transactions have committed.
    public var transactions: Int64
    /// When the last transaction committed (RFC 3339); empty if the state was set before any commit.
    public var committedAt: String
    /// The counts of the last committed transaction, or `nil` before any commit.
    public var lastTransaction: TransactionSummary?

    public init(connectorState: JSON, transactions: Int64, committedAt: String, lastTransaction: TransactionSummary? = nil) {
        self.connectorState = connectorState
        self.transactions = transactions
        self.committedAt = committedAt
        self.lastTransaction = lastTransaction
    }
}

/// Counts of a transaction, kept with its checkpoint for status and progress reports.
public struct TransactionSummary: Sendable, Equatable {
    public var documents: Int
    public var rejected: Int
    public var bytes: Int

    public init(documents: Int, rejected: Int, bytes: Int) {
        self.documents = documents
        self.rejected = rejected
        self.bytes = bytes
    }
}

/// A committed document as a reader sees it.
public struct StoredDocument {
    /// The document's JSON text, valid only during the callback.
    public let bytes: UnsafeRawBufferPointer
    /// Its position in the collection, increasing in commit order (for local journals, a byte offset).
    public let position: Int64

    public init(bytes: UnsafeRawBufferPointer, position: Int64) {
        self.bytes = bytes
        self.position = position
    }
}

/// A store operation that failed; the message names the collection, capture or file at fault, and the kind says
/// what callers may act on.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, for callers that act on it.
    public enum Kind: Sendable, Equatable {
        /// Anything else: a bad file, an I/O error, a refused request. The message says what.
        case failed
        /// Another process took over the capture this one was writing (PostgreSQL store): nothing of the open
        /// transaction committed, and retrying would take the capture back and fence the other process in turn.
        case leaseLost
        /// The connection to the store's database was lost.
        case connectionLost
    }

    public let kind: Kind
    public let message: String

    public init(_ message: String, kind: Kind = .failed) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
