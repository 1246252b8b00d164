/// A collection as the registry (`collections` table) records it, with its committed ends: what a writer needs
/// to append to it.
struct RegisteredCollection: Sendable, Equatable {
    var table: CollectionTable
    /// The capture that writes the collection.
    var capture: String
    /// The `_position` of its last committed document (0: none).
    var lastPosition: Int64
    /// The `_position` of its last committed rejected record (0: none).
    var lastRejectedPosition: Int64
}
