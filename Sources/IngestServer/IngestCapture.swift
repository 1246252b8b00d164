/// A capture served by the ingest server: its tokens, body limit, bindings by name, UUIDs and
/// committer.
final class IngestCapture: Sendable {
    let name: String
    let tokens: BearerTokens
    /// The largest body (or WebSocket message) accepted.
    let maxBodyBytes: Int
    /// The enabled bindings, by name.
    let targets: [String: IngestTarget]
    let uuids = UUIDSource()
    let committer: CaptureCommitter

    init(name: String, tokens: BearerTokens, maxBodyBytes: Int, targets: [String: IngestTarget], committer: CaptureCommitter) {
        self.name = name
        self.tokens = tokens
        self.maxBodyBytes = maxBodyBytes
        self.targets = targets
        self.committer = committer
    }

    /// Prepares the documents of a request body for `target`.
    func prepare(_ body: UnsafeRawBufferPointer, format: BodyFormat, for target: IngestTarget) -> PreparedRequest {
        var preparer = DocumentPreparer(target: target, uuids: uuids)
        if let unusable = RequestBodyReader.read(body, format: format, into: &preparer) { return .unusable(unusable) }
        switch preparer.finish() {
        case .success(let batch): return .ready(batch)
        case .failure(let invalid): return .invalid(invalid)
        }
    }
}
