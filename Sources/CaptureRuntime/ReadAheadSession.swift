import Foundation

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
final class ReadAheadSession: ConnectorSession, @unchecked Sendable {  // state shared with the thread is guarded by `condition`
    static let maximumBatches = 8

    private let inner: any ConnectorSession
    private let preparation: DocumentPreparation

    // Shared with the read-ahead thread, under `condition`.
    private let condition = NSCondition()
    private var ready: [CaptureBatch] = []
    private var spare: [CaptureBatch] = []
    private var ended = false
    private var failure: RuntimeError?
    private var cancelled = false
    private var running = false

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
        condition.lock()
        running = true
        condition.unlock()
        let thread = Thread { [self] in readAhead() }
        thread.name = "read-ahead"
        thread.start()
    }

    /// The next batch read ahead, exchanged into `batch` (whose emptied contents are kept for reuse).
    func next(into batch: inout CaptureBatch) throws(RuntimeError) -> Bool {
        condition.lock()
        while ready.isEmpty && !ended { condition.wait() }
        if !ready.isEmpty {
            var filled = ready.removeFirst()
            condition.broadcast()
            condition.unlock()
            batch.exchangeContents(with: &filled)
            filled.removeAll()
            condition.lock()
            if spare.count < Self.maximumBatches && filled.bytes.capacity <= 4 * CaptureBatch.byteLimit { spare.append(filled) }
            condition.unlock()
            return true
        }
        let failure = self.failure
        condition.unlock()
        if let failure { throw failure }
        return false
    }

    var hasPendingInput: Bool { hasPendingInput(waitingMilliseconds: 0) }

    func hasPendingInput(waitingMilliseconds milliseconds: Int32) -> Bool {
        let deadline = Date(timeIntervalSinceNow: Double(milliseconds) / 1000)
        condition.lock()
        defer { condition.unlock() }
        while ready.isEmpty && !ended {
            if milliseconds <= 0 || !condition.wait(until: deadline) { break }
        }
        return !ready.isEmpty || ended
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
        let deadline = Date(timeIntervalSinceNow: 5)
        condition.lock()
        while running && condition.wait(until: deadline) {}
        condition.unlock()
        return result
    }

    /// Tells the read-ahead thread to stop handing over batches (the runner will take no more).
    private func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
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
        condition.lock()
        if !cancelled && !batch.isEmpty { ready.append(batch) }
        ended = true
        failure = ending
        running = false
        condition.broadcast()
        condition.unlock()
    }

    /// Queues `batch` for the runner, waiting while ``maximumBatches`` wait already, and replaces it with an empty
    /// one. False once cancelled.
    private func hand(_ batch: inout CaptureBatch) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while ready.count >= Self.maximumBatches && !cancelled { condition.wait() }
        if cancelled { return false }
        var handed = spare.popLast() ?? CaptureBatch(preparation: preparation)
        swap(&handed, &batch)
        ready.append(handed)
        condition.broadcast()
        return true
    }

    private func takeBatch() -> CaptureBatch {
        condition.lock()
        defer { condition.unlock() }
        return spare.popLast() ?? CaptureBatch(preparation: preparation)
    }
}
