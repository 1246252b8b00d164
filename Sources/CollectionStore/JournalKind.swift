/// What a journal of a collection holds.
enum JournalKind: Sendable, Hashable {
    /// The collection's documents: `collections/<name>/`.
    case documents
    /// The collection's rejected-records log: `collections/<name>/rejected/`.
    case rejected
}
