import CaptureRuntime
import Catalog
import FlowCapture
import Foundation
import JSON
import Logging

/// An Airbyte source connector of a capture: runs its `spec`, `check` and `discover` commands, and makes
/// the sessions that run `read`.
public struct AirbyteConnector: Sendable {
    /// The capture's endpoint.
    public let endpoint: AirbyteEndpoint
    /// The capture's name, for logs and errors.
    public let captureName: String
    /// The configuration the connector gets: the catalog's, with what the connector updated (CONTROL) applied.
    public let config: JSON
    /// The environment added to the connector's (the endpoint's `env`, and `LOG_LEVEL`).
    public let environment: [String: String]
    /// Hides the configuration's secrets in logs and errors.
    public let masker: SecretMasker
    let logger: Logger

    /// A connector of `endpoint` for the capture `captureName`; `config` is the configuration to use.
    public init(endpoint: AirbyteEndpoint, captureName: String, config: JSON, logLevel: String, logger: Logger, specification: JSON? = nil) {
        self.endpoint = endpoint
        self.captureName = captureName
        self.config = config
        var environment = endpoint.env
        environment["LOG_LEVEL"] = environment["LOG_LEVEL"] ?? logLevel
        self.environment = environment
        self.masker = SecretMasker(config: config, specification: specification)
        self.logger = logger
    }

    /// The connector's `ConnectorSpecification`.
    public func spec() throws(RuntimeError) -> JSON {
        let messages = try call("spec", needsConfig: false)
        for message in messages { if case .spec(let spec) = message { return spec } }
        throw RuntimeError("connector of \(captureName) answered spec without a SPEC message")
    }

    /// Runs `check`: a `FAILED` status throws the connector's message, whatever its exit status.
    public func check() throws(RuntimeError) {
        let messages = try call("check", needsConfig: true)
        for message in messages {
            guard case .connectionStatus(let status, let text) = message else { continue }
            if status == "SUCCEEDED" { return }
            throw RuntimeError("connector of \(captureName) says the configuration is not valid (check \(status)): \(masker.mask(text ?? "no message"))")
        }
        throw RuntimeError("connector of \(captureName) answered check without a CONNECTION_STATUS message")
    }

    /// Runs `discover`: the streams of the connector's catalog.
    public func discover() throws(RuntimeError) -> [AirbyteStream] {
        let messages = try call("discover", needsConfig: true)
        for message in messages {
            guard case .catalog(let catalog) = message else { continue }
            var streams: [AirbyteStream] = []
            for (index, element) in (catalog["streams"]?.arrayValue ?? []).enumerated() {
                guard let stream = AirbyteStream(json: element) else {
                    throw RuntimeError("connector of \(captureName) discovered a stream without a name at streams[\(index)]")
                }
                streams.append(stream)
            }
            return streams
        }
        throw RuntimeError("connector of \(captureName) answered discover without a CATALOG message")
    }

    /// Runs a unary command and returns its messages; LOG and TRACE messages and non-JSON lines are
    /// logged, a TRACE ERROR or a failed exit throws.
    func call(_ verb: String, needsConfig: Bool) throws(RuntimeError) -> [AirbyteMessage] {
        let scratch = try AirbyteScratchDirectory()
        defer { scratch.remove() }
        var arguments: [String] = []
        if needsConfig { arguments = ["--config", try scratch.write("config.json", config)] }
        let process = try AirbyteProcess(command: endpoint.command, verb: verb, arguments: arguments, environment: environment,
                                         captureName: captureName, heartbeatSeconds: endpoint.heartbeatSeconds, masker: masker, logger: logger)
        var messages: [AirbyteMessage] = []
        var traceError: String?
        let parser = JSONParser()
        let log = AirbyteLogForwarder(captureName: captureName, masker: masker, logger: logger)
        do {
            while let line = try process.nextLine() {
                let message: AirbyteMessage?
                do { message = try AirbyteMessage.decode(line, parser: parser) } catch {
                    log.malformed(line, error)
                    continue
                }
                guard let message else {
                    log.plain(line)
                    continue
                }
                switch message {
                case .log(let level, let text, let trace): log.log(level: level, text, stackTrace: trace)
                case .trace(let type, let trace):
                    if type == "ERROR", traceError == nil { traceError = AirbyteLogForwarder.errorText(of: trace) }
                    log.trace(type, trace)
                default: messages.append(message)
                }
            }
        } catch {
            process.process.stop()
            throw error
        }
        let termination = process.wait()
        if let traceError { throw RuntimeError("connector of \(captureName) failed in \(verb): \(masker.mask(traceError))") }
        guard termination.isSuccess else { throw process.failure(termination, masker: masker) }
        return messages
    }

    /// A session running `read` for `bindings` from the capture's connector `state`. Configuration updates
    /// (CONTROL) go to `controlStore`, as differences from `catalogConfig`.
    public func session(bindings: [AirbyteBinding], state: JSON, controlStore: AirbyteControlStore?, catalogConfig: JSON) -> AirbyteConnectorSession {
        AirbyteConnectorSession(connector: self, bindings: bindings, state: state, controlStore: controlStore, catalogConfig: catalogConfig, logger: logger)
    }
}
