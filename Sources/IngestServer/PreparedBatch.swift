import JSON

/// Documents of one collection, stamped, validated and serialized, ready to be appended to the
/// store: each request, or each WebSocket batch, prepares one.
struct PreparedBatch: Sendable {
    /// The target collection.
    var collection: String
    /// The serialized documents, one after another, no separators.
    var bytes = ByteBuffer(capacity: 4096)
    /// Where each document ends in ``bytes``.
    var ends: [Int] = []
    /// Each document's UUID, in order.
    var uuids: [String] = []

    init(collection: String) {
        self.collection = collection
    }

    /// The number of documents.
    var count: Int { ends.count }

    /// Calls `body` with each document's bytes, in order; stops at the first error.
    func forEachDocument<E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> Void) throws(E) {
        var failure: E?
        bytes.withUnsafeBytes { all in
            var start = 0
            for end in ends {
                do throws(E) {
                    try body(UnsafeRawBufferPointer(rebasing: all[start..<end]))
                } catch {
                    failure = error
                    return
                }
                start = end
            }
        }
        if let failure { throw failure }
    }

    /// Appends the documents of `other` (of the same collection).
    mutating func append(_ other: PreparedBatch) {
        let base = bytes.count
        bytes.append(contentsOf: other.bytes)
        ends.append(contentsOf: other.ends.map { $0 + base })
        uuids.append(contentsOf: other.uuids)
    }
}
