import FlowCapture
import Foundation
import JSON
import Logging
import Postgres

/// The connector's entry point: reads requests on stdin, answers on stdout, logs on stderr.
///
/// Unary requests (spec, discover, validate, apply) are answered one after another, so a person
/// can pipe several in by hand; `open` starts the capture and never returns to the loop.
/// Any failure is logged as the last stderr line, naming what failed, and the exit status is 1.
public enum Connector {
    /// Runs the connector and exits the process.
    public static func main() -> Never {
        signal(SIGPIPE, SIG_IGN)
        Connection.keepFreedMemory()
        let level = JSONLogHandler.level(fromEnvironment: ProcessInfo.processInfo.environment["LOG_LEVEL"])
        LoggingSystem.bootstrap { JSONLogHandler(label: $0, level: level) }
        let logger = Logger(label: "source-redshift-batch")
        let writer = MessageWriter(fileDescriptor: 1)
        do {
            try serve(reader: MessageReader(fileDescriptor: 0), writer: writer, logger: logger)
            try writer.flush()
            exit(0)
        } catch {
            // Pollers may still be writing: whole messages out, then nothing more, so no line is cut at exit.
            try? writer.close()
            logger.error("\(error)")
            exit(1)
        }
    }

    static func serve(reader: MessageReader, writer: MessageWriter, logger: Logger) throws {
        while let line = try reader.nextLine() {
            let request: CaptureRequest
            do {
                request = try CaptureRequest(line: line)
            } catch {
                throw ConfigError("stdin line \(reader.lineNumber): \(error)")
            }
            switch request {
            case .spec:
                try writer.write(.spec(ConnectorSpec.response))
            case .discover(let discover):
                let config = try EndpointConfig(json: discover.config ?? .object(JSONObject()))
                let session = try DatabaseSession.open(config: config, logger: logger)
                defer { session.close() }
                let connection = try session.connect()
                defer { connection.close() }
                let (bindings, warnings) = try discoverBindings(connection: connection, config: config)
                for warning in warnings { logger.warning("\(warning)") }
                try writer.write(.discovered(DiscoveredResponse(bindings: bindings)))
            case .validate(let validate):
                let config = try EndpointConfig(json: validate.config ?? .object(JSONObject()))
                let session = try DatabaseSession.open(config: config, logger: logger)
                defer { session.close() }
                let connection = try session.connect()
                defer { connection.close() }
                do {
                    _ = try connection.query("SELECT true;")
                } catch {
                    throw ConfigError(session.explain("error executing no-op query: \(DatabaseSession.describe(error))"))
                }
                let validated = try BindingValidator(config: config).validate(validate.bindings, connection: connection)
                try writer.write(.validated(validated))
            case .apply:
                try writer.write(.applied(AppliedResponse(actionDescription: "")))
            case .open(let open):
                guard let capture = open.capture else { throw ConfigError("open: missing capture") }
                let config = try EndpointConfig(json: capture.config ?? .object(JSONObject()))
                let session = try DatabaseSession.open(config: config, logger: logger)
                defer { session.close() }
                let session_ = try CaptureSession(open: open, config: config, session: session, writer: writer, logger: logger)
                // A tunnel that dies ends the capture at once, even between polls.
                session.tunnel?.onFailure { [session_] failure in session_.abort(CaptureError(failure.message, kind: .tunnel)) }
                do {
                    try session_.run()
                } catch {
                    throw CaptureError("capture terminated with error: \(session.explain(error.message))", kind: error.kind)
                }
                return
            case .acknowledge:
                // This connector never asks for acknowledgements; a stray one is harmless.
                continue
            }
        }
    }
}
