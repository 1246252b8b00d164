/// What a capture's committer has done so far.
public struct IngestTotals: Sendable, Equatable {
    /// Documents committed.
    public var documents: Int
    /// Store transactions committed (each may hold many requests).
    public var commits: Int
    /// Time spent in store transactions, appending and committing.
    public var committing: Duration

    /// Totals from their parts.
    public init(documents: Int, commits: Int, committing: Duration) {
        self.documents = documents
        self.commits = commits
        self.committing = committing
    }
}
