import CaptureRuntime

/// One binding of an ingest capture: where documents sent to `/<capture>/<name>` go.
struct IngestTarget: Sendable {
    /// Its collection's compiled write schema, key and UUID pointer.
    let binding: RuntimeBinding

    /// The target collection.
    var collection: String { binding.collection }
}
