import Foundation

/// A stop flag for the sampling thread.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false
    /// Whether ``finish()`` was called.
    var isDone: Bool { lock.lock(); defer { lock.unlock() }; return done }
    /// Raises the flag.
    func finish() { lock.lock(); done = true; lock.unlock() }
}
