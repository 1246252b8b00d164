import JSON

/// How an Airbyte connector's states are kept inside the capture's connector state, so that the
/// runtime's merge-patch reduction keeps exactly the latest state of each scope:
///
/// ```json
/// {"airbyte": {
///    "streams": {"<stream state key>": [<the last STREAM state message of that stream>]},
///    "global":  [<the last GLOBAL state message>],
///    "legacy":  [<the last LEGACY state message>]}}
/// ```
///
/// Each message is wrapped in a one-element array because a JSON merge patch replaces arrays whole
/// (and keeps the `null`s inside them), while it would merge an object into the previous one. Stream
/// keys are the stream's resource path encoded as a Flow state key (``AirbyteStreamDescriptor/stateKey``).
/// `sourceStats` and `destinationStats` are dropped. A STREAM state whose `stream_state` is null (a
/// reset) removes the stream's entry.
///
/// The next `read` gets, as its `--state` file, the array of these messages: the global one, then
/// each stream's (by key), then the legacy one.
public enum AirbyteStateLayout {
    /// The merge patch that records `state` (an `AirbyteStateMessage`); nil for a message that is
    /// none of STREAM, GLOBAL or LEGACY.
    public static func patch(for state: JSON) -> JSON? {
        guard case .object(var message) = state else { return nil }
        _ = message.removeValue(forKey: "sourceStats")
        _ = message.removeValue(forKey: "destinationStats")
        let type = message["type"]?.stringValue ?? "LEGACY"
        switch type {
        case "STREAM":
            guard let descriptor = AirbyteStreamDescriptor(json: message["stream"]?["stream_descriptor"]) else { return nil }
            let reset = message["stream"]?["stream_state"].map(\.isNull) ?? true
            return wrap("streams", .object([descriptor.stateKey: reset ? .null : .array([.object(message)])]))
        case "GLOBAL":
            return wrap("global", .array([.object(message)]))
        case "LEGACY":
            if message["type"] == nil { message["type"] = "LEGACY" }
            return wrap("legacy", message["data"].map(\.isNull) ?? true ? .null : .array([.object(message)]))
        default:
            return nil
        }
    }

    /// The `--state` array for a connector state laid out as above (empty when there is none).
    public static func stateArray(from connectorState: JSON) -> JSON {
        let airbyte = connectorState["airbyte"]
        var messages: [JSON] = []
        if let global = airbyte?["global"]?.arrayValue { messages += global }
        if let streams = airbyte?["streams"]?.objectValue {
            for member in streams.members.sorted(by: { $0.key < $1.key }) { messages += member.value.arrayValue ?? [] }
        }
        if let legacy = airbyte?["legacy"]?.arrayValue { messages += legacy }
        return .array(messages.filter { if case .object = $0 { return true } else { return false } })
    }

    /// The patch that removes a stream's state (for a reset of one binding).
    public static func resetPatch(for descriptor: AirbyteStreamDescriptor) -> JSON {
        wrap("streams", .object([descriptor.stateKey: .null]))
    }

    /// One patch with the effect of applying `first`, then `second`, for patches of this layout (whose
    /// non-object values are never merged into: each key is set whole or removed).
    public static func compose(_ first: JSON, _ second: JSON) -> JSON {
        guard case .object(var result) = first, case .object(let later) = second else { return second }
        for member in later {
            if case .object = member.value, case .object? = result[member.key] {
                result[member.key] = compose(result[member.key]!, member.value)
            } else {
                result[member.key] = member.value
            }
        }
        return .object(result)
    }

    private static func wrap(_ key: String, _ value: JSON) -> JSON {
        .object(["airbyte": .object([key: value])])
    }
}
