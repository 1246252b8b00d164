import JSON

/// Opens a capture session.
public struct OpenRequest: ProtoJSONMessage {
    public var capture: CaptureSpec?
    public var version: String
    public var range: RangeSpec
    /// The connector state reduced from all earlier checkpoints; `{}` at first.
    public var state: JSON

    public init(capture: CaptureSpec?, version: String, range: RangeSpec = .full, state: JSON = .object(JSONObject())) {
        self.capture = capture
        self.version = version
        self.range = range
        self.state = state
    }

    public init(protoJSON: JSON, path: String) throws(ProtocolError) {
        let fields = try ProtoFields(protoJSON, path: path)
        capture = try fields.message("capture") { (json, path) throws(ProtocolError) in try CaptureSpec(protoJSON: json, path: path) }
        version = try fields.string("version")
        range = try fields.message("range") { (json, path) throws(ProtocolError) in try RangeSpec(protoJSON: json, path: path) }
            ?? RangeSpec(keyBegin: 0, keyEnd: 0, rClockBegin: 0, rClockEnd: 0)
        state = try fields.rawObject("state", proto: "state_json") ?? .object(JSONObject())
    }

    /// Always carries `version`, `range` and `state`: Estuary's Python CDK requires them.
    public func protoJSON() -> JSON {
        var builder = ProtoObjectBuilder()
        builder.set("capture", capture)
        builder.set("version", JSON.string(version))
        builder.set("range", range)
        builder.set("state", state)
        return builder.json
    }
}
