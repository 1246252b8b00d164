import JSON

/// How a connector is run, as the protojson enum name (`IMAGE`, `LOCAL`).
public enum ConnectorType: String, Sendable, Equatable, CaseIterable {
    case invalid = "INVALID"
    case image = "IMAGE"
    case local = "LOCAL"

    /// The enum's protobuf number.
    public var number: Int {
        switch self {
        case .invalid: return 0
        case .image: return 7
        case .local: return 8
        }
    }

    /// Reads the enum from its name or number (protojson accepts both).
    static func read(_ fields: ProtoFields, _ name: String) throws(ProtocolError) -> ConnectorType {
        guard let value = fields.value(name, proto: "connector_type") else { return .invalid }
        switch value {
        case .string(let text):
            if let known = ConnectorType(rawValue: text) { return known }
        case .number(let number):
            if let known = allCases.first(where: { Int64($0.number) == number.int64Value }) { return known }
        default:
            break
        }
        throw ProtocolError.invalidField(
            path: fields.child(name), message: "expected one of \"INVALID\", \"IMAGE\", \"LOCAL\", got \(value)")
    }

    /// Writes the enum's name unless it is the default.
    func write(_ builder: inout ProtoObjectBuilder, _ name: String) {
        if self != .invalid { builder.set(name, JSON.string(rawValue)) }
    }
}
