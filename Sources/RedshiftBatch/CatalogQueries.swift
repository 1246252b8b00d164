/// The three catalog queries that discovery runs, as SQL text plus text parameters.
///
/// Every query reads only `pg_catalog` tables, so on Redshift it runs on the leader node alone, which is
/// PostgreSQL 8.0 underneath: no `LATERAL`, no `FILTER`, no `unnest`, no `array_position`, no array
/// parameters. Each query below sticks to what both that and PostgreSQL 15 accept.
///
/// The schema filter is the same in all three:
/// - with `advanced.discover_schemas` set, `nspname IN ($1, $2, …)` with one text parameter per schema (the
///   usual `nspname = ANY ($1)` needs an array parameter, which Redshift cannot bind);
/// - otherwise every schema except the system ones: `pg_catalog`, `pg_internal`, `information_schema`,
///   `catalog_history`, `cron`, `pg_toast`, and the per-session `pg_temp_N` / `pg_toast_temp_N`.
public enum CatalogQueries {
    /// A query's text and its parameters, in order.
    public struct Query: Sendable, Equatable {
        public var sql: String
        public var parameters: [String?]
    }

    /// Schemas never discovered unless named explicitly.
    public static let systemSchemas = ["pg_catalog", "pg_internal", "information_schema", "catalog_history", "cron", "pg_toast"]

    /// The condition on `column` (a schema name) that the schema filter adds, and its parameters.
    ///
    /// The temporary-schema patterns escape `_` with `!` through an explicit `ESCAPE` clause: backslash escapes
    /// would need different quoting on Redshift (which treats `\` in string literals as an escape) and on
    /// PostgreSQL with `standard_conforming_strings` on.
    public static func schemaFilter(_ schemas: [String], column: String) -> (condition: String, parameters: [String?]) {
        if schemas.isEmpty {
            let names = systemSchemas.map { "'\($0)'" }.joined(separator: ", ")
            return ("\(column) NOT IN (\(names))"
                + " AND \(column) NOT LIKE 'pg!_temp!_%' ESCAPE '!'"
                + " AND \(column) NOT LIKE 'pg!_toast!_temp!_%' ESCAPE '!'", [])
        }
        let placeholders = schemas.indices.map { "$\($0 + 1)" }.joined(separator: ", ")
        return ("\(column) IN (\(placeholders))", schemas.map { $0 })
    }

    /// Tables, views and foreign tables, with their kind as `table_type`.
    ///
    /// Columns: `table_schema`, `table_name`, `table_type` (`BASE TABLE` for plain and partitioned tables,
    /// `VIEW`, `FOREIGN`). Materialized views are not listed.
    ///
    /// Why it works on Redshift: a plain two-table join over `pg_class` and `pg_namespace` with a `CASE` on
    /// `relkind`; no casts to `information_schema` domains and no array literals (`relkind IN (…)` instead of
    /// `= ANY (ARRAY[…])`). Redshift keeps its tables and views (late-binding ones included) in `pg_class`;
    /// Spectrum external tables are not there and are not listed.
    public static func tables(schemas: [String]) -> Query {
        let filter = schemaFilter(schemas, column: "n.nspname")
        return Query(sql: """
            SELECT n.nspname AS table_schema,
                   c.relname AS table_name,
                   CASE WHEN c.relkind IN ('r', 'p') THEN 'BASE TABLE'
                        WHEN c.relkind = 'v' THEN 'VIEW'
                        WHEN c.relkind = 'f' THEN 'FOREIGN'
                        ELSE '' END AS table_type
              FROM pg_catalog.pg_class c
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('r', 'p', 'v', 'f')
               AND \(filter.condition)
             ORDER BY n.nspname, c.relname
            """, parameters: filter.parameters)
    }

    /// The live columns of those relations, in `attnum` order.
    ///
    /// Columns: `table_schema`, `table_name`, `column_name`, `column_position` (`attnum`), `is_nullable`
    /// (false for `NOT NULL` columns and for columns of a `NOT NULL` domain), `udt_name` (the domain's base type
    /// name for a domain, else the type name), `typtype` (of the column's own type: `b`, `d`, `e`, `r`, `m`, …),
    /// `char_max_length` (`atttypmod - 4`: the declared length of `CHAR(n)`, `VARCHAR(n)` and `VARBYTE(n)`,
    /// zero or negative when there is none).
    ///
    /// Dropped columns are excluded and leave gaps in `attnum`, which the caller tolerates.
    ///
    /// Why it works on Redshift: inner joins of `pg_attribute`, `pg_class`, `pg_namespace` and `pg_type` plus one
    /// `LEFT JOIN` to `pg_type` for domain base types, all columns that PostgreSQL 8.0 already had, and plain
    /// arithmetic on `atttypmod` instead of `information_schema` or `format_type`. Late-binding views have no
    /// `pg_attribute` rows on Redshift, so they come back without columns.
    public static func columns(schemas: [String]) -> Query {
        let filter = schemaFilter(schemas, column: "n.nspname")
        return Query(sql: """
            SELECT n.nspname AS table_schema,
                   c.relname AS table_name,
                   a.attname AS column_name,
                   a.attnum AS column_position,
                   NOT (a.attnotnull OR (t.typtype = 'd' AND t.typnotnull)) AS is_nullable,
                   COALESCE(bt.typname, t.typname) AS udt_name,
                   t.typtype AS typtype,
                   a.atttypmod - 4 AS char_max_length
              FROM pg_catalog.pg_attribute a
              JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
              JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
              LEFT JOIN pg_catalog.pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype
             WHERE a.attnum > 0
               AND NOT a.attisdropped
               AND c.relkind IN ('r', 'p', 'v', 'f')
               AND \(filter.condition)
             ORDER BY n.nspname, c.relname, a.attnum
            """, parameters: filter.parameters)
    }

    /// Primary-key columns, in the order of the constraint (not of the table's columns).
    ///
    /// Columns: `table_schema`, `table_name`, `column_name`, `key_position` (1-based within the key).
    ///
    /// Why it works on Redshift: the key's column numbers are the array `pg_constraint.conkey`, and Redshift has
    /// neither `unnest`, `array_position` nor `LATERAL` to take it apart. Instead the query cross-joins a
    /// `generate_series(1, 100, 1)` of positions and keeps the pairs where `conkey[position]` is a column's
    /// `attnum` (subscripts past the end give NULL, which matches nothing). `generate_series` is a leader-node
    /// function on Redshift, which is fine here because every other table in the query is a leader-node catalog
    /// table. The series sits in the `FROM` list with a column alias (`pos(n)`), which PostgreSQL 8.0 accepts.
    /// Redshift does not enforce primary keys, but it records them here. Keys longer than 100 columns would be
    /// cut short. Partitioned tables (`p`, PostgreSQL only) have their keys listed too.
    public static func primaryKeys(schemas: [String]) -> Query {
        let filter = schemaFilter(schemas, column: "n.nspname")
        return Query(sql: """
            SELECT n.nspname AS table_schema,
                   r.relname AS table_name,
                   a.attname AS column_name,
                   pos.n AS key_position
              FROM pg_catalog.pg_namespace n,
                   pg_catalog.pg_class r,
                   pg_catalog.pg_attribute a,
                   pg_catalog.pg_constraint k,
                   generate_series(1, 100, 1) pos(n)
             WHERE n.oid = r.relnamespace
               AND r.oid = a.attrelid
               AND r.oid = k.conrelid
               AND k.conkey[pos.n] = a.attnum
               AND NOT a.attisdropped
               AND k.contype = 'p'
               AND r.relkind IN ('r', 'p')
               AND \(filter.condition)
             ORDER BY n.nspname, r.relname, pos.n
            """, parameters: filter.parameters)
    }
}
