import CaptureRuntime
import Foundation

/// Stops `capstan run`'s supervisor when the store reports that another process took the capture over, so the
/// failed session is not retried (a retry would take the lease back and fence the other process in turn).
final class LeaseLossStopper: @unchecked Sendable {
    private let lock = NSLock()
    private var supervisor: CaptureSupervisor?
    private var lost = false

    /// The supervisor to stop; stopped at once if the lease was already lost.
    func attach(_ supervisor: CaptureSupervisor) {
        let stopNow = lock.withLock { () -> Bool in
            self.supervisor = supervisor
            return lost
        }
        if stopNow { supervisor.requestStop() }
    }

    /// Called by the store (from the thread that found the lease gone).
    func stop() {
        let supervisor = lock.withLock { () -> CaptureSupervisor? in
            lost = true
            return self.supervisor
        }
        supervisor?.requestStop()
    }
}
