import CollectionStore
import JSON
import XCTest

/// Reading helpers shared by the store tests: documents as parsed JSON (stores may differ in key order and
/// spacing, never in values) with their positions.
enum StoreReading {
    static func documents(_ read: ((StoredDocument) throws -> Void) throws -> Void) throws -> [(json: JSON, position: Int64)] {
        var result: [(JSON, Int64)] = []
        try read { document in result.append((try JSON.parse(bytes: document.bytes), document.position)) }
        return result
    }

    static func values(_ store: any CollectionStore, _ collection: String) throws -> [JSON] {
        try documents { try store.read(collection: collection, $0) }.map(\.json)
    }
}

extension StoreTransaction {
    /// Appends a document given as text.
    func append(_ collection: String, _ text: String) throws {
        try Array(text.utf8).withUnsafeBytes { try append(collection: collection, document: $0) }
    }

    /// Appends a rejected record given as text.
    func appendRejected(_ collection: String, _ text: String) throws {
        try Array(text.utf8).withUnsafeBytes { try appendRejected(collection: collection, record: $0) }
    }

    /// Commits with the given state and counts.
    func commit(_ state: JSON, documents: Int = 0, rejected: Int = 0, bytes: Int = 0) throws {
        try commit(connectorState: state, transactionSummary: TransactionSummary(documents: documents, rejected: rejected, bytes: bytes))
    }
}
