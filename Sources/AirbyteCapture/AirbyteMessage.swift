import JSON

/// One message an Airbyte connector wrote on stdout, decoded leniently: unknown fields are ignored,
/// and optional ones may be missing or `null`.
public enum AirbyteMessage: Sendable, Equatable {
    /// A record of a stream.
    case record(stream: String, namespace: String?, data: JSON)
    /// An `AirbyteStateMessage` (the inner object, not the envelope).
    case state(JSON)
    /// A log line of the connector.
    case log(level: String, message: String, stackTrace: String?)
    /// A trace: `ERROR`, `ESTIMATE`, `STREAM_STATUS` or `ANALYTICS` (the whole trace object).
    case trace(type: String, trace: JSON)
    /// A `CONNECTOR_CONFIG` control message: the connector's updated configuration.
    case control(config: JSON)
    /// The answer to `check`.
    case connectionStatus(status: String, message: String?)
    /// The answer to `discover`: the `AirbyteCatalog` object.
    case catalog(JSON)
    /// The answer to `spec`: the `ConnectorSpecification` object.
    case spec(JSON)
    /// Any other message type, kept by name.
    case other(type: String)

    /// Decodes a stdout line; nil when it is not an Airbyte message (not JSON, not an object, no `type`),
    /// which callers treat as a log line. A message of a known type without its payload throws a description.
    public static func decode(_ line: ArraySlice<UInt8>, parser: JSONParser) throws(AirbyteMessageError) -> AirbyteMessage? {
        guard line.first(where: { $0 != 0x20 && $0 != 0x09 }) == UInt8(ascii: "{") else { return nil }
        guard case .object(let envelope)? = try? line.withUnsafeBytes({ try parser.parse($0) }),
              case .string(let type)? = envelope["type"] else { return nil }
        func payload(_ key: String) throws(AirbyteMessageError) -> JSON {
            guard let value = envelope[key], case .object = value else { throw AirbyteMessageError("a \(type) message without its \"\(key)\" object") }
            return value
        }
        switch type {
        case "RECORD":
            let record = try payload("record")
            guard case .string(let stream)? = record["stream"] else { throw AirbyteMessageError("a RECORD without a stream name") }
            guard let data = record["data"], case .object = data else { throw AirbyteMessageError("a RECORD of stream \(stream) whose data is not an object") }
            return .record(stream: stream, namespace: record["namespace"]?.stringValue, data: data)
        case "STATE":
            return .state(try payload("state"))
        case "LOG":
            let log = try payload("log")
            return .log(level: log["level"]?.stringValue ?? "INFO", message: log["message"]?.stringValue ?? "",
                        stackTrace: log["stack_trace"]?.stringValue)
        case "TRACE":
            let trace = try payload("trace")
            return .trace(type: trace["type"]?.stringValue ?? "", trace: trace)
        case "CONTROL":
            let control = try payload("control")
            guard let config = control["connectorConfig"]?["config"], case .object = config else {
                return .other(type: "CONTROL \(control["type"]?.stringValue ?? "")")
            }
            return .control(config: config)
        case "CONNECTION_STATUS":
            let status = try payload("connectionStatus")
            return .connectionStatus(status: status["status"]?.stringValue ?? "", message: status["message"]?.stringValue)
        case "CATALOG":
            return .catalog(try payload("catalog"))
        case "SPEC":
            return .spec(try payload("spec"))
        default:
            return .other(type: type)
        }
    }
}
