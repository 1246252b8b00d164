import CollectionStore
import JSON

/// Reading helpers for the store tests: documents as parsed JSON (stores may differ in key order and spacing, never
/// in values), with their positions.
public enum StoreReading {
    /// The documents `read` hands over, parsed, with their positions.
    public static func documents(_ read: ((StoredDocument) throws -> Void) throws -> Void) throws -> [(json: JSON, position: Int64)] {
        var result: [(JSON, Int64)] = []
        try read { document in result.append((try JSON.parse(bytes: document.bytes), document.position)) }
        return result
    }

    /// The committed documents of `collection` in `store`, parsed.
    public static func values(_ store: some CollectionStore, _ collection: String) throws -> [JSON] {
        try documents { try store.read(collection: collection, $0) }.map(\.json)
    }
}
