/// A capture that failed while it ran: a query, a poll that timed out, the database connection, the SSH tunnel or
/// the output. Configuration, resources and state the connector cannot use are ``ConfigError``s; one met while
/// running (a template that fails to render) is kept as ``Kind/configuration``.
public struct CaptureError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What failed, for callers that act on it.
    public enum Kind: Sendable, Equatable {
        /// The configuration, a resource or the state (a ``ConfigError`` met while running).
        case configuration
        /// The query failed, or returned what the binding cannot use (no cursor column).
        case query
        /// The query returned no row within the query timeout.
        case pollTimedOut
        /// Opening or configuring the database connection.
        case connection
        /// The SSH tunnel to the database died.
        case tunnel
        /// Writing the connector's output.
        case output
    }

    public let kind: Kind
    public let message: String

    public init(_ message: String, kind: Kind) {
        self.kind = kind
        self.message = message
    }

    /// A configuration problem met while running.
    public init(_ error: ConfigError) {
        self.init(error.message, kind: .configuration)
    }

    public var description: String { message }
}
