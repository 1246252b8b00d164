import JSON

/// A message that does not follow the capture protocol, with the path of the field at fault.
public enum ProtocolError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The line is not JSON.
    case malformedJSON(JSONParseError)
    /// A field has the wrong type or value, e.g. `open.capture.bindings[0].stateKey: expected a string, got number`.
    case invalidField(path: String, message: String)
    /// A required field is absent.
    case missingField(path: String)
    /// The message has none of the known top-level keys, or more than one.
    case unknownMessage(keys: [String], expected: [String])
    case multipleMessages(keys: [String])

    public var description: String {
        switch self {
        case .malformedJSON(let error): return "\(error)"
        case .invalidField(let path, let message): return "\(path): \(message)"
        case .missingField(let path): return "\(path): required field is missing"
        case .unknownMessage(let keys, let expected):
            let found = keys.isEmpty ? "an empty object" : "keys " + keys.map { "\"\($0)\"" }.joined(separator: ", ")
            return "expected a message with one of \(expected.map { "\"\($0)\"" }.joined(separator: ", ")), got \(found)"
        case .multipleMessages(let keys):
            return "a message must have exactly one top-level key, got \(keys.map { "\"\($0)\"" }.joined(separator: ", "))"
        }
    }
}
