import JSON

/// An HTTP answer of the ingest endpoint: a status and a JSON body (one line).
///
/// - 200 `{"collection", "count", "uuids"}`: every document committed, durably.
/// - 400 `{"error", "documents": [{"index", "key"?, "errors"}]}`: invalid documents, nothing committed;
///   or `{"error"}` when the body as a whole is unusable.
/// - 401, 404, 405, 413, 415, 500, 503 `{"error"}`.
struct IngestReply: Sendable {
    var status: Int
    var body: [UInt8]
    /// The error message of an error reply; empty otherwise.
    var message = ""
    /// The `Allow` header (for 405).
    var allow: String?
    /// The `WWW-Authenticate` header (for 401).
    var challenge: String?

    init(status: Int, json: JSON, allow: String? = nil, challenge: String? = nil) {
        self.status = status
        self.body = json.serialized() + [0x0A]
        self.allow = allow
        self.challenge = challenge
    }

    /// 200: the batch committed.
    static func committed(_ batch: PreparedBatch) -> IngestReply {
        IngestReply(status: 200, json: [
            "collection": .string(batch.collection),
            "count": .number(JSONNumber(batch.count)),
            "uuids": .array(batch.uuids.map { .string($0) }),
        ])
    }

    /// 400: which documents are invalid and why.
    static func invalid(_ invalid: InvalidDocuments) -> IngestReply {
        let noun = invalid.count == 1 ? "document" : "documents"
        let message = "\(invalid.problems.count) of \(invalid.count) \(noun) invalid; nothing was committed"
        return IngestReply(status: 400, json: ["error": .string(message), "documents": .array(invalid.problems.map(\.json))])
    }

    /// Any status with `{"error": message}`.
    static func error(_ status: Int, _ message: String, allow: String? = nil, challenge: String? = nil) -> IngestReply {
        var reply = IngestReply(status: status, json: ["error": .string(message)], allow: allow, challenge: challenge)
        reply.message = message
        return reply
    }

    /// 200 for `GET /healthz`.
    static let healthy = IngestReply(status: 200, json: ["status": "ok"])
}
