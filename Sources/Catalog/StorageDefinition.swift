/// Where the runtime keeps collections and checkpoints (a capstan extension, `storage:` in the
/// root catalog file).
///
/// In YAML: `storage: {local: ./data}` (also `{local: {path: ./data}}`) or
/// `storage: {postgres: {...}}` (see ``PostgresStorage``). Absent: local files in `./data`.
public enum StorageDefinition: Sendable, Hashable {
    /// Local files under a directory; a relative path is relative to the root catalog file's
    /// directory (see ``Catalog/localStorageDirectory``).
    case local(path: String)
    /// A PostgreSQL database.
    case postgres(PostgresStorage)

    /// The default: `.local(path: "./data")`.
    public static let `default` = StorageDefinition.local(path: "./data")
}
