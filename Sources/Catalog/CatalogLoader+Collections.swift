import JSON
import JSONSchema

/// Collections: schemas, keys, projections.
extension CatalogLoader {
    static let collectionFields = ["schema", "writeSchema", "readSchema", "key", "projections", "journals", "expectPubId"]

    func decodeCollection(name: String, _ value: JSON, _ site: Site) -> PendingCollection? {
        if let problem = CatalogName.problem(with: name) {
            report(site, key: true, "invalid collection name \"\(name)\": \(problem)")
        }
        guard let object = object(
            value, site, allowed: Self.collectionFields, required: ["key"],
            special: [
                "derive": "derivations are not supported by capstan",
                "delete": "\"delete\" is a Flow control-plane instruction; remove the collection from the catalog instead",
            ])
        else { return nil }

        var collection = CollectionDefinition(name: name, writeSchema: true, key: [], sourceFile: relativePath(of: site))

        // Schemas: `schema`, or `writeSchema` with an optional `readSchema`.
        var write: (value: JSON, file: String?, site: Site)?
        var read: (value: JSON, file: String?, site: Site)?
        if object["schema"] != nil && object["writeSchema"] != nil {
            report(site.appending("writeSchema"), key: true, "\"schema\" and \"writeSchema\" are exclusive: give \"schema\" alone, or \"writeSchema\" with an optional \"readSchema\"")
        } else if object["schema"] != nil && object["readSchema"] != nil {
            report(site.appending("readSchema"), key: true, "\"readSchema\" goes with \"writeSchema\", not with \"schema\"")
        } else if object["readSchema"] != nil && object["writeSchema"] == nil {
            report(site.appending("readSchema"), key: true, "\"readSchema\" needs a \"writeSchema\"")
        } else if let schema = object["schema"] ?? object["writeSchema"] {
            write = schemaSource(schema, site.appending(object["schema"] != nil ? "schema" : "writeSchema"))
            if let readValue = object["readSchema"] { read = schemaSource(readValue, site.appending("readSchema")) }
        } else {
            report(site, "missing required field \"schema\" (or \"writeSchema\")")
        }

        var compiled: Schema?
        if let write {
            collection.writeSchema = write.value
            collection.writeSchemaFile = write.file
            compiled = compile(write.value, write.site, registry: SchemaRegistry())
            if let compiled {
                collection.primeWriteSchema(compiled)
                let root = compiled.inference(at: .root)
                if root.types != ["object"] {
                    let allowed = root.types.isEmpty ? "no value at all" : root.types.sorted().joined(separator: ", ")
                    report(write.site, "the schema must allow only objects (\"type\": \"object\"); it allows \(allowed)")
                }
            }
        }
        if let read {
            collection.readSchema = read.value
            collection.readSchemaFile = read.file
            if let compiledRead = compile(read.value, read.site, registry: CollectionDefinition.flowRegistry(writeSchema: collection.writeSchema)) {
                collection.primeReadSchema(compiledRead)
            }
        }

        if let keyValue = object["key"] {
            let keySite = site.appending("key")
            if let pointers = strings(keyValue, keySite) {
                if pointers.isEmpty { report(keySite, "a collection needs a key of at least one JSON Pointer, such as [/id]") }
                var seen = Set<String>()
                for (index, text) in pointers.enumerated() {
                    let pointerSite = keySite.appending(index)
                    let pointer: JSONPointer
                    do {
                        pointer = try JSONPointer(text)
                    } catch {
                        report(pointerSite, error.description)
                        continue
                    }
                    if pointer.tokens.isEmpty {
                        report(pointerSite, "the document root cannot be a key")
                        continue
                    }
                    if !seen.insert(pointer.description).inserted {
                        report(pointerSite, "\"\(text)\" is already part of the key")
                        continue
                    }
                    if let compiled, let problem = compiled.inference(at: pointer).keyProblem {
                        report(pointerSite, "\"\(text)\" cannot be a key: \(problem)")
                    }
                }
                collection.key = pointers
            }
        }

        if let projections = object["projections"], let members = mapping(projections, site.appending("projections")) {
            for member in members {
                let fieldSite = site.appending("projections").appending(member.key)
                if member.key.isEmpty {
                    report(fieldSite, key: true, "a projection's field name must not be empty")
                    continue
                }
                if let projection = decodeProjection(member.value, fieldSite) { collection.projections[member.key] = projection }
            }
        }
        if let journals = object["journals"], mapping(journals, site.appending("journals")) != nil { collection.journals = journals }
        if let id = object["expectPubId"] { collection.expectPubId = string(id, site.appending("expectPubId")) }
        return PendingCollection(definition: collection, site: site)
    }

    /// A schema: inline (a mapping or a boolean), or the relative path of a `.json`, `.yaml` or `.yml` file.
    private func schemaSource(_ value: JSON, _ site: Site) -> (value: JSON, file: String?, site: Site)? {
        switch value {
        case .object, .bool:
            return (value, nil, site)
        case .string(let reference):
            if FilePaths.isURL(reference) {
                report(site, "schema URLs are not supported; give a relative path to a .json, .yaml or .yml file")
                return nil
            }
            if reference.contains("#") {
                report(site, "schema references with a fragment (\"#...\") are not supported; give the schema a file of its own")
                return nil
            }
            guard FilePaths.hasDataExtension(reference) else {
                report(site, "a schema given as a string must be a relative path to a .json, .yaml or .yml file, not \"\(reference)\"")
                return nil
            }
            guard let (fileSite, content) = loadDataFile(reference, referrer: site) else { return nil }
            switch content {
            case .object, .bool: return (content, reference, fileSite)
            default:
                typeMismatch(content, fileSite, expected: "a schema (a mapping, or true or false)")
                return nil
            }
        default:
            typeMismatch(value, site, expected: "a schema (a mapping, or true or false) or a relative path to a .json, .yaml or .yml file")
            return nil
        }
    }

    /// Compiles a schema, reporting a failure at the schema location the compiler names.
    private func compile(_ json: JSON, _ site: Site, registry: SchemaRegistry) -> Schema? {
        do {
            return try Schema(json, registry: registry)
        } catch {
            if error.location.hasPrefix("#"), let pointer = try? JSONPointer(String(error.location.dropFirst())) {
                report(Site(file: site.file, pointer: JSONPointer(tokens: site.pointer.tokens + pointer.tokens)), "invalid schema: \(error.message)")
            } else {
                report(site, "invalid schema: \(error.message) (at \(error.location))")
            }
            return nil
        }
    }

    private func decodeProjection(_ value: JSON, _ site: Site) -> ProjectionDefinition? {
        func pointer(_ value: JSON, _ site: Site) -> String? {
            guard let text = string(value, site) else { return nil }
            do {
                _ = try JSONPointer(text)
            } catch {
                report(site, error.description)
                return nil
            }
            return text
        }
        if case .string = value {
            return pointer(value, site).map { ProjectionDefinition(location: $0) }
        }
        guard case .object = value else {
            typeMismatch(value, site, expected: "a JSON Pointer or a mapping {location, partition}")
            return nil
        }
        guard let fields = object(value, site, allowed: ["location", "partition"], required: ["location"]) else { return nil }
        let location = fields["location"].flatMap { pointer($0, site.appending("location")) }
        let partition = fields["partition"].flatMap { bool($0, site.appending("partition")) } ?? false
        return location.map { ProjectionDefinition(location: $0, partition: partition) }
    }
}
