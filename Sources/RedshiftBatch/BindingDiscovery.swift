import FlowCapture
import JSON
import Postgres

/// Turns discovered tables into proposed bindings.
///
/// - Tables (`BASE TABLE`) are always proposed, views only with `advanced.discover_views`; foreign tables never
///   (with a warning).
/// - Bindings come sorted by schema, then table (UTF-8 byte order), so the same catalog always gives the same
///   response.
/// - `recommendedName` is `schema/table`, each part lowercased with every character outside `[a-z0-9-_.]`
///   replaced by `_`.
/// - The resource config is `{"name":N,"schema":S,"table":T}`, with no cursor (a full refresh every poll); N is
///   the table's name in schema `public` or `dbo`, else `schema_table`, lowercased and sanitized the same way.
///   The resource path is `[N]`.
/// - The collection key is the primary key as JSON pointers (`~` becomes `~0`, then `/` becomes `~1`). Without a
///   primary key (always so for views) it is `["/_meta/row_id"]`, marked as a fallback key, or `[]` when the
///   `keyless_row_id` flag is off.
/// - Two tables can sanitize to the same resource name (`a`.`b_c` and `a_b`.`c` are both `a_b_c`). The first in
///   order keeps it; each later one gets the first free `_2`, `_3`, … suffix that no other table uses, and a
///   warning. Recommended names are made unique the same way.
public enum BindingDiscovery {
    /// The bindings proposed for `tables`, with warnings about what was skipped or renamed.
    public static func bindings(for tables: [DiscoveredTable], config: EndpointConfig) -> (bindings: [DiscoveredResponse.Binding], warnings: [String]) {
        var warnings: [String] = []
        var kept: [DiscoveredTable] = []
        for table in tables.sorted(by: { TableID(schema: $0.schema, name: $0.name) < TableID(schema: $1.schema, name: $1.name) }) {
            switch table.type.uppercased() {
            case "BASE TABLE":
                kept.append(table)
            case "VIEW":
                if config.advanced.discoverViews { kept.append(table) }
            default:
                warnings.append("skipping \(quotedName(table)): unsupported entity type \(CollectionSchemaBuilder.goQuoted(table.type))")
            }
        }

        let resourceNames = uniqueNames(kept.map { resourceName(schema: $0.schema, table: $0.name) }, tables: kept,
                                        what: "resource name", warnings: &warnings)
        let recommendedNames = uniqueNames(kept.map { recommendedName(schema: $0.schema, table: $0.name) }, tables: kept,
                                           what: "recommended name", warnings: &warnings)

        let flags = config.advanced.featureFlags
        let builder = CollectionSchemaBuilder(flags: flags)
        var bindings: [DiscoveredResponse.Binding] = []
        for (index, table) in kept.enumerated() {
            if table.type.uppercased() == "VIEW" && table.columns.isEmpty {
                warnings.append("view \(quotedName(table)) has no columns in pg_attribute (on Redshift, a late-binding view): "
                    + "its collection schema lists only _meta")
            }
            if table.columns.contains(where: { $0.name == DocumentMetadataSchema.propertyName }) {
                warnings.append("column \"_meta\" of \(quotedName(table)) is left out of the collection schema: "
                    + "the connector's own _meta property takes its place")
            }
            var key: [String]
            var isFallbackKey = false
            if !table.primaryKey.isEmpty {
                key = table.primaryKey.map(collectionKeyPointer)
            } else if flags["keyless_row_id"] {
                key = ["/_meta/row_id"]
                isFallbackKey = true
            } else {
                key = []
            }
            let resource = ResourceConfig(name: resourceNames[index], schema: table.schema, table: table.name)
            bindings.append(DiscoveredResponse.Binding(
                recommendedName: recommendedNames[index], resourceConfig: resource.json,
                documentSchema: builder.writeSchema(for: table), key: key,
                resourcePath: [resource.name], isFallbackKey: isFallbackKey))
        }
        return (bindings, warnings)
    }

    /// `schema/table`, each part lowercased and sanitized.
    public static func recommendedName(schema: String, table: String) -> String {
        sanitizedName(schema) + "/" + sanitizedName(table)
    }

    /// The resource name: `table` in schema `public` or `dbo`, else `schema_table`; lowercased and sanitized.
    public static func resourceName(schema: String, table: String) -> String {
        sanitizedName(schema == "public" || schema == "dbo" ? table : schema + "_" + table)
    }

    /// `text` lowercased, with every character that is not a letter a–z, a digit, `-`, `_` or `.` replaced by `_`.
    ///
    /// Works on Unicode scalars, one output character per scalar, with simple (one-to-one) lowercasing, so that
    /// names match the original connector's (Go `strings.ToLower`, then the case-insensitive class
    /// `(?i)[a-z0-9\-_.]`): `İ` becomes `i`, the Kelvin sign `k`, and `ſ` (long s), which case-folds to `s`, is kept.
    public static func sanitizedName(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            var lower = scalar
            if scalar.isASCII {
                if scalar >= "A" && scalar <= "Z" { lower = Unicode.Scalar(scalar.value + 0x20)! }
            } else if let first = scalar.properties.lowercaseMapping.unicodeScalars.first {
                lower = first
            }
            switch lower {
            case "a"..."z", "0"..."9", "-", "_", ".", "\u{017F}": out.append(lower)
            default: out.append("_")
            }
        }
        return String(out)
    }

    /// A primary-key column as a collection key pointer (RFC 6901: `~` becomes `~0`, then `/` becomes `~1`).
    public static func collectionKeyPointer(_ column: String) -> String {
        var out = String.UnicodeScalarView(["/"])
        for scalar in column.unicodeScalars {
            switch scalar {
            case "~": out.append(contentsOf: "~0".unicodeScalars)
            case "/": out.append(contentsOf: "~1".unicodeScalars)
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// `names` (one per table, in order) with later duplicates renamed to the first `name_N`, N ≥ 2, that is
    /// neither another table's own name nor already given.
    private static func uniqueNames(_ names: [String], tables: [DiscoveredTable], what: String, warnings: inout [String]) -> [String] {
        let natural = Set(names)
        var given: [String: Int] = [:]
        var result: [String] = []
        for (index, name) in names.enumerated() {
            guard let owner = given[name] else {
                given[name] = index
                result.append(name)
                continue
            }
            var suffix = 2
            while natural.contains("\(name)_\(suffix)") || given["\(name)_\(suffix)"] != nil { suffix += 1 }
            let renamed = "\(name)_\(suffix)"
            given[renamed] = index
            result.append(renamed)
            warnings.append("\(what) \"\(name)\" of \(quotedName(tables[index])) is already used by \(quotedName(tables[owner])): "
                + "using \"\(renamed)\"")
        }
        return result
    }

    /// `"schema"."table"`, with inner double quotes doubled.
    static func quotedName(_ table: DiscoveredTable) -> String {
        SQLIdentifier.quote(table.schema) + "." + SQLIdentifier.quote(table.name)
    }

}

/// Reads the catalog on `connection`: the tables, views and foreign tables of `advanced.discover_schemas` (every
/// non-system schema when empty), with their columns and primary keys, sorted by schema and name.
public func discoverTables(connection: Connection, config: EndpointConfig) throws(DiscoveryError) -> [DiscoveredTable] {
    try TableCatalog.discover(connection: connection, schemas: config.advanced.discoverSchemas)
}

/// Discovery: the bindings to propose for the database on `connection`, and warnings (tables skipped, names
/// made unique) for the caller to log.
public func discoverBindings(connection: Connection, config: EndpointConfig) throws(DiscoveryError) -> (bindings: [DiscoveredResponse.Binding], warnings: [String]) {
    BindingDiscovery.bindings(for: try discoverTables(connection: connection, config: config), config: config)
}

/// The SourcedSchema of a discovered table: every column required, objects closed (see
/// ``CollectionSchemaBuilder/sourcedSchema(for:)``), with the config's feature flags applied.
public func sourcedSchema(for table: DiscoveredTable, config: EndpointConfig) -> JSON {
    CollectionSchemaBuilder(flags: config.advanced.featureFlags).sourcedSchema(for: table)
}
