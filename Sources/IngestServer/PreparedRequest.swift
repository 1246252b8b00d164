/// What a request body holds.
enum PreparedRequest: Sendable {
    /// Valid documents, ready to commit.
    case ready(PreparedBatch)
    /// Some documents are invalid.
    case invalid(InvalidDocuments)
    /// The body holds no documents to read.
    case unusable(String)
}
