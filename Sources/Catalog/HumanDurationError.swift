/// Why a text is not a duration.
public struct HumanDurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text that was read.
    public var text: String
    /// What is wrong with it.
    public var reason: String

    /// `invalid duration "<text>": <reason>`.
    public var description: String { "invalid duration \"\(text)\": \(reason)" }
}
