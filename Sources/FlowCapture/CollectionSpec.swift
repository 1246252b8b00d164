import JSON

/// A collection as a capture sees it: name, schemas, key and projections.
public struct CollectionSpec: ProtoJSONMessage {
    public var name: String
    public var writeSchema: JSON?
    /// The read schema, when it differs from the write schema.
    public var readSchema: JSON?
    /// JSON pointers of the collection key, in order.
    public var key: [String]
    /// Where the runtime puts each document's UUID, normally `/_meta/uuid`.
    public var uuidPtr: String
    public var partitionFields: [String]
    /// Projections sorted by field; key projections are `isPrimaryKey`.
    public var projections: [Projection]
    public var ackTemplate: JSON?
    public var partitionTemplate: JSON?

    public init(name: String, writeSchema: JSON?, readSchema: JSON? = nil, key: [String], uuidPtr: String = "/_meta/uuid",
                partitionFields: [String] = [], projections: [Projection] = [], ackTemplate: JSON? = nil,
                partitionTemplate: JSON? = nil) {
        self.name = name
        self.writeSchema = writeSchema
        self.readSchema = readSchema
        self.key = key
        self.uuidPtr = uuidPtr
        self.partitionFields = partitionFields
        self.projections = projections
        self.ackTemplate = ackTemplate
        self.partitionTemplate = partitionTemplate
    }

    public init(protoJSON: JSON, path: String) throws(ProtocolError) {
        let fields = try ProtoFields(protoJSON, path: path)
        name = try fields.string("name")
        writeSchema = try fields.rawObject("writeSchema", proto: "write_schema_json")
        readSchema = try fields.rawObject("readSchema", proto: "read_schema_json")
        key = try fields.strings("key")
        uuidPtr = try fields.string("uuidPtr", proto: "uuid_ptr")
        partitionFields = try fields.strings("partitionFields", proto: "partition_fields")
        projections = try fields.messages("projections") { (json, path) throws(ProtocolError) in try Projection(protoJSON: json, path: path) }
        ackTemplate = fields.raw("ackTemplate", proto: "ack_template_json")
        partitionTemplate = fields.raw("partitionTemplate", proto: "partition_template")
    }

    public func protoJSON() -> JSON {
        var builder = ProtoObjectBuilder()
        builder.set("name", name)
        builder.set("writeSchema", writeSchema)
        builder.set("readSchema", readSchema)
        builder.set("key", key)
        builder.set("uuidPtr", uuidPtr)
        builder.set("partitionFields", partitionFields)
        builder.set("projections", projections)
        builder.set("ackTemplate", ackTemplate)
        builder.set("partitionTemplate", partitionTemplate)
        return builder.json
    }
}
