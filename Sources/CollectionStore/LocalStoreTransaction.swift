import JSON

/// A transaction of a ``LocalCollectionStore``: appends go straight to the journals' segment files
/// through bounded buffers; ``commit(connectorState:transactionSummary:)`` makes them durable and
/// then the checkpoint that makes them visible.
///
/// After an error from `append` or `commit`, the transaction only accepts ``abort()``. A transaction
/// dropped without commit or abort leaves its appended bytes on disk for the next transaction's
/// recovery to truncate, just as a crash would.
final class LocalStoreTransaction: StoreTransaction {
    /// The capture's writer while the transaction is open; released when it ends, so that a finished
    /// transaction kept around does not keep the capture locked after the store closes.
    private var writer: CaptureWriter?
    private let registry: Locked<StoreRegistry>
    /// `capture "c"`, for messages.
    private let context: String
    private var failure: StoreError?

    // The journal of the last collection appended to, so that runs of one collection skip any lookup.
    // Unmanaged, so the hot path neither retains nor releases: the capture's writer keeps its journals
    // for as long as the transaction is open, and these are cleared when it ends. `lastCollection`
    // keeps its string alive, which makes the identity test of `JournalCache.sameBytes` sound.
    private var lastCollection = ""
    private var lastJournal: Unmanaged<JournalWriter>?
    private var lastRejectedCollection = ""
    private var lastRejectedJournal: Unmanaged<JournalWriter>?
    private var documentJournals = JournalCache()
    private var rejectedJournals = JournalCache()

    init(writer: CaptureWriter, registry: Locked<StoreRegistry>) {
        self.writer = writer
        self.registry = registry
        context = writer.context
    }

    deinit {
        if let writer {
            writer.abandon()
            registry.withLock { _ in writer.transactionOpen = false }
        }
    }

    func append(collection: String, document: UnsafeRawBufferPointer) throws(StoreError) {
        if let journal = lastJournal, JournalCache.sameBytes(collection, lastCollection) {
            if let error = journal._withUnsafeGuaranteedRef({ $0.append(document, what: "document") }) { throw fail(error) }
            return
        }
        let journal = try find(.documents, collection)
        lastCollection = collection
        lastJournal = journal
        if let error = journal._withUnsafeGuaranteedRef({ $0.append(document, what: "document") }) { throw fail(error) }
    }

    func appendRejected(collection: String, record: UnsafeRawBufferPointer) throws(StoreError) {
        if let journal = lastRejectedJournal, JournalCache.sameBytes(collection, lastRejectedCollection) {
            if let error = journal._withUnsafeGuaranteedRef({ $0.append(record, what: "rejected record") }) { throw fail(error) }
            return
        }
        let journal = try find(.rejected, collection)
        lastRejectedCollection = collection
        lastRejectedJournal = journal
        if let error = journal._withUnsafeGuaranteedRef({ $0.append(record, what: "rejected record") }) { throw fail(error) }
    }

    /// The journal of `collection`, cached or from the capture's writer (claiming it if new).
    private func find(_ kind: JournalKind, _ collection: String) throws(StoreError) -> Unmanaged<JournalWriter> {
        let cached = kind == .documents ? documentJournals.lookup(collection) : rejectedJournals.lookup(collection)
        if let cached { return cached }
        // Not within an access to a cache: a failure empties them.
        let journal = Unmanaged.passUnretained(try resolve(kind, collection))
        if kind == .documents { documentJournals.insert(collection, journal) } else { rejectedJournals.insert(collection, journal) }
        return journal
    }

    func commit(connectorState: JSON, transactionSummary: TransactionSummary) throws(StoreError) {
        let writer = try checkUsable()
        do {
            try writer.commit(connectorState: connectorState, summary: transactionSummary)
        } catch {
            writer.needsRecovery = true
            throw fail(error)
        }
        finish()
    }

    func truncate(collection: String) throws(StoreError) {
        let writer = try checkUsable()
        do {
            try writer.truncate(JournalID(.documents, collection: collection))
        } catch {
            throw fail(error)
        }
    }

    func abort() {
        guard let writer else { return }
        writer.abort()
        finish()
    }

    private func resolve(_ kind: JournalKind, _ collection: String) throws(StoreError) -> JournalWriter {
        let writer = try checkUsable()
        do {
            return try writer.journal(JournalID(kind, collection: collection))
        } catch {
            throw fail(error)
        }
    }

    /// The writer, if the transaction is open and has not failed.
    private func checkUsable() throws(StoreError) -> CaptureWriter {
        guard let writer else { throw StoreError("\(context): the transaction has already committed or aborted") }
        if let failure { throw StoreError("\(context): the transaction failed earlier (\(failure.message)); it can only be aborted") }
        return writer
    }

    /// Remembers the first error: the journals may then be out of step with their files.
    private func fail(_ error: StoreError) -> StoreError {
        if failure == nil { failure = error }
        clearCaches()
        return error
    }

    private func clearCaches() {
        lastJournal = nil
        lastRejectedJournal = nil
        documentJournals.removeAll()
        rejectedJournals.removeAll()
    }

    private func finish() {
        guard let writer else { return }
        self.writer = nil
        clearCaches()
        registry.withLock { _ in writer.transactionOpen = false }
    }
}
