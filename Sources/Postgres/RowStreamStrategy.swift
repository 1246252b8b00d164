/// How `Connection.stream` brings rows from the server with bounded memory.
public enum RowStreamStrategy: Sendable, Equatable {
    /// One statement in libpq's single-row mode (`PQsetSingleRowMode`): the server sends rows as fast as it can
    /// and libpq hands them over one `PGresult` at a time. The connection is busy until the last row: the row
    /// callback must not use it. Works with any server, Redshift included (the mode is client-side only).
    ///
    /// On PostgreSQL 15 it streamed 1,000,000 ten-column rows about 10–15 % faster than `.cursor` (wall time),
    /// at roughly 30 % more client CPU (libpq builds one `PGresult` per row).
    case singleRow

    /// A server-side cursor: `DECLARE … CURSOR FOR <query>`, then `FETCH batchSize` until the rows run out, then
    /// `CLOSE`. Runs in its own transaction (`BEGIN` … `COMMIT`) unless one is already open, in which case the
    /// cursor lives in it and the transaction is left open. Between batches the connection is free, so the row
    /// callback may run other statements (on Redshift: not another cursor, one per session).
    ///
    /// On Redshift the leader node materialises the whole result before the first `FETCH` returns.
    case cursor(batchSize: Int = RowStreamStrategy.defaultBatchSize)

    /// Like `.cursor`, but up to `fetchesInFlight` further `FETCH`es are sent before the current batch's rows are
    /// handed out, so the server produces (and the network carries) the next batches while the caller works through
    /// this one. Client CPU per row is that of `.cursor` (one `PGresult` per batch) with the overlap of `.singleRow`.
    /// The connection is busy for the whole query: the row callback must not use it.
    ///
    /// The `FETCH`es are queued in libpq's pipeline mode (libpq 14 or later; any server speaking the extended query
    /// protocol). More than one in flight matters when a round trip is slow, as through an SSH tunnel: with one,
    /// the link idles for a round trip after every batch. Memory stays bounded: libpq reads a batch only when it is
    /// asked for, so the batches ahead wait in the server and in socket buffers. The first `FETCH` goes alone, so a
    /// short result costs no extra statements; once it came back full, the pipeline fills up.
    case prefetchingCursor(batchSize: Int = RowStreamStrategy.defaultBatchSize,
                           fetchesInFlight: Int = RowStreamStrategy.defaultFetchesInFlight)

    /// The default `FETCH` size for `.cursor`.
    public static let defaultBatchSize = 10_000

    /// The default number of `FETCH`es `.prefetchingCursor` keeps in flight.
    public static let defaultFetchesInFlight = 2

    /// The strategy a ``name`` names, with `batchSize` for the cursors; nil for any other text.
    public init?(name: String, batchSize: Int = RowStreamStrategy.defaultBatchSize) {
        switch name {
        case "single-row": self = .singleRow
        case "cursor": self = .cursor(batchSize: batchSize)
        case "prefetching-cursor": self = .prefetchingCursor(batchSize: batchSize)
        default: return nil
        }
    }

    /// How logs name the strategy: `single-row`, `cursor` or `prefetching-cursor` (the values of `CAPSTAN_PG_STREAM`).
    public var name: String {
        switch self {
        case .singleRow: "single-row"
        case .cursor: "cursor"
        case .prefetchingCursor: "prefetching-cursor"
        }
    }
}
