/// Why a schema could not be compiled: a malformed keyword, an unresolvable `$ref`, an
/// unknown `$schema`, an invalid regular expression, or a reference loop that would never
/// terminate.
public struct SchemaCompileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where in the schema the problem is: `#/properties/a/minLength` for the schema being
    /// compiled, or an absolute URI with a JSON Pointer fragment for another document.
    public let location: String
    /// What is wrong.
    public let message: String

    /// Creates a value from its parts.
    public init(location: String, message: String) {
        self.location = location
        self.message = message
    }

    /// `invalid schema at <location>: <message>`.
    public var description: String { "invalid schema at \(location): \(message)" }
}
