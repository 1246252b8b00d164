import HummingbirdWebSocket
import Logging

/// One ingest WebSocket: each text (or binary) message is a document for the binding the
/// connection was opened on; frames arriving while a commit is in flight are committed together
/// as the next batch, and each batch is answered (see ``WebSocketReply``).
///
/// When the server stops, the session stops reading, commits and answers what it has read, and
/// closes with 1001 (going away).
struct WebSocketIngestSession: Sendable {
    let capture: IngestCapture
    let target: IngestTarget
    let gate: RequestGate
    let logger: Logger

    func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async {
        guard gate.enter() else {
            try? await outbound.close(.goingAway, reason: "the server is shutting down")
            return
        }
        defer { gate.leave() }
        let batcher = WebSocketBatcher(limit: capture.maxBodyBytes)
        async let answered = answer(batcher, outbound: outbound)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await read(inbound, into: batcher) }
            group.addTask { await gate.waitUntilStopping() }
            // The first to end (the client closing, or a shutdown) ends the other.
            await group.next()
            group.cancelAll()
        }
        batcher.finish()
        let failed = await answered
        if !failed && gate.isStopping {
            try? await outbound.close(.goingAway, reason: "the server is shutting down")
        }
    }

    /// Prepares each frame and queues it, until the client closes or the task is cancelled.
    private func read(_ inbound: WebSocketInboundStream, into batcher: WebSocketBatcher) async {
        var index = 0
        do {
            for try await message in inbound.messages(maxSize: capture.maxBodyBytes) {
                if Task.isCancelled { break }
                var preparer = DocumentPreparer(target: target, uuids: capture.uuids)
                switch message {
                case .text(var text):
                    text.withUTF8 { preparer.add(text: UnsafeRawBufferPointer($0), what: "the message") }
                case .binary(let buffer):
                    buffer.withUnsafeReadableBytes { preparer.add(text: $0, what: "the message") }
                }
                switch preparer.finish() {
                case .success(let batch):
                    await batcher.add(frame: index, batch)
                case .failure(let invalid):
                    for var problem in invalid.problems {
                        problem.index = index
                        await batcher.add(invalid: problem)
                    }
                }
                index += 1
            }
        } catch {
            logger.debug("websocket read ended", metadata: ["capture": "\(capture.name)", "error": "\(error)"])
        }
    }

    /// Commits what the reader queued, batch after batch, and answers each frame in order.
    /// Returns true when a commit failed (the connection is then to be closed).
    private func answer(_ batcher: WebSocketBatcher, outbound: WebSocketOutboundWriter) async -> Bool {
        while let units = await batcher.take() {
            var combined = PreparedBatch(collection: target.collection)
            for case .documents(_, let batch) in units { combined.append(batch) }
            var failure: (any Error)?
            if combined.count > 0 {
                do { try await capture.committer.commit(combined) } catch { failure = error }
            }
            var messages: [String] = []
            for unit in units {
                switch unit {
                case .documents(let first, let batch):
                    if let failure {
                        messages.append(WebSocketReply.failed(first: first, count: batch.count, error: "\(failure)"))
                    } else {
                        messages.append(WebSocketReply.ack(first: first, uuids: batch.uuids[...]))
                    }
                case .invalid(let problem):
                    messages.append(WebSocketReply.invalid(problem))
                }
            }
            do {
                for message in messages { try await outbound.write(.text(message)) }
            } catch {
                logger.debug("websocket write failed", metadata: ["capture": "\(capture.name)", "error": "\(error)"])
            }
            if failure != nil {
                // Close (the client's close ends the reader), draining so that the reader is never
                // left waiting on a full batcher.
                try? await outbound.close(.unexpectedServerError, reason: "a commit failed")
                while await batcher.take() != nil {}
                return true
            }
        }
        return false
    }
}
