import CollectionStore
import JSON

/// A collection's table: its name in the store's schema, its key columns, and the SQL that creates it.
///
/// ```sql
/// CREATE TABLE "capstan"."acmeCo/orders" (
///   "id" text GENERATED ALWAYS AS (flow_document #>> '{"id"}') STORED,         -- one per key projection
///   "_meta/uuid" uuid GENERATED ALWAYS AS ((flow_document #>> '{"_meta","uuid"}')::uuid) STORED,
///   "_position" bigint NOT NULL,        -- increasing in commit order
///   "_commit" bigint NOT NULL,          -- the capture's transaction number that committed the row
///   "flow_document" jsonb NOT NULL
/// );
/// CREATE INDEX ON "capstan"."acmeCo/orders" ("_position");
/// ```
struct CollectionTable: Sendable, Equatable {
    /// Columns of every collection table; key fields may not take these names.
    static let reservedColumns: Set<String> = ["_position", "_commit", "flow_document", "_meta/uuid"]
    /// Tables of the store's own in its schema; no collection table takes these names.
    static let reservedTables: Set<String> = ["schema_version", "captures", "collections", "rejected"]
    /// PostgreSQL's identifier limit (`NAMEDATALEN - 1`).
    static let maximumNameBytes = 63

    /// The table's name (unquoted) in the store's schema.
    let name: String
    let key: [KeyProjection]

    /// The table name for a new collection: the collection's own name when it fits in 63 bytes and is not one of
    /// the store's tables; otherwise its first bytes (whole characters) and `~` and a hash of the whole name.
    static func tableName(for collection: String) -> String {
        if collection.utf8.count <= maximumNameBytes && !reservedTables.contains(collection) { return collection }
        let suffix = "~" + hashText(collection)
        var prefix = ""
        for character in collection {
            if prefix.utf8.count + character.utf8.count + suffix.utf8.count > maximumNameBytes { break }
            prefix.append(character)
        }
        return prefix + suffix
    }

    /// 64-bit FNV-1a of the name's UTF-8 bytes, as 16 hex digits.
    private static func hashText(_ text: String) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// Checks the key columns: usable names, none reserved, no duplicates.
    static func validate(key: [KeyProjection], collection: String) throws(StoreError) {
        var seen: Set<String> = []
        for projection in key {
            guard SQLText.isUsable(projection.field), projection.field.utf8.count <= maximumNameBytes else {
                throw StoreError("collection \"\(collection)\": the key field \"\(projection.field)\" cannot be a column name (empty, NUL, or over \(maximumNameBytes) bytes)")
            }
            guard !reservedColumns.contains(projection.field) || (projection.field == "_meta/uuid" && projection.pointer.tokens == ["_meta", "uuid"]) else {
                throw StoreError("collection \"\(collection)\": the key field \"\(projection.field)\" is a column of every collection table; project the key under another name")
            }
            guard seen.insert(projection.field).inserted else {
                throw StoreError("collection \"\(collection)\": two key pointers project to the column \"\(projection.field)\"")
            }
        }
    }

    /// `"schema"."table"`.
    func qualifiedName(schema: String) -> String { SQLText.identifier(schema) + "." + SQLText.identifier(name) }

    /// The key's quoted column names (the `_meta/uuid` column when the key is the UUID itself).
    var keyColumns: [String] { key.map { SQLText.identifier($0.field) } }

    /// The statements that create the table and its position index.
    func createStatements(schema: String) -> [String] {
        var columns: [String] = []
        for projection in key where projection.field != "_meta/uuid" {
            columns.append("\(SQLText.identifier(projection.field)) text GENERATED ALWAYS AS (flow_document #>> \(SQLText.pathLiteral(projection.pointer))) STORED")
        }
        columns.append(#""_meta/uuid" uuid GENERATED ALWAYS AS ((flow_document #>> '{"_meta","uuid"}')::uuid) STORED"#)
        columns.append(#""_position" bigint NOT NULL"#)
        columns.append(#""_commit" bigint NOT NULL"#)
        columns.append("flow_document jsonb NOT NULL")
        let table = qualifiedName(schema: schema)
        return [
            "CREATE TABLE \(table) (\n  " + columns.joined(separator: ",\n  ") + "\n)",
            "CREATE INDEX ON \(table) (\"_position\")",
        ]
    }

    /// The key as the registry keeps it: `[{"field": "id", "pointer": "/id"}, …]`.
    var keyJSON: JSON {
        .array(key.map { ["field": .string($0.field), "pointer": .string($0.pointer.description)] })
    }

    /// The key from the registry's JSON.
    static func key(fromJSON json: JSON, collection: String) throws(StoreError) -> [KeyProjection] {
        guard case .array(let elements) = json else { throw StoreError("collection \"\(collection)\": the registry's key is not an array") }
        var key: [KeyProjection] = []
        for element in elements {
            guard let field = element["field"]?.stringValue, let text = element["pointer"]?.stringValue,
                  let pointer = try? JSONPointer(text)
            else { throw StoreError("collection \"\(collection)\": the registry's key has an invalid entry \(element.serializedString())") }
            key.append(KeyProjection(field: field, pointer: pointer))
        }
        return key
    }
}
