import Catalog
import FlowCapture
import JSON

/// Airbyte's answers to `spec` and `discover`, shown in Flow's terms: a Flow spec, and discovered bindings
/// for ``Catalog/Catalog/merged(discovered:into:collectionPrefix:resourcePathPointers:)``.
public enum AirbyteFlowTranslation {
    /// The resource path pointers of every Airbyte binding.
    public static let resourcePathPointers = ["/namespace", "/stream"]

    /// The resource schema of an Airbyte binding: Airbyte's `{stream, namespace, syncMode, cursorField}` and
    /// capstan's connection settings.
    public static let resourceSchema: JSON = [
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "Airbyte stream",
        "type": "object",
        "required": ["stream"],
        "additionalProperties": false,
        "properties": [
            "stream": ["type": "string", "description": "The stream's name, as the source names it."],
            "namespace": ["type": ["string", "null"], "description": "The stream's namespace, as the source gives it."],
            "syncMode": ["type": "string", "enum": ["full_refresh", "incremental"], "default": "full_refresh"],
            "destinationSyncMode": ["type": "string", "enum": ["append", "overwrite", "append_dedup"], "default": "append",
                                    "description": "overwrite: a successful sync replaces the collection; append_dedup: read --latest gives the last document per primary key."],
            "cursorField": ["type": "array", "items": ["type": "string"], "description": "The cursor's path, where the source lets you choose it."],
            "primaryKey": ["type": "array", "items": ["type": "array", "items": ["type": "string"]],
                           "description": "Primary key paths, for streams without a source-defined one."],
            "fields": ["type": "object", "maxProperties": 1, "minProperties": 1,
                       "properties": ["include": ["type": "array", "items": ["type": "string"]],
                                      "exclude": ["type": "array", "items": ["type": "string"]]],
                       "additionalProperties": false,
                       "description": "Top-level fields to keep or leave out; the key and cursor are always kept."],
        ],
    ]

    /// The connector's `ConnectorSpecification` as a Flow spec.
    public static func spec(_ specification: JSON) -> SpecResponse {
        SpecResponse(configSchema: specification["connectionSpecification"] ?? ["type": "object"], resourceConfigSchema: resourceSchema,
                     documentationUrl: specification["documentationUrl"]?.stringValue ?? "", resourcePathPointers: resourcePathPointers)
    }

    /// A discovered binding per stream: incremental with the source's default cursor where supported; keyed
    /// by the source's primary key (append_dedup when incremental, overwrite otherwise), else by
    /// `/_meta/row_id` as full refresh | overwrite. Collection names follow the endpoint's prefix and
    /// namespace settings.
    public static func discovered(_ streams: [AirbyteStream], endpoint: AirbyteEndpoint) -> [DiscoveredBindingInput] {
        streams.map { stream in
            let keyPaths = stream.sourceDefinedPrimaryKey
            let incremental = keyPaths != nil && stream.supportsIncremental && (stream.sourceDefinedCursor || stream.defaultCursorField != nil)
            var resource = AirbyteResource(stream: stream.name, namespace: stream.namespace,
                                           syncMode: incremental ? .incremental : .fullRefresh,
                                           destinationSyncMode: incremental ? .appendDedup : .overwrite)
            if incremental { resource.cursorField = stream.defaultCursorField }
            let key = keyPaths.map { $0.map { "/" + $0.map(JSONPointer.escape).joined(separator: "/") } } ?? ["/_meta/row_id"]
            return DiscoveredBindingInput(
                recommendedName: endpoint.recommendedName(stream: stream.name, namespace: stream.namespace),
                resourceConfig: resource.json, documentSchema: documentSchema(stream.jsonSchema, keyPaths: keyPaths),
                key: key, resourcePath: (stream.namespace.map { [$0] } ?? []) + [stream.name])
        }
    }

    /// A stream's schema as a collection's: key fields required and not null; with no key, a required
    /// `_meta.row_id` integer.
    static func documentSchema(_ schema: JSON, keyPaths: [[String]]?) -> JSON {
        guard case .object = schema else { return ["type": "object"] }
        var result = schema
        if let keyPaths {
            for path in keyPaths { requireNonNull(&result, path[...]) }
        } else {
            guard case .object(var root) = result else { return result }
            var properties = root["properties"]?.objectValue ?? JSONObject()
            properties["_meta"] = ["type": "object", "properties": ["row_id": ["type": "integer"]], "required": ["row_id"]]
            root["properties"] = .object(properties)
            root["required"] = .array((root["required"]?.arrayValue ?? []) + (root["required"]?.arrayValue?.contains("_meta") == true ? [] : ["_meta"]))
            result = .object(root)
        }
        return result
    }

    private static func requireNonNull(_ schema: inout JSON, _ path: ArraySlice<String>) {
        guard let field = path.first, case .object(var object) = schema else { return }
        var required = object["required"]?.arrayValue ?? []
        if !required.contains(.string(field)) { required.append(.string(field)) }
        object["required"] = .array(required)
        if case .object(var properties)? = object["properties"], var property = properties[field] {
            if case .object(var fieldSchema) = property {
                if case .array(let types)? = fieldSchema["type"] {
                    let kept = types.filter { $0 != "null" }
                    fieldSchema["type"] = kept.count == 1 ? kept[0] : .array(kept)
                }
                property = .object(fieldSchema)
            }
            if path.count > 1 { requireNonNull(&property, path.dropFirst()) }
            properties[field] = property
            object["properties"] = .object(properties)
        }
        schema = .object(object)
    }

    /// Every problem of `capture`'s enabled bindings against the connector's discovered `streams`: a stream
    /// it does not have, a sync mode it does not support, a cursor or primary key set where the source
    /// decides it, a field selection naming fields the stream does not have.
    public static func problems(of bindings: [(name: String, resource: AirbyteResource)], streams: [AirbyteStream]) -> [String] {
        var problems: [String] = []
        for (name, resource) in bindings {
            let descriptor = AirbyteStreamDescriptor(name: resource.stream, namespace: resource.namespace)
            guard let stream = streams.first(where: { $0.descriptor == descriptor }) ?? streams.first(where: { $0.name == resource.stream && resource.namespace == nil }) else {
                problems.append("binding \(name): the connector has no stream \(descriptor) (it has: \(streams.map(\.descriptor.description).joined(separator: ", ")))")
                continue
            }
            if !stream.supportedSyncModes.contains(resource.syncMode.rawValue) {
                problems.append("binding \(name): stream \(descriptor) does not support syncMode \(resource.syncMode.rawValue) (it supports \(stream.supportedSyncModes.joined(separator: ", ")))")
            }
            if resource.syncMode == .incremental && resource.cursorField == nil && !stream.sourceDefinedCursor && stream.defaultCursorField == nil {
                problems.append("binding \(name): stream \(descriptor) has no default cursor: give cursorField for an incremental sync")
            }
            if let cursor = resource.cursorField, stream.sourceDefinedCursor, let own = stream.defaultCursorField, own != cursor {
                problems.append("binding \(name): stream \(descriptor) defines its own cursor \(own.joined(separator: ".")); cursorField \(cursor.joined(separator: ".")) cannot override it")
            }
            if let key = resource.primaryKey, let own = stream.sourceDefinedPrimaryKey, own != key {
                problems.append("binding \(name): stream \(descriptor) defines its own primary key; primaryKey cannot override it")
            }
            let known = Set(stream.jsonSchema["properties"]?.objectValue?.keys ?? [])
            var named: [String] = []
            if case .include(let fields) = resource.fields { named = fields }
            if case .exclude(let fields) = resource.fields { named = fields }
            for field in named where !known.isEmpty && !known.contains(field) {
                problems.append("binding \(name): field \"\(field)\" of the field selection is not a field of stream \(descriptor)")
            }
        }
        return problems
    }
}
