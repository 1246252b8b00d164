import Catalog
import JSONSchema

extension RuntimeBinding {
    /// The runtime view of each enabled binding of `capture`, in binding order, from the collections of `catalog`.
    public static func enabledBindings(of capture: CaptureDefinition, in catalog: Catalog) throws(RuntimeError) -> [RuntimeBinding] {
        var bindings: [RuntimeBinding] = []
        for (_, binding) in capture.enabledBindings {
            guard let collection = catalog.collection(named: binding.target) else {
                throw RuntimeError("capture \(capture.name): binding target \(binding.target) is not a collection of the catalog")
            }
            let schema: Schema
            do { schema = try collection.compiledWriteSchema() } catch {
                throw RuntimeError("collection \(collection.name): its write schema does not compile: \(error)")
            }
            bindings.append(RuntimeBinding(collection: collection.name, writeSchema: schema, key: collection.keyPointers(),
                                           onIncompatible: binding.onIncompatible == .reject ? .reject : .fail))
        }
        return bindings
    }
}
