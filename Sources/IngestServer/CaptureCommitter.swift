import CollectionStore
import Concurrency
import Foundation
import JSON
import Logging
import Synchronization

/// Commits a capture's pushed documents, grouping concurrent requests into one store transaction.
///
/// A store allows one open transaction per capture, and a commit costs a few fsyncs whatever it
/// holds, so a single writer thread per capture drains a queue of pending batches: it takes every
/// batch waiting (up to `maxCommitBytes`), appends their documents, commits once, and then answers
/// each batch's waiter. A batch is all or nothing: its documents were validated before it was
/// queued, and a failed commit fails every batch of the group (none of them is visible).
///
/// The thread does blocking file I/O, which is why it is a thread and not a task: the cooperative
/// pool must stay free for requests.
// Unchecked: `store` (any CollectionStore, not Sendable) is used by the commit thread only, after init.
final class CaptureCommitter: @unchecked Sendable {
    /// What a commit of the capture writes as its connector state: pushed captures have none.
    static let connectorState = JSON.object(JSONObject())

    let capture: String
    private let store: any CollectionStore
    private let maxCommitBytes: Int
    private let logger: Logger

    /// Batches waiting for the commit thread. Unbounded: requests put from the cooperative pool, which must never
    /// wait; closed by ``close()``.
    private let queue = BlockingQueue<Pending>(capacity: .max)
    private let counts = Mutex(IngestTotals(documents: 0, commits: 0, committing: .zero))
    /// Closed when the commit thread has ended.
    private let finished = BlockingQueue<Void>(capacity: 1)
    private let onLeaseLost: @Sendable () -> Void

    private struct Pending: Sendable {
        var batch: PreparedBatch
        var continuation: CheckedContinuation<Void, any Error>
    }

    /// Opens the capture for writing: takes its lock in the store and truncates whatever an earlier
    /// run left uncommitted. Throws when another process writes the capture. `onLeaseLost` is called when a commit
    /// fails because another process took the capture over (``CollectionStore/StoreError/Kind/leaseLost``).
    init(capture: String, store: any CollectionStore, maxCommitBytes: Int, logger: Logger,
         onLeaseLost: @escaping @Sendable () -> Void = {}) throws(StoreError) {
        self.capture = capture
        self.onLeaseLost = onLeaseLost
        self.store = store
        self.maxCommitBytes = max(maxCommitBytes, 1)
        self.logger = logger
        // The lease (a shared store) and the capture's lock (local files) are this process's from now on.
        try store.takeLease(capture: capture)
        let transaction = try store.beginTransaction(capture: capture)
        transaction.abort()
        let thread = Thread { [self] in run() }
        thread.name = "commit \(capture)"
        thread.start()
    }

    /// Commits `batch` (with whatever else is pending) and returns once the commit is durable.
    /// Throws the store's error when the commit fails; nothing of the batch is then visible.
    func commit(_ batch: PreparedBatch) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            if !queue.put(Pending(batch: batch, continuation: continuation)) {
                continuation.resume(throwing: StoreError("capture \"\(capture)\": the server is shutting down"))
            }
        }
    }

    /// Documents and commits so far, and the time spent in store transactions (append and commit).
    var totals: IngestTotals {
        counts.withLock { $0 }
    }

    /// Commits what is queued, then stops the thread; later commits fail. Blocks until done.
    func close() {
        if queue.close() { _ = finished.take() }
    }

    private func run() {
        while let group = nextGroup() {
            let started = ContinuousClock.now
            let outcome = commitGroup(group)
            let took = ContinuousClock.now - started
            counts.withLock { counts in
                counts.committing += took
                if case .success = outcome {
                    counts.commits += 1
                    counts.documents += group.reduce(0) { $0 + $1.batch.count }
                }
            }
            for pending in group {
                switch outcome {
                case .success: pending.continuation.resume()
                case .failure(let error): pending.continuation.resume(throwing: error)
                }
            }
        }
        finished.close()
    }

    /// Waits for pending batches; takes them, oldest first, while they fit in `maxCommitBytes`
    /// (at least one). Nil once closed and drained.
    private func nextGroup() -> [Pending]? {
        var bytes = 0
        var taken = 0
        return queue.takeGroup { pending in
            let size = pending.batch.bytes.count
            if taken > 0 && bytes + size > maxCommitBytes { return false }
            bytes += size
            taken += 1
            return true
        }
    }

    private func commitGroup(_ group: [Pending]) -> Result<Void, StoreError> {
        var transaction: (any StoreTransaction)?
        do throws(StoreError) {
            let open = try store.beginTransaction(capture: capture)
            transaction = open
            var documents = 0
            var bytes = 0
            for pending in group {
                let batch = pending.batch
                try batch.forEachDocument { (document) throws(StoreError) in
                    try open.append(collection: batch.collection, document: document)
                }
                documents += batch.count
                bytes += batch.bytes.count
            }
            try open.commit(connectorState: Self.connectorState, transactionSummary: TransactionSummary(documents: documents, rejected: 0, bytes: bytes))
            return .success(())
        } catch {
            transaction?.abort()
            logger.error("commit failed", metadata: ["capture": "\(capture)", "error": "\(error)"])
            if error.kind == .leaseLost { onLeaseLost() }
            return .failure(error)
        }
    }
}
