import JSON

/// What the connector remembers about one binding between polls, in the original connector's shape.
public struct BindingState: Sendable, Equatable {
    /// The cursor columns the values belong to; `nil` for full refresh.
    public var cursorNames: [String]?
    /// The last captured row's cursor values, as translated into documents (exact, numbers included).
    public var cursorValues: [JSON]?
    /// When the last completed poll started; Go's zero time when it never did.
    public var lastPolled: Timestamp
    /// Rows captured so far: the next `/_meta/row_id`.
    public var documentCount: Int64

    public init(cursorNames: [String]? = nil, cursorValues: [JSON]? = nil, lastPolled: Timestamp = .goZero, documentCount: Int64 = 0) {
        self.cursorNames = cursorNames
        self.cursorValues = cursorValues
        self.lastPolled = lastPolled
        self.documentCount = documentCount
    }

    /// Parses a binding's state strictly (unknown fields are an error; keys match case-insensitively, as in Go).
    init(json: JSON, path: String) throws(ConfigError) {
        let object = try StrictObject(json, path: path, fields: ["CursorNames", "CursorValues", "LastPolled", "DocumentCount"])
        cursorNames = try object.strings("CursorNames")
        if let values = object.value("CursorValues") {
            guard case .array(let elements) = values else { throw ConfigError("\(path).CursorValues: expected an array, got \(values.typeName)") }
            cursorValues = elements
        }
        if let text = try object.string("LastPolled") {
            guard let time = Timestamp(rfc3339: text) else { throw ConfigError("\(path).LastPolled: not an RFC 3339 time: \"\(text)\"") }
            lastPolled = time
        } else {
            lastPolled = .goZero
        }
        documentCount = Int64(try object.integer("DocumentCount", in: 0...Int.max) ?? 0)
    }

    /// The state as JSON, fields in the original connector's order; an absent list is `null`
    /// (which, in a merge patch, removes the key, as the original's checkpoints do).
    public var json: JSON {
        var object = JSONObject()
        object.appendUnchecked(key: "CursorNames", value: cursorNames.map { .array($0.map { .string($0) }) } ?? .null)
        object.appendUnchecked(key: "CursorValues", value: cursorValues.map { .array($0) } ?? .null)
        object.appendUnchecked(key: "LastPolled", value: .string(lastPolled.rfc3339))
        object.appendUnchecked(key: "DocumentCount", value: .number(JSONNumber(documentCount)))
        return .object(object)
    }
}

/// The connector's whole state: `{"bindingStateV1": {<stateKey>: BindingState}}`.
public struct CaptureState: Sendable, Equatable {
    public var bindings: [String: BindingState]

    public init(bindings: [String: BindingState] = [:]) {
        self.bindings = bindings
    }

    /// Parses `open.state`; a state written by the original connector is accepted as is.
    public init(json: JSON) throws(ConfigError) {
        bindings = [:]
        do throws(ConfigError) {
            let root = try StrictObject(json, path: "state", fields: ["bindingStateV1"])
            guard let states = root.value("bindingStateV1") else { return }
            guard case .object(let object) = states else {
                throw ConfigError("state.bindingStateV1: expected an object, got \(states.typeName)")
            }
            for member in object.members where !member.value.isNull {
                bindings[member.key] = try BindingState(json: member.value, path: "state.bindingStateV1[\"\(member.key)\"]")
            }
        } catch {
            throw ConfigError("parsing state checkpoint: \(error.message)")
        }
    }

    /// A merge patch that sets one binding's state and leaves the others alone.
    public static func patch(stateKey: String, state: BindingState) -> JSON {
        .object(JSONObject(uniqueMembers: [.init(key: "bindingStateV1", value: .object(JSONObject(uniqueMembers: [.init(key: stateKey, value: state.json)])))]))
    }
}
