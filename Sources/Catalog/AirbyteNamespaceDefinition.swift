/// Where the namespace of an Airbyte stream's collection comes from (Airbyte's "destination
/// namespace" setting).
public enum AirbyteNamespaceDefinition: String, Sendable, Hashable, CaseIterable {
    /// The stream's own namespace (none when the source gives none). The default.
    case source
    /// No namespace: collections are named by stream alone.
    case destination
    /// `namespaceFormat`, with `${SOURCE_NAMESPACE}` replaced by the stream's namespace.
    case customFormat = "customformat"
}
