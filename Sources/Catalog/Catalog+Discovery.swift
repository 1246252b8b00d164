import JSON

extension Catalog {
    /// Merges a connector's discovered bindings into `capture`, keeping what the user set.
    ///
    /// - A discovered binding matches an existing binding with the same resource path: both
    ///   are read from the resource configurations with `resourcePathPointers` (missing values
    ///   are left out). Without pointers, a discovered binding matches the existing
    ///   binding whose target is the collection it would get.
    /// - A matched binding keeps its target, `disable`, `backfill` and `onIncompatible`; its
    ///   resource keeps every field the user set, gaining only the discovered fields it lacks.
    ///   Its collection's write schema becomes the discovered schema; its key, projections and
    ///   read schema stay (if the collection is missing, it is created).
    /// - A new resource gets a binding to `<collectionPrefix>/<recommendedName>` (made a valid
    ///   name, and made unique with `_2`, `_3`… when another capture writes that collection or
    ///   this capture already binds it), disabled if the connector says so, and a new collection
    ///   with the discovered schema and key; an existing collection of that name nobody writes
    ///   is reused and its schema updated.
    /// - Existing bindings the connector no longer reports are kept and reported as
    ///   ``CatalogChangeKind/goneFromSource``.
    public func merged(
        discovered: [DiscoveredBindingInput], into capture: CaptureDefinition, collectionPrefix: String, resourcePathPointers: [String] = []
    ) -> DiscoveryMerge {
        let pointers = resourcePathPointers.compactMap { try? JSONPointer($0) }
        let prefix = collectionPrefix.split(separator: "/").joined(separator: "/")
        var result = capture
        var kinds: [CatalogChangeKind?] = Array(repeating: nil, count: capture.bindings.count)
        var paths: [[String]] = capture.bindings.map { Self.resourcePath(of: $0.resource, pointers: pointers) ?? [] }
        var newCollections: [String: CollectionDefinition] = [:]
        var newOrder: [String] = []
        var updated: [String: CollectionDefinition] = [:]
        var updatedOrder: [String] = []
        let sourceDirectory = FilePaths.directory(capture.sourceFile ?? rootFile)

        func collectionName(for binding: DiscoveredBindingInput) -> String {
            let base = CatalogName.sanitized(binding.recommendedName)
            return prefix.isEmpty ? base : prefix + "/" + base
        }
        func writtenByOther(_ name: String) -> Bool {
            captures.contains { other in other.name != capture.name && other.bindings.contains { !$0.disable && $0.target == name } }
        }
        /// Sets the discovered schema on the collection `name`, creating it if needed; returns the change kind.
        func adopt(_ binding: DiscoveredBindingInput, into name: String) -> CatalogChangeKind {
            if var existing = updated[name] ?? collection(named: name) {
                guard existing.writeSchema != binding.documentSchema else { return updated[name] == nil ? .unchanged : .updatedSchema }
                existing.writeSchema = binding.documentSchema
                if updated[name] == nil { updatedOrder.append(name) }
                updated[name] = existing
                return .updatedSchema
            }
            if newCollections[name] == nil {
                let schemaPath = FilePaths.relative(name + ".schema.yaml", from: sourceDirectory)
                newCollections[name] = CollectionDefinition(
                    name: name, writeSchema: binding.documentSchema, writeSchemaFile: schemaPath, key: binding.key,
                    sourceFile: capture.sourceFile)
                newOrder.append(name)
            }
            return .added
        }

        for binding in discovered {
            let path = Self.resourcePath(of: binding.resourceConfig, pointers: pointers) ?? binding.resourcePath
            let match = result.bindings.indices.first { index in
                guard index < kinds.count, kinds[index] == nil else { return false }
                if pointers.isEmpty { return result.bindings[index].target == collectionName(for: binding) }
                return paths[index] == path
            }
            if let index = match {
                var existing = result.bindings[index]
                existing.resource = Self.overlay(user: existing.resource, discovered: binding.resourceConfig)
                result.bindings[index] = existing
                paths[index] = path
                kinds[index] = adopt(binding, into: existing.target)
                continue
            }
            var name = collectionName(for: binding)
            let base = name
            var suffix = 2
            while writtenByOther(name) || result.bindings.contains(where: { $0.target == name }) {
                name = "\(base)_\(suffix)"
                suffix += 1
            }
            result.bindings.append(BindingDefinition(resource: binding.resourceConfig, target: name, disable: binding.disable))
            paths.append(path)
            _ = adopt(binding, into: name)
            kinds.append(.added)
        }

        let changes = result.bindings.indices.map { index in
            CatalogChange(
                kind: kinds[index] ?? .goneFromSource, resourcePath: paths[index], collection: result.bindings[index].target,
                disabled: result.bindings[index].disable)
        }
        return DiscoveryMerge(
            capture: result, newCollections: newOrder.compactMap { newCollections[$0] },
            updatedCollections: updatedOrder.compactMap { updated[$0] }, changes: changes)
    }

    /// The resource path read with `pointers` (nil when there are none): strings as they are,
    /// other scalars as JSON text; missing or null values are left out (as Flow leaves out an
    /// absent Airbyte namespace).
    static func resourcePath(of resource: JSON, pointers: [JSONPointer]) -> [String]? {
        guard !pointers.isEmpty else { return nil }
        return pointers.compactMap { pointer in
            switch pointer.resolve(in: resource) {
            case .string(let text)?: return text
            case .null?, nil: return nil
            case let value?: return value.description
            }
        }
    }

    /// The user's resource, with the discovered fields it lacks appended.
    static func overlay(user: JSON, discovered: JSON) -> JSON {
        guard case .object(var object) = user, case .object(let found) = discovered else { return user }
        for member in found where object[member.key] == nil { object[member.key] = member.value }
        return .object(object)
    }
}
