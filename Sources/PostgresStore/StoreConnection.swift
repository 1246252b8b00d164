import CollectionStore
import Postgres

/// One libpq connection of a ``PostgresCollectionStore``, with its errors turned into ``StoreError``s that say
/// what the store was doing. Used by one thread at a time (a capture's writer, or a reader borrowing it from the
/// store's pool), hence `@unchecked Sendable`.
final class StoreConnection: @unchecked Sendable {
    let connection: Connection
    /// `PostgreSQL store 127.0.0.1:5432/db, schema "capstan"`, for messages (never the password).
    let location: String

    /// Connects; the error names the server and libpq's reason, never the password.
    init(parameters: ConnectionParameters, location: String) throws(StoreError) {
        self.location = location
        do {
            connection = try Connection(parameters)
            // Literals the store builds rely on it (PostgreSQL's default since 9.1; a role may override it).
            try connection.execute("SET standard_conforming_strings = on")
        } catch {
            throw StoreError("\(location): cannot connect: \(Self.describe(error))", kind: Self.kind(of: error))
        }
    }

    /// False once the connection has broken: the store then opens a new one.
    var isHealthy: Bool { connection.isHealthy }

    /// Runs `sql` (no parameters, possibly several statements); errors start with `context`.
    func execute(_ sql: String, _ context: @autoclosure () -> String) throws(StoreError) {
        do {
            try connection.execute(sql)
        } catch {
            throw StoreError("\(context()): \(Self.describe(error))", kind: Self.kind(of: error))
        }
    }

    /// Runs one statement with text parameters and returns its rows; errors start with `context`.
    func query(_ sql: String, _ parameters: [String?] = [], _ context: @autoclosure () -> String) throws(StoreError) -> [[String?]] {
        do {
            return try connection.query(sql, parameters: parameters).rows
        } catch {
            throw StoreError("\(context()): \(Self.describe(error))", kind: Self.kind(of: error))
        }
    }

    /// Runs one statement and returns its error instead of throwing (for statements whose failure is an answer).
    func attempt(_ sql: String, _ parameters: [String?] = []) -> Result<[[String?]], any Error> {
        Result { try connection.query(sql, parameters: parameters).rows }
    }

    /// Rolls back whatever transaction is open, ignoring errors (the connection may be gone).
    func rollback() {
        switch connection.transactionStatus {
        case .inTransaction, .inFailedTransaction: try? connection.execute("ROLLBACK")
        default: break
        }
    }

    /// What kind of store failure a PostgreSQL error is: a lost or closed connection, or anything else.
    static func kind(of error: any Error) -> StoreError.Kind {
        guard let error = error as? PostgresError else { return .failed }
        switch error.kind {
        case .communicationFailed, .connectionClosed: return .connectionLost
        default: return .failed
        }
    }

    /// A PostgreSQL error as the store shows it: `[SQLSTATE] message` and the detail, or libpq's message for a
    /// failed connection. `PostgresError` never holds the password.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? PostgresError else { return "\(error)" }
        var text = error.sqlState.map { "[\($0)] " } ?? ""
        switch error.kind {
        case .communicationFailed: text += "connection lost: "
        case .connectionClosed: text += "connection closed: "
        default: break
        }
        text += error.message
        if let detail = error.detail { text += " (\(detail))" }
        return text
    }
}
