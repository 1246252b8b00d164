import CollectionStore

/// A runtime failure, with a message that names the capture, connector, binding or file at fault, and a kind that
/// says what callers may act on.
public struct RuntimeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, for callers that act on it.
    public enum Kind: Sendable, Equatable {
        /// Anything else; the message says what.
        case failed
        /// The store failed; its kind tells a lost lease (stop, do not retry) from the rest.
        case store(StoreError.Kind)
        /// The connector exited unsuccessfully: its exit status (nil when a signal ended it) and its last log line.
        case connectorExited(status: Int32?, lastLog: String?)
    }

    public let kind: Kind
    public let message: String

    public init(_ message: String, kind: Kind = .failed) {
        self.kind = kind
        self.message = message
    }

    /// A failure of the store while doing `what` (`committing a transaction of acme/x`), keeping the store's kind.
    public init(_ what: String, store error: StoreError) {
        self.init("\(what): \(error.message)", kind: .store(error.kind))
    }

    /// A failure of the store, as the store said it (its messages name the capture and collection).
    public init(store error: StoreError) {
        self.init(error.message, kind: .store(error.kind))
    }

    /// True when another process took over the capture: retrying would only fence it in turn.
    public var isLeaseLost: Bool { kind == .store(.leaseLost) }

    public var description: String { message }
}
