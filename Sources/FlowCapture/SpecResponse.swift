import JSON

/// A connector's schemas and protocol version.
public struct SpecResponse: ProtoJSONMessage {
    /// The protocol version every capture connector reports.
    public static let currentProtocol: UInt32 = 3_032_023

    public var `protocol`: UInt32
    public var configSchema: JSON?
    public var resourceConfigSchema: JSON?
    public var documentationUrl: String
    public var oauth2: JSON?
    /// Pointers into a resource config that identify the resource (its resource path).
    public var resourcePathPointers: [String]

    public init(protocol: UInt32 = SpecResponse.currentProtocol, configSchema: JSON?, resourceConfigSchema: JSON?,
                documentationUrl: String, oauth2: JSON? = nil, resourcePathPointers: [String]) {
        self.protocol = `protocol`
        self.configSchema = configSchema
        self.resourceConfigSchema = resourceConfigSchema
        self.documentationUrl = documentationUrl
        self.oauth2 = oauth2
        self.resourcePathPointers = resourcePathPointers
    }

    public init(protoJSON: JSON, path: String) throws(ProtocolError) {
        let fields = try ProtoFields(protoJSON, path: path)
        `protocol` = try fields.uint32("protocol")
        configSchema = try fields.rawObject("configSchema", proto: "config_schema_json")
        resourceConfigSchema = try fields.rawObject("resourceConfigSchema", proto: "resource_config_schema_json")
        documentationUrl = try fields.string("documentationUrl", proto: "documentation_url")
        oauth2 = fields.raw("oauth2")
        resourcePathPointers = try fields.strings("resourcePathPointers", proto: "resource_path_pointers")
    }

    public func protoJSON() -> JSON {
        var builder = ProtoObjectBuilder()
        builder.set("protocol", `protocol`)
        builder.set("configSchema", configSchema)
        builder.set("resourceConfigSchema", resourceConfigSchema)
        builder.set("documentationUrl", documentationUrl)
        builder.set("oauth2", oauth2)
        builder.set("resourcePathPointers", resourcePathPointers)
        return builder.json
    }
}
