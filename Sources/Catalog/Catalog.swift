/// A loaded catalog: the captures and collections of a root catalog file and everything it
/// imports, in the shape of Estuary Flow's `flow.yaml`.
///
/// ```swift
/// let catalog = try Catalog.load(path: "flow.yaml")   // throws CatalogErrors, every problem at once
/// for capture in catalog.captures { ... }
/// ```
///
/// A root catalog file holds, all optional: `import` (relative paths of other catalog files),
/// `captures`, `collections`, `storage` (root file only) and Flow's `materializations`, `tests`
/// and `storageMappings` (kept, not run). See ``CaptureDefinition``, ``CollectionDefinition`` and
/// ``StorageDefinition`` for their shapes.
///
/// Equality compares the content (definitions, storage, files relative to the root's
/// directory), not where the catalog was loaded from.
public struct Catalog: Sendable {
    /// The captures, ordered by name.
    public var captures: [CaptureDefinition]
    /// The collections, ordered by name.
    public var collections: [CollectionDefinition]
    /// Where the runtime keeps collections and checkpoints.
    public var storage: StorageDefinition
    /// The catalog files, the root first, then imports depth first in `import` order.
    public var files: [CatalogFile]
    /// The absolute path of the root catalog file's directory.
    public var rootDirectory: String
    /// The absolute paths of every file read: catalog files, and the configuration, resource and
    /// schema files they name, in the order they were read.
    public var sourceFiles: [String]

    /// A catalog; the definitions are put in name order.
    public init(
        captures: [CaptureDefinition] = [], collections: [CollectionDefinition] = [], storage: StorageDefinition = .default,
        files: [CatalogFile] = [CatalogFile(path: "flow.yaml")], rootDirectory: String, sourceFiles: [String] = []
    ) {
        self.captures = captures.sorted { $0.name < $1.name }
        self.collections = collections.sorted { $0.name < $1.name }
        self.storage = storage
        self.files = files
        self.rootDirectory = rootDirectory
        self.sourceFiles = sourceFiles
    }

    /// Loads the catalog whose root file is at `path`, with its imports and referenced files,
    /// and checks it whole. Throws every problem found (see ``CatalogErrors``).
    public static func load(path: String) throws(CatalogErrors) -> Catalog {
        try CatalogLoader(rootPath: path).load()
    }

    /// The root catalog file's path relative to ``rootDirectory``.
    public var rootFile: String { files.first?.path ?? "flow.yaml" }

    /// The capture named `name`.
    public func capture(named name: String) -> CaptureDefinition? {
        captures.first { $0.name == name }
    }

    /// The collection named `name`.
    public func collection(named name: String) -> CollectionDefinition? {
        collections.first { $0.name == name }
    }

    /// The capture whose enabled binding writes `collection`, if any (a collection has at most one).
    public func writer(of collection: String) -> CaptureDefinition? {
        captures.first { capture in capture.bindings.contains { !$0.disable && $0.target == collection } }
    }

    /// The absolute directory of local storage, or nil when storage is not local.
    public var localStorageDirectory: String? {
        guard case .local(let path) = storage else { return nil }
        return FilePaths.join(rootDirectory, path)
    }

    /// Replaces or adds `capture` (by name), keeping name order.
    public mutating func upsert(_ capture: CaptureDefinition) {
        if let index = captures.firstIndex(where: { $0.name == capture.name }) {
            captures[index] = capture
        } else {
            captures.append(capture)
            captures.sort { $0.name < $1.name }
        }
    }

    /// Replaces or adds `collection` (by name), keeping name order.
    public mutating func upsert(_ collection: CollectionDefinition) {
        if let index = collections.firstIndex(where: { $0.name == collection.name }) {
            collections[index] = collection
        } else {
            collections.append(collection)
            collections.sort { $0.name < $1.name }
        }
    }
}

extension Catalog: Equatable {
    public static func == (lhs: Catalog, rhs: Catalog) -> Bool {
        lhs.captures == rhs.captures && lhs.collections == rhs.collections && lhs.storage == rhs.storage && lhs.files == rhs.files
    }
}
