import JSON
import JSONSchema

/// A collection: a schema its documents satisfy and the key that identifies them.
///
/// In YAML, under `collections: {<name>: ...}`: `{schema, key, projections?, journals?,
/// expectPubId?}`, or `writeSchema` (and optionally `readSchema`) in place of `schema`. A schema
/// is written inline or as a path to a `.json`, `.yaml` or `.yml` file relative to the catalog
/// file. Any other key is an error (`derive` too: capstan runs no derivations).
///
/// Equality and hashing ignore the cache of compiled schemas.
public struct CollectionDefinition: Sendable {
    /// The collection's name, such as `acmeCo/orders`.
    public var name: String
    /// The schema documents are validated against when captured (`schema` or `writeSchema`).
    public var writeSchema: JSON { didSet { cache = SchemaCache() } }
    /// The file ``writeSchema`` was read from, relative to the catalog file that names it, as
    /// written there; nil when the schema is inline.
    public var writeSchemaFile: String?
    /// The schema for readers, when it differs from the write schema (`readSchema`).
    public var readSchema: JSON? { didSet { cache = SchemaCache() } }
    /// The file ``readSchema`` was read from, as written; nil when inline or absent.
    public var readSchemaFile: String?
    /// The key: JSON Pointers to locations every document has, as strings or integers or booleans.
    public var key: [String]
    /// Named locations, by field name.
    public var projections: [String: ProjectionDefinition]
    /// Flow's journal template, kept as written (capstan does not use it).
    public var journals: JSON?
    /// Flow's expected publication id, kept as written.
    public var expectPubId: String?
    /// The catalog file that defines the collection, relative to the root catalog file's
    /// directory; nil for a collection not loaded from a file (the writer puts it in the root file).
    public var sourceFile: String?

    private var cache = SchemaCache()

    /// A collection.
    public init(
        name: String, writeSchema: JSON, writeSchemaFile: String? = nil, readSchema: JSON? = nil, readSchemaFile: String? = nil,
        key: [String], projections: [String: ProjectionDefinition] = [:], journals: JSON? = nil, expectPubId: String? = nil,
        sourceFile: String? = nil
    ) {
        self.name = name
        self.writeSchema = writeSchema
        self.writeSchemaFile = writeSchemaFile
        self.readSchema = readSchema
        self.readSchemaFile = readSchemaFile
        self.key = key
        self.projections = projections
        self.journals = journals
        self.expectPubId = expectPubId
        self.sourceFile = sourceFile
    }

    /// The key as JSON Pointers (a loaded catalog's keys are all valid pointers; others are left out).
    public func keyPointers() -> [JSONPointer] {
        key.compactMap { try? JSONPointer($0) }
    }

    /// The compiled write schema, compiled once per value and shared by its copies.
    public func compiledWriteSchema() throws(SchemaCompileError) -> Schema {
        let schema = writeSchema
        return try cache.writeSchema { Result { () throws(SchemaCompileError) in try Schema(schema) } }.get()
    }

    /// The compiled read schema (the write schema when there is no read schema).
    ///
    /// Flow's built-in references resolve as follows: `flow://write-schema` is the write schema;
    /// `flow://relaxed-write-schema` and `flow://inferred-schema` allow any document, since capstan
    /// infers no schemas.
    public func compiledReadSchema() throws(SchemaCompileError) -> Schema {
        guard let readSchema else { return try compiledWriteSchema() }
        let registry = Self.flowRegistry(writeSchema: writeSchema)
        return try cache.readSchema { Result { () throws(SchemaCompileError) in try Schema(readSchema, registry: registry) } }.get()
    }

    /// A registry with Flow's `flow://` schemas.
    static func flowRegistry(writeSchema: JSON) -> SchemaRegistry {
        var registry = SchemaRegistry()
        registry.add(writeSchema, uri: "flow://write-schema")
        registry.add(true, uri: "flow://relaxed-write-schema")
        registry.add(true, uri: "flow://inferred-schema")
        return registry
    }

    /// Stores an already compiled write schema (the loader compiles every schema once).
    func primeWriteSchema(_ schema: Schema) {
        _ = cache.writeSchema { .success(schema) }
    }

    /// Stores an already compiled read schema.
    func primeReadSchema(_ schema: Schema) {
        _ = cache.readSchema { .success(schema) }
    }
}

extension CollectionDefinition: Hashable {
    public static func == (lhs: CollectionDefinition, rhs: CollectionDefinition) -> Bool {
        lhs.name == rhs.name && lhs.writeSchema == rhs.writeSchema && lhs.writeSchemaFile == rhs.writeSchemaFile
            && lhs.readSchema == rhs.readSchema && lhs.readSchemaFile == rhs.readSchemaFile && lhs.key == rhs.key
            && lhs.projections == rhs.projections && lhs.journals == rhs.journals && lhs.expectPubId == rhs.expectPubId
            && lhs.sourceFile == rhs.sourceFile
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(writeSchema)
        hasher.combine(writeSchemaFile)
        hasher.combine(readSchema)
        hasher.combine(readSchemaFile)
        hasher.combine(key)
        hasher.combine(projections)
        hasher.combine(journals)
        hasher.combine(expectPubId)
        hasher.combine(sourceFile)
    }
}
