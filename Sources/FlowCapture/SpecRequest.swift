import JSON

/// Asks a connector for its configuration schemas.
public struct SpecRequest: ProtoJSONMessage {
    public var connectorType: ConnectorType
    /// The connector's configuration; may be empty or partial.
    public var config: JSON?

    public init(connectorType: ConnectorType = .local, config: JSON? = nil) {
        self.connectorType = connectorType
        self.config = config
    }

    public init(protoJSON: JSON, path: String) throws(ProtocolError) {
        let fields = try ProtoFields(protoJSON, path: path)
        connectorType = try ConnectorType.read(fields, "connectorType")
        config = fields.raw("config", proto: "config_json")
    }

    public func protoJSON() -> JSON {
        var builder = ProtoObjectBuilder()
        connectorType.write(&builder, "connectorType")
        builder.set("config", config)
        return builder.json
    }
}
