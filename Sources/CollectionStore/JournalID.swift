/// One append-only journal of the local store: a collection's documents or its rejected-records log.
///
/// Identity is the kind and the encoded name, so names are compared byte for byte (see ``NameEncoding``).
struct JournalID: Sendable, Hashable, CustomStringConvertible {
    let kind: JournalKind
    /// The collection's name.
    let collection: String
    /// The collection's directory name (``NameEncoding``).
    let encoded: String

    /// A journal of `collection`; throws if the name cannot be stored.
    init(_ kind: JournalKind, collection: String) throws(StoreError) {
        self.kind = kind
        self.collection = collection
        encoded = try NameEncoding.validate(collection, what: "collection")
    }

    /// A journal from a directory name already known to decode.
    init(_ kind: JournalKind, collection: String, encoded: String) {
        self.kind = kind
        self.collection = collection
        self.encoded = encoded
    }

    static func == (lhs: JournalID, rhs: JournalID) -> Bool { lhs.kind == rhs.kind && lhs.encoded == rhs.encoded }

    func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(encoded)
    }

    /// The directory of its segments under the store's root.
    func directory(root: String) -> String {
        switch kind {
        case .documents: return "\(root)/collections/\(encoded)"
        case .rejected: return "\(root)/collections/\(encoded)/rejected"
        }
    }

    /// `collection "x"` or `rejected log of collection "x"`, for messages.
    var description: String {
        switch kind {
        case .documents: return "collection \"\(collection)\""
        case .rejected: return "rejected log of collection \"\(collection)\""
        }
    }
}
