/// A whole result held in memory, for small queries (catalog lookups, settings). Stream large ones instead.
public struct QueryResult: Sendable, Equatable {
    /// The result's columns; empty for statements that return no rows.
    public let columns: [ColumnDescription]
    /// The rows in text format; nil is SQL NULL.
    public let rows: [[String?]]
    /// The command tag (`SELECT 3`, `INSERT 0 1`, `CREATE TABLE`, …).
    public let commandTag: String

    /// A result from its parts.
    public init(columns: [ColumnDescription], rows: [[String?]], commandTag: String) {
        self.columns = columns
        self.rows = rows
        self.commandTag = commandTag
    }
}
