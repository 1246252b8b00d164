import JSON

/// What a connector session read, in the order its connector wrote it: documents already prepared for their
/// collections (stamped, validated, serialized by the ``DocumentPreparation`` the batch was made with), rejection
/// records, control events and failures. The runner stores it; sessions fill it through
/// ``ConnectorSession/next(into:)``.
///
/// A batch is reused from read to read: ``removeAll()`` keeps its memory. It is bounded: sessions stop filling it
/// once ``isFull`` (about ``byteLimit`` bytes or ``entryLimit`` entries; a single document larger than that still
/// fits) or once it holds a failure.
public struct CaptureBatch {
    /// One thing the session read. Plain data, so that reading entries costs no reference counting.
    public struct Entry: Sendable {
        /// What the entry is.
        public enum Kind: UInt8, Sendable {
            /// A prepared document of `binding`: `bytes[start..<end]` is its text, to be stored as it is; a newline
            /// follows it, so that a run of documents of one binding is a run of lines a store can write as it is.
            case document
            /// A document of `binding` that failed its schema, to be kept in the rejected records:
            /// `bytes[start..<end]` is the record's text (`{"collection","errors","document"}`), a newline after it.
            case rejected
            /// ``CaptureBatch/events``[`start`].
            case event
            /// ``CaptureBatch/failures``[`start`]: the session fails here; nothing follows.
            case failure
        }

        public var kind: Kind
        /// The binding (index into the session's bindings) of a document or rejection.
        public var binding: Int
        public var start: Int
        public var end: Int
    }

    /// About this many bytes make a batch full.
    public static let byteLimit = 256 << 10
    /// This many entries make a batch full.
    public static let entryLimit = 512

    /// The text of the documents and rejection records.
    public internal(set) var bytes: [UInt8] = []
    /// The entries, in order.
    public internal(set) var entries: [Entry] = []
    /// The control events the entries of kind ``Entry/Kind/event`` refer to.
    public internal(set) var events: [ConnectorEvent] = []
    /// The failures the entries of kind ``Entry/Kind/failure`` refer to.
    public internal(set) var failures: [RuntimeError] = []
    /// What prepares the documents added to this batch (one per thread that fills batches).
    public let preparation: DocumentPreparation

    /// An empty batch whose documents `preparation` prepares.
    public init(preparation: DocumentPreparation) {
        self.preparation = preparation
        bytes.reserveCapacity(Self.byteLimit + (Self.byteLimit >> 2))
        entries.reserveCapacity(Self.entryLimit)
    }

    /// True when the batch holds nothing.
    public var isEmpty: Bool { entries.isEmpty }

    /// True when a session should hand the batch over before adding more: it is full, or it holds a failure.
    public var isFull: Bool {
        entries.count >= Self.entryLimit || bytes.count >= Self.byteLimit || !failures.isEmpty
    }

    /// Empties the batch, keeping its memory.
    public mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        entries.removeAll(keepingCapacity: true)
        events.removeAll(keepingCapacity: true)
        failures.removeAll(keepingCapacity: true)
    }

    /// Exchanges what this batch holds with what `other` holds; each keeps its preparation. For handing batches
    /// from a reading thread to the runner's.
    mutating func exchangeContents(with other: inout CaptureBatch) {
        swap(&bytes, &other.bytes)
        swap(&entries, &other.entries)
        swap(&events, &other.events)
        swap(&failures, &other.failures)
    }

    /// The documents of the run of entries from `first` on: consecutive ``Entry/Kind/document`` entries of one binding
    /// (at most `limit` of them), as their lines (each text with its newline), valid during `body`, and their count.
    @inline(__always)
    func withLines<Result>(from first: Int, limit: Int, _ body: (_ lines: UnsafeRawBufferPointer, _ count: Int) throws -> Result) rethrows -> Result {
        let head = entries[first]
        var last = first
        while last + 1 < limit, entries[last + 1].kind == .document, entries[last + 1].binding == head.binding,
              entries[last + 1].start == entries[last].end + 1 {
            last += 1
        }
        let count = last - first + 1
        return try bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[head.start..<(entries[last].end + 1)]), count) }
    }

    /// The text of an entry of kind ``Entry/Kind/document`` or ``Entry/Kind/rejected``, valid during `body`.
    @inline(__always)
    public func withText<Result>(of entry: Entry, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[entry.start..<entry.end])) }
    }

    // MARK: - Filling

    /// Adds a control event.
    public mutating func add(_ event: ConnectorEvent) {
        entries.append(Entry(kind: .event, binding: 0, start: events.count, end: 0))
        events.append(event)
    }

    /// Adds a failure: the session fails at this point (what came before it is still stored and committed as usual).
    public mutating func fail(_ error: RuntimeError) {
        entries.append(Entry(kind: .failure, binding: 0, start: failures.count, end: 0))
        failures.append(error)
    }

    /// Prepares a document of `binding` given as JSON text. `fallback` is called when the text cannot be taken
    /// through the binding's fast path as it is (it may be malformed, invalid, or hold what only the full path
    /// decides): it returns what the session knows of the document in full, or throws why it cannot.
    @inline(__always)
    public mutating func addDocument(binding: Int, text: UnsafeRawBufferPointer,
                                     fallback: () throws(RuntimeError) -> (binding: Int, document: JSON)) {
        let start = bytes.count
        if preparation.prepare(binding: binding, text: text, appendingTo: &bytes) {
            entries.append(Entry(kind: .document, binding: binding, start: start, end: bytes.count))
            bytes.append(UInt8(ascii: "\n"))
            return
        }
        do {
            let (binding, document) = try fallback()
            addDocument(binding: binding, document: document)
        } catch {
            fail(error)
        }
    }

    /// Prepares a parsed document of `binding`.
    public mutating func addDocument(binding: Int, document: JSON) {
        let start = bytes.count
        switch preparation.prepare(binding: binding, document: document, appendingTo: &bytes) {
        case .prepared:
            entries.append(Entry(kind: .document, binding: binding, start: start, end: bytes.count))
            bytes.append(UInt8(ascii: "\n"))
        case .rejected:
            entries.append(Entry(kind: .rejected, binding: binding, start: start, end: bytes.count))
            bytes.append(UInt8(ascii: "\n"))
        case .failed(let error):
            fail(error)
        }
    }
}
