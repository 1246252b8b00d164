import FlowCapture
import JSON

/// A binding of an `open` request: its resource config and its collection's key.
struct TestBinding {
    var resource: JSON
    var key: [String] = ["/_meta/row_id"]
    /// Bumped to restart the binding from scratch: its state key gets a `.v<N>` suffix.
    var backfill: UInt32 = 0

    var name: String { resource["name"]?.stringValue ?? "" }

    var captureBinding: CaptureBinding {
        let projections = key.map { pointer in
            Projection(ptr: pointer, field: String(pointer.split(separator: "/").last ?? ""), isPrimaryKey: true,
                       inference: Inference(types: ["integer"], exists: .must))
        }.sorted { $0.field < $1.field }
        let collection = CollectionSpec(
            name: "acmeCo/tests/\(name)", writeSchema: ["type": "object", "x-infer-schema": true], key: key,
            projections: projections)
        return CaptureBinding(resourceConfig: resource, resourcePath: [name], collection: collection, backfill: backfill)
    }
}
