import Synchronization

/// Lets requests in until the server stops, and counts those in flight so that a shutdown can
/// wait for them.
final class RequestGate: Sendable {
    private struct State {
        var inFlight = 0
        var stopping = false
    }

    private let state = Mutex(State())

    /// Admits a request (or a WebSocket connection): false once the server is stopping. Each
    /// admitted request calls ``leave()`` when it is done.
    func enter() -> Bool {
        state.withLock { state in
            if state.stopping { return false }
            state.inFlight += 1
            return true
        }
    }

    /// Ends an admitted request.
    func leave() {
        state.withLock { $0.inFlight -= 1 }
    }

    /// Refuses every later request.
    func stop() {
        state.withLock { $0.stopping = true }
    }

    /// True once ``stop()`` was called.
    var isStopping: Bool { state.withLock { $0.stopping } }

    /// The number of requests in flight.
    var inFlight: Int { state.withLock { $0.inFlight } }

    /// Returns once no request is in flight, or `limit` has passed (then false).
    func waitUntilIdle(limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while inFlight > 0 {
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return true
    }

    /// Returns once the server is stopping, or when the calling task is cancelled.
    func waitUntilStopping() async {
        while !isStopping {
            do { try await Task.sleep(for: .milliseconds(50)) } catch { return }
        }
    }
}
