import JSON

/// A connector's answer to ``ValidateRequest``: the resource path of each binding, in request order.
public struct ValidatedResponse: ProtoJSONMessage {
    /// One validated binding.
    public struct Binding: ProtoJSONMessage {
        public var resourcePath: [String]

        public init(resourcePath: [String]) { self.resourcePath = resourcePath }

        public init(protoJSON: JSON, path: String) throws(ProtocolError) {
            let fields = try ProtoFields(protoJSON, path: path)
            resourcePath = try fields.strings("resourcePath", proto: "resource_path")
        }

        public func protoJSON() -> JSON {
            var builder = ProtoObjectBuilder()
            builder.set("resourcePath", resourcePath)
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
