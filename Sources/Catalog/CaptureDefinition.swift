/// A capture: an endpoint and the bindings from its resources to collections.
///
/// In YAML, under `captures: {<name>: ...}`: `{endpoint, bindings, interval?, schedule?, retries?,
/// shards?, autoDiscover?, redactSalt?, expectPubId?}`. Any other key is an error.
public struct CaptureDefinition: Sendable, Hashable {
    /// The capture's name, such as `acmeCo/source-postgres`.
    public var name: String
    /// Where documents come from.
    public var endpoint: CaptureEndpoint
    /// The bindings, in catalog order.
    public var bindings: [BindingDefinition]
    /// Seconds between the starts of two runs of a connector that exits when done (`interval`,
    /// written as `5m`, `1h30m`, `30s`; default 5 minutes).
    public var intervalSeconds: Int
    /// A cron or manual schedule replacing ``intervalSeconds`` (`schedule`); nil: the interval.
    public var schedule: CaptureSchedule?
    /// How failed syncs are retried (`retries`); nil: capstan's default for the endpoint kind.
    public var retries: RetryPolicy?
    /// Shard settings.
    public var shards: ShardTemplate
    /// Flow's auto-discovery settings, when given.
    public var autoDiscover: AutoDiscover?
    /// Flow's redaction salt (base64), kept as written.
    public var redactSalt: String?
    /// Flow's expected publication id, kept as written (capstan has no control plane).
    public var expectPubId: String?
    /// The catalog file that defines the capture, relative to the root catalog file's directory;
    /// nil for a capture not loaded from a file (the writer puts it in the root file).
    public var sourceFile: String?

    /// Flow's default interval: five minutes.
    public static let defaultIntervalSeconds = 300

    /// A capture.
    public init(
        name: String, endpoint: CaptureEndpoint, bindings: [BindingDefinition] = [],
        intervalSeconds: Int = CaptureDefinition.defaultIntervalSeconds, shards: ShardTemplate = ShardTemplate(),
        autoDiscover: AutoDiscover? = nil, redactSalt: String? = nil, expectPubId: String? = nil, sourceFile: String? = nil
    ) {
        self.name = name
        self.endpoint = endpoint
        self.bindings = bindings
        self.intervalSeconds = intervalSeconds
        self.shards = shards
        self.autoDiscover = autoDiscover
        self.redactSalt = redactSalt
        self.expectPubId = expectPubId
        self.sourceFile = sourceFile
    }

    /// When the capture's connector runs again: ``schedule`` if set, else the interval.
    public var effectiveSchedule: CaptureSchedule { schedule ?? .interval(seconds: intervalSeconds) }

    /// The retry policy in force: ``retries`` if set; Airbyte's for Airbyte endpoints; else nil
    /// (capstan's own: one attempt with `--once`, endless backoff otherwise).
    public var effectiveRetries: RetryPolicy? {
        if let retries { return retries }
        if case .airbyte = endpoint { return .airbyteDefault }
        return nil
    }

    /// The bindings that are not disabled, with their indexes in ``bindings``.
    public var enabledBindings: [(index: Int, binding: BindingDefinition)] {
        bindings.enumerated().filter { !$0.element.disable }.map { ($0.offset, $0.element) }
    }
}
