import JSON

/// The part of the key and r-clock space that a capture shard covers; bounds are inclusive.
public struct RangeSpec: ProtoJSONMessage {
    public var keyBegin: UInt32
    public var keyEnd: UInt32
    public var rClockBegin: UInt32
    public var rClockEnd: UInt32

    /// The whole space on both axes.
    public static let full = RangeSpec(keyBegin: 0, keyEnd: .max, rClockBegin: 0, rClockEnd: .max)

    public init(keyBegin: UInt32, keyEnd: UInt32, rClockBegin: UInt32, rClockEnd: UInt32) {
        self.keyBegin = keyBegin
        self.keyEnd = keyEnd
        self.rClockBegin = rClockBegin
        self.rClockEnd = rClockEnd
    }

    public init(protoJSON: JSON, path: String) throws(ProtocolError) {
        let fields = try ProtoFields(protoJSON, path: path)
        keyBegin = try fields.uint32("keyBegin", proto: "key_begin")
        keyEnd = try fields.uint32("keyEnd", proto: "key_end")
        rClockBegin = try fields.uint32("rClockBegin", proto: "r_clock_begin")
        rClockEnd = try fields.uint32("rClockEnd", proto: "r_clock_end")
    }

    /// All four bounds, zeros included: some connectors do not default absent bounds.
    public func protoJSON() -> JSON {
        var builder = ProtoObjectBuilder()
        builder.setAlways("keyBegin", keyBegin)
        builder.setAlways("keyEnd", keyEnd)
        builder.setAlways("rClockBegin", rClockBegin)
        builder.setAlways("rClockEnd", rClockEnd)
        return builder.json
    }
}
