import FlowCapture
import Foundation
import JSON
import Logging
import Synchronization

/// A connector speaking Flow's capture protocol over stdin/stdout: sends `open`, then reads
/// `opened`, `captured`, `checkpoint` (and `sourcedSchema`) lines.
// Unchecked: the reading state belongs to the thread calling next(into:); only `stopControl` is shared with signalStop().
public final class FlowConnectorSession: ConnectorSession, @unchecked Sendable {
    private let launch: ConnectorLaunch
    private let open: OpenRequest
    private let logger: Logger
    private var process: ConnectorProcess?
    private var reader: MessageReader?
    private var opened = false
    /// The process (once started) and whether a stop was asked for, for ``signalStop()`` from any thread.
    private let stopControl = Mutex<(process: ConnectorProcess?, requested: Bool)>((nil, false))

    /// A session that starts `launch` and opens it with `open`.
    public init(launch: ConnectorLaunch, open: OpenRequest, logger: Logger) {
        self.launch = launch
        self.open = open
        self.logger = logger
    }

    public var captureName: String { launch.captureName }

    public func start() throws(RuntimeError) {
        let process = try launch.start(logger: logger)
        self.process = process
        let stopEarly = stopControl.withLock { control in
            control.process = process
            return control.requested
        }
        if stopEarly { process.signal(SIGTERM) }
        reader = MessageReader(fileDescriptor: process.stdout)
        try launch.send(.open(open), to: process)
    }

    /// Reads lines into `batch`. Each `captured` line whose document can be cut by position
    /// (``FlowCapture/CapturedEnvelope/cut(_:)``) is prepared from its bytes in place; when the binding's fast path
    /// cannot confirm it, the whole line is parsed (a malformed line fails the session there) and the parsed
    /// document takes the full path. Other lines are parsed whole.
    public func next(into batch: inout CaptureBatch) throws(RuntimeError) -> Bool {
        guard let reader, process != nil else { return false }
        var added = false
        do throws(RuntimeError) {
            while !batch.isFull {
                if added && !reader.hasBufferedInput { break }
                guard let line = try nextLine(reader) else { return added }
                added = true
                if opened {
                    let wasCut = line.withUnsafeBytes { raw in
                        guard let (binding, document) = CapturedEnvelope.cut(raw) else { return false }
                        batch.addDocument(binding: binding, text: UnsafeRawBufferPointer(rebasing: raw[document])) { () throws(RuntimeError) in
                            try self.capturedDocument(parsing: line)
                        }
                        return true
                    }
                    if wasCut { continue }
                }
                switch try message(parsing: line) {
                case .event(let event): batch.add(event)
                case .document(let binding, let document): batch.addDocument(binding: binding, document: document)
                case nil: continue
                }
            }
            return true
        } catch {
            // What was read before the problem is handled first.
            guard batch.isEmpty else {
                batch.fail(error)
                return true
            }
            throw error
        }
    }

    /// The binding and document of a `captured` line that could not be taken as cut, parsed whole.
    private func capturedDocument(parsing line: ArraySlice<UInt8>) throws(RuntimeError) -> (binding: Int, document: JSON) {
        guard case .captured(let captured) = try parse(line) else {
            throw RuntimeError("connector of \(captureName) wrote line \(reader?.lineNumber ?? 0), which is not a captured message")
        }
        return (Int(captured.binding), captured.doc)
    }

    private func nextLine(_ reader: MessageReader) throws(RuntimeError) -> ArraySlice<UInt8>? {
        do {
            return try reader.nextLine()
        } catch {
            throw RuntimeError("reading the output of the connector of \(captureName): \(error)")
        }
    }

    /// What a line that could not be cut says, parsed whole.
    private enum Message {
        case event(ConnectorEvent)
        case document(binding: Int, JSON)
    }

    /// The message of a line that could not be cut, parsed whole; nil for messages the runner does not need.
    private func message(parsing line: ArraySlice<UInt8>) throws(RuntimeError) -> Message? {
        let response = try parse(line)
        if !opened {
            guard case .opened(let message) = response else {
                throw RuntimeError("connector of \(captureName) sent \(response.name) before opened")
            }
            opened = true
            if !message.explicitAcknowledgements { process?.closeStdin() }
            return .event(.opened(explicitAcknowledgements: message.explicitAcknowledgements))
        }
        switch response {
        case .captured(let captured):
            return .document(binding: Int(captured.binding), captured.doc)
        case .checkpoint(let checkpoint):
            return .event(.checkpoint(checkpoint.state))
        case .sourcedSchema(let sourced):
            logger.debug("sourced schema", metadata: ["capture": .string(captureName), "binding": "\(sourced.binding)"])
            return nil
        case .opened:
            throw RuntimeError("connector of \(captureName) sent opened twice")
        default:
            throw RuntimeError("connector of \(captureName) sent \(response.name) during a capture")
        }
    }

    /// Parses a whole line as a capture response, with an error naming the line.
    func parse(_ line: ArraySlice<UInt8>) throws(RuntimeError) -> CaptureResponse {
        do {
            return try CaptureResponse(line: line)
        } catch {
            throw RuntimeError("connector of \(captureName) wrote a malformed line \(reader?.lineNumber ?? 0): \(error) (line starts: \(UnaryCall.snippet(line)))")
        }
    }

    public var hasPendingInput: Bool { reader?.hasPendingInput ?? false }

    public func hasPendingInput(waitingMilliseconds milliseconds: Int32) -> Bool {
        reader?.hasPendingInput(waitingMilliseconds: milliseconds) ?? false
    }

    public func acknowledge(checkpoints: Int) {
        var line = CaptureRequest.acknowledge(AcknowledgeRequest(checkpoints: UInt32(checkpoints))).protoJSON().serialized()
        line.append(0x0A)
        try? process?.writeStdin(line)
    }

    /// Reading stdout shares nothing with writing acknowledgements to stdin or signalling the process.
    public var allowsReadAhead: Bool { true }

    public func signalStop() {
        let process = stopControl.withLock { control in
            control.requested = true
            return control.process
        }
        process?.signal(SIGTERM)
    }

    public func stop() { process?.stop() }

    public func finish() -> RuntimeError? {
        guard let process else { return nil }
        let termination = process.wait()
        return termination.isSuccess ? nil : launch.failure(process, termination)
    }
}
