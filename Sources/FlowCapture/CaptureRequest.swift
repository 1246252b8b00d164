import JSON

/// A message from the runtime to a capture connector.
public enum CaptureRequest: Sendable, Equatable {
    case spec(SpecRequest)
    case discover(DiscoverRequest)
    case validate(ValidateRequest)
    case apply(ApplyRequest)
    case open(OpenRequest)
    case acknowledge(AcknowledgeRequest)

    /// The top-level keys a request may have.
    public static let names = ["spec", "discover", "validate", "apply", "open", "acknowledge"]

    /// Parses one line of the protocol; `$internal` and unknown top-level keys are ignored.
    public init(line: some Collection<UInt8>) throws(ProtocolError) {
        let json: JSON
        do { json = try JSON.parse(bytes: line) } catch { throw ProtocolError.malformedJSON(error) }
        try self.init(protoJSON: json)
    }

    public init(protoJSON json: JSON) throws(ProtocolError) {
        let (name, body) = try TopLevel.single(of: json, among: Self.names)
        switch name {
        case "spec": self = .spec(try SpecRequest(protoJSON: body, path: name))
        case "discover": self = .discover(try DiscoverRequest(protoJSON: body, path: name))
        case "validate": self = .validate(try ValidateRequest(protoJSON: body, path: name))
        case "apply": self = .apply(try ApplyRequest(protoJSON: body, path: name))
        case "open": self = .open(try OpenRequest(protoJSON: body, path: name))
        default: self = .acknowledge(try AcknowledgeRequest(protoJSON: body, path: name))
        }
    }

    /// The request's top-level key.
    public var name: String {
        switch self {
        case .spec: return "spec"
        case .discover: return "discover"
        case .validate: return "validate"
        case .apply: return "apply"
        case .open: return "open"
        case .acknowledge: return "acknowledge"
        }
    }

    public func protoJSON() -> JSON {
        let body: JSON
        switch self {
        case .spec(let message): body = message.protoJSON()
        case .discover(let message): body = message.protoJSON()
        case .validate(let message): body = message.protoJSON()
        case .apply(let message): body = message.protoJSON()
        case .open(let message): body = message.protoJSON()
        case .acknowledge(let message): body = message.protoJSON()
        }
        return .object(JSONObject(uniqueMembers: [.init(key: name, value: body)]))
    }
}

/// Finds the one known top-level key of a message.
enum TopLevel {
    static func single(of json: JSON, among names: [String]) throws(ProtocolError) -> (String, JSON) {
        guard case .object(let object) = json else {
            throw ProtocolError.invalidField(path: "", message: "a message must be a JSON object, got \(json.typeName)")
        }
        let known = object.members.filter { names.contains($0.key) }
        if known.count > 1 { throw ProtocolError.multipleMessages(keys: known.map(\.key)) }
        guard let member = known.first else {
            throw ProtocolError.unknownMessage(keys: object.keys.filter { $0 != "$internal" }, expected: names)
        }
        return (member.key, member.value)
    }
}
