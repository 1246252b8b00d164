/// One run of a connector, from start to exit, as the ``CaptureSessionRunner`` drives it.
///
/// The runner calls ``start()``, then ``next(into:)`` until it returns false, then ``finish()``. ``signalStop()``
/// may come from any thread at any time; the others come from the runner's thread only (or, for sessions that
/// allow it, ``next(into:)`` from a read-ahead thread: see ``allowsReadAhead``).
public protocol ConnectorSession: AnyObject {
    /// The capture's name, for logs and errors.
    var captureName: String { get }

    /// Starts the connector and sends it what it needs to begin capturing.
    func start() throws(RuntimeError)

    /// Reads what the connector wrote next into `batch`, which the caller passes empty: documents are prepared for
    /// their collections by the batch's ``CaptureBatch/preparation`` as they are added. Waits for the first entry,
    /// then adds more while more output is already at hand and the batch is not full. A problem at a point of the
    /// output (a malformed line, an invalid document) is added as a failure there, so that what came before it is
    /// handled first. False, adding nothing, once the connector's output has ended.
    func next(into batch: inout CaptureBatch) throws(RuntimeError) -> Bool

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

    /// True when ``next(into:)`` may be called from a thread other than the runner's, while the runner calls
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
