import CollectionStore
import FlowCapture
import Foundation
import JSON
import JSONSchema
import Logging
import Synchronization

/// Runs one session of a capture: opens the connector and commits what it captures into the store.
///
/// Each `captured` document is given a v1 UUID at `/_meta/uuid`, validated against its collection's write
/// schema, and appended to the open store transaction: as text where ``DocumentTextPath`` can confirm it (for
/// connectors that allow it, on a read-ahead thread, see ``ReadAheadSession``), else parsed. Checkpoints are reduced into
/// the connector state; the transaction commits (documents and state together) at a checkpoint once
/// the connector has written nothing more for 20 ms, or a second has passed, or 32 MiB are pending — several
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
    /// Commit at a checkpoint when the connector has written nothing more for this long (it is idle).
    public var idleMilliseconds: Int32 = 20
    /// Commit at a checkpoint once this many bytes are pending.
    public var commitBytes = 32 << 20
    /// Called after each commit with the totals so far.
    public var onCommit: ((Progress) -> Void)?

    private let connector: any ConnectorSession
    private let captureName: String
    private let bindings: [RuntimeBinding]
    private let store: any CollectionStore
    private let logger: Logger
    private var state: JSON
    private var outcome: Outcome {
        Outcome(documents: hot.pointee.documents, rejected: hot.pointee.rejected, commits: hot.pointee.commits)
    }

    /// What the document path updates, behind a pointer: a class's stored properties would cost a dynamic
    /// exclusivity check at every access.
    private struct Hot {
        var uuids = DocumentUUIDGenerator()
        /// The stamped text of the document on the fast path (when not read ahead), reused.
        var prepared: [UInt8] = []
        var pendingDocuments = 0, pendingRejected = 0, pendingBytes = 0, pendingCheckpoints = 0
        var documentsSinceCheckpoint = 0
        var documents = 0, rejected = 0, commits = 0
        /// Per-binding totals, indexed like `bindings` (no hashing on the document path); see ``progress``.
        var documentCounts: [Int], byteCounts: [Int], rejectedCounts: [Int]
    }
    private let hot: UnsafeMutablePointer<Hot>

    // Stopping: requested from another thread; honoured at the next checkpoint boundary.
    private let stopRequested = Atomic<Bool>(false)
    private let atBoundary = Atomic<Bool>(true)

    // The open transaction.
    private var transaction: (any StoreTransaction)?
    private var lastCommit = ContinuousClock.now
    private var explicitAcknowledgements = false
    private var parser = JSONParser()
    /// Per binding, what the fast path needs (nil where the binding has none).
    private let textPaths: [DocumentTextPath?]
    /// True when the connector is read ahead on a thread of its own (``ReadAheadSession``), which puts every
    /// document a fast path could take through it already: those it hands over are `.prepared`, and the others
    /// need the parsed path.
    let readsAhead: Bool

    /// A session of a Flow connector started by `launch` and opened with `open`.
    public convenience init(launch: ConnectorLaunch, open: OpenRequest, bindings: [RuntimeBinding], store: any CollectionStore, logger: Logger) {
        self.init(connector: FlowConnectorSession(launch: launch, open: open, logger: logger), initialState: open.state,
                  bindings: bindings, store: store, logger: logger)
    }

    /// A session of any connector: `initialState` is the connector state it was started from, which its
    /// checkpoints update.
    public init(connector: any ConnectorSession, initialState: JSON, bindings: [RuntimeBinding], store: any CollectionStore, logger: Logger) {
        let textPaths = bindings.map(DocumentTextPath.init)
        if connector.allowsReadAhead && textPaths.contains(where: { $0 != nil }) {
            self.connector = ReadAheadSession(connector, textPaths: textPaths)
            readsAhead = true
        } else {
            self.connector = connector
            readsAhead = false
        }
        self.textPaths = textPaths
        self.captureName = connector.captureName
        self.bindings = bindings
        self.store = store
        self.logger = logger
        self.state = initialState
        let zeros = Array(repeating: 0, count: bindings.count)
        hot = .allocate(capacity: 1)
        hot.initialize(to: Hot(documentCounts: zeros, byteCounts: zeros, rejectedCounts: zeros))
    }

    deinit {
        hot.deinitialize(count: 1)
        hot.deallocate()
    }

    /// Totals so far, by collection.
    public var progress: Progress {
        var progress = Progress()
        for (index, binding) in bindings.enumerated() {
            progress.documents[binding.collection, default: 0] += hot.pointee.documentCounts[index]
            progress.bytes[binding.collection, default: 0] += hot.pointee.byteCounts[index]
            progress.rejected[binding.collection, default: 0] += hot.pointee.rejectedCounts[index]
        }
        return progress
    }

    /// The connector state as of the last commit (or as opened).
    public var connectorState: JSON { state }

    /// Asks the session to end cleanly: at the next checkpoint boundary, what is checkpointed commits, the
    /// connector is stopped, and ``run()`` returns. Safe to call from any thread (a signal handler's queue).
    public func requestStop() {
        stopRequested.store(true, ordering: .sequentiallyConsistent)
        // A connector waiting between transactions (a poll schedule) would never reach another boundary.
        if atBoundary.load(ordering: .sequentiallyConsistent) {
            connector.signalStop()
        }
    }

    private var isStopping: Bool { stopRequested.load(ordering: .sequentiallyConsistent) }

    /// Runs the session to its end.
    public func run() throws(RuntimeError) -> Outcome {
        defer { transaction?.abort() }
        if isStopping { connector.signalStop() }
        try connector.start()
        let problem: String?
        do {
            problem = try drive()
        } catch {
            connector.stop()
            _ = connector.finish()
            throw (error as? RuntimeError) ?? RuntimeError("\(error)")
        }
        let failure = connector.finish()
        if isStopping {
            // We stopped it: what was checkpointed commits; documents after the last checkpoint never were.
            try commit()
            return outcome
        }
        if let failure { throw failure }
        if let problem { throw RuntimeError(problem) }
        try commit()
        return outcome
    }

    /// Reads the connector's events to the end of its output (or to a requested stop). Returns why the
    /// output ended too early, if it did; a connector's own failure explains that better when it has one.
    private func drive() throws -> String? {
        var opened = false
        var writer = JSONWriter(reservingCapacity: 1 << 16)
        let readAhead = connector as? ReadAheadSession
        while true {
            // Documents read ahead and prepared are stored straight from their batch.
            if opened, let readAhead, try readAhead.takePrepared({ try capture(binding: $0, prepared: $1) }) { continue }
            guard let event = try connector.next() else { break }
            if !opened {
                guard case .opened(let explicit) = event else {
                    throw RuntimeError("connector of \(captureName) sent a message before opened")
                }
                opened = true
                explicitAcknowledgements = explicit
                continue
            }
            switch event {
            case .captured(let binding, let document):
                if hot.pointee.documentsSinceCheckpoint == 0 { atBoundary.store(false, ordering: .sequentiallyConsistent) }
                try capture(binding: binding, document: document, writer: &writer)
            case .checkpoint(let update):
                update?.apply(to: &state)
                hot.pointee.pendingCheckpoints += 1
                hot.pointee.documentsSinceCheckpoint = 0
                if isStopping || ContinuousClock.now - lastCommit >= commitInterval || hot.pointee.pendingBytes >= commitBytes
                    || !connector.hasPendingInput(waitingMilliseconds: idleMilliseconds) {
                    try commit()
                }
                atBoundary.store(true, ordering: .sequentiallyConsistent)
                if isStopping {
                    connector.stop()
                    return nil
                }
            case .opened:
                throw RuntimeError("connector of \(captureName) sent opened twice")
            case .truncate(let binding):
                try truncate(binding: binding)
            }
        }
        if isStopping { return nil }
        if !opened { return "connector of \(captureName) exited before sending opened" }
        if hot.pointee.documentsSinceCheckpoint > 0 {
            return "connector of \(captureName) exited between documents and their checkpoint (\(hot.pointee.documentsSinceCheckpoint) uncommitted documents discarded)"
        }
        return nil
    }

    /// Appends a document the read-ahead prepared, as ``capture(binding:document:writer:)`` would.
    @inline(__always)
    private func capture(binding index: Int, prepared text: UnsafeRawBufferPointer) throws {
        guard index >= 0 && index < bindings.count else {
            throw RuntimeError("connector of \(captureName) captured a document for binding \(index), but the capture has \(bindings.count) bindings")
        }
        if hot.pointee.documentsSinceCheckpoint == 0 { atBoundary.store(false, ordering: .sequentiallyConsistent) }
        try append(prepared: text, collection: bindings[index].collection, index: index)
    }

    /// Validates one captured document and appends it (or its rejection) to the transaction.
    private func capture(binding index: Int, document captured: CapturedDocument, writer: inout JSONWriter) throws {
        guard index >= 0 && index < bindings.count else {
            throw RuntimeError("connector of \(captureName) captured a document for binding \(index), but the capture has \(bindings.count) bindings")
        }
        // The fast path first, touching as little as possible.
        if case .prepared(let text) = captured {
            return try text.withUnsafeBytes { try append(prepared: $0, collection: bindings[index].collection, index: index) }
        }
        if !readsAhead, let path = textPaths[index] {
            switch captured {
            case .text(let text), .cutFromLine(let text, _, _):
                var prepared: [UInt8] = []
                swap(&prepared, &hot.pointee.prepared)
                defer { prepared.removeAll(keepingCapacity: true); swap(&prepared, &hot.pointee.prepared) }
                if path.prepare(text, uuids: &hot.pointee.uuids, appendingTo: &prepared) {
                    return try prepared.withUnsafeBytes { try append(prepared: $0, collection: path.collection, index: index) }
                }
            case .parsed, .prepared:
                break
            }
        }
        let binding = bindings[index]
        var document: JSON
        switch captured {
        case .parsed(let parsed):
            document = parsed
        case .text(let text), .prepared(let text):
            do { document = try text.withUnsafeBytes { try parser.parse($0) } } catch {
                throw RuntimeError("connector of \(captureName) captured a document for collection \(binding.collection) that is not valid JSON: \(error)")
            }
        case .cutFromLine(_, let line, let lineNumber):
            let response: CaptureResponse
            do { response = try CaptureResponse(line: line) } catch {
                throw RuntimeError("connector of \(captureName) wrote a malformed line \(lineNumber): \(error) (line starts: \(UnaryCall.snippet(line)))")
            }
            guard case .captured(let parsed) = response else {
                throw RuntimeError("connector of \(captureName) wrote line \(lineNumber), which is not a captured message")
            }
            if Int(parsed.binding) != index {
                return try capture(binding: Int(parsed.binding), document: .parsed(parsed.doc), writer: &writer)
            }
            document = parsed.doc
        }
        do {
            try binding.uuidPointer.set(.string(hot.pointee.uuids.next()), in: &document)
        } catch {
            throw RuntimeError("collection \(binding.collection): cannot add the document UUID: \(error)")
        }
        try beginTransactionIfNeeded()
        let result = binding.writeSchema.validate(document)
        writer.bytes.removeAll(keepingCapacity: true)
        if result.isValid {
            writer.write(document)
            try writer.bytes.withUnsafeBytes { try transaction!.append(collection: binding.collection, document: $0) }
            hot.pointee.pendingDocuments += 1
            hot.pointee.documents += 1
            hot.pointee.documentCounts[index] += 1
            hot.pointee.byteCounts[index] += writer.bytes.count
        } else {
            let errors = result.errors.map(\.description)
            guard binding.onIncompatible == .reject else {
                throw RuntimeError("collection \(binding.collection): document with key \(binding.keyDescription(of: document)) failed validation: \(errors.joined(separator: "; "))")
            }
            writer.write(["collection": .string(binding.collection), "errors": .array(errors.map { .string($0) }), "document": document])
            try writer.bytes.withUnsafeBytes { try transaction!.appendRejected(collection: binding.collection, record: $0) }
            hot.pointee.pendingRejected += 1
            hot.pointee.rejected += 1
            hot.pointee.rejectedCounts[index] += 1
        }
        hot.pointee.pendingBytes += writer.bytes.count
        hot.pointee.documentsSinceCheckpoint += 1
    }

    /// Appends a document that already has its UUID and passed validation.
    private func append(prepared bytes: UnsafeRawBufferPointer, collection: String, index: Int) throws {
        try beginTransactionIfNeeded()
        try transaction!.append(collection: collection, document: bytes)
        hot.pointee.pendingDocuments += 1
        hot.pointee.documents += 1
        hot.pointee.documentCounts[index] += 1
        hot.pointee.byteCounts[index] += bytes.count
        hot.pointee.pendingBytes += bytes.count
        hot.pointee.documentsSinceCheckpoint += 1
    }

    private func beginTransactionIfNeeded() throws(RuntimeError) {
        guard transaction == nil else { return }
        do { transaction = try store.beginTransaction(capture: captureName) } catch {
            throw RuntimeError("starting a transaction of \(captureName): \(error)")
        }
    }

    /// Truncates a binding's collection within the open transaction (see ``ConnectorEvent/truncate(binding:)``).
    private func truncate(binding index: Int) throws {
        guard index >= 0 && index < bindings.count else {
            throw RuntimeError("connector of \(captureName) truncated binding \(index), but the capture has \(bindings.count) bindings")
        }
        if hot.pointee.documentsSinceCheckpoint == 0 { atBoundary.store(false, ordering: .sequentiallyConsistent) }
        do {
            if transaction == nil { transaction = try store.beginTransaction(capture: captureName) }
            try transaction!.truncate(collection: bindings[index].collection)
        } catch {
            throw RuntimeError("capture \(captureName): replacing the documents of collection \(bindings[index].collection): \(error)")
        }
    }

    /// Commits the documents and state of every checkpoint received so far.
    private func commit() throws(RuntimeError) {
        guard hot.pointee.pendingCheckpoints > 0 else { return }
        do {
            if transaction == nil { transaction = try store.beginTransaction(capture: captureName) }
            try transaction!.commit(connectorState: state,
                                    transactionSummary: TransactionSummary(documents: hot.pointee.pendingDocuments, rejected: hot.pointee.pendingRejected, bytes: hot.pointee.pendingBytes))
        } catch {
            throw RuntimeError("committing a transaction of \(captureName): \(error)")
        }
        transaction = nil
        hot.pointee.commits += 1
        if explicitAcknowledgements { connector.acknowledge(checkpoints: hot.pointee.pendingCheckpoints) }
        hot.pointee.pendingDocuments = 0
        hot.pointee.pendingRejected = 0
        hot.pointee.pendingBytes = 0
        hot.pointee.pendingCheckpoints = 0
        lastCommit = ContinuousClock.now
        onCommit?(progress)
    }
}
