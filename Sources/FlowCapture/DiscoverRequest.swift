import JSON

/// Asks a connector which resources its endpoint offers.
public struct DiscoverRequest: ProtoJSONMessage {
    public var connectorType: ConnectorType
    public var config: JSON?
    /// The capture's name, when the runtime knows it.
    public var name: String

    public init(connectorType: ConnectorType = .local, config: JSON?, name: String = "") {
        self.connectorType = connectorType
        self.config = config
        self.name = name
    }

    public init(protoJSON: JSON, path: String) throws(ProtocolError) {
        let fields = try ProtoFields(protoJSON, path: path)
        connectorType = try ConnectorType.read(fields, "connectorType")
        config = try fields.rawObject("config", proto: "config_json")
        name = try fields.string("name")
    }

    public func protoJSON() -> JSON {
        var builder = ProtoObjectBuilder()
        builder.set("name", name)
        connectorType.write(&builder, "connectorType")
        builder.set("config", config)
        return builder.json
    }
}
