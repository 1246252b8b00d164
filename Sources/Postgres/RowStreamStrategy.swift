/// How `Connection.stream` brings rows from the server with bounded memory.
public enum RowStreamStrategy: Sendable, Equatable {
    /// One statement in libpq's single-row mode (`PQsetSingleRowMode`): the server sends rows as fast as it can
    /// and libpq hands them over one `PGresult` at a time. The connection is busy until the last row: the row
    /// callback must not use it.
    case singleRow

    /// A server-side cursor: `DECLARE … NO SCROLL CURSOR FOR <query>`, then `FETCH batchSize` until the rows run
    /// out, then `CLOSE`. Runs in its own transaction (`BEGIN` … `COMMIT`) unless one is already open, in which
    /// case the cursor lives in it and the transaction is left open. Works on Amazon Redshift, which lacks
    /// `COPY … TO STDOUT`. Between batches the connection is free, so the row callback may run other statements.
    case cursor(batchSize: Int = RowStreamStrategy.defaultBatchSize)

    /// The default `FETCH` size for `.cursor`.
    public static let defaultBatchSize = 10_000
}
