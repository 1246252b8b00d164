import JSON

/// The messages the server sends on an ingest WebSocket, one JSON object per text message.
///
/// Frames are numbered from 0 in the order the connection sent them (every text or binary
/// message counts). Answers come in frame order:
///
/// - `{"ack": {"first": F, "count": N, "uuids": [...]}}`: frames F to F+N-1 are committed,
///   durably; `uuids` are their documents' `/_meta/uuid`, in order.
/// - `{"invalid": {"index": I, "key"?: [...], "errors": [...]}}`: frame I was not a valid
///   document; it is not committed (the frames around it are unaffected).
/// - `{"failed": {"first": F, "count": N, "error": "..."}}`: the commit of frames F to F+N-1
///   failed; the server then closes the connection (1011). They may be sent again.
///
/// A frame that has no answer when the connection closes was not committed. A connection that may
/// not send (no or a wrong token, an unknown binding) is closed at once with 4000 + the HTTP status
/// (4401, 4404) and the reason; a server shutting down closes with 1001.
enum WebSocketReply {
    static func ack(first: Int, uuids: ArraySlice<String>) -> String {
        message("ack", ["first": .number(JSONNumber(first)), "count": .number(JSONNumber(uuids.count)), "uuids": .array(uuids.map { .string($0) })])
    }

    static func invalid(_ problem: DocumentProblem) -> String {
        message("invalid", problem.json)
    }

    static func failed(first: Int, count: Int, error: String) -> String {
        message("failed", ["first": .number(JSONNumber(first)), "count": .number(JSONNumber(count)), "error": .string(error)])
    }

    private static func message(_ kind: String, _ body: JSON) -> String {
        JSON.object(JSONObject(uniqueMembers: [JSONObject.Member(key: kind, value: body)])).serializedString()
    }
}
