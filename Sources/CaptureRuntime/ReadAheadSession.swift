import Concurrency
import Foundation
import Synchronization

/// Reads another session on a thread of its own, ahead of the runner: reading the connector's output, cutting its
/// messages and preparing documents (``DocumentPreparation``, with the read-ahead thread's own) run beside storing
/// and committing them, on two cores where there are two. Batches keep the connector's order.
///
/// Memory stays bounded: at most ``maximumBatches`` filled batches wait for the runner, each bounded as
/// ``CaptureBatch`` says. A batch is handed over early whenever the connector has nothing more at hand, so a
/// checkpoint never waits for a batch to fill.
///
/// The wrapped session must allow it (``ConnectorSession/allowsReadAhead``): its ``ConnectorSession/next(into:)``
/// runs on the read-ahead thread while the runner's thread acknowledges, signals and stops it.
// Unchecked: batches (not Sendable) pass between the two threads only through `ready` and `spare`, one side at a time.
final class ReadAheadSession: ConnectorSession, @unchecked Sendable {
    static let maximumBatches = 8

    private let inner: any ConnectorSession
    private let preparation: DocumentPreparation

    /// Filled batches, oldest first. The read-ahead thread closes it after its last batch (having set `failure`);
    /// the runner cancels it when it will take no more, which also stops the thread.
    private let ready = BlockingQueue<CaptureBatch>(capacity: ReadAheadSession.maximumBatches)
    /// Emptied batches, for the read-ahead thread to fill again.
    private let spare = BlockingQueue<CaptureBatch>(capacity: ReadAheadSession.maximumBatches)
    /// Why the read-ahead ended early, set before `ready` closes.
    private let failure = Mutex<RuntimeError?>(nil)
    /// Whether the read-ahead thread was started, and closed when it has ended.
    private let started = Atomic(false)
    private let ended = BlockingQueue<Void>(capacity: 1)

    /// Reads `inner` ahead, preparing its documents with `preparation` (used by the read-ahead thread only).
    init(_ inner: any ConnectorSession, preparation: DocumentPreparation) {
        self.inner = inner
        self.preparation = preparation
    }

    var captureName: String { inner.captureName }

    /// The read-ahead would not gain from reading ahead again.
    var allowsReadAhead: Bool { false }

    func start() throws(RuntimeError) {
        try inner.start()
        started.store(true, ordering: .sequentiallyConsistent)
        let thread = Thread { [self] in readAhead() }
        thread.name = "read-ahead"
        thread.start()
    }

    /// The next batch read ahead, exchanged into `batch` (whose emptied contents are kept for reuse).
    func next(into batch: inout CaptureBatch) throws(RuntimeError) -> Bool {
        guard var filled = ready.take() else {
            if let failure = failure.withLock({ $0 }) { throw failure }
            return false
        }
        batch.exchangeContents(with: &filled)
        filled.removeAll()
        // Only this thread puts spares, so the count cannot grow between the look and the put.
        if spare.count < Self.maximumBatches && filled.bytes.capacity <= 4 * CaptureBatch.byteLimit { spare.put(filled) }
        return true
    }

    var hasPendingInput: Bool { hasPendingInput(waitingMilliseconds: 0) }

    func hasPendingInput(waitingMilliseconds milliseconds: Int32) -> Bool {
        ready.waitUntilReady(until: .now + .milliseconds(Int64(max(milliseconds, 0))))
    }

    func acknowledge(checkpoints: Int) { inner.acknowledge(checkpoints: checkpoints) }

    func signalStop() { inner.signalStop() }

    func stop() {
        cancel()
        inner.stop()
    }

    func finish() -> RuntimeError? {
        cancel()
        let result = inner.finish()
        // The connector has exited, so its output ends and the thread with it; bounded all the same, in case
        // some process of its own still holds the pipe open.
        if started.load(ordering: .sequentiallyConsistent) { _ = ended.take(until: .now + .seconds(5)) }
        return result
    }

    /// Tells the read-ahead thread to stop handing over batches (the runner will take no more).
    private func cancel() {
        ready.cancel()
    }

    // MARK: - The read-ahead thread

    private func readAhead() {
        var batch = takeBatch()
        var ending: RuntimeError?
        while true {
            do {
                guard try inner.next(into: &batch) else { break }
            } catch {
                ending = error
                break
            }
            // After a failure the runner stops: nothing more is read.
            if !batch.failures.isEmpty { break }
            if batch.isFull || !inner.hasPendingInput {
                guard hand(&batch) else { break }
            }
        }
        // The last batch goes in even past the bound (once cancelled, it is refused).
        if !batch.isEmpty { ready.putWithoutWaiting(batch) }
        failure.withLock { $0 = ending }
        ready.close()
        ended.close()
    }

    /// Queues `batch` for the runner, waiting while ``maximumBatches`` wait already, and replaces it with an empty
    /// one. False once cancelled.
    private func hand(_ batch: inout CaptureBatch) -> Bool {
        var handed = takeBatch()
        swap(&handed, &batch)
        return ready.put(handed)
    }

    /// A spare batch if there is one, else a new one.
    private func takeBatch() -> CaptureBatch {
        if case .element(let reused) = spare.take(until: .now) { return reused }
        return CaptureBatch(preparation: preparation)
    }
}
