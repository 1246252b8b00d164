import Foundation

/// How a server run ended, set by its task and read once `done` is signalled.
final class ServeOutcome: @unchecked Sendable {
    let done = DispatchSemaphore(value: 0)
    var failure: String?
}
