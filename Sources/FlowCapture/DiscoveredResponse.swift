import JSON

/// The resources a connector found, each proposed as a binding.
public struct DiscoveredResponse: ProtoJSONMessage {
    /// One proposed binding.
    public struct Binding: ProtoJSONMessage {
        public var recommendedName: String
        public var resourceConfig: JSON?
        public var documentSchema: JSON?
        public var key: [String]
        public var disable: Bool
        public var resourcePath: [String]
        /// True when `key` is a stand-in (such as `/_meta/row_id`) rather than the resource's own key.
        public var isFallbackKey: Bool

        public init(recommendedName: String, resourceConfig: JSON?, documentSchema: JSON?, key: [String],
                    disable: Bool = false, resourcePath: [String] = [], isFallbackKey: Bool = false) {
            self.recommendedName = recommendedName
            self.resourceConfig = resourceConfig
            self.documentSchema = documentSchema
            self.key = key
            self.disable = disable
            self.resourcePath = resourcePath
            self.isFallbackKey = isFallbackKey
        }

        public init(protoJSON: JSON, path: String) throws(ProtocolError) {
            let fields = try ProtoFields(protoJSON, path: path)
            recommendedName = try fields.string("recommendedName", proto: "recommended_name")
            resourceConfig = try fields.rawObject("resourceConfig", proto: "resource_config_json")
            documentSchema = fields.raw("documentSchema", proto: "document_schema_json")
            key = try fields.strings("key")
            disable = try fields.bool("disable")
            resourcePath = try fields.strings("resourcePath", proto: "resource_path")
            isFallbackKey = try fields.bool("isFallbackKey", proto: "is_fallback_key")
        }

        public func protoJSON() -> JSON {
            var builder = ProtoObjectBuilder()
            builder.set("recommendedName", recommendedName)
            builder.set("resourceConfig", resourceConfig)
            builder.set("documentSchema", documentSchema)
            builder.set("key", key)
            builder.set("disable", disable)
            builder.set("resourcePath", resourcePath)
            builder.set("isFallbackKey", isFallbackKey)
            return builder.json
        }
    }

    public var bindings: [Binding]

    public init(bindings: [Binding]) { self.bindings = bindings }

    public init(protoJSON: JSON, path: String) throws(ProtocolError) {
        let fields = try ProtoFields(protoJSON, path: path)
        bindings = try fields.messages("bindings") { (json, path) throws(ProtocolError) in try Binding(protoJSON: json, path: path) }
    }

    public func protoJSON() -> JSON {
        var builder = ProtoObjectBuilder()
        builder.set("bindings", bindings)
        return builder.json
    }
}
