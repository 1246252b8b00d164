import JSON

/// One binding a connector discovered (its `discovered.bindings[]` entry), as input to
/// ``Catalog/merged(discovered:into:collectionPrefix:resourcePathPointers:)``.
public struct DiscoveredBindingInput: Sendable, Hashable {
    /// The connector's suggested collection name (appended to the collection prefix).
    public var recommendedName: String
    /// The resource configuration.
    public var resourceConfig: JSON
    /// The schema of the resource's documents.
    public var documentSchema: JSON
    /// The suggested collection key (JSON Pointers).
    public var key: [String]
    /// The resource's path, when the connector gives it; otherwise the resource path pointers
    /// locate it in ``resourceConfig``.
    public var resourcePath: [String]
    /// Whether the connector suggests leaving the binding disabled.
    public var disable: Bool

    /// A discovered binding.
    public init(recommendedName: String, resourceConfig: JSON, documentSchema: JSON, key: [String], resourcePath: [String] = [], disable: Bool = false) {
        self.recommendedName = recommendedName
        self.resourceConfig = resourceConfig
        self.documentSchema = documentSchema
        self.key = key
        self.resourcePath = resourcePath
        self.disable = disable
    }
}
