import CollectionStore
import FlowCapture
import Foundation
import JSON
import Logging
import Synchronization

/// Runs one session of a capture: opens the connector and commits what it captures into the store.
///
/// Each `captured` document is parsed, given a v1 UUID at `/_meta/uuid`, validated against its
/// collection's write schema, and appended to the open store transaction. Checkpoints are reduced into
/// the connector state; the transaction commits (documents and state together) at a checkpoint once
/// the connector has no more output at hand, or a second has passed, or 32 MiB are pending — several
/// connector checkpoints may fold into one commit. With explicit acknowledgements, one `acknowledge`
/// per commit tells the connector how many of its checkpoints committed.
///
/// A connector that exits non-zero, writes a malformed line, or ends between documents and their
/// checkpoint fails the session, and nothing of the open transaction commits.
///
/// One thread calls ``run()``; ``requestStop()`` may be called from any other (it touches only atomics and a
/// mutex), which is why the class is `@unchecked Sendable`.
public final class CaptureSessionRunner: @unchecked Sendable {
    /// How a session ended.
    public struct Outcome: Sendable, Equatable {
        public var documents: Int
        public var rejected: Int
        public var commits: Int
    }

    /// Totals so far, for progress reports.
    public struct Progress: Sendable {
        public var documents: [String: Int] = [:]
        public var bytes: [String: Int] = [:]
        public var rejected: [String: Int] = [:]

        public init() {}
    }

    /// Commit at a checkpoint once this long has passed since the last commit.
    public var commitInterval: Duration = .seconds(1)
    /// Commit at a checkpoint once this many bytes are pending.
    public var commitBytes = 32 << 20
    /// Called after each commit with the totals so far.
    public var onCommit: ((Progress) -> Void)?

    private let launch: ConnectorLaunch
    private let open: OpenRequest
    private let bindings: [RuntimeBinding]
    private let store: any CollectionStore
    private let logger: Logger
    private var state: JSON
    private var uuids = DocumentUUIDGenerator()
    /// Per-binding totals, indexed like `bindings` (no hashing on the document path); see ``progress``.
    private var documentCounts: [Int], byteCounts: [Int], rejectedCounts: [Int]
    private var outcome = Outcome(documents: 0, rejected: 0, commits: 0)

    // Stopping: requested from another thread; honoured at the next checkpoint boundary.
    private let stopRequested = Atomic<Bool>(false)
    private let atBoundary = Atomic<Bool>(true)
    private let running = Mutex<ConnectorProcess?>(nil)

    // The open transaction.
    private var transaction: (any StoreTransaction)?
    private var pendingDocuments = 0, pendingRejected = 0, pendingBytes = 0, pendingCheckpoints = 0
    private var documentsSinceCheckpoint = 0
    private var lastCommit = ContinuousClock.now
    private var explicitAcknowledgements = false

    public init(launch: ConnectorLaunch, open: OpenRequest, bindings: [RuntimeBinding], store: any CollectionStore, logger: Logger) {
        self.launch = launch
        self.open = open
        self.bindings = bindings
        self.store = store
        self.logger = logger
        self.state = open.state
        documentCounts = Array(repeating: 0, count: bindings.count)
        byteCounts = documentCounts
        rejectedCounts = documentCounts
    }

    /// Totals so far, by collection.
    public var progress: Progress {
        var progress = Progress()
        for (index, binding) in bindings.enumerated() {
            progress.documents[binding.collection, default: 0] += documentCounts[index]
            progress.bytes[binding.collection, default: 0] += byteCounts[index]
            progress.rejected[binding.collection, default: 0] += rejectedCounts[index]
        }
        return progress
    }

    /// The connector state as of the last commit (or as opened).
    public var connectorState: JSON { state }

    /// The connector's output ended; its exit status may explain why better than we can.
    private struct OutputEnded: Error {
        let message: String
    }

    /// Asks the session to end cleanly: at the next checkpoint boundary, what is checkpointed commits, the
    /// connector is stopped, and ``run()`` returns. Safe to call from any thread (a signal handler's queue).
    public func requestStop() {
        stopRequested.store(true, ordering: .sequentiallyConsistent)
        // A connector waiting between transactions (a poll schedule) would never reach another boundary.
        if atBoundary.load(ordering: .sequentiallyConsistent) {
            running.withLock { $0?.signal(SIGTERM) }
        }
    }

    private var isStopping: Bool { stopRequested.load(ordering: .sequentiallyConsistent) }

    /// Runs the session to its end.
    public func run() throws(RuntimeError) -> Outcome {
        defer {
            transaction?.abort()
            running.withLock { $0 = nil }
        }
        let process = try launch.start(logger: logger)
        running.withLock { $0 = process }
        if isStopping { process.signal(SIGTERM) }
        try launch.send(.open(open), to: process)
        do {
            try drive(process: process, reader: MessageReader(fileDescriptor: process.stdout))
        } catch let ended as OutputEnded {
            let termination = process.wait()
            if isStopping {
                // We stopped it: what was checkpointed commits; documents after the last checkpoint never were.
                try commit(process: process)
                return outcome
            }
            throw termination.isSuccess ? RuntimeError(ended.message) : launch.failure(process, termination)
        } catch {
            process.stop()
            throw (error as? RuntimeError) ?? RuntimeError("\(error)")
        }
        let termination = process.wait()
        guard termination.isSuccess || isStopping else { throw launch.failure(process, termination) }
        try commit(process: process)
        return outcome
    }

    private func drive(process: ConnectorProcess, reader: MessageReader) throws {
        var opened = false
        var writer = JSONWriter(reservingCapacity: 1 << 16)
        while let line = try readLine(reader) {
            let response: CaptureResponse
            do {
                response = try CaptureResponse(line: line)
            } catch {
                throw RuntimeError("connector of \(launch.captureName) wrote a malformed line \(reader.lineNumber): \(error) (line starts: \(UnaryCall.snippet(line)))")
            }
            if !opened {
                guard case .opened(let message) = response else {
                    throw RuntimeError("connector of \(launch.captureName) sent \(response.name) before opened")
                }
                opened = true
                explicitAcknowledgements = message.explicitAcknowledgements
                if !explicitAcknowledgements { process.closeStdin() }
                continue
            }
            switch response {
            case .captured(let captured):
                if documentsSinceCheckpoint == 0 { atBoundary.store(false, ordering: .sequentiallyConsistent) }
                try capture(captured, writer: &writer)
            case .checkpoint(let checkpoint):
                checkpoint.state?.apply(to: &state)
                pendingCheckpoints += 1
                documentsSinceCheckpoint = 0
                if isStopping || ContinuousClock.now - lastCommit >= commitInterval || pendingBytes >= commitBytes || !reader.hasPendingInput {
                    try commit(process: process)
                }
                atBoundary.store(true, ordering: .sequentiallyConsistent)
                if isStopping {
                    process.stop()
                    return
                }
            case .sourcedSchema(let sourced):
                logger.debug("sourced schema", metadata: ["capture": .string(launch.captureName), "binding": "\(sourced.binding)"])
            case .opened:
                throw RuntimeError("connector of \(launch.captureName) sent opened twice")
            default:
                throw RuntimeError("connector of \(launch.captureName) sent \(response.name) during a capture")
            }
        }
        if isStopping { throw OutputEnded(message: "stopped") }
        if !opened { throw OutputEnded(message: "connector of \(launch.captureName) exited before sending opened") }
        if documentsSinceCheckpoint > 0 {
            throw OutputEnded(message: "connector of \(launch.captureName) exited between documents and their checkpoint (\(documentsSinceCheckpoint) uncommitted documents discarded)")
        }
    }

    private func readLine(_ reader: MessageReader) throws -> ArraySlice<UInt8>? {
        do { return try reader.nextLine() } catch { throw RuntimeError("reading the connector's output: \(error)") }
    }

    /// Validates one captured document and appends it (or its rejection) to the transaction.
    private func capture(_ captured: CapturedResponse, writer: inout JSONWriter) throws {
        guard Int(captured.binding) < bindings.count else {
            throw RuntimeError("connector of \(launch.captureName) captured a document for binding \(captured.binding), but the capture has \(bindings.count) bindings")
        }
        let index = Int(captured.binding)
        let binding = bindings[index]
        var document = captured.doc
        do {
            try binding.uuidPointer.set(.string(uuids.next()), in: &document)
        } catch {
            throw RuntimeError("collection \(binding.collection): cannot add the document UUID: \(error)")
        }
        if transaction == nil {
            do { transaction = try store.beginTransaction(capture: launch.captureName) } catch {
                throw RuntimeError("starting a transaction of \(launch.captureName): \(error)")
            }
        }
        let result = binding.writeSchema.validate(document)
        writer.bytes.removeAll(keepingCapacity: true)
        if result.isValid {
            writer.write(document)
            try writer.bytes.withUnsafeBytes { try transaction!.append(collection: binding.collection, document: $0) }
            pendingDocuments += 1
            outcome.documents += 1
            documentCounts[index] += 1
            byteCounts[index] += writer.bytes.count
        } else {
            let errors = result.errors.map(\.description)
            guard binding.onIncompatible == .reject else {
                throw RuntimeError("collection \(binding.collection): document with key \(binding.keyDescription(of: document)) failed validation: \(errors.joined(separator: "; "))")
            }
            writer.write(["collection": .string(binding.collection), "errors": .array(errors.map { .string($0) }), "document": document])
            try writer.bytes.withUnsafeBytes { try transaction!.appendRejected(collection: binding.collection, record: $0) }
            pendingRejected += 1
            outcome.rejected += 1
            rejectedCounts[index] += 1
        }
        pendingBytes += writer.bytes.count
        documentsSinceCheckpoint += 1
    }

    /// Commits the documents and state of every checkpoint received so far.
    private func commit(process: ConnectorProcess) throws(RuntimeError) {
        guard pendingCheckpoints > 0 else { return }
        do {
            if transaction == nil { transaction = try store.beginTransaction(capture: launch.captureName) }
            try transaction!.commit(connectorState: state,
                                    transactionSummary: TransactionSummary(documents: pendingDocuments, rejected: pendingRejected, bytes: pendingBytes))
        } catch {
            throw RuntimeError("committing a transaction of \(launch.captureName): \(error)")
        }
        transaction = nil
        outcome.commits += 1
        if explicitAcknowledgements {
            var ack = CaptureRequest.acknowledge(AcknowledgeRequest(checkpoints: UInt32(pendingCheckpoints))).protoJSON().serialized()
            ack.append(0x0A)
            try? process.writeStdin(ack)
        }
        pendingDocuments = 0
        pendingRejected = 0
        pendingBytes = 0
        pendingCheckpoints = 0
        lastCommit = ContinuousClock.now
        onCommit?(progress)
    }
}
