/// The names of ingest bindings: a binding of an `ingest` capture is named by its resource's
/// `name`, and documents for it are posted to `/<capture>/<name>`.
///
/// A name is one URL path segment: Unicode letters and digits and `-`, `_`, `.`, but neither `.`
/// nor `..`. Capture names may hold `/` and binding names may not, so a path splits
/// unambiguously at its last `/`.
public enum IngestBindingName {
    /// The resource field that names the binding.
    public static let field = "name"

    /// The binding's name: its resource's `name`, when that is a string.
    public static func of(_ binding: BindingDefinition) -> String? {
        binding.resource[field]?.stringValue
    }

    /// Why `name` cannot name an ingest binding, or nil when it can.
    public static func problem(with name: String) -> String? {
        if name.isEmpty { return "a binding name must not be empty" }
        if name == "." || name == ".." { return "a binding name must not be \"\(name)\"" }
        for scalar in name.unicodeScalars where scalar == "/" || !CatalogName.isAllowed(scalar) {
            return "a binding name is one URL path segment: it may hold only letters, digits, \"-\", \"_\" and \".\", not \(CatalogName.shown(scalar))"
        }
        return nil
    }
}
