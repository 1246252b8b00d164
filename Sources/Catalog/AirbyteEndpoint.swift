import JSON

/// An Airbyte source connector run as a local command (`endpoint.airbyte`, a capstan
/// extension); the runtime translates the Airbyte protocol to Flow's.
///
/// In YAML: `{command: [argv...], config, env?: {NAME: value}}`.
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

    /// An Airbyte endpoint.
    public init(command: [String], config: JSON, configFile: String? = nil, env: [String: String] = [:]) {
        self.command = command
        self.config = config
        self.configFile = configFile
        self.env = env
    }
}
