/// The result of merging a connector's discovered bindings into a capture: the capture as it
/// should now be, the collections to add or update, and what changed, binding by binding.
public struct DiscoveryMerge: Sendable, Hashable {
    /// The capture with its bindings merged.
    public var capture: CaptureDefinition
    /// Collections that did not exist, with the discovered schema and key; each names a schema
    /// file `<collection name>.schema.yaml` (relative to the root catalog's directory) that the
    /// writer's ``CatalogWriter/schemaFiles(of:)`` produces.
    public var newCollections: [CollectionDefinition]
    /// Existing collections whose write schema is now the discovered one (their keys,
    /// projections and read schemas are kept).
    public var updatedCollections: [CollectionDefinition]
    /// One change per binding of ``capture``, in binding order.
    public var changes: [CatalogChange]

    /// A merge result.
    public init(capture: CaptureDefinition, newCollections: [CollectionDefinition], updatedCollections: [CollectionDefinition], changes: [CatalogChange]) {
        self.capture = capture
        self.newCollections = newCollections
        self.updatedCollections = updatedCollections
        self.changes = changes
    }

    /// `catalog` with the capture and collections replaced or added.
    public func applied(to catalog: Catalog) -> Catalog {
        var result = catalog
        result.upsert(capture)
        for collection in newCollections + updatedCollections { result.upsert(collection) }
        return result
    }
}
