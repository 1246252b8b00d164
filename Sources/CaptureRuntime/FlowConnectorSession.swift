import FlowCapture
import Foundation
import JSON
import Logging

/// A connector speaking Flow's capture protocol over stdin/stdout: sends `open`, then reads
/// `opened`, `captured`, `checkpoint` (and `sourcedSchema`) lines.
public final class FlowConnectorSession: ConnectorSession, @unchecked Sendable {
    private let launch: ConnectorLaunch
    private let open: OpenRequest
    private let logger: Logger
    private var process: ConnectorProcess?
    private var reader: MessageReader?
    private var opened = false
    private let stopLock = NSLock()
    private var stopRequested = false

    /// A session that starts `launch` and opens it with `open`.
    public init(launch: ConnectorLaunch, open: OpenRequest, logger: Logger) {
        self.launch = launch
        self.open = open
        self.logger = logger
    }

    public var captureName: String { launch.captureName }

    public func start() throws(RuntimeError) {
        let process = try launch.start(logger: logger)
        stopLock.lock()
        self.process = process
        let stopEarly = stopRequested
        stopLock.unlock()
        if stopEarly { process.signal(SIGTERM) }
        reader = MessageReader(fileDescriptor: process.stdout)
        try launch.send(.open(open), to: process)
    }

    public func next() throws(RuntimeError) -> ConnectorEvent? {
        guard let reader, process != nil else { return nil }
        while true {
            guard let line = try nextLine(reader) else { return nil }
            if opened, let (binding, document) = line.withUnsafeBytes({ CapturedEnvelope.cut($0) }) {
                let start = line.startIndex
                return .captured(binding: binding, document: .cutFromLine(document: line[(start + document.lowerBound)..<(start + document.upperBound)], line: line, lineNumber: reader.lineNumber))
            }
            if let event = try event(parsing: line) { return event }
        }
    }

    /// What ``next(cutting:)`` read, after the documents it handed over, if any.
    enum CutOutcome {
        /// Documents only, all handed to the closure.
        case cut
        /// Another event.
        case event(ConnectorEvent)
        /// The end of the connector's output.
        case end
    }

    /// ``next()``, except that each `captured` line whose document can be cut by position
    /// (``FlowCapture/CapturedEnvelope/cut(_:)``) is handed to `cut` in place, as its binding, the document's and
    /// the whole line's bytes (valid during the call) and the line's number, instead of becoming an event: the
    /// read-ahead's way past making and destroying an event per document.
    ///
    /// Lines go on being read and cut within one call while `cut` returns true and more output is buffered; the
    /// outcome then tells what ended the run. The order of the connector's messages is kept: documents handed over
    /// come before the event returned.
    func next(cutting cut: (_ binding: Int, _ document: UnsafeRawBufferPointer, _ line: UnsafeRawBufferPointer, _ lineNumber: Int) -> Bool)
        throws(RuntimeError) -> CutOutcome {
        guard let reader, process != nil else { return .end }
        var handed = false
        while true {
            if handed && !reader.hasBufferedInput { return .cut }
            guard let line = try nextLine(reader) else { return .end }
            if opened {
                var goOn = false
                let wasCut = line.withUnsafeBytes { raw in
                    guard let (binding, document) = CapturedEnvelope.cut(raw) else { return false }
                    goOn = cut(binding, UnsafeRawBufferPointer(rebasing: raw[document]), raw, reader.lineNumber)
                    return true
                }
                if wasCut {
                    if !goOn { return .cut }
                    handed = true
                    continue
                }
            }
            if let event = try event(parsing: line) { return .event(event) }
        }
    }

    private func nextLine(_ reader: MessageReader) throws(RuntimeError) -> ArraySlice<UInt8>? {
        do {
            return try reader.nextLine()
        } catch {
            throw RuntimeError("reading the output of the connector of \(captureName): \(error)")
        }
    }

    /// The event of a line that could not be cut, parsed whole; nil for messages the runner does not need.
    private func event(parsing line: ArraySlice<UInt8>) throws(RuntimeError) -> ConnectorEvent? {
        let response = try parse(line)
        if !opened {
            guard case .opened(let message) = response else {
                throw RuntimeError("connector of \(captureName) sent \(response.name) before opened")
            }
            opened = true
            if !message.explicitAcknowledgements { process?.closeStdin() }
            return .opened(explicitAcknowledgements: message.explicitAcknowledgements)
        }
        switch response {
        case .captured(let captured):
            return .captured(binding: Int(captured.binding), document: .parsed(captured.doc))
        case .checkpoint(let checkpoint):
            return .checkpoint(checkpoint.state)
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
        stopLock.lock()
        stopRequested = true
        let process = self.process
        stopLock.unlock()
        process?.signal(SIGTERM)
    }

    public func stop() { process?.stop() }

    public func finish() -> RuntimeError? {
        guard let process else { return nil }
        let termination = process.wait()
        return termination.isSuccess ? nil : launch.failure(process, termination)
    }
}
