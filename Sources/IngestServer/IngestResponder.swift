import CollectionStore
import Hummingbird

/// Answers the ingest server's HTTP requests: `GET /healthz` and `POST /<capture>/<binding>`.
///
/// A post is checked in this order: route (404 for an unknown capture), bearer token (401), binding
/// (404), method (405), shutdown (503), `Content-Type` (415), size (413), documents (400); then its
/// documents commit as one all-or-nothing batch, and 200 is sent once the commit is durable.
struct IngestResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let captures: [String: IngestCapture]
    let gate: RequestGate

    func respond(to request: Request, context: Context) async throws -> Response {
        let reply = await answer(request)
        return Self.response(reply)
    }

    /// Where a request path leads.
    enum Destination {
        case health
        case target(IngestCapture, IngestTarget)
        case refused(IngestReply)
    }

    /// Routes and authenticates a request for `path` with `authorization` (shared with WebSocket upgrades).
    func destination(path: String, authorization: String?) -> Destination {
        if path == "/healthz" { return .health }
        guard let route = IngestRoute(path: path), let capture = captures[route.capture] else {
            return .refused(.error(404, "no ingest endpoint at \(path); post to /<capture>/<binding>"))
        }
        guard capture.tokens.admits(authorization: authorization) else {
            let message = authorization == nil ? "a bearer token is required (Authorization: Bearer <token>)" : "the bearer token is not valid for capture \(capture.name)"
            return .refused(.error(401, message, challenge: "Bearer"))
        }
        guard let target = capture.targets[route.binding] else {
            return .refused(.error(404, "capture \(capture.name) has no binding named \"\(route.binding)\""))
        }
        return .target(capture, target)
    }

    private func answer(_ request: Request) async -> IngestReply {
        switch destination(path: request.uri.path, authorization: request.headers[.authorization]) {
        case .health:
            guard request.method == .get || request.method == .head else { return .error(405, "use GET /healthz", allow: "GET") }
            return gate.isStopping ? .error(503, "shutting down") : .healthy
        case .refused(let reply):
            return reply
        case .target(let capture, let target):
            guard request.method == .post else {
                return .error(405, "post documents to this path, or open a WebSocket on it", allow: "POST")
            }
            guard gate.enter() else { return .error(503, "the server is shutting down") }
            defer { gate.leave() }
            return await ingest(request, capture: capture, target: target)
        }
    }

    private func ingest(_ request: Request, capture: IngestCapture, target: IngestTarget) async -> IngestReply {
        guard let format = BodyFormat(contentType: request.headers[.contentType]) else {
            return .error(415, "send documents as Content-Type: application/json (an object or an array of objects) or application/x-ndjson (one object per line)")
        }
        let limit = capture.maxBodyBytes
        let tooLarge = IngestReply.error(413, "the body exceeds \(limit) bytes")
        let declared = request.headers[.contentLength].flatMap { Int($0) }
        if let declared, declared > limit { return tooLarge }
        var body = ByteBuffer()
        if let declared { body.reserveCapacity(declared) }
        do {
            for try await chunk in request.body {
                guard body.readableBytes + chunk.readableBytes <= limit else { return tooLarge }
                var chunk = chunk
                body.writeBuffer(&chunk)
            }
        } catch {
            return .error(400, "reading the body failed: \(error)")
        }
        let prepared = body.withUnsafeReadableBytes { capture.prepare($0, format: format, for: target) }
        switch prepared {
        case .unusable(let message):
            return .error(400, message)
        case .invalid(let invalid):
            return .invalid(invalid)
        case .ready(let batch):
            do {
                try await capture.committer.commit(batch)
            } catch {
                return .error(500, "the commit failed: \(error)")
            }
            return .committed(batch)
        }
    }

    /// The Hummingbird response of a reply.
    static func response(_ reply: IngestReply) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let allow = reply.allow { headers[.allow] = allow }
        if let challenge = reply.challenge { headers[.wwwAuthenticate] = challenge }
        return Response(status: HTTPResponse.Status(code: reply.status), headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: reply.body)))
    }
}
