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
    /// `capture "c"`, for messages.
    private let context: String
    private var failure: StoreError?

    // The journals appended to in this transaction: documents by ``AppendTarget`` slot, and both kinds by name.
    // Unmanaged, so the hot path neither retains nor releases: the capture's writer keeps its journals for as long
    // as the transaction is open, and these are emptied when it ends. Names are compared byte for byte (their UTF-8
    // views): Swift's `==` equates canonically equivalent names, which are distinct collections here.
    private var targets: [Unmanaged<JournalWriter>] = []
    private var documentJournals: [[UInt8]: Int] = [:]
    private var rejectedJournals: [[UInt8]: Unmanaged<JournalWriter>] = [:]
    /// The last collection appended to by name, so that runs of one collection skip hashing.
    private var lastCollection = ""
    private var lastJournal: Unmanaged<JournalWriter>?

    init(writer: CaptureWriter) {
        self.writer = writer
        context = writer.context
    }

    deinit {
        if let writer {
            writer.abandon()
            writer.transactionOpen.store(false, ordering: .releasing)
        }
    }

    func append(collection: String, document: UnsafeRawBufferPointer) throws(StoreError) {
        let journal: Unmanaged<JournalWriter>
        if let last = lastJournal, collection.utf8.elementsEqual(lastCollection.utf8) {
            journal = last
        } else {
            journal = targets[try slot(collection)]
            lastCollection = collection
            lastJournal = journal
        }
        if let error = journal._withUnsafeGuaranteedRef({ $0.append(document, what: "document") }) { throw fail(error) }
    }

    func appendTarget(collection: String) throws(StoreError) -> AppendTarget {
        AppendTarget(collection: collection, slot: try slot(collection))
    }

    @inline(__always)
    func append(to target: AppendTarget, document: UnsafeRawBufferPointer) throws(StoreError) {
        if let error = try journal(of: target)._withUnsafeGuaranteedRef({ $0.append(document, what: "document") }) { throw fail(error) }
    }

    func append(to target: AppendTarget, lines: UnsafeRawBufferPointer, count: Int) throws(StoreError) {
        if let error = try journal(of: target)._withUnsafeGuaranteedRef({ $0.appendLines(lines, count: count) }) { throw fail(error) }
    }

    /// The journal `target` names, if this open transaction made it.
    @inline(__always)
    private func journal(of target: AppendTarget) throws(StoreError) -> Unmanaged<JournalWriter> {
        guard target.slot >= 0 && target.slot < targets.count else {
            _ = try checkUsable()
            throw StoreError("\(context), collection \"\(target.collection)\": appending through a target of another transaction")
        }
        return targets[target.slot]
    }

    func appendRejected(collection: String, record: UnsafeRawBufferPointer) throws(StoreError) {
        let journal: Unmanaged<JournalWriter>
        let name = Array(collection.utf8)
        if let known = rejectedJournals[name] {
            journal = known
        } else {
            journal = Unmanaged.passUnretained(try resolve(.rejected, collection))
            rejectedJournals[name] = journal
        }
        if let error = journal._withUnsafeGuaranteedRef({ $0.append(record, what: "rejected record") }) { throw fail(error) }
    }

    /// The slot of `collection`'s documents journal in ``targets``, claiming the journal if it is new.
    private func slot(_ collection: String) throws(StoreError) -> Int {
        let name = Array(collection.utf8)
        if let known = documentJournals[name] { return known }
        let journal = Unmanaged.passUnretained(try resolve(.documents, collection))
        targets.append(journal)
        documentJournals[name] = targets.count - 1
        return targets.count - 1
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
        lastCollection = ""
        targets.removeAll()
        documentJournals.removeAll()
        rejectedJournals.removeAll()
    }

    private func finish() {
        guard let writer else { return }
        self.writer = nil
        clearCaches()
        writer.transactionOpen.store(false, ordering: .releasing)
    }
}
