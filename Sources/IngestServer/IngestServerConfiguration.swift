/// How `capstan serve` listens and batches.
public struct IngestServerConfiguration: Sendable {
    /// The body limit of a capture whose endpoint sets no `maxBodyBytes`: 16 MiB.
    public static let defaultMaxBodyBytes = 16 << 20

    /// The address to listen on.
    public var host: String
    /// The port to listen on; 0 for any free port (see ``IngestServer/run(onListening:)``).
    public var port: Int
    /// The body limit of captures whose endpoint sets none; also the largest WebSocket message.
    public var defaultMaxBodyBytes: Int
    /// A group commit takes pending requests of a capture until their documents pass this many
    /// bytes (a request larger than this commits alone).
    public var maxCommitBytes: Int
    /// How long a shutdown waits for requests and WebSocket batches in flight to finish.
    public var shutdownGracePeriod: Duration

    /// A configuration; the defaults suit production.
    public init(
        host: String = "127.0.0.1", port: Int = 8080, defaultMaxBodyBytes: Int = IngestServerConfiguration.defaultMaxBodyBytes,
        maxCommitBytes: Int = 32 << 20, shutdownGracePeriod: Duration = .seconds(30)
    ) {
        self.host = host
        self.port = port
        self.defaultMaxBodyBytes = defaultMaxBodyBytes
        self.maxCommitBytes = maxCommitBytes
        self.shutdownGracePeriod = shutdownGracePeriod
    }
}
