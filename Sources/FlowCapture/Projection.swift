import JSON

/// A named field of a collection, located by a JSON pointer into its documents.
public struct Projection: ProtoJSONMessage {
    /// The document location; empty for the whole document (`flow_document`).
    public var ptr: String
    public var field: String
    public var explicit: Bool
    public var isPartitionKey: Bool
    public var isPrimaryKey: Bool
    public var inference: Inference?

    public init(ptr: String, field: String, explicit: Bool = false, isPartitionKey: Bool = false,
                isPrimaryKey: Bool = false, inference: Inference? = nil) {
        self.ptr = ptr
        self.field = field
        self.explicit = explicit
        self.isPartitionKey = isPartitionKey
        self.isPrimaryKey = isPrimaryKey
        self.inference = inference
    }

    public init(protoJSON: JSON, path: String) throws(ProtocolError) {
        let fields = try ProtoFields(protoJSON, path: path)
        ptr = try fields.string("ptr")
        field = try fields.string("field")
        explicit = try fields.bool("explicit")
        isPartitionKey = try fields.bool("isPartitionKey", proto: "is_partition_key")
        isPrimaryKey = try fields.bool("isPrimaryKey", proto: "is_primary_key")
        inference = try fields.message("inference") { (json, path) throws(ProtocolError) in try Inference(protoJSON: json, path: path) }
    }

    public func protoJSON() -> JSON {
        var builder = ProtoObjectBuilder()
        builder.set("ptr", ptr)
        builder.set("field", field)
        builder.set("explicit", explicit)
        builder.set("isPartitionKey", isPartitionKey)
        builder.set("isPrimaryKey", isPrimaryKey)
        builder.set("inference", inference)
        return builder.json
    }
}

/// What a collection's schema says about a projected location.
public struct Inference: ProtoJSONMessage {
    /// Whether a location exists in every document.
    public enum Exists: String, Sendable, Equatable, CaseIterable {
        case invalid = "INVALID", must = "MUST", may = "MAY", implicit = "IMPLICIT", cannot = "CANNOT"
    }

    /// JSON Schema type names possible at the location.
    public var types: [String]
    public var exists: Exists
    public var title: String
    public var description: String
    /// The schema's default, as JSON.
    public var defaultJSON: JSON?
    public var secret: Bool
    /// String details (`contentType`, `format`, `contentEncoding`, `maxLength`), kept as given.
    public var string: JSON?
    /// Numeric details (`hasMinimum`, `minimum`, …), kept as given.
    public var numeric: JSON?
    /// Array details (`minItems`, `itemTypes`, …), kept as given.
    public var array: JSON?

    public init(types: [String], exists: Exists, title: String = "", description: String = "", defaultJSON: JSON? = nil,
                secret: Bool = false, string: JSON? = nil, numeric: JSON? = nil, array: JSON? = nil) {
        self.types = types
        self.exists = exists
        self.title = title
        self.description = description
        self.defaultJSON = defaultJSON
        self.secret = secret
        self.string = string
        self.numeric = numeric
        self.array = array
    }

    public init(protoJSON: JSON, path: String) throws(ProtocolError) {
        let fields = try ProtoFields(protoJSON, path: path)
        types = try fields.strings("types")
        let existsName = try fields.string("exists")
        guard let exists = existsName.isEmpty ? .invalid : Exists(rawValue: existsName) else {
            throw ProtocolError.invalidField(path: fields.child("exists"), message: "expected one of MUST, MAY, IMPLICIT, CANNOT, got \"\(existsName)\"")
        }
        self.exists = exists
        title = try fields.string("title")
        description = try fields.string("description")
        defaultJSON = fields.raw("default", proto: "default_json")
        secret = try fields.bool("secret")
        string = fields.raw("string")
        numeric = fields.raw("numeric")
        array = fields.raw("array")
    }

    public func protoJSON() -> JSON {
        var builder = ProtoObjectBuilder()
        builder.set("types", types)
        if exists != .invalid { builder.set("exists", JSON.string(exists.rawValue)) }
        builder.set("title", title)
        builder.set("description", description)
        builder.set("default", defaultJSON)
        builder.set("secret", secret)
        builder.set("string", string)
        builder.set("numeric", numeric)
        builder.set("array", array)
        return builder.json
    }
}
