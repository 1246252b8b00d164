import JSON

/// A captured document of one binding; it commits with the next checkpoint.
public struct CapturedResponse: ProtoJSONMessage {
    /// Index into the opened capture's bindings.
    public var binding: UInt32
    public var doc: JSON

    public init(binding: UInt32, doc: JSON) {
        self.binding = binding
        self.doc = doc
    }

    public init(protoJSON: JSON, path: String) throws(ProtocolError) {
        let fields = try ProtoFields(protoJSON, path: path)
        binding = try fields.uint32("binding")
        guard let doc = fields.raw("doc", proto: "doc_json") else { throw ProtocolError.missingField(path: fields.child("doc")) }
        guard case .object = doc else { throw fields.mismatch("doc", "an object", doc) }
        self.doc = doc
    }

    public func protoJSON() -> JSON {
        var builder = ProtoObjectBuilder()
        builder.set("binding", binding)
        builder.set("doc", doc)
        return builder.json
    }
}
