import JSON

/// Where a capture's documents come from: exactly one of the endpoint kinds.
public enum CaptureEndpoint: Sendable, Hashable {
    /// A local command speaking Flow's capture protocol.
    case local(LocalEndpoint)
    /// A local command speaking the Airbyte protocol.
    case airbyte(AirbyteEndpoint)
    /// A container image (parsed, but not run by capstan).
    case connector(ConnectorEndpoint)
    /// Documents pushed over HTTP.
    case ingest(IngestEndpoint)

    /// The YAML key of the kind: `local`, `airbyte`, `connector` or `ingest`.
    public var kind: String {
        switch self {
        case .local: return "local"
        case .airbyte: return "airbyte"
        case .connector: return "connector"
        case .ingest: return "ingest"
        }
    }

    /// The connector configuration, for the kinds that have one.
    public var config: JSON? {
        switch self {
        case .local(let endpoint): return endpoint.config
        case .airbyte(let endpoint): return endpoint.config
        case .connector(let endpoint): return endpoint.config
        case .ingest: return nil
        }
    }

    /// The file the configuration was read from, as written (relative to the catalog file).
    public var configFile: String? {
        switch self {
        case .local(let endpoint): return endpoint.configFile
        case .airbyte(let endpoint): return endpoint.configFile
        case .connector(let endpoint): return endpoint.configFile
        case .ingest: return nil
        }
    }

    /// The endpoint kinds in the order the loader names them.
    static let kinds = ["local", "airbyte", "connector", "ingest"]
}
