import JSON

/// A connector's answer to ``ApplyRequest``: what it changed, empty when nothing.
public struct AppliedResponse: ProtoJSONMessage {
    public var actionDescription: String

    public init(actionDescription: String = "") { self.actionDescription = actionDescription }

    public init(protoJSON: JSON, path: String) throws(ProtocolError) {
        let fields = try ProtoFields(protoJSON, path: path)
        actionDescription = try fields.string("actionDescription", proto: "action_description")
    }

    public func protoJSON() -> JSON {
        var builder = ProtoObjectBuilder()
        builder.set("actionDescription", actionDescription)
        return builder.json
    }
}
