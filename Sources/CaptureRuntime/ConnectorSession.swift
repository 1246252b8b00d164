/// One run of a connector, from start to exit, as the ``CaptureSessionRunner`` drives it.
///
/// The runner calls ``start()``, then ``next()`` until it returns `nil`, then ``finish()``. ``signalStop()``
/// may come from any thread at any time; the others come from the runner's thread only.
public protocol ConnectorSession: AnyObject {
    /// The capture's name, for logs and errors.
    var captureName: String { get }

    /// Starts the connector and sends it what it needs to begin capturing.
    func start() throws(RuntimeError)

    /// The connector's next event, or `nil` once its output has ended. A malformed message throws an error
    /// naming where it was.
    func next() throws(RuntimeError) -> ConnectorEvent?

    /// True when more output is already at hand (the runner commits sooner when the connector is idle).
    var hasPendingInput: Bool { get }

    /// True when more output is at hand or arrives within `milliseconds`. The runner asks this at a
    /// checkpoint: a connector that is merely a moment behind is not idle, and committing (and fsyncing)
    /// every time the reader catches up would stall both.
    func hasPendingInput(waitingMilliseconds milliseconds: Int32) -> Bool

    /// Tells the connector that `checkpoints` more of its checkpoints have committed (only after an
    /// ``ConnectorEvent/opened(explicitAcknowledgements:)`` that asked for it).
    func acknowledge(checkpoints: Int)

    /// Asks the connector to end (SIGTERM to its process group). Safe from any thread.
    func signalStop()

    /// Stops the connector now: SIGTERM, then SIGKILL after a grace period.
    func stop()

    /// True when ``next()`` may be called from a thread other than the runner's, while the runner calls
    /// ``acknowledge(checkpoints:)``, ``signalStop()`` or ``stop()``: the runner then reads and prepares
    /// documents ahead on a thread of its own (``ReadAheadSession``).
    var allowsReadAhead: Bool { get }

    /// Waits for the connector to exit. `nil` if it exited successfully; otherwise the error that explains
    /// its end best (its last log line, its exit status).
    func finish() -> RuntimeError?
}

extension ConnectorSession {
    /// Sessions that cannot wait answer for now.
    public func hasPendingInput(waitingMilliseconds milliseconds: Int32) -> Bool { hasPendingInput }

    /// Sessions are read on the runner's thread unless they say otherwise.
    public var allowsReadAhead: Bool { false }
}
