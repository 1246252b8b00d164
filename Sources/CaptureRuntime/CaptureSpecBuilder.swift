import Catalog
import FlowCapture
import JSON
import JSONSchema

/// Builds the complete `CaptureSpec` a connector receives in `open` (and `apply`, `validate`) from a
/// catalog capture, as Estuary's Go boilerplate and Python CDK expect it: `intervalSeconds` always
/// present, shard and recovery-log templates, every binding with `resourcePath`, `stateKey` and
/// `backfill`, and collections whose projections are sorted by field, every key pointer marked
/// `isPrimaryKey`.
public struct CaptureSpecBuilder {
    public let catalog: Catalog
    /// The connector's `resourcePathPointers` (from its spec).
    public let resourcePathPointers: [String]

    public init(catalog: Catalog, resourcePathPointers: [String]) {
        self.catalog = catalog
        self.resourcePathPointers = resourcePathPointers
    }

    /// The resource path of a resource config: the values at the connector's resource path pointers.
    public func resourcePath(of resource: JSON) -> [String] {
        resourcePathPointers.map { text in
            guard let pointer = try? JSONPointer(text), let value = pointer.resolve(in: resource) else { return "" }
            return value.stringValue ?? value.serializedString()
        }
    }

    /// The spec of `capture`'s enabled bindings, with `config` as the connector's configuration.
    public func captureSpec(_ capture: CaptureDefinition, config: JSON) throws(RuntimeError) -> CaptureSpec {
        var bindings: [CaptureBinding] = []
        for (_, binding) in capture.enabledBindings {
            guard let collection = catalog.collection(named: binding.target) else {
                throw RuntimeError("capture \(capture.name): binding target \(binding.target) is not a collection of the catalog")
            }
            let path = resourcePath(of: binding.resource)
            bindings.append(CaptureBinding(resourceConfig: binding.resource, resourcePath: path,
                                           collection: try collectionSpec(collection), backfill: binding.backfill))
        }
        let logLevel = capture.shards.logLevel ?? "info"
        let shardTemplate: JSON = [
            "id": .string("capture/\(capture.name)/0000000000000000-00000000"),
            "recoveryLogPrefix": "recovery",
            "hintPrefix": "/estuary/flow/hints",
            "hintBackups": 2,
            "maxTxnDuration": "1s",
            "labels": ["labels": [["name": "estuary.dev/log-level", "value": .string(logLevel)],
                                  ["name": "estuary.dev/task-name", "value": .string(capture.name)],
                                  ["name": "estuary.dev/task-type", "value": "capture"]]],
        ]
        let recoveryLogTemplate: JSON = [
            "name": .string("recovery/capture/\(capture.name)"),
            "replication": 1,
            "labels": ["labels": [["name": "content-type", "value": "application/x-gazette-recoverylog"]]],
            "fragment": ["length": "268435456", "compressionCodec": "SNAPPY", "refreshInterval": "300s"],
        ]
        return CaptureSpec(name: capture.name, connectorType: .local, config: config, bindings: bindings,
                           intervalSeconds: UInt32(clamping: capture.intervalSeconds), shardTemplate: shardTemplate,
                           recoveryLogTemplate: recoveryLogTemplate)
    }

    /// A collection's spec with its projections: the key, the schema's top-level properties, the user's
    /// projections, and `flow_document` for the whole document, sorted by field.
    public func collectionSpec(_ collection: CollectionDefinition) throws(RuntimeError) -> CollectionSpec {
        let schema: Schema
        do { schema = try collection.compiledWriteSchema() } catch {
            throw RuntimeError("collection \(collection.name): its schema does not compile: \(error)")
        }
        var projections: [String: Projection] = [:]
        func add(field: String, pointer: String, explicit: Bool, partition: Bool = false) {
            let location = (try? JSONPointer(pointer)) ?? .root
            let inference = schema.inference(at: location)
            projections[field] = Projection(
                ptr: pointer, field: field, explicit: explicit, isPartitionKey: partition,
                isPrimaryKey: collection.key.contains(pointer),
                inference: Inference(types: inference.types.sorted(), exists: inference.mustExist ? .must : .may))
        }
        for property in schema.declaredProperties(at: .root) {
            add(field: property, pointer: "/" + JSONPointer.escape(property), explicit: false)
        }
        for pointer in collection.key {
            let field = String(pointer.dropFirst())
            if projections[field] == nil { add(field: field, pointer: pointer, explicit: false) }
            projections[field]?.isPrimaryKey = true
        }
        for (field, projection) in collection.projections {
            add(field: field, pointer: projection.location, explicit: true, partition: projection.partition)
        }
        projections["flow_document"] = Projection(ptr: "", field: "flow_document",
                                                  inference: Inference(types: ["object"], exists: .must))
        let sorted = projections.values.sorted { $0.field.utf8.lexicographicallyPrecedes($1.field.utf8) }
        return CollectionSpec(name: collection.name, writeSchema: collection.writeSchema, readSchema: collection.readSchema,
                              key: collection.key, uuidPtr: "/_meta/uuid",
                              partitionFields: sorted.filter(\.isPartitionKey).map(\.field), projections: sorted)
    }
}
