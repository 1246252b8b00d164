/// An error thrown by the test support (and the tests' own helpers) with a message for the person reading the
/// test log.
public struct TestSupportError: Error, CustomStringConvertible {
    /// What went wrong and, where it helps, what to run to fix it.
    public let description: String

    /// An error saying `description`.
    public init(_ description: String) { self.description = description }
}
