import JSON

/// An Airbyte source connector run as a local command (`endpoint.airbyte`, a capstan
/// extension); the runtime translates the Airbyte protocol to Flow's.
///
/// In YAML: `{command: [argv...], config, env?: {NAME: value}, prefix?, namespaceDefinition?,
/// namespaceFormat?, heartbeat?}`. The last four are Airbyte's connection settings: the stream
/// prefix and destination namespace shape the collection names that `capstan discover` proposes,
/// and the heartbeat bounds how long the connector may stay silent.
public struct AirbyteEndpoint: Sendable, Hashable {
    /// The program and its arguments; never empty in a loaded catalog.
    public var command: [String]
    /// The connector's configuration (a JSON object), inline or read from ``configFile``.
    public var config: JSON
    /// The file the configuration was read from, relative to the catalog file that names it, as
    /// written there; nil when the configuration is inline.
    public var configFile: String?
    /// Extra environment variables for the command.
    public var env: [String: String]
    /// Prepended to each stream's name in the collection names discover proposes (`salesforce_`).
    public var prefix: String
    /// Where the namespace part of a proposed collection name comes from.
    public var namespaceDefinition: AirbyteNamespaceDefinition
    /// With ``AirbyteNamespaceDefinition/customFormat``: the namespace, in which
    /// `${SOURCE_NAMESPACE}` stands for the stream's own namespace (or nothing).
    public var namespaceFormat: String?
    /// A connector that writes nothing (no record, state or log line) for this many seconds is
    /// stopped with its whole process group, and the attempt fails. Default: one hour.
    public var heartbeatSeconds: Int

    /// The default heartbeat: one hour.
    public static let defaultHeartbeatSeconds = 3600

    /// An Airbyte endpoint.
    public init(command: [String], config: JSON, configFile: String? = nil, env: [String: String] = [:], prefix: String = "",
                namespaceDefinition: AirbyteNamespaceDefinition = .source, namespaceFormat: String? = nil,
                heartbeatSeconds: Int = AirbyteEndpoint.defaultHeartbeatSeconds) {
        self.command = command
        self.config = config
        self.configFile = configFile
        self.env = env
        self.prefix = prefix
        self.namespaceDefinition = namespaceDefinition
        self.namespaceFormat = namespaceFormat
        self.heartbeatSeconds = heartbeatSeconds
    }

    /// The collection name (before the collection prefix) that discover proposes for a stream:
    /// `<namespace>/<prefix><stream>`, or `<prefix><stream>` when the namespace is empty.
    public func recommendedName(stream: String, namespace: String?) -> String {
        let shaped: String?
        switch namespaceDefinition {
        case .source: shaped = namespace
        case .destination: shaped = nil
        case .customFormat:
            shaped = (namespaceFormat ?? "").replacingAll("${SOURCE_NAMESPACE}", with: namespace ?? "")
        }
        let trimmed = shaped.map { $0.trimmingWhitespace() } ?? ""
        return trimmed.isEmpty ? prefix + stream : trimmed + "/" + prefix + stream
    }
}

extension String {
    /// This string with every occurrence of `target` replaced (no Foundation needed).
    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            result += rest[rest.startIndex..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }

    fileprivate func trimmingWhitespace() -> String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
