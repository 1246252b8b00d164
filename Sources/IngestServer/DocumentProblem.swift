import JSON

/// Why one document of a request cannot be committed.
struct DocumentProblem: Sendable, Equatable {
    /// The document's index in the request (for WebSocket, the frame's index in the connection).
    var index: Int
    /// The document's key, when it is an object and validation got that far.
    var key: [JSON]?
    /// What is wrong: validation errors (`/pointer: message (at #/schema/location)`) or why it
    /// is not a document.
    var errors: [String]

    /// The problem as JSON: `{"index", "key"?, "errors"}`.
    var json: JSON {
        var object: JSONObject = ["index": .number(JSONNumber(index))]
        if let key { object["key"] = .array(key) }
        object["errors"] = .array(errors.map { .string($0) })
        return .object(object)
    }
}
