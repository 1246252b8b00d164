import Postgres

/// One column of a discovered table.
public struct DiscoveredColumn: Sendable, Equatable {
    public var name: String
    /// `attnum`: 1-based, with gaps where columns were dropped.
    public var position: Int
    /// The type name (`typname`), or the base type's name for a column of a domain type.
    public var udt: String
    /// `pg_type.typtype` of the column's own type: `b` base, `d` domain, `e` enum, `r`/`m` range, `c` composite, `p` pseudo.
    public var typtype: String
    public var isNullable: Bool
    /// `atttypmod - 4`: the declared length of `CHAR(n)`, `VARCHAR(n)` or `VARBYTE(n)`; zero or negative when none.
    public var charMaxLength: Int?

    public init(name: String, position: Int, udt: String, typtype: String = "b", isNullable: Bool = true, charMaxLength: Int? = nil) {
        self.name = name
        self.position = position
        self.udt = udt
        self.typtype = typtype
        self.isNullable = isNullable
        self.charMaxLength = charMaxLength
    }
}

/// A table, view or foreign table found in the catalog.
public struct DiscoveredTable: Sendable, Equatable {
    public var schema: String
    public var name: String
    /// `BASE TABLE`, `VIEW` or `FOREIGN`.
    public var type: String
    /// In `attnum` order.
    public var columns: [DiscoveredColumn]
    /// Primary-key column names in key order; empty when there is no primary key (always so for views).
    public var primaryKey: [String]

    public init(schema: String, name: String, type: String = "BASE TABLE", columns: [DiscoveredColumn] = [], primaryKey: [String] = []) {
        self.schema = schema
        self.name = name
        self.type = type
        self.columns = columns
        self.primaryKey = primaryKey
    }
}

/// Discovery could not read the catalog.
public struct DiscoveryError: Error, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// Reads tables, columns and primary keys from the catalog and puts them together.
public enum TableCatalog {
    /// Runs the three catalog queries one after the other on `connection` and joins their results by schema and
    /// table. Tables come back sorted by schema, then name (UTF-8 byte order). Columns or keys of a relation that
    /// the table query did not return (created or dropped between the queries) are ignored.
    ///
    /// - Parameter schemas: `advanced.discover_schemas`; empty for every non-system schema.
    public static func discover(connection: Connection, schemas: [String]) throws(DiscoveryError) -> [DiscoveredTable] {
        let tableRows = try run(CatalogQueries.tables(schemas: schemas), on: connection, what: "tables", width: 3)
        let columnRows = try run(CatalogQueries.columns(schemas: schemas), on: connection, what: "columns", width: 8)
        let keyRows = try run(CatalogQueries.primaryKeys(schemas: schemas), on: connection, what: "primary keys", width: 4)

        var tables: [TableID: DiscoveredTable] = [:]
        for row in tableRows {
            let schema = try field(row, 0, "tables"), name = try field(row, 1, "tables")
            tables[TableID(schema: schema, name: name)] = DiscoveredTable(schema: schema, name: name, type: try field(row, 2, "tables"))
        }

        for row in columnRows {
            let id = TableID(schema: try field(row, 0, "columns"), name: try field(row, 1, "columns"))
            guard tables[id] != nil else { continue }
            let position = try integer(row, 3, "columns")
            let nullable = try field(row, 4, "columns")
            guard nullable == "t" || nullable == "f" else {
                throw DiscoveryError("error listing columns: unexpected is_nullable value \"\(nullable)\"")
            }
            let column = DiscoveredColumn(
                name: try field(row, 2, "columns"), position: position, udt: try field(row, 5, "columns"),
                typtype: try field(row, 6, "columns"), isNullable: nullable == "t",
                charMaxLength: row[7] == nil ? nil : try integer(row, 7, "columns"))
            tables[id]!.columns.append(column)
        }

        var keyPositions: [TableID: [(position: Int, column: String)]] = [:]
        for row in keyRows {
            let id = TableID(schema: try field(row, 0, "primary keys"), name: try field(row, 1, "primary keys"))
            guard tables[id] != nil else { continue }
            keyPositions[id, default: []].append((try integer(row, 3, "primary keys"), try field(row, 2, "primary keys")))
        }

        for (id, keys) in keyPositions {
            tables[id]!.primaryKey = keys.sorted { $0.position < $1.position }.map(\.column)
        }
        return tables.values.map { table in
            var table = table
            table.columns.sort { $0.position < $1.position }
            return table
        }.sorted { TableID(schema: $0.schema, name: $0.name) < TableID(schema: $1.schema, name: $1.name) }
    }

    private static func run(_ query: CatalogQueries.Query, on connection: Connection, what: String, width: Int) throws(DiscoveryError) -> [[String?]] {
        let result: QueryResult
        do {
            result = try connection.query(query.sql, parameters: query.parameters)
        } catch {
            throw DiscoveryError("error listing \(what): \(error)")
        }
        guard result.columns.count == width else {
            throw DiscoveryError("error listing \(what): expected \(width) result columns, got \(result.columns.count)")
        }
        return result.rows
    }

    private static func field(_ row: [String?], _ index: Int, _ what: String) throws(DiscoveryError) -> String {
        guard let value = row[index] else { throw DiscoveryError("error listing \(what): unexpected NULL in result column \(index + 1)") }
        return value
    }

    private static func integer(_ row: [String?], _ index: Int, _ what: String) throws(DiscoveryError) -> Int {
        let text = try field(row, index, what)
        guard let value = Int(text) else { throw DiscoveryError("error listing \(what): \"\(text)\" is not an integer") }
        return value
    }
}

/// A relation's schema and name, compared and ordered by their UTF-8 bytes (schema first): independent of locale,
/// and never merging two names that differ only in Unicode normalization, as `String` equality would.
struct TableID: Hashable, Comparable {
    var schema: String
    var name: String

    static func == (lhs: TableID, rhs: TableID) -> Bool {
        lhs.schema.utf8.elementsEqual(rhs.schema.utf8) && lhs.name.utf8.elementsEqual(rhs.name.utf8)
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(Array(schema.utf8))
        hasher.combine(Array(name.utf8))
    }

    static func < (lhs: TableID, rhs: TableID) -> Bool {
        if !lhs.schema.utf8.elementsEqual(rhs.schema.utf8) { return lhs.schema.utf8.lexicographicallyPrecedes(rhs.schema.utf8) }
        return lhs.name.utf8.lexicographicallyPrecedes(rhs.name.utf8)
    }
}
