import Logging
import Synchronization

/// A connector process started ahead of the session that will use it, so that its start-up (exec, a
/// runtime's initialisation, a Python interpreter's imports) overlaps other work, such as the `spec` call
/// a run makes first.
///
/// The process waits for its request on stdin. The first ``ConnectorLaunch/start(logger:)`` of a launch
/// carrying it takes it; later starts start processes of their own. What it logs before it is taken is held
/// (up to 100 lines) and forwarded when it is, so that a connector failing at start-up is not reported twice
/// (by the `spec` call and by this one). One that is never taken is stopped, what it logged dropped, by
/// ``discard()`` or when the last reference goes.
public final class PrestartedConnector: Sendable {
    /// The process until it is taken or discarded.
    private let process: Mutex<ConnectorProcess?>
    private let gate: LogGate

    /// Starts `launch`'s command now; its stderr lines go to `logger` once a session takes it. If it cannot
    /// be started, nothing is kept: the session's own start then reports why.
    public init(_ launch: ConnectorLaunch, logger: Logger) {
        let gate = LogGate(forward: launch.logForwarder(logger))
        self.gate = gate
        process = Mutex(try? launch.spawn { gate.log($0) })
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
        process.withLock { process in
            defer { process = nil }
            return process
        }
    }

    /// Holds log lines until the process is taken (then forwards them, and every later one) or discarded.
    private final class LogGate: Sendable {
        private enum Mode { case holding, forwarding, dropping }
        private static let limit = 100
        private struct State {
            var mode = Mode.holding
            var held: [ConnectorLogLine] = []
        }
        private let state = Mutex(State())
        private let forward: @Sendable (ConnectorLogLine) -> Void

        init(forward: @escaping @Sendable (ConnectorLogLine) -> Void) { self.forward = forward }

        /// Forwarding under the lock keeps the order: held lines go before any later one.
        func log(_ line: ConnectorLogLine) {
            state.withLock { state in
                switch state.mode {
                case .holding: if state.held.count < Self.limit { state.held.append(line) }
                case .forwarding: forward(line)
                case .dropping: break
                }
            }
        }

        func open() {
            state.withLock { state in
                state.held.forEach(forward)
                state.held = []
                state.mode = .forwarding
            }
        }

        func drop() {
            state.withLock { state in
                state.held = []
                state.mode = .dropping
            }
        }

        var heldCount: Int { state.withLock { $0.held.count } }
    }
}
