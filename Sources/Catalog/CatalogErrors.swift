/// Every problem found while loading a catalog; ``Catalog/load(path:)`` throws it when there is
/// at least one.
///
/// Problems are ordered by file (in the order the files were loaded: the root first, then its
/// imports depth first), then by line and column.
public struct CatalogErrors: Error, Sendable, Hashable, CustomStringConvertible {
    /// The problems, in order.
    public var problems: [CatalogProblem]

    /// Creates a value from its problems.
    public init(problems: [CatalogProblem]) {
        self.problems = problems
    }

    /// One problem per line, as `file:line:col: path: message`.
    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}
