import CollectionStore
import JSON

extension StoreTransaction {
    /// Appends a document given as text.
    public func append(_ collection: String, _ text: String) throws {
        try Array(text.utf8).withUnsafeBytes { try append(collection: collection, document: $0) }
    }

    /// Appends a rejected record given as text.
    public func appendRejected(_ collection: String, _ text: String) throws {
        try Array(text.utf8).withUnsafeBytes { try appendRejected(collection: collection, record: $0) }
    }

    /// Commits with the given state and counts.
    public func commit(_ state: JSON, documents: Int = 0, rejected: Int = 0, bytes: Int = 0) throws {
        try commit(connectorState: state, transactionSummary: TransactionSummary(documents: documents, rejected: rejected, bytes: bytes))
    }
}
