import ArgumentParser
import Catalog

/// A duration given on the command line, written as catalogs write them (`30s`, `5m`, `1h30m`): a whole number of
/// seconds. A bad value is bad usage (exit 2) with the reason (`invalid duration "5x": unknown unit "x"`).
struct CommandDuration: ExpressibleByArgument, Sendable, Equatable {
    /// The whole seconds.
    let seconds: Int

    /// The duration, as Swift measures it.
    var duration: Duration { .seconds(seconds) }

    init?(argument: String) {
        guard let parsed = try? Self.parse(argument) else { return nil }
        self = parsed
    }

    /// The duration `text` says, or a validation error saying why it is none (for `@Option(transform:)`, which
    /// shows the reason where `init?(argument:)` could not).
    static func parse(_ text: String) throws -> CommandDuration {
        switch HumanDuration.parseSeconds(text) {
        case .success(let seconds): return CommandDuration(seconds: seconds)
        case .failure(let error): throw ValidationError(error.description)
        }
    }

    private init(seconds: Int) { self.seconds = seconds }
}
