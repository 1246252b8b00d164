import JSON

/// A connector state update carried by a checkpoint.
public struct ConnectorState: ProtoJSONMessage {
    /// The new state, or (with ``mergePatch``) an RFC 7396 patch of the previous one.
    public var updated: JSON
    /// True when ``updated`` is a merge patch; false when it replaces the state.
    public var mergePatch: Bool

    public init(updated: JSON, mergePatch: Bool) {
        self.updated = updated
        self.mergePatch = mergePatch
    }

    public init(protoJSON: JSON, path: String) throws(ProtocolError) {
        let fields = try ProtoFields(protoJSON, path: path)
        updated = fields.raw("updated", proto: "updated_json") ?? .object(JSONObject())
        mergePatch = try fields.bool("mergePatch", proto: "merge_patch")
    }

    public func protoJSON() -> JSON {
        var builder = ProtoObjectBuilder()
        builder.set("updated", updated)
        builder.set("mergePatch", mergePatch)
        return builder.json
    }

    /// Applies this update to `state`: a merge patch is merged, anything else replaces it.
    public func apply(to state: inout JSON) {
        if mergePatch { state.applyMergePatch(updated) } else { state = updated }
    }
}

/// Commits the documents captured since the previous checkpoint, with a state update.
public struct CheckpointResponse: ProtoJSONMessage {
    public var state: ConnectorState?

    public init(state: ConnectorState?) { self.state = state }

    public init(protoJSON: JSON, path: String) throws(ProtocolError) {
        let fields = try ProtoFields(protoJSON, path: path)
        state = try fields.message("state") { (json, path) throws(ProtocolError) in try ConnectorState(protoJSON: json, path: path) }
    }

    public func protoJSON() -> JSON {
        var builder = ProtoObjectBuilder()
        builder.set("state", state)
        return builder.json
    }
}
