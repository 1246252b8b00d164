import JSON

/// A message from a capture connector to the runtime.
public enum CaptureResponse: Sendable, Equatable {
    case spec(SpecResponse)
    case discovered(DiscoveredResponse)
    case validated(ValidatedResponse)
    case applied(AppliedResponse)
    case opened(OpenedResponse)
    case captured(CapturedResponse)
    case sourcedSchema(SourcedSchemaResponse)
    case checkpoint(CheckpointResponse)

    /// The top-level keys a response may have.
    public static let names = ["spec", "discovered", "validated", "applied", "opened", "captured", "sourcedSchema", "checkpoint"]

    /// Parses one line of the protocol.
    public init(line: some Collection<UInt8>) throws(ProtocolError) {
        let json: JSON
        do { json = try JSON.parse(bytes: line) } catch { throw ProtocolError.malformedJSON(error) }
        try self.init(protoJSON: json)
    }

    public init(protoJSON json: JSON) throws(ProtocolError) {
        let (name, body) = try TopLevel.single(of: json, among: Self.names)
        switch name {
        case "spec": self = .spec(try SpecResponse(protoJSON: body, path: name))
        case "discovered": self = .discovered(try DiscoveredResponse(protoJSON: body, path: name))
        case "validated": self = .validated(try ValidatedResponse(protoJSON: body, path: name))
        case "applied": self = .applied(try AppliedResponse(protoJSON: body, path: name))
        case "opened": self = .opened(try OpenedResponse(protoJSON: body, path: name))
        case "captured": self = .captured(try CapturedResponse(protoJSON: body, path: name))
        case "sourcedSchema": self = .sourcedSchema(try SourcedSchemaResponse(protoJSON: body, path: name))
        default: self = .checkpoint(try CheckpointResponse(protoJSON: body, path: name))
        }
    }

    /// The response's top-level key.
    public var name: String {
        switch self {
        case .spec: return "spec"
        case .discovered: return "discovered"
        case .validated: return "validated"
        case .applied: return "applied"
        case .opened: return "opened"
        case .captured: return "captured"
        case .sourcedSchema: return "sourcedSchema"
        case .checkpoint: return "checkpoint"
        }
    }

    public func protoJSON() -> JSON {
        let body: JSON
        switch self {
        case .spec(let message): body = message.protoJSON()
        case .discovered(let message): body = message.protoJSON()
        case .validated(let message): body = message.protoJSON()
        case .applied(let message): body = message.protoJSON()
        case .opened(let message): body = message.protoJSON()
        case .captured(let message): body = message.protoJSON()
        case .sourcedSchema(let message): body = message.protoJSON()
        case .checkpoint(let message): body = message.protoJSON()
        }
        return .object(JSONObject(uniqueMembers: [.init(key: name, value: body)]))
    }
}
