import FlowCapture
import Logging

/// How to start a capture's connector.
public struct ConnectorLaunch: Sendable {
    /// The command and its arguments.
    public var command: [String]
    /// Variables added to the connector's environment (`LOG_LEVEL` is set from `logLevel`).
    public var environment: [String: String]
    /// The capture's name, for logs and errors.
    public var captureName: String
    /// The connector's `LOG_LEVEL`: `trace|debug|info|warn|error`.
    public var logLevel: String

    public init(command: [String], environment: [String: String] = [:], captureName: String, logLevel: String = "info") {
        self.command = command
        self.environment = environment
        self.captureName = captureName
        self.logLevel = logLevel
    }

    /// A process started ahead of the first session (see ``PrestartedConnector``); the first ``start(logger:)``
    /// takes it instead of starting one.
    public var prestarted: PrestartedConnector?

    /// Starts the connector, forwarding its stderr lines to `logger` as our own logs naming the capture; or takes
    /// the prestarted one, whose lines go to the logger it was made with.
    func start(logger: Logger) throws(RuntimeError) -> ConnectorProcess {
        if let process = prestarted?.take() { return process }
        return try spawn(onLog: logForwarder(logger))
    }

    /// Starts the command with the connector's environment (`LOG_LEVEL`, JSON codec and log format).
    func spawn(onLog: @escaping @Sendable (ConnectorLogLine) -> Void) throws(RuntimeError) -> ConnectorProcess {
        var environment = self.environment
        environment["LOG_LEVEL"] = logLevel
        environment["FLOW_RUNTIME_CODEC"] = environment["FLOW_RUNTIME_CODEC"] ?? "json"
        environment["LOG_FORMAT"] = environment["LOG_FORMAT"] ?? "json"
        return try ConnectorProcess(command: command, environment: environment, onLog: onLog)
    }

    /// Logs a connector's stderr line to `logger`, with the capture named and the line's own fields.
    func logForwarder(_ logger: Logger) -> @Sendable (ConnectorLogLine) -> Void {
        let capture = captureName
        return { line in
            var metadata: Logger.Metadata = ["capture": .string(capture), "source": "connector"]
            for (key, value) in line.fields where metadata[key] == nil {
                metadata[key] = .string(value.stringValue ?? value.serializedString())
            }
            logger.log(level: line.level, "\(line.message)", metadata: metadata)
        }
    }

    /// Writes `request` as the first line of the connector's stdin. If the connector is already gone, its
    /// own last log line explains why better than the broken pipe does.
    func send(_ request: CaptureRequest, to process: ConnectorProcess) throws(RuntimeError) {
        var line = request.protoJSON().serialized()
        line.append(0x0A)
        do {
            try process.writeStdin(line)
        } catch {
            process.closeStdin()
            let termination = process.wait()
            throw termination.isSuccess ? error : failure(process, termination)
        }
    }

    /// The error for a connector that ended badly: its last stderr line, as Flow's runtime reports it.
    func failure(_ process: ConnectorProcess, _ termination: ConnectorProcess.Termination) -> RuntimeError {
        var status: Int32?
        if case .exited(let code) = termination { status = code }
        if let last = process.lastLogLine, !last.message.isEmpty {
            return RuntimeError("connector of \(captureName) failed (\(termination)): \(last.message)",
                                kind: .connectorExited(status: status, lastLog: last.message))
        }
        return RuntimeError("connector of \(captureName) failed (\(termination)) with no log output", kind: .connectorExited(status: status, lastLog: nil))
    }
}
