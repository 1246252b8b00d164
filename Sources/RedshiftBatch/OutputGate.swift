import Concurrency
import FlowCapture
import JSON

/// Serializes the connector's output into transactions: a poller holds the gate from its
/// first document until the checkpoint that commits it, so documents of two bindings
/// never share a checkpoint (a checkpoint commits every document before it, and each
/// binding's checkpoint carries only its own state).
final class OutputGate: Sendable {
    let writer: MessageWriter
    /// The gate's one token: a poller takes it to hold the gate and puts it back to release it.
    private let token = BlockingQueue<Void>(capacity: 1)

    init(writer: MessageWriter) {
        self.writer = writer
        token.put(())
    }

    /// A poller's handle on the gate; not shared between threads.
    final class Holder {
        private let gate: OutputGate
        private(set) var isHolding = false

        init(_ gate: OutputGate) { self.gate = gate }

        /// Writes one document that `encode` serializes in place, taking the gate first if needed.
        @inline(__always)
        func capture(binding: UInt32, encode: (inout JSONWriter) -> Void) throws {
            if !isHolding { hold() }
            try gate.writer.writeCaptured(binding: binding, encode: encode)
        }

        /// Writes a merge-patch checkpoint (flushing everything before it) and releases the gate.
        func checkpoint(_ patch: JSON) throws {
            if !isHolding { hold() }
            defer { release() }
            try gate.writer.write(.checkpoint(CheckpointResponse(state: ConnectorState(updated: patch, mergePatch: true))))
        }

        /// Waits for the gate and takes it.
        private func hold() {
            _ = gate.token.take()
            isHolding = true
        }

        /// Releases the gate after a checkpoint.
        func release() {
            if isHolding {
                isHolding = false
                gate.token.put(())
            }
        }

        /// Gives up after a failure. If documents were written since the last checkpoint, the gate stays
        /// held for good: any checkpoint another binding wrote next would commit those documents with the
        /// wrong state, so nothing more is written and the session ends with the failure.
        func abandon() {
            // Deliberately empty: a holder that still holds the gate never gives its token back (the gate is poisoned),
            // and one that does not hold it has nothing to give back.
        }
    }
}
