import JSON

/// The resource of a binding of an Airbyte capture: which stream, and Airbyte's per-stream
/// connection settings.
///
/// In YAML: `{stream, namespace?, syncMode?, destinationSyncMode?, cursorField?, primaryKey?,
/// fields?}`; `resourcePathPointers` are `/namespace` and `/stream`. The loader checks every
/// Airbyte binding's resource and reports each problem with its place.
public struct AirbyteResource: Sendable, Hashable {
    /// The stream's name, as the source names it.
    public var stream: String
    /// The stream's namespace, as the source gives it (nil: none).
    public var namespace: String?
    /// `full_refresh` (the default) or `incremental`.
    public var syncMode: AirbyteSyncMode
    /// `append` (the default), `overwrite` or `append_dedup`.
    public var destinationSyncMode: AirbyteDestinationSyncMode
    /// The cursor, as a path of field names; nil: the source's default.
    public var cursorField: [String]?
    /// A primary key override, as paths of field names (for sources without one of their own).
    public var primaryKey: [[String]]?
    /// Which top-level fields are kept.
    public var fields: AirbyteFieldSelection

    /// The resource fields this type understands.
    public static let fieldNames = ["stream", "namespace", "syncMode", "destinationSyncMode", "cursorField", "primaryKey", "fields"]

    /// A resource.
    public init(stream: String, namespace: String? = nil, syncMode: AirbyteSyncMode = .fullRefresh,
                destinationSyncMode: AirbyteDestinationSyncMode = .append, cursorField: [String]? = nil,
                primaryKey: [[String]]? = nil, fields: AirbyteFieldSelection = .all) {
        self.stream = stream
        self.namespace = namespace
        self.syncMode = syncMode
        self.destinationSyncMode = destinationSyncMode
        self.cursorField = cursorField
        self.primaryKey = primaryKey
        self.fields = fields
    }

    /// The resource as JSON, as a catalog holds it (defaults left out).
    public var json: JSON {
        var object = JSONObject()
        object["stream"] = .string(stream)
        if let namespace { object["namespace"] = .string(namespace) }
        object["syncMode"] = .string(syncMode.rawValue)
        object["destinationSyncMode"] = .string(destinationSyncMode.rawValue)
        if let cursorField { object["cursorField"] = .array(cursorField.map(JSON.string)) }
        if let primaryKey { object["primaryKey"] = .array(primaryKey.map { .array($0.map(JSON.string)) }) }
        switch fields {
        case .all: break
        case .include(let names): object["fields"] = ["include": .array(names.map(JSON.string))]
        case .exclude(let names): object["fields"] = ["exclude": .array(names.map(JSON.string))]
        }
        return .object(object)
    }

    /// Decodes a resource; `problem` is called with a JSON Pointer into the resource and a message
    /// for each problem, and the result is nil if there was any.
    public static func decode(_ value: JSON, problem: (JSONPointer, _ key: Bool, String) -> Void) -> AirbyteResource? {
        guard case .object(let object) = value else {
            problem(.root, false, "an Airbyte resource is a mapping")
            return nil
        }
        var failed = false
        func report(_ pointer: JSONPointer, key: Bool = false, _ message: String) {
            failed = true
            problem(pointer, key, message)
        }
        for member in object where !fieldNames.contains(member.key) {
            report(JSONPointer(tokens: [member.key]), key: true,
                   "unknown field \"\(member.key)\" of an Airbyte resource; expected one of: \(fieldNames.joined(separator: ", "))")
        }
        var resource = AirbyteResource(stream: "")
        switch object["stream"] {
        case .string(let name)? where !name.isEmpty: resource.stream = name
        case nil: report(.root, "missing required field \"stream\" (the Airbyte stream's name)")
        default: report(JSONPointer(tokens: ["stream"]), "the stream must be a non-empty string")
        }
        switch object["namespace"] {
        case .string(let namespace)?: resource.namespace = namespace
        case .null?, nil: break
        default: report(JSONPointer(tokens: ["namespace"]), "the namespace must be a string or null")
        }
        if let mode = object["syncMode"] {
            if let parsed = mode.stringValue.flatMap(AirbyteSyncMode.init(rawValue:)) { resource.syncMode = parsed } else {
                report(JSONPointer(tokens: ["syncMode"]), "invalid syncMode \(mode); expected full_refresh or incremental")
            }
        }
        if let mode = object["destinationSyncMode"] {
            if let parsed = mode.stringValue.flatMap(AirbyteDestinationSyncMode.init(rawValue:)) { resource.destinationSyncMode = parsed } else {
                report(JSONPointer(tokens: ["destinationSyncMode"]), "invalid destinationSyncMode \(mode); expected append, overwrite or append_dedup")
            }
        }
        if let cursor = object["cursorField"], !cursor.isNull {
            if let path = path(cursor), !path.isEmpty { resource.cursorField = path } else {
                report(JSONPointer(tokens: ["cursorField"]), "cursorField must be a non-empty list of field names, such as [updated_at]")
            }
        }
        if let key = object["primaryKey"], !key.isNull {
            let paths = key.arrayValue?.map(path)
            if let paths, !paths.isEmpty, paths.allSatisfy({ $0 != nil && !$0!.isEmpty }) { resource.primaryKey = paths.compactMap { $0 } } else {
                report(JSONPointer(tokens: ["primaryKey"]), "primaryKey must be a non-empty list of field paths, such as [[id]]")
            }
        }
        if let fields = object["fields"], !fields.isNull {
            let site = JSONPointer(tokens: ["fields"])
            if case .object(let selection) = fields, selection.count == 1, let member = selection.members.first,
               member.key == "include" || member.key == "exclude" {
                if let names = member.value.arrayValue?.compactMap(\.stringValue), names.count == member.value.arrayValue?.count {
                    resource.fields = member.key == "include" ? .include(names) : .exclude(names)
                } else {
                    report(site.appending(member.key), "expected a list of top-level field names")
                }
            } else {
                report(site, "fields must be {include: [names]} or {exclude: [names]}")
            }
        }
        if resource.destinationSyncMode == .overwrite && resource.syncMode == .incremental {
            report(JSONPointer(tokens: ["destinationSyncMode"]), "overwrite goes with syncMode full_refresh: an incremental sync reads only what changed, so replacing the collection with it would lose the rest")
        }
        if case .exclude(let names) = resource.fields {
            for (field, role) in resource.protectedFields where names.contains(field) {
                report(JSONPointer(tokens: ["fields", "exclude"]), "field \"\(field)\" is the \(role) and cannot be excluded")
            }
        }
        return failed ? nil : resource
    }

    /// Top-level fields that field selection must keep, with what they are: the cursor's and the
    /// primary key override's first components.
    public var protectedFields: [(field: String, role: String)] {
        var result: [(String, String)] = []
        if let first = cursorField?.first { result.append((first, "cursor")) }
        for path in primaryKey ?? [] { if let first = path.first { result.append((first, "primary key")) } }
        return result
    }

    private static func path(_ value: JSON) -> [String]? {
        if case .string(let single) = value { return [single] }
        guard let elements = value.arrayValue else { return nil }
        let names = elements.compactMap(\.stringValue)
        return names.count == elements.count ? names : nil
    }
}
