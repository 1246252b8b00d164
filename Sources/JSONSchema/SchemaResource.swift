/// A schema resource at run time: what `$dynamicRef` looks up in the dynamic scope.
final class SchemaResource: @unchecked Sendable {
    /// The resource's absolute URI.
    let uri: String
    /// Compiled `$dynamicAnchor`s of this resource, by name (only names some `$dynamicRef` uses).
    var dynamicAnchors: [String: NodeRef] = [:]

    init(uri: String) { self.uri = uri }
}
