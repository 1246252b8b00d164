import JSON

/// A stream of a connector's discovered catalog (`AirbyteStream`).
public struct AirbyteStream: Sendable, Equatable {
    public var name: String
    public var namespace: String?
    /// The JSON schema of its records.
    public var jsonSchema: JSON
    /// `full_refresh` and/or `incremental`.
    public var supportedSyncModes: [String]
    /// Whether the source decides the cursor (a configured one is ignored).
    public var sourceDefinedCursor: Bool
    /// The cursor the source proposes.
    public var defaultCursorField: [String]?
    /// The source's primary key, as field paths.
    public var sourceDefinedPrimaryKey: [[String]]?

    /// Decodes an `AirbyteStream`; nil without a name.
    public init?(json: JSON) {
        guard case .string(let name)? = json["name"] else { return nil }
        self.name = name
        namespace = json["namespace"]?.stringValue
        jsonSchema = json["json_schema"] ?? ["type": "object"]
        supportedSyncModes = json["supported_sync_modes"]?.arrayValue?.compactMap(\.stringValue) ?? ["full_refresh"]
        sourceDefinedCursor = json["source_defined_cursor"]?.boolValue ?? false
        let cursor = json["default_cursor_field"]?.arrayValue?.compactMap(\.stringValue)
        defaultCursorField = cursor?.isEmpty == false ? cursor : nil
        let key = json["source_defined_primary_key"]?.arrayValue?.compactMap { $0.arrayValue?.compactMap(\.stringValue) }.filter { !$0.isEmpty }
        sourceDefinedPrimaryKey = key?.isEmpty == false ? key : nil
    }

    public var descriptor: AirbyteStreamDescriptor { AirbyteStreamDescriptor(name: name, namespace: namespace) }

    public var supportsIncremental: Bool { supportedSyncModes.contains("incremental") }
}
