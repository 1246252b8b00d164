/// A file the ``CatalogWriter`` produced: where it goes and what it holds.
public struct WrittenFile: Sendable, Hashable {
    /// The path relative to the root catalog file's directory.
    public var path: String
    /// The text.
    public var contents: String

    /// A file.
    public init(path: String, contents: String) {
        self.path = path
        self.contents = contents
    }
}
