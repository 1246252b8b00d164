#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import JSON
import Synchronization

/// Everything a ``LocalCollectionStore`` needs to write one capture: the capture's exclusive lock,
/// its last committed checkpoint, its claimed journals and their writers.
///
/// Created when the store first writes the capture; it holds an exclusive `flock` on
/// `captures/<capture>/lock` for as long as it lives, so no other process (or store object) writes
/// the capture meanwhile. One transaction at a time drives it (see ``LocalStoreTransaction``).
// Unchecked: one transaction's thread at a time drives it, handed over by `transactionOpen` (an Atomic).
final class CaptureWriter: @unchecked Sendable {
    let capture: String
    let encoded: String
    let root: String
    /// `captures/<capture>`.
    let directory: String
    /// `capture "c"`, for messages.
    let context: String
    let segmentLimit: Int64
    let bufferCapacity: Int

    private var lockFD: Int32 = -1
    /// The last committed checkpoint (`nil`: never committed), valid when `needsRecovery` is false.
    private(set) var checkpoint: LocalCheckpoint?
    private var claims = JournalClaims()
    private var journals: [JournalID: JournalWriter] = [:]
    /// Journals truncated by the open transaction: where their visible data will begin once it commits.
    private var pendingStarts: [JournalID: Int64] = [:]
    /// Whether the files may hold uncommitted data (initially, and after a failed or abandoned
    /// transaction): the next transaction recovers first.
    var needsRecovery = true
    /// Whether a transaction is open: set (compare-and-exchange) by the store, under its registry mutex, when it hands
    /// the writer to a transaction; cleared by the transaction when it ends, from whatever thread it ends on.
    let transactionOpen = Atomic(false)

    var checkpointPath: String { "\(directory)/checkpoint.json" }
    var claimsPath: String { "\(directory)/journals.json" }
    var lockPath: String { "\(directory)/lock" }

    /// Takes the capture's lock without waiting; fails if another process or store object holds it.
    init(capture: String, encoded: String, root: String, segmentLimit: Int64, bufferCapacity: Int) throws(StoreError) {
        self.capture = capture
        self.encoded = encoded
        self.root = root
        directory = "\(root)/captures/\(encoded)"
        context = "capture \"\(capture)\""
        self.segmentLimit = segmentLimit
        self.bufferCapacity = bufferCapacity
        try FileSystem.ensureDirectory(directory, context: context)
        let fd = try FileSystem.open(lockPath, O_RDWR | O_CREAT, context: context)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            if code == EINTR { continue }
            FileSystem.close(fd)
            if code == EWOULDBLOCK {
                throw StoreError("\(context) is already being written by another process or store: \(lockPath) is locked")
            }
            throw FileSystem.failure(context, "lock", lockPath, code)
        }
        lockFD = fd
    }

    deinit {
        journals = [:]
        FileSystem.close(lockFD)
    }

    /// If needed, reloads the checkpoint and claims from disk and truncates every claimed journal to
    /// its committed offset (a journal the checkpoint does not list is emptied).
    func recoverIfNeeded() throws(StoreError) {
        guard needsRecovery else { return }
        journals = [:]
        let checkpoint = try LocalCheckpoint.load(checkpointPath, context: context)
        claims = try JournalClaims.load(claimsPath, context: context)
        let ids = claims.journals.union(checkpoint.map { Array($0.offsets.keys) } ?? [])
        for id in ids.sorted(by: { ($0.encoded, $0.kind == .rejected ? 1 : 0) < ($1.encoded, $1.kind == .rejected ? 1 : 0) }) {
            let writer = makeWriter(id)
            try writer.recover(to: checkpoint?.offsets[id] ?? 0)
            journals[id] = writer
        }
        self.checkpoint = checkpoint
        needsRecovery = false
    }

    /// The writer of `id`, claiming the journal first if this capture never wrote it.
    func journal(_ id: JournalID) throws(StoreError) -> JournalWriter {
        if let writer = journals[id] { return writer }
        try claim(id)
        let writer = makeWriter(id)
        // Whatever the journal holds belongs to no capture's checkpoint: nothing of it is committed.
        try writer.recover(to: 0)
        journals[id] = writer
        return writer
    }

    private func makeWriter(_ id: JournalID) -> JournalWriter {
        JournalWriter(id: id, root: root, context: "\(context), \(id)", segmentLimit: segmentLimit, bufferCapacity: bufferCapacity)
    }

    /// Records durably that this capture writes `id`, after checking under the store-wide claims
    /// lock that no other capture does.
    private func claim(_ id: JournalID) throws(StoreError) {
        let capturesDirectory = "\(root)/captures"
        let lockPath = "\(capturesDirectory)/.claims.lock"
        let fd = try FileSystem.open(lockPath, O_RDWR | O_CREAT, context: context)
        defer { FileSystem.close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            if errno != EINTR { throw FileSystem.failure(context, "lock", lockPath) }
        }
        for name in try FileSystem.list(capturesDirectory, context: context) ?? [] where name != encoded && !name.hasPrefix(".") {
            guard let other = NameEncoding.decode(name) else { continue }
            let otherDirectory = "\(capturesDirectory)/\(name)"
            let otherClaims = try JournalClaims.load("\(otherDirectory)/journals.json", context: context)
            let otherCheckpoint = try LocalCheckpoint.load("\(otherDirectory)/checkpoint.json", context: context)
            if otherClaims.journals.contains(id) || otherCheckpoint?.offsets[id] != nil {
                throw StoreError("\(context): cannot write \(id): capture \"\(other)\" writes it")
            }
        }
        var next = claims
        next.journals.insert(id)
        try FileSystem.replaceFile(claimsPath, with: next.serialized(), context: context)
        claims = next
    }

    /// Truncates `id` as of now: once the transaction commits, readers see only what is appended after
    /// this call. Nothing changes on disk until then.
    func truncate(_ id: JournalID) throws(StoreError) {
        let writer = try journal(id)
        pendingStarts[id] = writer.end
    }

    /// Makes every appended document durable, then the new checkpoint (temporary file, fsync,
    /// rename, directory fsync). Throws without changing the committed state if anything fails
    /// before the rename; the caller then marks the writer for recovery.
    func commit(connectorState: JSON, summary: TransactionSummary) throws(StoreError) {
        let touched = journals.values.filter(\.touched)
        for writer in touched { try writer.sync() }
        var offsets: [JournalID: Int64] = [:]
        for (id, writer) in journals { offsets[id] = writer.end }
        let previousStarts = checkpoint?.starts ?? [:]
        let next = LocalCheckpoint(
            connectorState: connectorState,
            transactions: (checkpoint?.transactions ?? 0) + 1,
            committedAt: LocalCheckpoint.now(),
            lastTransaction: summary,
            offsets: offsets,
            starts: previousStarts.merging(pendingStarts) { $1 }
        )
        try FileSystem.replaceFile(checkpointPath, with: next.serialized(), context: context)
        checkpoint = next
        for writer in touched { writer.markCommitted() }
        let truncated = pendingStarts
        pendingStarts = [:]
        for id in truncated.keys { removeSegments(of: id, before: previousStarts[id] ?? 0) }
    }

    /// Deletes the segments of `id` that end at or before `offset`. Called with the start that a
    /// truncation has just replaced, so one generation of old data stays for readers that began
    /// before the commit; failures only leave files behind.
    private func removeSegments(of id: JournalID, before offset: Int64) {
        guard offset > 0, let segments = try? Segment.list(in: id.directory(root: root), context: context) else { return }
        for (index, segment) in segments.enumerated() where index + 1 < segments.count && segments[index + 1].start <= offset {
            _ = unlink(segment.path)
        }
    }

    /// Truncates every journal the transaction touched back to its committed offset. After a failed
    /// commit, whose checkpoint may or may not have reached the disk, it leaves that to the next
    /// transaction's recovery, which reads the checkpoint back.
    func abort() {
        pendingStarts = [:]
        if needsRecovery {
            abandon()
            return
        }
        for writer in journals.values where writer.touched {
            do {
                try writer.recover(to: writer.committed)
            } catch {
                needsRecovery = true
            }
        }
    }

    /// Forgets the transaction without touching the files: the next transaction recovers.
    func abandon() {
        pendingStarts = [:]
        for writer in journals.values where writer.touched { writer.dropBuffer() }
        needsRecovery = true
    }

    /// Replaces the connector state of the checkpoint on disk, keeping the rest (or creating a
    /// checkpoint with no transactions). No transaction may be open.
    func replaceConnectorState(_ state: JSON) throws(StoreError) {
        var next = try LocalCheckpoint.load(checkpointPath, context: context)
            ?? LocalCheckpoint(connectorState: state, transactions: 0, committedAt: "", lastTransaction: nil, offsets: [:])
        next.connectorState = state
        try FileSystem.replaceFile(checkpointPath, with: next.serialized(), context: context)
        if !needsRecovery { checkpoint = next }
    }
}
