/// Why a line that looked like an Airbyte message could not be used.
public struct AirbyteMessageError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
