import GoTemplate
import JSON

/// How a column's database type is described in JSON Schema.
///
/// Keyed by the type name (`udt`, the base type's name for a domain), except that enum (`typtype` `e`) and
/// range or multirange (`r`, `m`) types are always strings:
///
/// | type name | JSON Schema |
/// |---|---|
/// | `bool` | `boolean` |
/// | `int2`, `int4`, `int8` | `integer` |
/// | `numeric` | `string`, format `number` (exact decimal text) |
/// | `float4`, `float8` | `["number","string"]`, format `number` (NaN and ±Infinity arrive as strings) |
/// | `varchar`, `bpchar`, `text` | `string` (with lengths, see below) |
/// | `time` | `string` (no format: it has no zone) |
/// | `timetz` | `string`, format `time` |
/// | `date`, `timestamp`, `timestamptz` | `string`, format `date-time` |
/// | `bytea`, `varbyte` | `string`, contentEncoding `base64` |
/// | `json`, `jsonb`, `super` | any JSON (no `type`): the value is embedded as JSON |
/// | `uuid` | `string`, format `uuid` |
/// | `xml`, `bit`, `varbit`, `jsonpath`, `interval`, `money`, `point`, `line`, `lseg`, `box`, `path`, `polygon`, `circle`, `inet`, `cidr`, `macaddr`, `macaddr8`, `tsvector`, `tsquery` | `string` |
/// | enum, range, multirange types | `string` |
/// | anything else (`geometry`, `geography`, `hllsketch`, arrays, composites, …) | catch-all: any JSON, described as an unknown type |
///
/// Lengths, only when `atttypmod - 4` is positive (n): `bpchar` gets `minLength` = `maxLength` = n; `varchar`
/// `maxLength` n (Redshift's `TEXT` and bare `VARCHAR` are `varchar(256)`); `varbyte` `maxLength` (n+2)/3*4,
/// the length of n bytes in base64.
public struct ColumnTypeMapping: Sendable, Equatable {
    /// JSON types, without `"null"`; nil for any JSON.
    public var types: [String]?
    public var format: String?
    public var contentEncoding: String?
    /// True when the type is unknown and the catch-all schema is used.
    public var isCatchAll = false

    /// The mapping for a column whose type is `udt` with `typtype`.
    public static func forType(udt: String, typtype: String) -> ColumnTypeMapping {
        if typtype == "e" || typtype == "r" || typtype == "m" { return ColumnTypeMapping(types: ["string"]) }
        return byName[udt] ?? ColumnTypeMapping(types: nil, isCatchAll: true)
    }

    private static let byName: [String: ColumnTypeMapping] = {
        var map: [String: ColumnTypeMapping] = [
            "bool": ColumnTypeMapping(types: ["boolean"]),
            "int2": ColumnTypeMapping(types: ["integer"]),
            "int4": ColumnTypeMapping(types: ["integer"]),
            "int8": ColumnTypeMapping(types: ["integer"]),
            "numeric": ColumnTypeMapping(types: ["string"], format: "number"),
            "float4": ColumnTypeMapping(types: ["number", "string"], format: "number"),
            "float8": ColumnTypeMapping(types: ["number", "string"], format: "number"),
            "bytea": ColumnTypeMapping(types: ["string"], contentEncoding: "base64"),
            "varbyte": ColumnTypeMapping(types: ["string"], contentEncoding: "base64"),
            "json": ColumnTypeMapping(types: nil),
            "jsonb": ColumnTypeMapping(types: nil),
            "super": ColumnTypeMapping(types: nil),
            "date": ColumnTypeMapping(types: ["string"], format: "date-time"),
            "timestamp": ColumnTypeMapping(types: ["string"], format: "date-time"),
            "timestamptz": ColumnTypeMapping(types: ["string"], format: "date-time"),
            "timetz": ColumnTypeMapping(types: ["string"], format: "time"),
            "uuid": ColumnTypeMapping(types: ["string"], format: "uuid"),
        ]
        for name in ["varchar", "bpchar", "text", "time", "xml", "bit", "varbit", "jsonpath", "interval", "money",
                     "point", "line", "lseg", "box", "path", "polygon", "circle", "inet", "cidr", "macaddr", "macaddr8",
                     "tsvector", "tsquery"] {
            map[name] = ColumnTypeMapping(types: ["string"])
        }
        return map
    }()
}

/// Builds the JSON Schema of a discovered table's collection: the write schema proposed at discovery, or the
/// stricter SourcedSchema sent during a capture.
///
/// Keywords come in a fixed order, the one the original connector's documents have, so that schemas compare
/// equal byte for byte:
/// - root: `type`, `required`, `additionalProperties` (SourcedSchema only), `properties`, `x-infer-schema`;
/// - properties: sorted by the UTF-8 bytes of their names, `_meta` among them;
/// - a column: `type` (when a single type), `maxLength`, `minLength`, `format`, `description`, `contentEncoding`,
///   `type` (when several types, as an array);
/// - `_meta` and `_meta.source`: `properties`, then `type`, `required`; `additionalProperties: false` comes after
///   `required` on `_meta` and before `type` on `source` (SourcedSchema only).
public struct CollectionSchemaBuilder: Sendable {
    /// The `use_schema_inference` flag: adds `x-infer-schema: true`.
    public var useSchemaInference: Bool
    /// The `keyless_row_id` flag: `_meta.row_id` is required only when on.
    public var keylessRowID: Bool

    public init(useSchemaInference: Bool = true, keylessRowID: Bool = true) {
        self.useSchemaInference = useSchemaInference
        self.keylessRowID = keylessRowID
    }

    public init(flags: FeatureFlags) {
        self.init(useSchemaInference: flags["use_schema_inference"], keylessRowID: flags["keyless_row_id"])
    }

    /// The write schema proposed at discovery: columns nullable as in the table, only `_meta` and the primary-key
    /// columns required, objects left open.
    public func writeSchema(for table: DiscoveredTable) -> JSON {
        schema(for: table, sourced: false)
    }

    /// The SourcedSchema: closed objects (`additionalProperties: false` on the root, `_meta` and `_meta.source`),
    /// every column required, and `"null"` dropped from type arrays (a lone remaining type stays an array, as in
    /// `["string"]`; a column whose type was a single string already keeps it).
    public func sourcedSchema(for table: DiscoveredTable) -> JSON {
        schema(for: table, sourced: true)
    }

    private func schema(for table: DiscoveredTable, sourced: Bool) -> JSON {
        var columns: [(name: String, schema: JSON)] = []
        for column in table.columns where column.name != DocumentMetadataSchema.propertyName {
            columns.append((column.name, Self.columnSchema(column, sourced: sourced)))
        }
        var properties = columns
        properties.append((DocumentMetadataSchema.propertyName, DocumentMetadataSchema.schema(requireRowID: keylessRowID, closed: sourced)))
        properties.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }

        var required = [DocumentMetadataSchema.propertyName]
        let requiredColumns = sourced ? columns.map(\.name) : table.primaryKey
        for name in requiredColumns where !required.contains(where: { $0.utf8.elementsEqual(name.utf8) }) {
            required.append(name)
        }
        required.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }

        var root = JSONObject()
        root.appendUnchecked(key: "type", value: "object")
        root.appendUnchecked(key: "required", value: .array(required.map { .string($0) }))
        if sourced { root.appendUnchecked(key: "additionalProperties", value: false) }
        root.appendUnchecked(key: "properties", value: .object(JSONObject(uniqueMembers: properties.map { JSONObject.Member(key: $0.name, value: $0.schema) })))
        if useSchemaInference { root.appendUnchecked(key: "x-infer-schema", value: true) }
        return .object(root)
    }

    /// One column's schema (see ``ColumnTypeMapping`` for the types).
    ///
    /// The description is `(source type: <udt>)`, or `(source type: non-nullable <udt>)` for a column that cannot
    /// be NULL, prefixed by `using catch-all schema (unknown type "<udt>") ` for a type without a mapping.
    public static func columnSchema(_ column: DiscoveredColumn, sourced: Bool = false) -> JSON {
        let mapping = ColumnTypeMapping.forType(udt: column.udt, typtype: column.typtype)
        let types = mapping.types.map { column.isNullable ? $0 + ["null"] : $0 } ?? []
        var object = JSONObject()
        if types.count == 1 { object.appendUnchecked(key: "type", value: .string(types[0])) }
        if let length = column.charMaxLength, length > 0 {
            switch column.udt {
            case "bpchar":
                object.appendUnchecked(key: "maxLength", value: .number(JSONNumber(length)))
                object.appendUnchecked(key: "minLength", value: .number(JSONNumber(length)))
            case "varchar":
                object.appendUnchecked(key: "maxLength", value: .number(JSONNumber(length)))
            case "varbyte":
                object.appendUnchecked(key: "maxLength", value: .number(JSONNumber((length + 2) / 3 * 4)))
            default:
                break
            }
        }
        if let format = mapping.format { object.appendUnchecked(key: "format", value: .string(format)) }
        var description = "(source type: \(column.isNullable ? "" : "non-nullable ")\(column.udt))"
        if mapping.isCatchAll { description = "using catch-all schema (unknown type \(goQuoted(column.udt))) " + description }
        object.appendUnchecked(key: "description", value: .string(description))
        if let encoding = mapping.contentEncoding { object.appendUnchecked(key: "contentEncoding", value: .string(encoding)) }
        if types.count > 1 {
            let listed = sourced ? types.filter { $0 != "null" } : types
            object.appendUnchecked(key: "type", value: .array(listed.map { .string($0) }))
        }
        return .object(object)
    }

    /// `text` as Go's `%q` prints it (the original connector's messages quote type names this way).
    static func goQuoted(_ text: String) -> String { GoQuote.quote(text) }
}

/// The schema of `/_meta`, the metadata the connector adds to every document.
enum DocumentMetadataSchema {
    static let propertyName = "_meta"

    /// `requireRowID`: whether `row_id` is required (the `keyless_row_id` flag). `closed`: `additionalProperties:
    /// false` on `_meta` and `_meta.source` (SourcedSchema).
    static func schema(requireRowID: Bool, closed: Bool) -> JSON {
        var source = JSONObject()
        source.appendUnchecked(key: "properties", value: [
            "resource": ["type": "string", "description": "Name of the binding (its resource) that captured this document."],
            "schema": ["type": "string", "description": "Schema of the table the row was read from."],
            "table": ["type": "string", "description": "Table the row was read from."],
            "tag": ["type": "string", "description": "The endpoint's advanced.source_tag, when one is set."],
        ])
        if closed { source.appendUnchecked(key: "additionalProperties", value: false) }
        source.appendUnchecked(key: "type", value: "object")
        source.appendUnchecked(key: "required", value: ["resource"])

        var meta = JSONObject()
        meta.appendUnchecked(key: "properties", value: [
            "polled": [
                "type": "string", "format": "date-time", "title": "Poll Time",
                "description": "When the query that read this row started, in UTC.",
            ],
            "index": [
                "type": "integer", "title": "Position in Poll",
                "description": "Zero-based position of this row among the rows its query returned.",
            ],
            "row_id": [
                "type": "integer", "title": "Row Number",
                "description": "Row ID of the Document",
            ],
            "op": [
                "type": "string", "enum": ["c", "u", "d"], "title": "Operation",
                "description": "c: a row not seen before; u: a row read again by a full refresh; d: a row a full refresh no longer returns.",
                "default": "u",
            ],
            "source": .object(source),
        ])
        meta.appendUnchecked(key: "type", value: "object")
        meta.appendUnchecked(key: "required", value: .array((requireRowID ? ["polled", "index", "row_id", "source"] : ["polled", "index", "source"]).map { .string($0) }))
        if closed { meta.appendUnchecked(key: "additionalProperties", value: false) }
        return .object(meta)
    }
}
