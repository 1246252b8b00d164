import CollectionStore
import FlowCapture
import Foundation
import JSON
import JSONSchema
import Logging
import Synchronization

/// Runs one session of a capture: opens the connector and commits what it captures into the store.
///
/// The session hands over batches (``ConnectorSession/next(into:)``) whose documents the one preparation stage
/// (``DocumentPreparation``) has already stamped with a v1 UUID at `/_meta/uuid`, validated against their
/// collection's write schema and serialized, on a read-ahead thread for connectors that allow it
/// (``ReadAheadSession``); the runner appends them to the open store transaction. Checkpoints are reduced into
/// the connector state; the transaction commits (documents and state together) at a checkpoint once
/// the connector has written nothing more for 20 ms, or a second has passed, or 32 MiB are pending — several
/// connector checkpoints may fold into one commit. With explicit acknowledgements, one `acknowledge`
/// per commit tells the connector how many of its checkpoints committed.
///
/// A connector that exits non-zero, writes a malformed line, or ends between documents and their
/// checkpoint fails the session, and nothing of the open transaction commits.
///
/// One thread calls ``run()``; ``requestStop()`` may be called from any other.
// Unchecked: the run state belongs to run()'s thread; requestStop() touches only atomics and the session's signalStop().
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

    /// What the document path updates, in a ``JSON/UniqueBox``: a class's stored `var`s would cost a dynamic
    /// exclusivity check at every access.
    private struct Hot {
        var pendingDocuments = 0, pendingRejected = 0, pendingBytes = 0, pendingCheckpoints = 0
        var documentsSinceCheckpoint = 0
        var documents = 0, rejected = 0, commits = 0
        /// Per-binding totals, indexed like `bindings` (no hashing on the document path); see ``progress``.
        var documentCounts: [Int], byteCounts: [Int], rejectedCounts: [Int]
        /// Per binding, its collection as the open transaction appends to it (resolved at its first document).
        var targets: [AppendTarget?]
    }
    private let hotBox: UniqueBox<Hot>
    private var hot: UnsafeMutablePointer<Hot> { hotBox.pointer }

    // Stopping: requested from another thread; honoured at the next checkpoint boundary.
    private let stopRequested = Atomic<Bool>(false)
    private let atBoundary = Atomic<Bool>(true)

    // The open transaction.
    private var transaction: (any StoreTransaction)?
    private var lastCommit = ContinuousClock.now
    private var explicitAcknowledgements = false
    /// True when the connector is read ahead on a thread of its own (``ReadAheadSession``).
    let readsAhead: Bool

    /// A session of a Flow connector started by `launch` and opened with `open`.
    public convenience init(launch: ConnectorLaunch, open: OpenRequest, bindings: [RuntimeBinding], store: any CollectionStore, logger: Logger) {
        self.init(connector: FlowConnectorSession(launch: launch, open: open, logger: logger), initialState: open.state,
                  bindings: bindings, store: store, logger: logger)
    }

    /// A session of any connector: `initialState` is the connector state it was started from, which its
    /// checkpoints update.
    public init(connector: any ConnectorSession, initialState: JSON, bindings: [RuntimeBinding], store: any CollectionStore, logger: Logger) {
        if connector.allowsReadAhead {
            self.connector = ReadAheadSession(connector, preparation: DocumentPreparation(captureName: connector.captureName, bindings: bindings))
            readsAhead = true
        } else {
            self.connector = connector
            readsAhead = false
        }
        self.captureName = connector.captureName
        self.bindings = bindings
        self.store = store
        self.logger = logger
        self.state = initialState
        let zeros = Array(repeating: 0, count: bindings.count)
        hotBox = UniqueBox(Hot(documentCounts: zeros, byteCounts: zeros, rejectedCounts: zeros,
                               targets: Array(repeating: nil, count: bindings.count)))
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

    /// Reads the connector's batches to the end of its output (or to a requested stop). Returns why the
    /// output ended too early, if it did; a connector's own failure explains that better when it has one.
    private func drive() throws -> String? {
        var opened = false
        var batch = CaptureBatch(preparation: DocumentPreparation(captureName: captureName, bindings: bindings))
        while true {
            batch.removeAll()
            guard try connector.next(into: &batch) else { break }
            let count = batch.entries.count
            var position = 0
            while position < count {
                let entry = batch.entries[position]
                position += 1
                switch entry.kind {
                case .document:
                    guard opened else { throw RuntimeError("connector of \(captureName) sent a message before opened") }
                    // The run of documents of this binding that follows, stored as the lines they are in the batch.
                    let taken = try batch.withLines(from: position - 1, limit: count) { lines, documents in
                        try append(lines: lines, documents: documents, index: entry.binding)
                        return documents
                    }
                    position += taken - 1
                case .rejected:
                    guard opened else { throw RuntimeError("connector of \(captureName) sent a message before opened") }
                    try batch.withText(of: entry) { try appendRejected(record: $0, index: entry.binding) }
                case .failure:
                    throw batch.failures[entry.start]
                case .event:
                    let event = batch.events[entry.start]
                    if !opened {
                        guard case .opened(let explicit) = event else {
                            throw RuntimeError("connector of \(captureName) sent a message before opened")
                        }
                        opened = true
                        explicitAcknowledgements = explicit
                        continue
                    }
                    switch event {
                    case .checkpoint(let update):
                        update?.apply(to: &state)
                        hot.pointee.pendingCheckpoints += 1
                        hot.pointee.documentsSinceCheckpoint = 0
                        if isStopping || ContinuousClock.now - lastCommit >= commitInterval || hot.pointee.pendingBytes >= commitBytes
                            || (position == count && !connector.hasPendingInput(waitingMilliseconds: idleMilliseconds)) {
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
            }
        }
        if isStopping { return nil }
        if !opened { return "connector of \(captureName) exited before sending opened" }
        if hot.pointee.documentsSinceCheckpoint > 0 {
            return "connector of \(captureName) exited between documents and their checkpoint (\(hot.pointee.documentsSinceCheckpoint) uncommitted documents discarded)"
        }
        return nil
    }

    /// Appends a rejection record of the binding at `index` (its document failed the schema).
    private func appendRejected(record: UnsafeRawBufferPointer, index: Int) throws {
        if hot.pointee.documentsSinceCheckpoint == 0 { atBoundary.store(false, ordering: .sequentiallyConsistent) }
        let open = try openTransaction()
        do {
            try open.appendRejected(collection: bindings[index].collection, record: record)
        } catch {
            throw RuntimeError(store: error)
        }
        hot.pointee.pendingRejected += 1
        hot.pointee.rejected += 1
        hot.pointee.rejectedCounts[index] += 1
        hot.pointee.pendingBytes += record.count
        hot.pointee.documentsSinceCheckpoint += 1
    }

    /// Appends `documents` documents of the binding at `index`, stamped and validated, given as consecutive lines.
    @inline(__always)
    private func append(lines: UnsafeRawBufferPointer, documents: Int, index: Int) throws {
        if hot.pointee.documentsSinceCheckpoint == 0 { atBoundary.store(false, ordering: .sequentiallyConsistent) }
        let open = try openTransaction()
        do {
            let target: AppendTarget
            if let known = hot.pointee.targets[index] {
                target = known
            } else {
                target = try open.appendTarget(collection: bindings[index].collection)
                hot.pointee.targets[index] = target
            }
            try open.append(to: target, lines: lines, count: documents)
        } catch {
            throw RuntimeError(store: error)
        }
        let bytes = lines.count - documents
        hot.pointee.pendingDocuments += documents
        hot.pointee.documents += documents
        hot.pointee.documentCounts[index] += documents
        hot.pointee.byteCounts[index] += bytes
        hot.pointee.pendingBytes += bytes
        hot.pointee.documentsSinceCheckpoint += documents
    }

    /// The open transaction, begun now if there is none.
    @inline(__always)
    private func openTransaction() throws(RuntimeError) -> any StoreTransaction {
        if let transaction { return transaction }
        do {
            let begun = try store.beginTransaction(capture: captureName)
            transaction = begun
            return begun
        } catch {
            throw RuntimeError("starting a transaction of \(captureName)", store: error)
        }
    }

    /// Truncates a binding's collection within the open transaction (see ``ConnectorEvent/truncate(binding:)``).
    private func truncate(binding index: Int) throws {
        guard index >= 0 && index < bindings.count else {
            throw RuntimeError("connector of \(captureName) truncated binding \(index), but the capture has \(bindings.count) bindings")
        }
        if hot.pointee.documentsSinceCheckpoint == 0 { atBoundary.store(false, ordering: .sequentiallyConsistent) }
        let open = try openTransaction()
        do {
            try open.truncate(collection: bindings[index].collection)
        } catch {
            throw RuntimeError("capture \(captureName): replacing the documents of collection \(bindings[index].collection)", store: error)
        }
    }

    /// Commits the documents and state of every checkpoint received so far.
    private func commit() throws(RuntimeError) {
        guard hot.pointee.pendingCheckpoints > 0 else { return }
        let open = try openTransaction()
        do {
            try open.commit(connectorState: state,
                                   transactionSummary: TransactionSummary(documents: hot.pointee.pendingDocuments, rejected: hot.pointee.pendingRejected, bytes: hot.pointee.pendingBytes))
        } catch {
            throw RuntimeError("committing a transaction of \(captureName)", store: error)
        }
        transaction = nil
        for index in hot.pointee.targets.indices { hot.pointee.targets[index] = nil }
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
