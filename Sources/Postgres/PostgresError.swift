/// An error from libpq or from the server.
///
/// Messages never contain the connection's password: every message is scrubbed before it is stored.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    /// What failed.
    public enum Kind: Sendable, Equatable {
        /// The connection could not be established (bad host, refused, authentication failed, …).
        case connectionFailed
        /// The server reported an error for a statement; `sqlState` says which.
        case serverError
        /// libpq failed to send or receive (connection lost, protocol error).
        case communicationFailed
        /// The connection was used after `close()`.
        case connectionClosed
        /// The caller passed something libpq cannot take (a NUL byte in a string, a malformed URL, …).
        case invalidArgument
        /// The cancel request could not be delivered.
        case cancelFailed
    }

    /// What failed.
    public let kind: Kind
    /// The primary message (libpq's or the server's), without the password.
    public let message: String
    /// The five-character SQLSTATE code from the server (e.g. `42P01`), when the server sent one.
    public let sqlState: String?
    /// The server's DETAIL line, if any.
    public let detail: String?
    /// The server's HINT line, if any.
    public let hint: String?

    /// Builds an error, removing `secret` (the connection password) from every text field.
    init(
        _ kind: Kind, message: String, sqlState: String? = nil, detail: String? = nil, hint: String? = nil,
        scrubbing secret: String? = nil
    ) {
        self.kind = kind
        self.message = Self.scrub(message, secret)
        self.sqlState = sqlState
        self.detail = detail.map { Self.scrub($0, secret) }
        self.hint = hint.map { Self.scrub($0, secret) }
    }

    /// The SQLSTATE for a statement cancelled by `cancel()` or by `statement_timeout`.
    public static let queryCanceledState = "57014"

    /// True when the statement was cancelled (by a cancel request or a statement timeout).
    public var isQueryCanceled: Bool { sqlState == Self.queryCanceledState }

    /// `kind: [SQLSTATE] message`, then DETAIL and HINT lines when present.
    public var description: String {
        var text = "\(kind): "
        if let sqlState { text += "[\(sqlState)] " }
        text += message
        if let detail { text += "\nDETAIL: \(detail)" }
        if let hint { text += "\nHINT: \(hint)" }
        return text
    }

    private static func scrub(_ text: String, _ secret: String?) -> String {
        var trimmed = Substring(text)
        while let last = trimmed.last, last.isNewline || last == " " { trimmed = trimmed.dropLast() }
        guard let secret, !secret.isEmpty else { return String(trimmed) }
        return String(trimmed.replacing(secret, with: "********"))
    }
}
