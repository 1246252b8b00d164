import JSON

/// One catalog file of a loaded catalog.
public struct CatalogFile: Sendable, Hashable {
    /// The file's path relative to the root catalog file's directory (`flow.yaml`,
    /// `acmeCo/flow.yaml`).
    public var path: String
    /// Its `import` list, as written (relative to the file).
    public var imports: [String]
    /// Flow sections capstan does not run (`materializations`, `tests`, `storageMappings`),
    /// kept as written so that rewriting the file does not lose them.
    public var preserved: JSONObject

    /// The top-level sections kept in ``preserved``.
    public static let preservedSections = ["materializations", "tests", "storageMappings"]

    /// A file.
    public init(path: String, imports: [String] = [], preserved: JSONObject = JSONObject()) {
        self.path = path
        self.imports = imports
        self.preserved = preserved
    }
}
