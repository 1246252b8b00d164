/// A collection's documents as one transaction appends to them, resolved once by name
/// (``StoreTransaction/appendTarget(collection:)``), so that each append skips finding the collection again.
///
/// Valid only in the transaction that made it, until that transaction commits or aborts.
public struct AppendTarget: Sendable {
    /// The collection.
    public let collection: String
    /// The store's own reference to the collection within the transaction (-1: none, appends go by name).
    public let slot: Int

    /// A target of `collection`; `slot` is the store's to choose.
    public init(collection: String, slot: Int = -1) {
        self.collection = collection
        self.slot = slot
    }
}
