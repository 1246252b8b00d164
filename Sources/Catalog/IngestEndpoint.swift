/// A push capture: documents arrive over HTTP (`endpoint.ingest`, a capstan extension).
///
/// In YAML: `ingest: {}`, optionally with `tokens` (bearer tokens a client must present; none
/// means no authentication) and `maxBodyBytes` (the largest request body accepted). A binding's
/// resource says which path feeds it.
public struct IngestEndpoint: Sendable, Hashable {
    /// Bearer tokens accepted; empty for no authentication.
    public var tokens: [String]
    /// The largest request body accepted, in bytes; nil for the runtime's default.
    public var maxBodyBytes: Int?

    /// An ingest endpoint.
    public init(tokens: [String] = [], maxBodyBytes: Int? = nil) {
        self.tokens = tokens
        self.maxBodyBytes = maxBodyBytes
    }
}
