import Foundation

/// What clients running on several threads were acknowledged, and what failed.
final class AckLog: @unchecked Sendable {
    private let lock = NSLock()
    private var acknowledged: [String] = []
    private var failed: [String] = []

    func record(_ uuids: [String]) {
        lock.lock()
        acknowledged += uuids
        lock.unlock()
    }

    func fail(_ message: String) {
        lock.lock()
        failed.append(message)
        lock.unlock()
    }

    var uuids: [String] {
        lock.lock()
        defer { lock.unlock() }
        return acknowledged
    }

    var failures: [String] {
        lock.lock()
        defer { lock.unlock() }
        return failed
    }
}
