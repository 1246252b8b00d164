/// A request none of whose documents commit, because some are invalid.
struct InvalidDocuments: Error, Sendable, Equatable {
    /// Each invalid document, in order.
    var problems: [DocumentProblem]
    /// How many documents the request held.
    var count: Int
}
