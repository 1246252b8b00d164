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
public final class CaptureSupervisor: @unchecked Sendable {
    /// The backoff after consecutive failures.
    public static let backoff: [Duration] = [.seconds(10), .seconds(30), .seconds(90), .seconds(270), .seconds(300)]

    private let captureName: String
    private let interval: Duration
    private let once: Bool
    private let sessionTimeout: Duration?
    private let makeSession: () throws(RuntimeError) -> CaptureSessionRunner
    private let logger: Logger
    private let stopped = Atomic<Bool>(false)
    private let current = Mutex<CaptureSessionRunner?>(nil)
    private let wakeUp = NSCondition()

    public init(captureName: String, interval: Duration, once: Bool, sessionTimeout: Duration? = nil, logger: Logger,
                makeSession: @escaping () throws(RuntimeError) -> CaptureSessionRunner) {
        self.captureName = captureName
        self.interval = interval
        self.once = once
        self.sessionTimeout = sessionTimeout
        self.makeSession = makeSession
        self.logger = logger
    }

    /// Ends the loop: the session in flight stops at its next checkpoint boundary.
    public func requestStop() {
        stopped.store(true, ordering: .sequentiallyConsistent)
        current.withLock { $0?.requestStop() }
        wakeUp.lock()
        wakeUp.broadcast()
        wakeUp.unlock()
    }

    private var isStopped: Bool { stopped.load(ordering: .sequentiallyConsistent) }

    /// Runs sessions until stopped (or one, with `once`); throws the failure of a `once` session.
    public func run() throws(RuntimeError) {
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
                sleep(until: started + interval, reason: "next session")
            } catch {
                if once || isStopped { throw error }
                let delay = Self.backoff[min(failures, Self.backoff.count - 1)]
                failures += 1
                logger.error("\(error.message)", metadata: ["capture": .string(captureName), "retryInSeconds": .stringConvertible(delay.components.seconds)])
                sleep(until: ContinuousClock.now + delay, reason: "retry")
            }
        }
    }

    private func startTimer(after timeout: Duration, session: CaptureSessionRunner) -> DispatchWorkItem {
        let item = DispatchWorkItem { session.requestStop() }
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: item)
        return item
    }

    private func sleep(until deadline: ContinuousClock.Instant, reason: String) {
        wakeUp.lock()
        defer { wakeUp.unlock() }
        while !isStopped {
            let remaining = deadline - ContinuousClock.now
            if remaining <= .zero { return }
            let seconds = Double(remaining.components.seconds) + Double(remaining.components.attoseconds) / 1e18
            _ = wakeUp.wait(until: Date(timeIntervalSinceNow: min(seconds, 3600)))
        }
    }
}
