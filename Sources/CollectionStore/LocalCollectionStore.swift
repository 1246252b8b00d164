import JSON
import Synchronization

/// The embedded default ``CollectionStore``: collections as append-only NDJSON journals in local
/// files, committed exactly once together with each capture's checkpoint.
///
/// ## Layout under `root`
/// ```
/// collections/<collection>/00000000000000000000.ndjson   documents, one per line
/// collections/<collection>/00000000000067108864.ndjson   the next segment, named by its start offset
/// collections/<collection>/rejected/00000000000000000000.ndjson   the rejected-records log
/// captures/<capture>/checkpoint.json   state, committed offsets, counts (see below)
/// captures/<capture>/journals.json     the journals the capture writes (claimed before first use)
/// captures/<capture>/lock              flock'ed by the process writing the capture
/// captures/.claims.lock                flock'ed while a capture claims a journal
/// ```
/// Names are percent-encoded into single directory names (`acmeCo/orders` is `acmeCo%2Forders`;
/// letters, digits, `-`, `_` and a non-leading `.` stay as they are, every other UTF-8 byte becomes
/// `%XX`). Offsets are journal-wide byte offsets: a segment's name is the offset of its first byte,
/// a new segment starts when the next line would take the current one past `segmentSize`, and
/// ``StoredDocument/position`` is the offset of the document's first byte.
///
/// `checkpoint.json` holds the reduced connector state, the transaction count, the commit time, the
/// last ``TransactionSummary``, the committed end offset of every journal the capture writes and, for
/// collections truncated by ``StoreTransaction/truncate(collection:)``, the offset where their visible
/// data begins. Segments wholly before the previous such start are deleted when a truncation commits.
/// Data past those offsets is uncommitted: readers never read it, and the capture's next
/// transaction truncates it away.
///
/// ## Commit
/// Appends are written to the last segment through a buffer (`writeBufferSize` per journal touched).
/// ``StoreTransaction/commit(connectorState:transactionSummary:)`` flushes the buffers, fsyncs each
/// touched segment (a segment is also fsynced when it fills and the journal rolls to the next) and
/// each directory where segments were created, writes the checkpoint to `checkpoint.json.tmp`,
/// fsyncs it, renames it over `checkpoint.json`, and fsyncs the capture's directory. New
/// directories are fsynced with their parents when created.
///
/// ## Concurrency
/// Any number of readers, in any process, see exactly the committed data. A capture is written by one
/// store object at a time: the first ``beginTransaction(capture:)`` takes a non-blocking exclusive
/// `flock` on the capture's lock file, held until ``close()`` (or deinit); a second writer gets a
/// ``StoreError`` naming the capture and the lock file. A journal is written by one capture only.
public final class LocalCollectionStore: CollectionStore, Sendable {
    /// The directory holding `collections/` and `captures/`.
    public let root: String
    /// The size past which a journal rolls to a new segment.
    public let segmentSize: Int64
    /// The write buffer of each journal a transaction appends to.
    public let writeBufferSize: Int
    /// The initial read buffer (it grows only to hold a longer document).
    public let readBufferSize: Int

    private let registry = Mutex(StoreRegistry())

    /// A store in `root` (created when first written). `segmentSize` and the buffer sizes are for tests
    /// and tuning; the defaults suit production.
    public init(root: String = "./data", segmentSize: Int64 = 64 << 20, writeBufferSize: Int = 256 << 10, readBufferSize: Int = 1 << 20) {
        self.root = root
        self.segmentSize = max(segmentSize, 1)
        self.writeBufferSize = max(writeBufferSize, 64)
        self.readBufferSize = max(readBufferSize, 4096)
    }

    deinit { close() }

    /// Releases the captures' locks and files. Transactions still open keep theirs until they end;
    /// the store then refuses new transactions.
    public func close() {
        let writers = registry.withLock { registry in
            registry.closed = true
            defer { registry.writers = [:] }
            return registry.writers
        }
        _ = writers  // released here, outside the mutex
    }

    // MARK: - Writing

    /// Starts the capture's next transaction. The first one takes the capture's lock; any of them
    /// first truncates the capture's journals to their committed offsets if they may hold
    /// uncommitted data (always after opening, and after a failed or abandoned transaction).
    public func beginTransaction(capture: String) throws(StoreError) -> any StoreTransaction {
        let encoded = try NameEncoding.validate(capture, what: "capture")
        let writer = try registry.withLock { (registry) throws(StoreError) -> CaptureWriter in
            if registry.closed { throw StoreError("capture \"\(capture)\": the store in \(root) is closed") }
            let writer: CaptureWriter
            if let existing = registry.writers[encoded] {
                writer = existing
            } else {
                writer = try CaptureWriter(capture: capture, encoded: encoded, root: root, segmentLimit: segmentSize, bufferCapacity: writeBufferSize)
                registry.writers[encoded] = writer
            }
            guard writer.transactionOpen.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
                throw StoreError("capture \"\(capture)\" already has an open transaction")
            }
            return writer
        }
        do {
            try writer.recoverIfNeeded()
        } catch {
            writer.transactionOpen.store(false, ordering: .releasing)
            throw error
        }
        return LocalStoreTransaction(writer: writer)
    }

    /// Replaces the capture's connector state, keeping the rest of its checkpoint (if it never
    /// committed, the checkpoint is created with no transactions and an empty `committedAt`).
    /// Takes the capture's lock for the duration, so it fails while another process writes the capture.
    public func replaceConnectorState(capture: String, with state: JSON) throws(StoreError) {
        let encoded = try NameEncoding.validate(capture, what: "capture")
        let held = try registry.withLock { (registry) throws(StoreError) -> CaptureWriter? in
            guard let writer = registry.writers[encoded] else { return nil }
            // Keeps transactions out meanwhile.
            guard writer.transactionOpen.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
                throw StoreError("capture \"\(capture)\" has an open transaction: cannot replace its state")
            }
            return writer
        }
        if let held {
            defer { held.transactionOpen.store(false, ordering: .releasing) }
            try held.replaceConnectorState(state)
        } else {
            let writer = try CaptureWriter(capture: capture, encoded: encoded, root: root, segmentLimit: segmentSize, bufferCapacity: writeBufferSize)
            try writer.replaceConnectorState(state)
        }
    }

    // MARK: - Reading

    /// The capture's last committed checkpoint, as on disk, or `nil` if it never committed.
    public func checkpoint(capture: String) throws(StoreError) -> CaptureCheckpoint? {
        let encoded = try NameEncoding.validate(capture, what: "capture")
        return try LocalCheckpoint.load(checkpointPath(encoded), context: "capture \"\(capture)\"")?.captureCheckpoint
    }

    /// Calls `body` with each committed document of `collection` in commit order, up to the offset
    /// committed when the read starts. A collection no capture has committed to has no documents.
    public func read(collection: String, _ body: (StoredDocument) throws -> Void) throws {
        try read(JournalID(.documents, collection: collection), body)
    }

    /// Calls `body` with each committed record of the rejected-records log of `collection`, in commit
    /// order; `position` is the record's offset in the log.
    public func readRejected(collection: String, _ body: (StoredDocument) throws -> Void) throws {
        try read(JournalID(.rejected, collection: collection), body)
    }

    /// Calls `body` with the last committed document of each key of `collection`, in position order
    /// (for `capstan read --latest`). `keyOf` gives a document's key as bytes; documents for which it
    /// returns `nil` are skipped. Reads the collection twice, up to the same committed offset; memory
    /// is bounded by the number of distinct keys (each key is kept with a position, not a document).
    public func readLatest(collection: String, keyOf: (JSON) throws -> [UInt8]?, _ body: (StoredDocument) throws -> Void) throws {
        let id = try JournalID(.documents, collection: collection)
        let (start, end) = try committedRange(of: id)
        let directory = id.directory(root: root)
        let context = "\(id)"
        var latest: [[UInt8]: Int64] = [:]
        let parser = JSONParser()
        try JournalReader.read(directory: directory, from: start, upTo: end, context: context, bufferSize: readBufferSize) { bytes, position in
            let document: JSON
            do {
                document = try parser.parse(bytes)
            } catch {
                throw StoreError("\(context): invalid document at position \(position): \(error)")
            }
            if let key = try keyOf(document) { latest[key] = position }
        }
        var positions = Array(latest.values)
        latest = [:]
        positions.sort()
        var next = 0
        try JournalReader.read(directory: directory, from: start, upTo: end, context: context, bufferSize: readBufferSize) { bytes, position in
            guard next < positions.count, positions[next] == position else { return }
            next += 1
            try body(StoredDocument(bytes: bytes, position: position))
        }
    }

    /// The collections that hold committed documents, sorted.
    public func collectionNames() throws(StoreError) -> [String] {
        var names: [JournalID] = []
        for (_, checkpoint) in try allCheckpoints() {
            for (id, offset) in checkpoint.offsets where id.kind == .documents && offset > 0 { names.append(id) }
        }
        return Array(Set(names)).map(\.collection).sorted()
    }

    private func read(_ id: JournalID, _ body: (StoredDocument) throws -> Void) throws {
        let (start, end) = try committedRange(of: id)
        try JournalReader.read(directory: id.directory(root: root), from: start, upTo: end, context: "\(id)", bufferSize: readBufferSize) { bytes, position in
            try body(StoredDocument(bytes: bytes, position: position))
        }
    }

    /// Where the committed data of `id` ends, per the checkpoint of the capture that writes it
    /// (0 if none does). The owner found last time is checked first; otherwise every capture's
    /// checkpoint is scanned.
    func committedEnd(of id: JournalID) throws(StoreError) -> Int64 { try committedRange(of: id).end }

    /// Where the visible committed data of `id` begins (past a truncation) and ends, from one read of
    /// the owning capture's checkpoint.
    func committedRange(of id: JournalID) throws(StoreError) -> (start: Int64, end: Int64) {
        if let owner = registry.withLock({ $0.owners[id] }),
           let checkpoint = try LocalCheckpoint.load(checkpointPath(owner), context: "\(id)"), let offset = checkpoint.offsets[id] {
            return (checkpoint.starts[id] ?? 0, offset)
        }
        var found: (capture: String, offset: Int64, start: Int64)?
        for (capture, checkpoint) in try allCheckpoints() {
            guard let offset = checkpoint.offsets[id] else { continue }
            if let found {
                let names = [found.capture, capture].compactMap(NameEncoding.decode).map { "\"\($0)\"" }
                throw StoreError("\(id) is written by two captures: \(names.joined(separator: " and "))")
            }
            found = (capture, offset, checkpoint.starts[id] ?? 0)
        }
        guard let found else { return (0, 0) }
        registry.withLock { $0.owners[id] = found.capture }
        return (found.start, found.offset)
    }

    /// Every capture's checkpoint, by encoded capture name.
    private func allCheckpoints() throws(StoreError) -> [(String, LocalCheckpoint)] {
        let directory = "\(root)/captures"
        var result: [(String, LocalCheckpoint)] = []
        for name in try FileSystem.list(directory, context: "") ?? [] where !name.hasPrefix(".") {
            guard let capture = NameEncoding.decode(name) else { continue }
            if let checkpoint = try LocalCheckpoint.load(checkpointPath(name), context: "capture \"\(capture)\"") {
                result.append((name, checkpoint))
            }
        }
        return result.sorted { $0.0 < $1.0 }
    }

    private func checkpointPath(_ encodedCapture: String) -> String { "\(root)/captures/\(encodedCapture)/checkpoint.json" }
}
