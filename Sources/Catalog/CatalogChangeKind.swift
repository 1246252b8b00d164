/// What discovery did to one binding (see ``CatalogChange``).
public enum CatalogChangeKind: String, Sendable, Hashable, CaseIterable {
    /// A new binding (and its collection, unless it existed).
    case added = "added"
    /// An existing binding whose collection's schema changed.
    case updatedSchema = "updated schema"
    /// An existing binding whose collection's schema is as discovered.
    case unchanged = "unchanged"
    /// An existing binding whose resource the connector no longer reports; it is kept.
    case goneFromSource = "gone from source"
}
