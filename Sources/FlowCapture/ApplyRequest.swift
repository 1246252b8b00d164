import JSON

/// Asks a connector to apply a capture's configuration to its endpoint (idempotently).
public struct ApplyRequest: ProtoJSONMessage {
    public var capture: CaptureSpec?
    public var version: String
    public var lastCapture: CaptureSpec?
    public var lastVersion: String

    public init(capture: CaptureSpec?, version: String, lastCapture: CaptureSpec? = nil, lastVersion: String = "") {
        self.capture = capture
        self.version = version
        self.lastCapture = lastCapture
        self.lastVersion = lastVersion
    }

    public init(protoJSON: JSON, path: String) throws(ProtocolError) {
        let fields = try ProtoFields(protoJSON, path: path)
        capture = try fields.message("capture") { (json, path) throws(ProtocolError) in try CaptureSpec(protoJSON: json, path: path) }
        version = try fields.string("version")
        lastCapture = try fields.message("lastCapture", proto: "last_capture") { (json, path) throws(ProtocolError) in try CaptureSpec(protoJSON: json, path: path) }
        lastVersion = try fields.string("lastVersion", proto: "last_version")
    }

    public func protoJSON() -> JSON {
        var builder = ProtoObjectBuilder()
        builder.set("capture", capture)
        builder.set("version", version)
        builder.set("lastCapture", lastCapture)
        builder.set("lastVersion", lastVersion)
        return builder.json
    }
}
