import Synchronization

/// Hands the frames a WebSocket reader has prepared to the connection's committer, which takes
/// everything pending at once: frames that arrive while a commit is in flight form the next batch.
///
/// The reader waits while more than `limit` bytes are pending, so a fast client cannot make the
/// server hold more than that (plus the batch committing) per connection.
final class WebSocketBatcher: Sendable {
    /// One answer-to-be, in frame order.
    enum Unit: Sendable {
        /// Valid documents of consecutive frames, from frame `first`.
        case documents(first: Int, batch: PreparedBatch)
        /// A frame that is not a valid document.
        case invalid(DocumentProblem)
    }

    private struct State {
        var units: [Unit] = []
        var pendingBytes = 0
        var finished = false
        var taker: CheckedContinuation<[Unit]?, Never>?
        var adder: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())
    private let limit: Int

    init(limit: Int) {
        self.limit = max(limit, 1)
    }

    /// Adds the valid document(s) of frame `index`.
    func add(frame index: Int, _ batch: PreparedBatch) async {
        await add(bytes: batch.bytes.count) { units in
            if case .documents(let first, var pending)? = units.last, first + pending.count == index {
                units.removeLast()  // so that `pending` is the only reference to its bytes and grows in place
                pending.append(batch)
                units.append(.documents(first: first, batch: pending))
            } else {
                units.append(.documents(first: index, batch: batch))
            }
        }
    }

    /// Adds an invalid frame.
    func add(invalid problem: DocumentProblem) async {
        await add(bytes: 0) { $0.append(.invalid(problem)) }
    }

    /// No more frames: ``take()`` returns nil once everything is taken.
    func finish() {
        let taker = state.withLock { state in
            state.finished = true
            defer { state.taker = nil }
            return state.taker
        }
        taker?.resume(returning: nil)
    }

    /// Everything pending, waiting for something if nothing is; nil once finished and drained.
    func take() async -> [Unit]? {
        await withCheckedContinuation { (continuation: CheckedContinuation<[Unit]?, Never>) in
            let (units, adder): ([Unit]??, CheckedContinuation<Void, Never>?) = state.withLock { state in
                if !state.units.isEmpty {
                    let units = state.units
                    state.units = []
                    state.pendingBytes = 0
                    defer { state.adder = nil }
                    return (.some(units), state.adder)
                }
                if state.finished { return (.some(nil), nil) }
                state.taker = continuation
                return (nil, nil)
            }
            adder?.resume()
            if let units { continuation.resume(returning: units) }
        }
    }

    private func add(bytes: Int, _ update: @Sendable (inout [Unit]) -> Void) async {
        let (taker, units, mustWait): (CheckedContinuation<[Unit]?, Never>?, [Unit], Bool) = state.withLock { state in
            update(&state.units)
            state.pendingBytes += bytes
            if let taker = state.taker {
                state.taker = nil
                let units = state.units
                state.units = []
                state.pendingBytes = 0
                return (taker, units, false)
            }
            return (nil, [], state.pendingBytes > limit)
        }
        taker?.resume(returning: units)
        guard mustWait else { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state in
                if state.pendingBytes <= limit || state.finished { return true }
                state.adder = continuation
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }
}
