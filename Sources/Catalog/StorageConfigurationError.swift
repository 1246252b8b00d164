/// Why the storage settings cannot be used as they stand (an environment variable is missing).
public struct StorageConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is missing or wrong.
    public var message: String

    /// An error.
    public init(message: String) { self.message = message }

    public var description: String { message }
}
