import JSON

/// The first message of a capture session.
public struct OpenedResponse: ProtoJSONMessage {
    /// When true, the runtime sends one ``AcknowledgeRequest`` per committed transaction.
    public var explicitAcknowledgements: Bool

    public init(explicitAcknowledgements: Bool = false) { self.explicitAcknowledgements = explicitAcknowledgements }

    public init(protoJSON: JSON, path: String) throws(ProtocolError) {
        let fields = try ProtoFields(protoJSON, path: path)
        explicitAcknowledgements = try fields.bool("explicitAcknowledgements", proto: "explicit_acknowledgements")
    }

    public func protoJSON() -> JSON {
        var builder = ProtoObjectBuilder()
        builder.set("explicitAcknowledgements", explicitAcknowledgements)
        return builder.json
    }
}
