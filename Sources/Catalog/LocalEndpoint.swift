import JSON

/// A connector run as a local command that speaks Flow's capture protocol (`endpoint.local`).
///
/// In YAML: `{command: [argv...], config, env?: {NAME: value}, protobuf?: bool}`.
public struct LocalEndpoint: Sendable, Hashable {
    /// The program and its arguments; never empty in a loaded catalog.
    public var command: [String]
    /// The connector's configuration (a JSON object), inline or read from ``configFile``.
    public var config: JSON
    /// The file the configuration was read from, relative to the catalog file that names it, as
    /// written there; nil when the configuration is inline.
    public var configFile: String?
    /// Extra environment variables for the command.
    public var env: [String: String]
    /// Speak the protobuf codec instead of JSON (Flow's `protobuf: true`).
    public var protobuf: Bool

    /// A local endpoint.
    public init(command: [String], config: JSON, configFile: String? = nil, env: [String: String] = [:], protobuf: Bool = false) {
        self.command = command
        self.config = config
        self.configFile = configFile
        self.env = env
        self.protobuf = protobuf
    }
}
