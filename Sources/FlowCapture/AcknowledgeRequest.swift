import JSON

/// Tells a connector that checkpoints it sent have committed (only if it asked for acknowledgements).
public struct AcknowledgeRequest: ProtoJSONMessage {
    /// How many of the connector's checkpoints the committed transaction held; at least 1.
    public var checkpoints: UInt32

    public init(checkpoints: UInt32) {
        self.checkpoints = checkpoints
    }

    public init(protoJSON: JSON, path: String) throws(ProtocolError) {
        let fields = try ProtoFields(protoJSON, path: path)
        checkpoints = try fields.uint32("checkpoints")
    }

    public func protoJSON() -> JSON {
        var builder = ProtoObjectBuilder()
        builder.set("checkpoints", checkpoints)
        return builder.json
    }
}
