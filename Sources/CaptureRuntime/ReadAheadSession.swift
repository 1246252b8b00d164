import Foundation

/// Reads another session's events on a thread of its own, ahead of the runner, and takes each document that its
/// binding's fast path can take through that path there: the UUID spliced into its text and the text validated
/// (``DocumentTextPath``). The runner gets those as ``CapturedDocument/prepared(_:)`` and only stores them.
///
/// So reading the connector's output, cutting its messages, stamping and validating documents run beside
/// storing them and committing, on two cores where there are two; the order of events is kept. Documents the fast
/// path cannot confirm reach the runner as they came (their text copied), and the runner takes the parsed path.
///
/// Memory stays bounded: at most ``maximumBatches`` batches wait, each of up to ``batchEntries`` events or about
/// ``batchBytes`` bytes. A batch is handed over early whenever the connector has nothing more at hand, so a
/// checkpoint never waits for a batch to fill.
///
/// The wrapped session must allow it (``ConnectorSession/allowsReadAhead``): its ``ConnectorSession/next()`` runs
/// on the read-ahead thread while the runner's thread acknowledges, signals and stops it.
final class ReadAheadSession: ConnectorSession, @unchecked Sendable {
    static let maximumBatches = 8
    static let batchEntries = 512
    static let batchBytes = 256 << 10

    /// Events read ahead: documents as ranges of `bytes`, other events in `events`.
    private struct Batch {
        /// One event, plain data, so that copying it costs nothing.
        struct Entry {
            enum Kind: UInt8 { case prepared, text, cut, event }
            var kind: Kind
            var binding: Int
            /// The document's range in `bytes` (`.event`: its index in `events`).
            var start: Int, end: Int
            /// `.cut`: the whole line's range, and its number.
            var lineStart = 0, lineEnd = 0, lineNumber = 0
        }

        var bytes: [UInt8] = []
        var entries: [Entry] = []
        var events: [ConnectorEvent] = []

        var isEmpty: Bool { entries.isEmpty }
        var isFull: Bool { entries.count >= ReadAheadSession.batchEntries || bytes.count >= ReadAheadSession.batchBytes }

        mutating func append(_ text: UnsafeRawBufferPointer) -> Range<Int> {
            let start = bytes.count
            bytes.append(contentsOf: text)
            return start..<bytes.count
        }

        mutating func append(_ text: ArraySlice<UInt8>) -> Range<Int> {
            text.withUnsafeBytes { append($0) }
        }

        mutating func removeAll() {
            bytes.removeAll(keepingCapacity: true)
            entries.removeAll(keepingCapacity: true)
            events.removeAll(keepingCapacity: true)
        }
    }

    private let inner: any ConnectorSession
    private let textPaths: [DocumentTextPath?]
    private let unretainedPaths: [Unmanaged<DocumentTextPath>?]

    // Shared with the read-ahead thread, under `condition`.
    private let condition = NSCondition()
    private var ready: [Batch] = []
    private var spare: [Batch] = []
    private var ended = false
    private var failure: RuntimeError?
    private var cancelled = false
    private var running = false

    /// The runner's side: the batch it is reading and where (behind a pointer, as the runner's own hot state is,
    /// so that the document path pays no dynamic exclusivity checks).
    private struct Reading {
        var batch = Batch()
        var position = 0
    }
    private let reading: UnsafeMutablePointer<Reading>

    /// Reads `inner` ahead, taking documents of the bindings with a fast path (`textPaths`, indexed like the
    /// bindings) through it.
    init(_ inner: any ConnectorSession, textPaths: [DocumentTextPath?]) {
        self.inner = inner
        self.textPaths = textPaths
        unretainedPaths = textPaths.map { $0.map(Unmanaged.passUnretained) }
        reading = .allocate(capacity: 1)
        reading.initialize(to: Reading())
    }

    deinit {
        reading.deinitialize(count: 1)
        reading.deallocate()
    }

    var captureName: String { inner.captureName }

    /// The read-ahead would not gain from reading ahead again.
    var allowsReadAhead: Bool { false }

    func start() throws(RuntimeError) {
        try inner.start()
        condition.lock()
        running = true
        condition.unlock()
        let thread = Thread { [self] in readAhead() }
        thread.name = "read-ahead"
        thread.start()
    }

    func next() throws(RuntimeError) -> ConnectorEvent? {
        while true {
            if reading.pointee.position < reading.pointee.batch.entries.count {
                let entry = reading.pointee.batch.entries[reading.pointee.position]
                reading.pointee.position += 1
                switch entry.kind {
                case .prepared:
                    return .captured(binding: entry.binding, document: .prepared(reading.pointee.batch.bytes[entry.start..<entry.end]))
                case .text:
                    return .captured(binding: entry.binding, document: .text(reading.pointee.batch.bytes[entry.start..<entry.end]))
                case .cut:
                    let bytes = reading.pointee.batch.bytes
                    return .captured(binding: entry.binding, document: .cutFromLine(document: bytes[entry.start..<entry.end],
                                                                                    line: bytes[entry.lineStart..<entry.lineEnd], lineNumber: entry.lineNumber))
                case .event:
                    return reading.pointee.batch.events[entry.start]
                }
            }
            condition.lock()
            var done = Batch()
            swap(&done, &reading.pointee.batch)
            recycle(&done)
            reading.pointee.position = 0
            while ready.isEmpty && !ended { condition.wait() }
            if !ready.isEmpty {
                reading.pointee.batch = ready.removeFirst()
                condition.broadcast()
                condition.unlock()
                continue
            }
            let failure = self.failure
            condition.unlock()
            if let failure { throw failure }
            return nil
        }
    }

    /// Takes the next event if it is a prepared document of a batch at hand, which `body` gets as its binding and
    /// text (valid during the call) instead of as a ``ConnectorEvent``: the runner's way past making and
    /// destroying an event per document. False, taking nothing, when the next event is of another kind or
    /// ``next()`` must wait for it.
    @inline(__always)
    func takePrepared(_ body: (_ binding: Int, _ text: UnsafeRawBufferPointer) throws -> Void) rethrows -> Bool {
        let position = reading.pointee.position
        guard position < reading.pointee.batch.entries.count else { return false }
        let entry = reading.pointee.batch.entries[position]
        guard entry.kind == .prepared else { return false }
        reading.pointee.position = position + 1
        try reading.pointee.batch.bytes.withUnsafeBytes { try body(entry.binding, UnsafeRawBufferPointer(rebasing: $0[entry.start..<entry.end])) }
        return true
    }

    var hasPendingInput: Bool { hasPendingInput(waitingMilliseconds: 0) }

    func hasPendingInput(waitingMilliseconds milliseconds: Int32) -> Bool {
        if reading.pointee.position < reading.pointee.batch.entries.count { return true }
        let deadline = Date(timeIntervalSinceNow: Double(milliseconds) / 1000)
        condition.lock()
        defer { condition.unlock() }
        while ready.isEmpty && !ended {
            if milliseconds <= 0 || !condition.wait(until: deadline) { break }
        }
        return !ready.isEmpty || ended
    }

    func acknowledge(checkpoints: Int) { inner.acknowledge(checkpoints: checkpoints) }

    func signalStop() { inner.signalStop() }

    func stop() {
        cancel()
        inner.stop()
    }

    func finish() -> RuntimeError? {
        cancel()
        let result = inner.finish()
        // The connector has exited, so its output ends and the thread with it; bounded all the same, in case
        // some process of its own still holds the pipe open.
        let deadline = Date(timeIntervalSinceNow: 5)
        condition.lock()
        while running && condition.wait(until: deadline) {}
        condition.unlock()
        return result
    }

    /// Tells the read-ahead thread to stop handing over events (the runner will take no more).
    private func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    // MARK: - The read-ahead thread

    private func readAhead() {
        var uuids = DocumentUUIDGenerator()
        var batch = takeBatch()
        var ending: RuntimeError?
        let flow = inner as? FlowConnectorSession
        reading: while true {
            let event: ConnectorEvent?
            do {
                if let flow {
                    // Captured lines are cut, stamped and validated in place, without an event each.
                    switch try flow.next(cutting: { binding, document, line, lineNumber in
                        take(binding: binding, document: document, line: line, lineNumber: lineNumber, into: &batch, uuids: &uuids)
                        return !batch.isFull
                    }) {
                    case .cut: event = nil
                    case .event(let read): event = read
                    case .end: break reading
                    }
                } else {
                    event = try inner.next()
                    if event == nil { break reading }
                }
            } catch {
                ending = error
                break reading
            }
            if let event {
                add(event, to: &batch, uuids: &uuids)
            }
            if batch.isFull || !inner.hasPendingInput {
                guard hand(&batch) else { break reading }
            }
        }
        condition.lock()
        if !cancelled && !batch.isEmpty { ready.append(batch) }
        ended = true
        failure = ending
        running = false
        condition.broadcast()
        condition.unlock()
    }

    /// Adds a captured document cut from `line` (number `lineNumber`) to `batch`: prepared when its binding's fast
    /// path confirms it, else with the line, for the runner to parse.
    private func take(binding: Int, document: UnsafeRawBufferPointer, line: UnsafeRawBufferPointer, lineNumber: Int, into batch: inout Batch,
                      uuids: inout DocumentUUIDGenerator) {
        let start = batch.bytes.count
        if let path = path(of: binding), path._withUnsafeGuaranteedRef({ $0.prepare(document, uuids: &uuids, appendingTo: &batch.bytes) }) {
            batch.entries.append(.init(kind: .prepared, binding: binding, start: start, end: batch.bytes.count))
        } else {
            let lineRange = batch.append(line)
            let offset = lineRange.lowerBound + (document.baseAddress! - line.baseAddress!)
            batch.entries.append(.init(kind: .cut, binding: binding, start: offset, end: offset + document.count,
                                       lineStart: lineRange.lowerBound, lineEnd: lineRange.upperBound, lineNumber: lineNumber))
        }
    }

    /// Adds an event read by ``ConnectorSession/next()`` to `batch`, taking documents through their fast paths.
    private func add(_ event: ConnectorEvent, to batch: inout Batch, uuids: inout DocumentUUIDGenerator) {
        switch event {
        case .captured(let binding, .text(let text)):
            let start = batch.bytes.count
            if let path = path(of: binding), path._withUnsafeGuaranteedRef({ $0.prepare(text, uuids: &uuids, appendingTo: &batch.bytes) }) {
                batch.entries.append(.init(kind: .prepared, binding: binding, start: start, end: batch.bytes.count))
            } else {
                let range = batch.append(text)
                batch.entries.append(.init(kind: .text, binding: binding, start: range.lowerBound, end: range.upperBound))
            }
        case .captured(let binding, .cutFromLine(let document, let line, let lineNumber)):
            // The document is a part of its line.
            line.withUnsafeBytes { raw in
                let within = (document.startIndex - line.startIndex)..<(document.endIndex - line.startIndex)
                take(binding: binding, document: UnsafeRawBufferPointer(rebasing: raw[within]), line: raw, lineNumber: lineNumber,
                     into: &batch, uuids: &uuids)
            }
        case .captured(let binding, .prepared(let text)):
            let range = batch.append(text)
            batch.entries.append(.init(kind: .prepared, binding: binding, start: range.lowerBound, end: range.upperBound))
        default:
            batch.entries.append(.init(kind: .event, binding: 0, start: batch.events.count, end: 0))
            batch.events.append(event)
        }
    }

    /// The fast path of `binding`, if it has one; not retained (``textPaths`` holds them).
    @inline(__always)
    private func path(of binding: Int) -> Unmanaged<DocumentTextPath>? {
        binding >= 0 && binding < unretainedPaths.count ? unretainedPaths[binding] : nil
    }

    /// Queues `batch` for the runner, waiting while ``maximumBatches`` wait already, and replaces it with an empty
    /// one. False once cancelled.
    private func hand(_ batch: inout Batch) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while ready.count >= Self.maximumBatches && !cancelled { condition.wait() }
        if cancelled { return false }
        var handed = spare.popLast() ?? Batch()
        swap(&handed, &batch)
        ready.append(handed)
        condition.broadcast()
        return true
    }

    private func takeBatch() -> Batch {
        condition.lock()
        defer { condition.unlock() }
        return spare.popLast() ?? Batch()
    }

    /// Keeps a consumed batch's memory for reuse (called under the lock), unless a huge document grew it.
    private func recycle(_ batch: inout Batch) {
        guard !batch.isEmpty, batch.bytes.capacity <= 4 * Self.batchBytes, spare.count < Self.maximumBatches else { return }
        batch.removeAll()
        spare.append(batch)
    }
}
