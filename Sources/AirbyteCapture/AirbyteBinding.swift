import Catalog
import Foundation
import JSON

/// One enabled binding of an Airbyte capture, as a session needs it: the stream, its settings, and what
/// its records become (the fields kept, and whether the document needs a `/_meta/row_id`).
public struct AirbyteBinding: Sendable {
    /// The binding's resource.
    public var resource: AirbyteResource
    /// The target collection's name.
    public var collection: String
    /// The collection key (JSON Pointers).
    public var key: [String]
    /// The collection's write schema, sent to the connector as the stream's `json_schema`.
    public var schema: JSON

    /// A binding of `resource` into `collection`.
    public init(resource: AirbyteResource, collection: CollectionDefinition) {
        self.resource = resource
        self.collection = collection.name
        self.key = collection.key
        self.schema = collection.writeSchema
    }

    /// The stream's descriptor.
    public var descriptor: AirbyteStreamDescriptor { AirbyteStreamDescriptor(name: resource.stream, namespace: resource.namespace) }

    /// Whether documents are keyed by a row number the runtime gives them (the stream has no primary key).
    public var needsRowID: Bool { key.contains("/_meta/row_id") }

    /// Top-level fields kept whatever the field selection says: the key's and the cursor's.
    public var requiredFields: Set<String> {
        var fields = Set(resource.protectedFields.map(\.field))
        for pointer in key where !pointer.hasPrefix("/_meta/") {
            if let first = pointer.split(separator: "/").first { fields.insert(String(first).replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")) }
        }
        return fields
    }

    /// The primary key sent to the connector: the override, else the collection key as field paths
    /// (none when keyed by row number).
    public var primaryKey: [[String]] {
        if let override = resource.primaryKey { return override }
        guard !needsRowID else { return [] }
        return key.map { pointer in pointer.split(separator: "/").map { String($0).replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~") } }
    }

    /// The `ConfiguredAirbyteStream` for this binding. The `json_schema` is the collection's write schema
    /// without `_meta`, reduced to the selected fields (sources such as source-file read only those).
    public var configuredStream: JSON {
        var schema = self.schema
        if case .object(var root) = schema, case .object(var properties)? = root["properties"] {
            _ = properties.removeValue(forKey: "_meta")
            let required = requiredFields
            for name in properties.keys where !resource.fields.keeps(name, required: required) { _ = properties.removeValue(forKey: name) }
            root["properties"] = .object(properties)
            if let names = root["required"]?.arrayValue {
                root["required"] = .array(names.filter { $0.stringValue.map { properties[$0] != nil } ?? false })
            }
            schema = .object(root)
        }
        var stream: JSONObject = ["name": .string(resource.stream), "json_schema": schema,
                                  "supported_sync_modes": [.string(resource.syncMode.rawValue)]]
        if let namespace = resource.namespace { stream["namespace"] = .string(namespace) }
        if let cursor = resource.cursorField { stream["default_cursor_field"] = .array(cursor.map(JSON.string)) }
        var configured: JSONObject = ["stream": .object(stream), "sync_mode": .string(resource.syncMode.rawValue),
                                      "destination_sync_mode": .string(resource.destinationSyncMode.rawValue)]
        configured["cursor_field"] = .array((resource.cursorField ?? []).map(JSON.string))
        configured["primary_key"] = .array(primaryKey.map { .array($0.map(JSON.string)) })
        return .object(configured)
    }

    /// The `ConfiguredAirbyteCatalog` of `bindings`.
    public static func configuredCatalog(_ bindings: [AirbyteBinding]) -> JSON {
        ["streams": .array(bindings.map(\.configuredStream))]
    }
}
