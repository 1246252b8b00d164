import JSON

/// A connector container image (Flow's `endpoint.connector`).
///
/// The loader accepts it so that Flow catalogs load as they are; the runtime, which runs no
/// containers, reports it as unsupported.
///
/// In YAML: `{image, config}`.
public struct ConnectorEndpoint: Sendable, Hashable {
    /// The image, such as `ghcr.io/estuary/source-postgres:dev`.
    public var image: String
    /// The connector's configuration (a JSON object), inline or read from ``configFile``.
    public var config: JSON
    /// The file the configuration was read from, relative to the catalog file that names it, as
    /// written there; nil when the configuration is inline.
    public var configFile: String?

    /// A connector endpoint.
    public init(image: String, config: JSON, configFile: String? = nil) {
        self.image = image
        self.config = config
        self.configFile = configFile
    }
}
