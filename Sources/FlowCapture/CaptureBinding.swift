import JSON

/// One binding of a capture: a connector resource feeding a collection.
public struct CaptureBinding: ProtoJSONMessage {
    /// The connector's resource configuration, as raw JSON.
    public var resourceConfig: JSON?
    /// The resource's identity, from the connector's `resourcePathPointers`.
    public var resourcePath: [String]
    public var collection: CollectionSpec?
    /// Bumped to restart the binding from scratch.
    public var backfill: UInt32
    /// The key of this binding's connector state; see ``StateKey``.
    public var stateKey: String

    public init(resourceConfig: JSON?, resourcePath: [String], collection: CollectionSpec?, backfill: UInt32 = 0, stateKey: String? = nil) {
        self.resourceConfig = resourceConfig
        self.resourcePath = resourcePath
        self.collection = collection
        self.backfill = backfill
        self.stateKey = stateKey ?? StateKey.encode(resourcePath: resourcePath, backfill: backfill)
    }

    public init(protoJSON: JSON, path: String) throws(ProtocolError) {
        let fields = try ProtoFields(protoJSON, path: path)
        resourceConfig = try fields.rawObject("resourceConfig", proto: "resource_config_json")
        resourcePath = try fields.strings("resourcePath", proto: "resource_path")
        collection = try fields.message("collection") { (json, path) throws(ProtocolError) in try CollectionSpec(protoJSON: json, path: path) }
        backfill = try fields.uint32("backfill")
        stateKey = try fields.string("stateKey", proto: "state_key")
    }

    public func protoJSON() -> JSON {
        var builder = ProtoObjectBuilder()
        builder.set("resourceConfig", resourceConfig)
        builder.set("resourcePath", resourcePath)
        builder.set("collection", collection)
        builder.set("backfill", backfill)
        builder.set("stateKey", stateKey)
        return builder.json
    }
}
