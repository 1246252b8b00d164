import CaptureRuntime
import Synchronization

/// A capture's document UUIDs, shared by its concurrent requests: v1 UUIDs whose clock is the
/// publish time, strictly increasing in the order they are handed out.
final class UUIDSource: Sendable {
    private let generator = Mutex(DocumentUUIDGenerator())

    /// The next UUID.
    func next() -> String {
        generator.withLock { $0.next() }
    }
}
