/// How a capture's shard runs (Flow's `shards`).
///
/// capstan uses ``disable`` and ``logLevel``; the transaction durations bound its transactions.
/// Flow's other settings are accepted and kept so that catalogs load and write back unchanged.
public struct ShardTemplate: Sendable, Hashable {
    /// Don't run the capture.
    public var disable: Bool
    /// `error`, `warn`, `info`, `debug` or `trace`; nil for the default (`info`).
    public var logLevel: String?
    /// The least time a transaction gathers documents (Flow: experimental).
    public var minTxnDuration: Duration?
    /// The most time a transaction gathers documents before committing.
    public var maxTxnDuration: Duration?
    /// Flow's hot standby count (kept, unused).
    public var hotStandbys: UInt32?
    /// Flow's ring buffer size (kept, unused).
    public var ringBufferSize: UInt32?
    /// Flow's read channel size (kept, unused).
    public var readChannelSize: UInt32?

    /// The log levels ``logLevel`` may name.
    public static let logLevels = ["error", "warn", "info", "debug", "trace"]

    /// A template; by default nothing is set.
    public init(
        disable: Bool = false, logLevel: String? = nil, minTxnDuration: Duration? = nil, maxTxnDuration: Duration? = nil,
        hotStandbys: UInt32? = nil, ringBufferSize: UInt32? = nil, readChannelSize: UInt32? = nil
    ) {
        self.disable = disable
        self.logLevel = logLevel
        self.minTxnDuration = minTxnDuration
        self.maxTxnDuration = maxTxnDuration
        self.hotStandbys = hotStandbys
        self.ringBufferSize = ringBufferSize
        self.readChannelSize = readChannelSize
    }

    /// True when nothing is set (the writer then leaves `shards` out).
    public var isEmpty: Bool { self == ShardTemplate() }
}
