import Foundation
import Logging

/// A connector process started ahead of the session that will use it, so that its start-up (exec, a
/// runtime's initialisation, a Python interpreter's imports) overlaps other work, such as the `spec` call
/// a run makes first.
///
/// The process waits for its request on stdin. The first ``ConnectorLaunch/start(logger:)`` of a launch
/// carrying it takes it; later starts start processes of their own. What it logs before it is taken is held
/// (up to 100 lines) and forwarded when it is, so that a connector failing at start-up is not reported twice
/// (by the `spec` call and by this one). One that is never taken is stopped, what it logged dropped, by
/// ``discard()`` or when the last reference goes.
public final class PrestartedConnector: @unchecked Sendable {
    private let lock = NSLock()
    private var process: ConnectorProcess?
    private let gate: LogGate

    /// Starts `launch`'s command now; its stderr lines go to `logger` once a session takes it. If it cannot
    /// be started, nothing is kept: the session's own start then reports why.
    public init(_ launch: ConnectorLaunch, logger: Logger) {
        let gate = LogGate(forward: launch.logForwarder(logger))
        self.gate = gate
        process = try? launch.spawn { gate.log($0) }
    }

    /// The process, once, its held log lines forwarded; nil after it was taken or discarded.
    func take() -> ConnectorProcess? {
        guard let taken = remove() else { return nil }
        gate.open()
        return taken
    }

    /// Stops the process unless a session took it, dropping what it logged.
    public func discard() {
        guard let process = remove() else { return }
        gate.drop()
        process.closeStdin()
        process.stop(grace: 1)
    }

    deinit { discard() }

    /// The log lines held, waiting for the process to be taken.
    var heldLineCount: Int { gate.heldCount }

    private func remove() -> ConnectorProcess? {
        lock.lock()
        defer { lock.unlock() }
        let removed = process
        process = nil
        return removed
    }

    /// Holds log lines until the process is taken (then forwards them, and every later one) or discarded.
    private final class LogGate: @unchecked Sendable {
        private enum Mode { case holding, forwarding, dropping }
        private static let limit = 100
        private let lock = NSLock()
        private var mode = Mode.holding
        private var held: [ConnectorLogLine] = []
        private let forward: @Sendable (ConnectorLogLine) -> Void

        init(forward: @escaping @Sendable (ConnectorLogLine) -> Void) { self.forward = forward }

        /// Forwarding under the lock keeps the order: held lines go before any later one.
        func log(_ line: ConnectorLogLine) {
            lock.withLock {
                switch mode {
                case .holding: if held.count < Self.limit { held.append(line) }
                case .forwarding: forward(line)
                case .dropping: break
                }
            }
        }

        func open() {
            lock.withLock {
                held.forEach(forward)
                held = []
                mode = .forwarding
            }
        }

        func drop() {
            lock.withLock {
                held = []
                mode = .dropping
            }
        }

        var heldCount: Int { lock.withLock { held.count } }
    }
}
