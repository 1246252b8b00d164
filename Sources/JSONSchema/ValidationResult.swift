/// The outcome of ``Schema/validate(_:)``.
public struct ValidationResult: Sendable, Hashable, CustomStringConvertible {
    /// True when the document is valid.
    public let isValid: Bool
    /// The failing keywords, in schema evaluation order; empty when valid. Keywords inside
    /// `anyOf`/`oneOf` alternatives appear as ``ValidationError/causes`` of the combinator.
    public let errors: [ValidationError]

    /// Creates a value from its parts.
    public init(isValid: Bool, errors: [ValidationError]) {
        self.isValid = isValid
        self.errors = errors
    }

    /// `valid`, or every error (with its causes) on its own line.
    public var description: String {
        if isValid { return "valid" }
        return errors.map(\.report).joined(separator: "\n")
    }
}
