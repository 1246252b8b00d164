import JSON

/// Asks a connector to check a configuration and its bindings.
public struct ValidateRequest: ProtoJSONMessage {
    /// One binding to validate.
    public struct Binding: ProtoJSONMessage {
        public var resourceConfig: JSON?
        public var collection: CollectionSpec?
        public var backfill: UInt32

        public init(resourceConfig: JSON?, collection: CollectionSpec?, backfill: UInt32 = 0) {
            self.resourceConfig = resourceConfig
            self.collection = collection
            self.backfill = backfill
        }

        public init(protoJSON: JSON, path: String) throws(ProtocolError) {
            let fields = try ProtoFields(protoJSON, path: path)
            resourceConfig = try fields.rawObject("resourceConfig", proto: "resource_config_json")
            collection = try fields.message("collection") { (json, path) throws(ProtocolError) in try CollectionSpec(protoJSON: json, path: path) }
            backfill = try fields.uint32("backfill")
        }

        public func protoJSON() -> JSON {
            var builder = ProtoObjectBuilder()
            builder.set("resourceConfig", resourceConfig)
            builder.set("collection", collection)
            builder.set("backfill", backfill)
            return builder.json
        }
    }

    public var name: String
    public var connectorType: ConnectorType
    public var config: JSON?
    public var bindings: [Binding]
    /// The capture as last applied, if any.
    public var lastCapture: CaptureSpec?
    public var lastVersion: String

    public init(name: String, connectorType: ConnectorType = .local, config: JSON?, bindings: [Binding],
                lastCapture: CaptureSpec? = nil, lastVersion: String = "") {
        self.name = name
        self.connectorType = connectorType
        self.config = config
        self.bindings = bindings
        self.lastCapture = lastCapture
        self.lastVersion = lastVersion
    }

    public init(protoJSON: JSON, path: String) throws(ProtocolError) {
        let fields = try ProtoFields(protoJSON, path: path)
        name = try fields.string("name")
        connectorType = try ConnectorType.read(fields, "connectorType")
        config = try fields.rawObject("config", proto: "config_json")
        bindings = try fields.messages("bindings") { (json, path) throws(ProtocolError) in try Binding(protoJSON: json, path: path) }
        lastCapture = try fields.message("lastCapture", proto: "last_capture") { (json, path) throws(ProtocolError) in try CaptureSpec(protoJSON: json, path: path) }
        lastVersion = try fields.string("lastVersion", proto: "last_version")
    }

    public func protoJSON() -> JSON {
        var builder = ProtoObjectBuilder()
        builder.set("name", name)
        connectorType.write(&builder, "connectorType")
        builder.set("config", config)
        builder.set("bindings", bindings)
        builder.set("lastCapture", lastCapture)
        builder.set("lastVersion", lastVersion)
        return builder.json
    }
}
