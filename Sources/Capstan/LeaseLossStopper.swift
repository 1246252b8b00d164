import Foundation

/// Stops what a command runs (`capstan run`'s supervisor, `capstan serve`'s server) when the store reports that
/// another process took a capture over, so the failed work is not retried (a retry would take the lease back
/// and fence the other process in turn). The store may report before the command has attached its stop.
final class LeaseLossStopper: @unchecked Sendable {
    private let lock = NSLock()
    private var stopAction: (@Sendable () -> Void)?
    private var lost = false

    /// What to call to stop; called at once if the lease was already lost.
    func attach(_ stop: @escaping @Sendable () -> Void) {
        let stopNow = lock.withLock { () -> Bool in
            stopAction = stop
            return lost
        }
        if stopNow { stop() }
    }

    /// Called by the store (from the thread that found the lease gone).
    func stop() {
        let action = lock.withLock { () -> (@Sendable () -> Void)? in
            lost = true
            return stopAction
        }
        action?()
    }
}
