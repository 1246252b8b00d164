import JSON

/// Schema documents that `$ref` and `$schema` may name, by absolute URI.
///
/// The metaschemas of draft 2020-12 (with its vocabulary metaschemas) and draft-07 are
/// always available; nothing is ever fetched from the network. Documents are indexed
/// (their embedded `$id`s, anchors) only when a compilation first refers to them.
public struct SchemaRegistry: Sendable {
    private var documents: [String: JSON] = [:]

    /// A registry holding only the built-in metaschemas.
    public init() {}

    /// Registers `schema` as retrievable from `uri` (an absolute URI; a fragment is
    /// ignored). When the document's own top-level `$id` differs, it is registered under
    /// that URI as well; relative references inside it still resolve against `$id` first.
    public mutating func add(_ schema: JSON, uri: String) {
        let key = Self.key(uri)
        documents[key] = schema
        if case .string(let id)? = schema["$id"] {
            let resolved = URIReference(key).resolving(id).withoutFragment.description
            if resolved != key, documents[resolved] == nil { documents[resolved] = schema }
        }
    }

    /// Registers `schema` under its top-level `$id`, which must be an absolute URI.
    public mutating func add(_ schema: JSON) throws(SchemaCompileError) {
        guard case .string(let id)? = schema["$id"], URIReference(id).isAbsolute else {
            throw SchemaCompileError(location: "#", message: "a schema added without a URI needs an absolute \"$id\"")
        }
        add(schema, uri: id)
    }

    /// The document registered at `uri` (fragment ignored), or a built-in metaschema.
    public func schema(at uri: String) -> JSON? {
        let key = Self.key(uri)
        return documents[key] ?? Metaschemas.documents[key]
    }

    /// The URIs of the documents added (the built-in metaschemas excluded).
    public var uris: [String] { documents.keys.sorted() }

    static func key(_ uri: String) -> String {
        URIReference(uri).withoutFragment.description
    }
}
