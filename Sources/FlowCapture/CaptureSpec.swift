import JSON

/// A capture task: its connector, configuration and bindings.
public struct CaptureSpec: ProtoJSONMessage {
    public var name: String
    public var connectorType: ConnectorType
    /// The connector's endpoint configuration, as raw JSON.
    public var config: JSON?
    public var bindings: [CaptureBinding]
    /// How long after a session starts a connector that exits is started again.
    /// Always written, zero included: Estuary's Python CDK requires the field.
    public var intervalSeconds: UInt32
    /// A Gazette ShardSpec template, kept as given.
    public var shardTemplate: JSON?
    /// A Gazette JournalSpec template for the recovery log, kept as given.
    public var recoveryLogTemplate: JSON?
    public var networkPorts: [JSON]
    public var inactiveBindings: [JSON]
    public var redactSalt: String

    public init(name: String, connectorType: ConnectorType, config: JSON?, bindings: [CaptureBinding], intervalSeconds: UInt32,
                shardTemplate: JSON? = nil, recoveryLogTemplate: JSON? = nil, networkPorts: [JSON] = [],
                inactiveBindings: [JSON] = [], redactSalt: String = "") {
        self.name = name
        self.connectorType = connectorType
        self.config = config
        self.bindings = bindings
        self.intervalSeconds = intervalSeconds
        self.shardTemplate = shardTemplate
        self.recoveryLogTemplate = recoveryLogTemplate
        self.networkPorts = networkPorts
        self.inactiveBindings = inactiveBindings
        self.redactSalt = redactSalt
    }

    public init(protoJSON: JSON, path: String) throws(ProtocolError) {
        let fields = try ProtoFields(protoJSON, path: path)
        name = try fields.string("name")
        connectorType = try ConnectorType.read(fields, "connectorType")
        config = try fields.rawObject("config", proto: "config_json")
        bindings = try fields.messages("bindings") { (json, path) throws(ProtocolError) in try CaptureBinding(protoJSON: json, path: path) }
        intervalSeconds = try fields.uint32("intervalSeconds", proto: "interval_seconds")
        shardTemplate = fields.raw("shardTemplate", proto: "shard_template")
        recoveryLogTemplate = fields.raw("recoveryLogTemplate", proto: "recovery_log_template")
        networkPorts = fields.raw("networkPorts", proto: "network_ports")?.arrayValue ?? []
        inactiveBindings = fields.raw("inactiveBindings", proto: "inactive_bindings")?.arrayValue ?? []
        redactSalt = try fields.string("redactSalt", proto: "redact_salt")
    }

    public func protoJSON() -> JSON {
        var builder = ProtoObjectBuilder()
        builder.set("name", name)
        connectorType.write(&builder, "connectorType")
        builder.set("config", config)
        builder.set("bindings", bindings)
        builder.setAlways("intervalSeconds", intervalSeconds)
        builder.set("shardTemplate", shardTemplate)
        builder.set("recoveryLogTemplate", recoveryLogTemplate)
        if !networkPorts.isEmpty { builder.set("networkPorts", JSON.array(networkPorts)) }
        if !inactiveBindings.isEmpty { builder.set("inactiveBindings", JSON.array(inactiveBindings)) }
        builder.set("redactSalt", redactSalt)
        return builder.json
    }
}
