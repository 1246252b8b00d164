/// How a ``PostgresCollectionStore`` sends documents to the server. Both write inside the transaction's one
/// database transaction; they differ only in speed (see the README's PostgreSQL store section for figures).
public enum InsertMethod: Sendable, Equatable {
    /// `COPY … FROM STDIN` in binary format, one stream per collection while its documents keep coming. The
    /// default: the faster of the two.
    case copy
    /// Multi-row `INSERT … VALUES ($1, $2, $3), …` statements of up to `rows` rows each.
    case batchedInsert(rows: Int = 1000)
}
