/// A runtime failure, with a message that names the capture, connector, binding or file at fault.
public struct RuntimeError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
