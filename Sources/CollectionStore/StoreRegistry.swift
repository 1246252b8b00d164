/// A ``LocalCollectionStore``'s in-process state, behind its mutex.
struct StoreRegistry {
    /// The captures this store object writes (holding their locks), by encoded capture name.
    var writers: [String: CaptureWriter] = [:]
    /// Which capture (encoded name) last owned each journal: a hint for readers, checked against the
    /// capture's checkpoint at every read.
    var owners: [JournalID: String] = [:]
    /// Set by `close()`: no new writers.
    var closed = false
}
