import Catalog
import Concurrency
import Foundation
import Logging
import Synchronization

/// Keeps a capture running, session after session, as `capstan run` does.
///
/// - A connector that exits 0 is started again once `interval` has passed since its session started.
/// - A connector that fails is started again after a backoff of 10 s, 30 s, 90 s, 4.5 min, then every 5 min;
///   a successful session resets the backoff.
/// - ``requestStop()`` (on SIGINT or SIGTERM) ends the session in flight cleanly at its next checkpoint
///   boundary and ends the loop.
/// - `once`: one session, whose outcome is the result.
/// - `sessionTimeout`: each session is asked to stop cleanly once it has run this long.
/// - `schedule` (instead of the interval): a cron schedule starts the next sync at the cron expression's
///   next time after the previous one started; a manual one runs one sync and ends.
/// - `retries` (Airbyte's jobs and attempts): a failed attempt is retried after the policy's backoff,
///   resuming from the last committed state, until the sync succeeds or a limit is reached; then the sync
///   has failed (with `once`, the run fails) and the next one waits for its scheduled time. An attempt that
///   committed documents starts the backoff and the consecutive count over.
// Unchecked: `makeSession` (not @Sendable) runs on run()'s thread only; requestStop() touches only `stopped`, `current` and `stopSignal`.
public final class CaptureSupervisor: @unchecked Sendable {
    /// The backoff after consecutive failures.
    public static let backoff: [Duration] = [.seconds(10), .seconds(30), .seconds(90), .seconds(270), .seconds(300)]

    private let captureName: String
    private let interval: Duration
    private let once: Bool
    private let sessionTimeout: Duration?
    private let schedule: CaptureSchedule
    private let retries: RetryPolicy?
    private let makeSession: () throws(RuntimeError) -> CaptureSessionRunner
    private let logger: Logger
    private let stopped = Atomic<Bool>(false)
    private let current = Mutex<CaptureSessionRunner?>(nil)
    /// Closed by ``requestStop()``: wakes the loop from its sleep between sessions.
    private let stopSignal = BlockingQueue<Void>(capacity: 1)

    public init(captureName: String, interval: Duration, once: Bool, sessionTimeout: Duration? = nil, schedule: CaptureSchedule? = nil,
                retries: RetryPolicy? = nil, logger: Logger, makeSession: @escaping () throws(RuntimeError) -> CaptureSessionRunner) {
        self.captureName = captureName
        self.interval = interval
        self.schedule = schedule ?? .interval(seconds: Int(interval.components.seconds))
        self.retries = retries
        self.once = once
        self.sessionTimeout = sessionTimeout
        self.makeSession = makeSession
        self.logger = logger
    }

    /// Ends the loop: the session in flight stops at its next checkpoint boundary.
    public func requestStop() {
        stopped.store(true, ordering: .sequentiallyConsistent)
        current.withLock { $0?.requestStop() }
        stopSignal.close()
    }

    private var isStopped: Bool { stopped.load(ordering: .sequentiallyConsistent) }

    /// Runs sessions until stopped (or one, with `once`); throws the failure of a `once` session.
    public func run() throws(RuntimeError) {
        if let retries { return try runSyncs(retries) }
        var failures = 0
        while !isStopped {
            let started = ContinuousClock.now
            do {
                let session = try makeSession()
                current.withLock { $0 = session }
                let timer = sessionTimeout.map { startTimer(after: $0, session: session) }
                defer {
                    timer?.cancel()
                    current.withLock { $0 = nil }
                }
                let outcome = try session.run()
                failures = 0
                logger.info("session ended", metadata: [
                    "capture": .string(captureName), "documents": .stringConvertible(outcome.documents),
                    "rejected": .stringConvertible(outcome.rejected), "commits": .stringConvertible(outcome.commits),
                ])
                if once { return }
                guard let next = nextStart(after: started) else { return }
                sleep(until: next, reason: "next session")
            } catch {
                // Another process took the capture over: retrying would take it back and fence that one in turn.
                if once || isStopped || error.isLeaseLost { throw error }
                let delay = Self.backoff[min(failures, Self.backoff.count - 1)]
                failures += 1
                logger.error("\(error.message)", metadata: ["capture": .string(captureName), "retryInSeconds": .stringConvertible(delay.components.seconds)])
                sleep(until: ContinuousClock.now + delay, reason: "retry")
            }
        }
    }

    /// Syncs made of attempts, as Airbyte runs jobs.
    private func runSyncs(_ policy: RetryPolicy) throws(RuntimeError) {
        while !isStopped {
            let started = ContinuousClock.now
            var attempts = 0, withoutData = 0, consecutiveWithoutData = 0
            var lastError: RuntimeError?
            while !isStopped {
                attempts += 1
                var committedData = false
                do {
                    let session = try makeSession()
                    let reportCommit = session.onCommit
                    session.onCommit = { progress in
                        if progress.documents.values.contains(where: { $0 > 0 }) { committedData = true }
                        reportCommit?(progress)
                    }
                    current.withLock { $0 = session }
                    let timer = sessionTimeout.map { startTimer(after: $0, session: session) }
                    defer {
                        timer?.cancel()
                        current.withLock { $0 = nil }
                    }
                    let outcome = try session.run()
                    logger.info("sync succeeded", metadata: [
                        "capture": .string(captureName), "attempt": .stringConvertible(attempts), "documents": .stringConvertible(outcome.documents),
                        "rejected": .stringConvertible(outcome.rejected), "commits": .stringConvertible(outcome.commits),
                    ])
                    lastError = nil
                    break
                } catch {
                    lastError = error
                    if isStopped || error.isLeaseLost { throw error }
                    if committedData { consecutiveWithoutData = 0 } else {
                        withoutData += 1
                        consecutiveWithoutData += 1
                    }
                    let exhausted = attempts >= policy.maxAttempts || withoutData >= policy.maxAttemptsWithoutData
                        || consecutiveWithoutData >= policy.maxConsecutiveAttemptsWithoutData
                    if exhausted { break }
                    let delay = policy.backoff(afterFailuresInARow: max(consecutiveWithoutData, 1))
                    logger.error("attempt \(attempts) failed: \(error.message)", metadata: [
                        "capture": .string(captureName), "retryInSeconds": .stringConvertible(delay), "committedData": .stringConvertible(committedData),
                    ])
                    sleep(until: ContinuousClock.now + .seconds(delay), reason: "retry")
                }
            }
            if let lastError {
                let failure = RuntimeError("sync of \(captureName) failed after \(attempts) attempt\(attempts == 1 ? "" : "s"): \(lastError.message)")
                if once || isStopped { throw failure }
                logger.error("\(failure.message)", metadata: ["capture": .string(captureName)])
            }
            if once { return }
            guard let next = nextStart(after: started) else {
                logger.info("the schedule is manual: no further syncs", metadata: ["capture": .string(captureName)])
                return
            }
            sleep(until: next, reason: "next sync")
        }
    }

    /// When the next session starts, per the schedule; nil for a manual schedule.
    private func nextStart(after started: ContinuousClock.Instant) -> ContinuousClock.Instant? {
        switch schedule {
        case .interval(let seconds): return started + .seconds(seconds)
        case .manual: return nil
        case .cron(let cron):
            let elapsed = ContinuousClock.now - started
            let startedAt = Date().addingTimeInterval(-(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))
            guard let next = cron.next(after: startedAt) else { return nil }
            logger.info("next sync at \(next)", metadata: ["capture": .string(captureName), "cron": .string(cron.description)])
            return ContinuousClock.now + .milliseconds(Int64(max(0, next.timeIntervalSinceNow) * 1000))
        }
    }

    private func startTimer(after timeout: Duration, session: CaptureSessionRunner) -> DispatchWorkItem {
        let item = DispatchWorkItem { session.requestStop() }
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: item)
        return item
    }

    private func sleep(until deadline: ContinuousClock.Instant, reason: String) {
        // Returns at the deadline, or at once when a stop was requested (nothing is ever put: only closed).
        _ = stopSignal.take(until: deadline)
    }
}
