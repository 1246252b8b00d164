import JSON

/// A connector's description of a binding's current source schema.
public struct SourcedSchemaResponse: ProtoJSONMessage {
    public var binding: UInt32
    /// A closed JSON schema; read from `documentSchema` or the proto name `schema_json`.
    public var documentSchema: JSON?

    public init(binding: UInt32, documentSchema: JSON?) {
        self.binding = binding
        self.documentSchema = documentSchema
    }

    public init(protoJSON: JSON, path: String) throws(ProtocolError) {
        let fields = try ProtoFields(protoJSON, path: path)
        binding = try fields.uint32("binding")
        documentSchema = fields.raw("documentSchema", proto: "schema_json")
    }

    public func protoJSON() -> JSON {
        var builder = ProtoObjectBuilder()
        builder.set("binding", binding)
        builder.set("documentSchema", documentSchema)
        return builder.json
    }
}
