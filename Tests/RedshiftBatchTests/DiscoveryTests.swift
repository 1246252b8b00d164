import CapstanTestSupport
import FlowCapture
import JSON
import Postgres
import RedshiftBatch
import XCTest

/// Discovery against the real PostgreSQL of `scripts/pg`: catalog queries, bindings, collection schemas.
/// Each test works in its own `disc_<random>` schema and discovers only that (unless it tests the filter).
final class DiscoveryTests: XCTestCase {
    /// The schema of column `name` in `binding`'s collection schema, compact.
    private func column(_ name: String, _ binding: DiscoveredResponse.Binding, file: StaticString = #filePath, line: UInt = #line) -> String {
        guard let schema = binding.documentSchema?["properties"]?[name] else {
            XCTFail("no property \(name)", file: file, line: line)
            return ""
        }
        return schema.compact
    }

    // MARK: - Reference §8 tests

    /// TestFieldLengthDiscovery: CHAR(n) has min = max = n, VARCHAR(n) max n; TEXT, bare VARCHAR, BYTEA and
    /// NUMERIC(p,s) have no length. (On Redshift TEXT and bare VARCHAR are varchar(256) and get maxLength 256.)
    func testFieldLengths() throws {
        let db = try DiscoveryDatabase(self)
        try db.run("""
            CREATE TABLE {s}.lengths (id INTEGER PRIMARY KEY, char_5 CHAR(5), char_15 CHAR(15), varchar_100 VARCHAR(100),
              varchar_unlimited VARCHAR, text_col TEXT, bytea_col BYTEA, numeric_10_2 NUMERIC(10,2), numeric_18_4 NUMERIC(18,4),
              numeric_plain NUMERIC, char_nn CHAR(2) NOT NULL)
            """)
        let binding = try db.binding("lengths", in: try db.discover(try db.config()))
        XCTAssertEqual(column("id", binding), #"{"type":"integer","description":"(source type: non-nullable int4)"}"#)
        XCTAssertEqual(column("char_5", binding), #"{"maxLength":5,"minLength":5,"description":"(source type: bpchar)","type":["string","null"]}"#)
        XCTAssertEqual(column("char_15", binding), #"{"maxLength":15,"minLength":15,"description":"(source type: bpchar)","type":["string","null"]}"#)
        XCTAssertEqual(column("char_nn", binding), #"{"type":"string","maxLength":2,"minLength":2,"description":"(source type: non-nullable bpchar)"}"#)
        XCTAssertEqual(column("varchar_100", binding), #"{"maxLength":100,"description":"(source type: varchar)","type":["string","null"]}"#)
        XCTAssertEqual(column("varchar_unlimited", binding), #"{"description":"(source type: varchar)","type":["string","null"]}"#)
        XCTAssertEqual(column("text_col", binding), #"{"description":"(source type: text)","type":["string","null"]}"#)
        XCTAssertEqual(column("bytea_col", binding), #"{"description":"(source type: bytea)","contentEncoding":"base64","type":["string","null"]}"#)
        XCTAssertEqual(column("numeric_10_2", binding), #"{"format":"number","description":"(source type: numeric)","type":["string","null"]}"#)
        XCTAssertEqual(column("numeric_18_4", binding), #"{"format":"number","description":"(source type: numeric)","type":["string","null"]}"#)
        XCTAssertEqual(column("numeric_plain", binding), #"{"format":"number","description":"(source type: numeric)","type":["string","null"]}"#)
    }

    /// TestSchemaFilter: unset lists every non-system schema (never pg_catalog, information_schema, pg_toast or a
    /// temporary schema); a non-matching filter gives no bindings; a matching one gives exactly its tables.
    func testSchemaFilter() throws {
        let db = try DiscoveryDatabase(self)
        try db.run("CREATE TABLE {s}.filtered (id INTEGER PRIMARY KEY)")
        try db.run("CREATE TEMPORARY TABLE disc_temp_probe (x INTEGER)")
        let other = db.schema + "_other"
        try db.createSchema(other)
        try db.connection.execute("CREATE TABLE \(other).elsewhere (x INTEGER)")

        let unfiltered = try db.discover(try db.config(schemas: []), allowWarnings: true)
        XCTAssertNoThrow(try db.binding("filtered", in: unfiltered))
        XCTAssertEqual(unfiltered.filter { $0.resourceConfig?["schema"] == .string(other) }.count, 1)
        for binding in unfiltered {
            let schema = binding.resourceConfig?["schema"]?.stringValue ?? ""
            XCTAssertFalse(CatalogQueries.systemSchemas.contains(schema), "system schema \(schema) discovered")
            XCTAssertFalse(schema.hasPrefix("pg_temp_") || schema.hasPrefix("pg_toast_temp_"), "temporary schema \(schema) discovered")
            XCTAssertNotEqual(binding.resourceConfig?["table"], "disc_temp_probe")
        }

        XCTAssertEqual(try db.discover(try db.config(schemas: [db.schema + "_nonexistent"])), [])

        let matching = try db.discover(try db.config())
        XCTAssertEqual(matching.map(\.resourceConfig), [.object(["name": .string(db.schema + "_filtered"), "schema": .string(db.schema), "table": "filtered"])])

        let both = try db.discover(try db.config(schemas: [other, db.schema]))
        XCTAssertEqual(both.map { $0.resourceConfig?["table"] }, ["filtered", "elsewhere"])

        // Schema names travel as parameters, quotes and all.
        let quoted = db.schema + "_it's"
        try db.createSchema(quoted)
        try db.connection.execute("CREATE TABLE \"\(quoted)\".quoted (x INTEGER)")
        XCTAssertEqual(try db.discover(try db.config(schemas: [quoted])).map(\.recommendedName), [db.schema + "_it_s/quoted"])
    }

    /// TestKeyDiscovery: a 5-column primary key keeps the constraint's order, not the columns' order; required
    /// lists `_meta` and the key columns sorted.
    func testCompositeKeyKeepsConstraintOrder() throws {
        let db = try DiscoveryDatabase(self)
        try db.run("""
            CREATE TABLE {s}.keyed (k_str VARCHAR(8), data TEXT, k_bool BOOLEAN, k_bigint BIGINT, k_int INTEGER, k_smallint SMALLINT,
              PRIMARY KEY (k_smallint, k_int, k_bigint, k_bool, k_str))
            """)
        let binding = try db.binding("keyed", in: try db.discover(try db.config()))
        XCTAssertEqual(binding.key, ["/k_smallint", "/k_int", "/k_bigint", "/k_bool", "/k_str"])
        XCTAssertFalse(binding.isFallbackKey)
        XCTAssertEqual(binding.documentSchema?["required"], ["_meta", "k_bigint", "k_bool", "k_int", "k_smallint", "k_str"])
        XCTAssertEqual(column("k_bool", binding), #"{"type":"boolean","description":"(source type: non-nullable bool)"}"#)
        XCTAssertEqual(column("k_str", binding), #"{"type":"string","maxLength":8,"description":"(source type: non-nullable varchar)"}"#)
        XCTAssertEqual(try discoverTables(connection: db.connection, config: try db.config()).first?.primaryKey,
                       ["k_smallint", "k_int", "k_bigint", "k_bool", "k_str"])
    }

    /// TestKeylessDiscovery: no primary key gives the fallback key `/_meta/row_id`; NOT NULL columns are non-nullable.
    func testKeylessTable() throws {
        let db = try DiscoveryDatabase(self)
        try db.run("CREATE TABLE {s}.keyless (v_int INTEGER, v_int_notnull INTEGER NOT NULL, v_str VARCHAR(8))")
        let binding = try db.binding("keyless", in: try db.discover(try db.config()))
        XCTAssertEqual(binding.key, ["/_meta/row_id"])
        XCTAssertTrue(binding.isFallbackKey)
        XCTAssertEqual(binding.documentSchema?["required"], ["_meta"])
        XCTAssertEqual(binding.documentSchema?["properties"]?["_meta"]?["required"], ["polled", "index", "row_id", "source"])
        XCTAssertEqual(column("v_int", binding), #"{"description":"(source type: int4)","type":["integer","null"]}"#)
        XCTAssertEqual(column("v_int_notnull", binding), #"{"type":"integer","description":"(source type: non-nullable int4)"}"#)
        XCTAssertEqual(column("v_str", binding), #"{"maxLength":8,"description":"(source type: varchar)","type":["string","null"]}"#)
    }

    /// TestFeatureFlagUseSchemaInference: junk among the flags is ignored; `x-infer-schema` is on by default and
    /// off with `no_use_schema_inference`.
    func testFeatureFlagsWithJunk() throws {
        let db = try DiscoveryDatabase(self)
        try db.run("CREATE TABLE {s}.flags (id INTEGER PRIMARY KEY)")
        for flags in [nil, "", "  junk, ,use_schema_inference ,,other-junk,no_", "no_nothing_at_all"] {
            let binding = try db.binding("flags", in: try db.discover(try db.config(flags: flags)))
            XCTAssertEqual(binding.documentSchema?["x-infer-schema"], true, "flags \(flags ?? "unset")")
            XCTAssertEqual(binding.documentSchema?.objectValue?.keys.last, "x-infer-schema")
        }
        let off = try db.binding("flags", in: try db.discover(try db.config(flags: "junk,no_use_schema_inference")))
        XCTAssertNil(off.documentSchema?["x-infer-schema"])
        XCTAssertEqual(off.documentSchema?.objectValue?.keys, ["type", "required", "properties"])
    }

    /// TestFeatureFlagKeylessRowID (Disabled): key `[]` (not a fallback), `row_id` not required; keyed tables keep their key.
    func testNoKeylessRowID() throws {
        let db = try DiscoveryDatabase(self)
        try db.run("CREATE TABLE {s}.keyless (data TEXT)")
        try db.run("CREATE TABLE {s}.keyed (id INTEGER PRIMARY KEY)")
        let bindings = try db.discover(try db.config(flags: "no_keyless_row_id"))
        let keyless = try db.binding("keyless", in: bindings), keyed = try db.binding("keyed", in: bindings)
        XCTAssertEqual(keyless.key, [])
        XCTAssertFalse(keyless.isFallbackKey)
        XCTAssertEqual(keyless.documentSchema?["properties"]?["_meta"]?["required"], ["polled", "index", "source"])
        XCTAssertNotNil(keyless.documentSchema?["properties"]?["_meta"]?["properties"]?["row_id"])
        XCTAssertEqual(keyed.key, ["/id"])
        XCTAssertEqual(keyed.documentSchema?["properties"]?["_meta"]?["required"], ["polled", "index", "source"])
    }

    /// TestCaptureFromView: views are hidden by default; with `discover_views` a view is proposed with the fallback
    /// key `/_meta/row_id` (its columns are all nullable), or `[]` without `keyless_row_id`.
    func testViews() throws {
        let db = try DiscoveryDatabase(self)
        try db.run("CREATE TABLE {s}.base (id INTEGER PRIMARY KEY, v TEXT)")
        try db.run("CREATE VIEW {s}.base_view AS SELECT id, v FROM {s}.base")
        try db.run("CREATE MATERIALIZED VIEW {s}.base_matview AS SELECT id FROM {s}.base")

        XCTAssertEqual(try db.discover(try db.config()).map { $0.resourceConfig?["table"] }, ["base"])

        let withViews = try db.discover(try db.config(views: true))
        XCTAssertEqual(withViews.map { $0.resourceConfig?["table"] }, ["base", "base_view"])
        let view = try db.binding("base_view", in: withViews)
        XCTAssertEqual(view.key, ["/_meta/row_id"])
        XCTAssertTrue(view.isFallbackKey)
        XCTAssertEqual(view.recommendedName, db.schema + "/base_view")
        XCTAssertEqual(view.resourcePath, [db.schema + "_base_view"])
        XCTAssertEqual(column("id", view), #"{"description":"(source type: int4)","type":["integer","null"]}"#)

        let legacy = try db.binding("base_view", in: try db.discover(try db.config(views: true, flags: "no_keyless_row_id")))
        XCTAssertEqual(legacy.key, [])
        XCTAssertFalse(legacy.isFallbackKey)
    }

    // MARK: - Beyond the reference

    /// Dropped columns leave gaps in attnum; the original connector fails on them, we list the live columns in order.
    func testDroppedColumnsLeaveGaps() throws {
        let db = try DiscoveryDatabase(self)
        try db.run("CREATE TABLE {s}.gaps (a INTEGER, b INTEGER, c INTEGER, d TEXT, e INTEGER)")
        try db.run("ALTER TABLE {s}.gaps DROP COLUMN a")
        try db.run("ALTER TABLE {s}.gaps DROP COLUMN c")
        try db.run("ALTER TABLE {s}.gaps ADD COLUMN f BOOLEAN")
        try db.run("ALTER TABLE {s}.gaps ADD PRIMARY KEY (e, b)")

        let tables = try discoverTables(connection: db.connection, config: try db.config())
        XCTAssertEqual(tables.count, 1)
        XCTAssertEqual(tables.first?.columns.map(\.name), ["b", "d", "e", "f"])
        XCTAssertEqual(tables.first?.columns.map(\.position), [2, 4, 5, 6])
        XCTAssertEqual(tables.first?.primaryKey, ["e", "b"])

        let binding = try db.binding("gaps", in: try db.discover(try db.config()))
        XCTAssertEqual(binding.key, ["/e", "/b"])
        XCTAssertEqual(binding.documentSchema?["properties"]?.objectValue?.keys, ["_meta", "b", "d", "e", "f"])
        XCTAssertEqual(binding.documentSchema?["required"], ["_meta", "b", "e"])
    }

    /// Identifiers with quotes, spaces, `/` and `~`: names are sanitized, the resource keeps the real table name,
    /// key pointers are escaped per RFC 6901.
    func testQuotedIdentifiers() throws {
        let db = try DiscoveryDatabase(self)
        try db.run(#"CREATE TABLE {s}."Weird ""Table"" Name" ("a b" INTEGER, "x/y~z" TEXT PRIMARY KEY, "Ünï" TEXT)"#)
        let binding = try db.binding(#"Weird "Table" Name"#, in: try db.discover(try db.config()))
        XCTAssertEqual(binding.recommendedName, db.schema + "/weird__table__name")
        XCTAssertEqual(binding.resourceConfig?.compact,
                       #"{"name":"\#(db.schema)_weird__table__name","schema":"\#(db.schema)","table":"Weird \"Table\" Name"}"#)
        XCTAssertEqual(binding.resourcePath, [db.schema + "_weird__table__name"])
        XCTAssertEqual(binding.key, ["/x~1y~0z"])
        XCTAssertEqual(binding.documentSchema?["required"], ["_meta", "x/y~z"])
        XCTAssertEqual(binding.documentSchema?["properties"]?.objectValue?.keys, ["_meta", "a b", "x/y~z", "Ünï"])
        XCTAssertEqual(column("a b", binding), #"{"description":"(source type: int4)","type":["integer","null"]}"#)
    }

    /// A domain reports its base type; NOT NULL on the domain makes the column non-nullable.
    func testDomainTypes() throws {
        let db = try DiscoveryDatabase(self)
        try db.run("CREATE DOMAIN {s}.code AS TEXT NOT NULL")
        try db.run("CREATE DOMAIN {s}.short AS VARCHAR(10)")
        try db.run("CREATE DOMAIN {s}.amount AS NUMERIC(12,2) CHECK (VALUE >= 0)")
        try db.run("CREATE TABLE {s}.domains (a {s}.code, b {s}.short, c {s}.amount NOT NULL)")
        let binding = try db.binding("domains", in: try db.discover(try db.config()))
        XCTAssertEqual(column("a", binding), #"{"type":"string","description":"(source type: non-nullable text)"}"#)
        // Like the original, lengths come from the column's atttypmod, which is -1 for a domain column.
        XCTAssertEqual(column("b", binding), #"{"description":"(source type: varchar)","type":["string","null"]}"#)
        XCTAssertEqual(column("c", binding), #"{"type":"string","format":"number","description":"(source type: non-nullable numeric)"}"#)
        let table = try discoverTables(connection: db.connection, config: try db.config()).first
        XCTAssertEqual(table?.columns.map(\.typtype), ["d", "d", "d"])
    }

    /// Enum and range columns are strings, described by their own type name.
    func testEnumAndRangeColumns() throws {
        let db = try DiscoveryDatabase(self)
        try db.run("CREATE TYPE {s}.mood AS ENUM ('sad', 'ok', 'happy')")
        try db.run("CREATE TABLE {s}.moods (m {s}.mood, n {s}.mood NOT NULL, r int4range, mr int4multirange)")
        let binding = try db.binding("moods", in: try db.discover(try db.config()))
        XCTAssertEqual(column("m", binding), #"{"description":"(source type: mood)","type":["string","null"]}"#)
        XCTAssertEqual(column("n", binding), #"{"type":"string","description":"(source type: non-nullable mood)"}"#)
        XCTAssertEqual(column("r", binding), #"{"description":"(source type: int4range)","type":["string","null"]}"#)
        XCTAssertEqual(column("mr", binding), #"{"description":"(source type: int4multirange)","type":["string","null"]}"#)
    }

    /// Every type of the map, as PostgreSQL names it, plus types that fall to the catch-all schema.
    func testEveryMappedType() throws {
        let db = try DiscoveryDatabase(self)
        try db.run(Self.everyTypeTable)
        let binding = try db.binding("every_type", in: try db.discover(try db.config()))
        let expected: [(String, String)] = [
            ("c_bool", #"{"description":"(source type: bool)","type":["boolean","null"]}"#),
            ("c_int2", #"{"description":"(source type: int2)","type":["integer","null"]}"#),
            ("c_int4", #"{"type":"integer","description":"(source type: non-nullable int4)"}"#),
            ("c_int8", #"{"description":"(source type: int8)","type":["integer","null"]}"#),
            ("c_numeric", #"{"format":"number","description":"(source type: numeric)","type":["string","null"]}"#),
            ("c_float4", #"{"format":"number","description":"(source type: float4)","type":["number","string","null"]}"#),
            ("c_float8", #"{"format":"number","description":"(source type: non-nullable float8)","type":["number","string"]}"#),
            ("c_varchar", #"{"maxLength":20,"description":"(source type: varchar)","type":["string","null"]}"#),
            ("c_bpchar", #"{"maxLength":3,"minLength":3,"description":"(source type: bpchar)","type":["string","null"]}"#),
            ("c_text", #"{"description":"(source type: text)","type":["string","null"]}"#),
            ("c_bytea", #"{"description":"(source type: bytea)","contentEncoding":"base64","type":["string","null"]}"#),
            ("c_json", #"{"description":"(source type: json)"}"#),
            ("c_jsonb", #"{"description":"(source type: non-nullable jsonb)"}"#),
            ("c_uuid", #"{"format":"uuid","description":"(source type: uuid)","type":["string","null"]}"#),
            ("c_date", #"{"format":"date-time","description":"(source type: date)","type":["string","null"]}"#),
            ("c_time", #"{"description":"(source type: time)","type":["string","null"]}"#),
            ("c_timetz", #"{"format":"time","description":"(source type: timetz)","type":["string","null"]}"#),
            ("c_timestamp", #"{"format":"date-time","description":"(source type: timestamp)","type":["string","null"]}"#),
            ("c_timestamptz", #"{"type":"string","format":"date-time","description":"(source type: non-nullable timestamptz)"}"#),
            ("c_interval", #"{"description":"(source type: interval)","type":["string","null"]}"#),
            ("c_inet", #"{"description":"(source type: inet)","type":["string","null"]}"#),
            ("c_cidr", #"{"description":"(source type: cidr)","type":["string","null"]}"#),
            ("c_macaddr", #"{"description":"(source type: macaddr)","type":["string","null"]}"#),
            ("c_money", #"{"description":"(source type: money)","type":["string","null"]}"#),
            ("c_point", #"{"description":"(source type: point)","type":["string","null"]}"#),
            ("c_xml", #"{"description":"(source type: xml)","type":["string","null"]}"#),
            ("c_bit", #"{"description":"(source type: bit)","type":["string","null"]}"#),
            ("c_varbit", #"{"description":"(source type: varbit)","type":["string","null"]}"#),
            ("c_tsvector", #"{"description":"(source type: tsvector)","type":["string","null"]}"#),
            ("c_int4_array", #"{"description":"using catch-all schema (unknown type \"_int4\") (source type: _int4)"}"#),
            ("c_name", #"{"description":"using catch-all schema (unknown type \"name\") (source type: non-nullable name)"}"#),
        ]
        XCTAssertEqual(binding.documentSchema?["properties"]?.objectValue?.keys, ["_meta"] + expected.map(\.0).sorted())
        for (name, schema) in expected { XCTAssertEqual(column(name, binding), schema, name) }
    }

    /// Bindings come in the UTF-8 byte order of schema, then table, identical from run to run.
    func testStableOrder() throws {
        let db = try DiscoveryDatabase(self)
        let second = db.schema + "_2"
        try db.createSchema(second)
        for name in ["b", "a", "B", "_x", "Z9", "é"] { try db.run(#"CREATE TABLE {s}."\#(name)" (x INTEGER)"#) }
        try db.connection.execute("CREATE TABLE \(second).a (x INTEGER)")
        let config = try db.config(schemas: [second, db.schema])
        let first = try db.discover(config, allowWarnings: true) // "B" and "b" share a resource name
        XCTAssertEqual(first.map { $0.resourceConfig?["schema"]?.stringValue ?? "" },
                       Array(repeating: db.schema, count: 6) + [second])
        XCTAssertEqual(first.map { $0.resourceConfig?["table"] }, ["B", "Z9", "_x", "a", "b", "é", "a"])
        let text = DiscoveredResponse(bindings: first).protoJSON().compact
        for _ in 0..<3 {
            XCTAssertEqual(DiscoveredResponse(bindings: try db.discover(config, allowWarnings: true)).protoJSON().compact, text)
        }
    }

    /// Two tables whose resource names sanitize alike: the first (in order) keeps the name, the other gets the
    /// first free `_N` suffix and a warning. The original would emit both with the same name.
    func testNameCollisionsAreDisambiguated() throws {
        let db = try DiscoveryDatabase(self)
        let a = db.schema + "_a", ab = db.schema + "_a_b"
        try db.createSchema(a)
        try db.createSchema(ab)
        try db.connection.execute("CREATE TABLE \(a).b_c (x INTEGER)")
        try db.connection.execute("CREATE TABLE \(a).b_c_2 (x INTEGER)")
        try db.connection.execute("CREATE TABLE \(ab).c (x INTEGER)")
        try db.connection.execute(#"CREATE TABLE \#(ab)."Foo" (x INTEGER)"#)
        try db.connection.execute(#"CREATE TABLE \#(ab).foo (x INTEGER)"#)

        let config = try db.config(schemas: [a, ab])
        let (bindings, warnings) = try discoverBindings(connection: db.connection, config: config)
        XCTAssertEqual(bindings.map { $0.resourceConfig?["table"] }, ["b_c", "b_c_2", "Foo", "c", "foo"])
        XCTAssertEqual(bindings.map(\.resourcePath), [[a + "_b_c"], [a + "_b_c_2"], [ab + "_foo"], [a + "_b_c_3"], [ab + "_foo_2"]])
        XCTAssertEqual(bindings.map { $0.resourceConfig?["name"]?.stringValue }, bindings.map { $0.resourcePath.first })
        XCTAssertEqual(bindings.map(\.recommendedName), [a + "/b_c", a + "/b_c_2", ab + "/foo", ab + "/c", ab + "/foo_2"])
        XCTAssertEqual(warnings, [
            #"resource name "\#(a)_b_c" of "\#(ab)"."c" is already used by "\#(a)"."b_c": using "\#(a)_b_c_3""#,
            #"resource name "\#(ab)_foo" of "\#(ab)"."foo" is already used by "\#(ab)"."Foo": using "\#(ab)_foo_2""#,
            #"recommended name "\#(ab)/foo" of "\#(ab)"."foo" is already used by "\#(ab)"."Foo": using "\#(ab)/foo_2""#,
        ])
        XCTAssertEqual(Set(bindings.map(\.resourcePath)).count, bindings.count)
        XCTAssertEqual(try discoverBindings(connection: db.connection, config: config).bindings, bindings)
    }

    /// Foreign tables are listed by the catalog but not proposed, with a warning.
    func testForeignTablesAreSkipped() throws {
        let db = try DiscoveryDatabase(self)
        let wrapper = db.schema + "_fdw"
        try db.connection.execute("CREATE FOREIGN DATA WRAPPER \(wrapper)")
        db.atTeardown("DROP FOREIGN DATA WRAPPER IF EXISTS \(wrapper) CASCADE")
        try db.connection.execute("CREATE SERVER \(wrapper)_server FOREIGN DATA WRAPPER \(wrapper)")
        try db.run("CREATE FOREIGN TABLE {s}.remote (x INTEGER) SERVER \(wrapper)_server")
        try db.run("CREATE TABLE {s}.local (x INTEGER)")

        let tables = try discoverTables(connection: db.connection, config: try db.config())
        XCTAssertEqual(tables.map(\.type), ["BASE TABLE", "FOREIGN"])
        let (bindings, warnings) = try discoverBindings(connection: db.connection, config: try db.config(views: true))
        XCTAssertEqual(bindings.map { $0.resourceConfig?["table"] }, ["local"])
        XCTAssertEqual(warnings, [#"skipping "\#(db.schema)"."remote": unsupported entity type "FOREIGN""#])
    }

    /// Partitioned tables are base tables with their primary key; their partitions are listed too.
    func testPartitionedTables() throws {
        let db = try DiscoveryDatabase(self)
        try db.run("CREATE TABLE {s}.parted (id INTEGER, at DATE, PRIMARY KEY (id)) PARTITION BY RANGE (id)")
        try db.run("CREATE TABLE {s}.parted_low PARTITION OF {s}.parted FOR VALUES FROM (0) TO (100)")
        let bindings = try db.discover(try db.config())
        XCTAssertEqual(bindings.map { $0.resourceConfig?["table"] }, ["parted", "parted_low"])
        XCTAssertEqual(bindings.map(\.key), [["/id"], ["/id"]])
    }

    /// The SourcedSchema: closed objects, every column required, `"null"` dropped from type arrays.
    func testSourcedSchema() throws {
        let db = try DiscoveryDatabase(self)
        try db.run("CREATE TABLE {s}.sourced (id INTEGER PRIMARY KEY, data VARCHAR(20), f FLOAT8, j JSON, Big BIGINT NOT NULL)")
        let table = try XCTUnwrap(discoverTables(connection: db.connection, config: try db.config()).first)
        XCTAssertEqual(sourcedSchema(for: table, config: try db.config()).compact, #"""
            {"type":"object","required":["_meta","big","data","f","id","j"],"additionalProperties":false,"properties":{"_meta":{"properties":{"polled":{"type":"string","format":"date-time","title":"Poll Time","description":"When the query that read this row started, in UTC."},"index":{"type":"integer","title":"Position in Poll","description":"Zero-based position of this row among the rows its query returned."},"row_id":{"type":"integer","title":"Row Number","description":"Row ID of the Document"},"op":{"type":"string","enum":["c","u","d"],"title":"Operation","description":"c: a row not seen before; u: a row read again by a full refresh; d: a row a full refresh no longer returns.","default":"u"},"source":{"properties":{"resource":{"type":"string","description":"Name of the binding (its resource) that captured this document."},"schema":{"type":"string","description":"Schema of the table the row was read from."},"table":{"type":"string","description":"Table the row was read from."},"tag":{"type":"string","description":"The endpoint's advanced.source_tag, when one is set."}},"additionalProperties":false,"type":"object","required":["resource"]}},"type":"object","required":["polled","index","row_id","source"],"additionalProperties":false},"big":{"type":"integer","description":"(source type: non-nullable int8)"},"data":{"maxLength":20,"description":"(source type: varchar)","type":["string"]},"f":{"format":"number","description":"(source type: float8)","type":["number","string"]},"id":{"type":"integer","description":"(source type: non-nullable int4)"},"j":{"description":"(source type: json)"}},"x-infer-schema":true}
            """#)
        let legacy = sourcedSchema(for: table, config: try db.config(flags: "no_keyless_row_id,no_use_schema_inference"))
        XCTAssertEqual(legacy["properties"]?["_meta"]?["required"], ["polled", "index", "source"])
        XCTAssertNil(legacy["x-infer-schema"])
    }

    /// The write schema of the reference's basic table `(id INTEGER PRIMARY KEY, data TEXT)`, whole.
    func testBasicWriteSchema() throws {
        let db = try DiscoveryDatabase(self)
        try db.run("CREATE TABLE {s}.basic (id INTEGER PRIMARY KEY, data TEXT)")
        let binding = try db.binding("basic", in: try db.discover(try db.config()))
        XCTAssertEqual(binding.documentSchema?.compact, #"""
            {"type":"object","required":["_meta","id"],"properties":{"_meta":{"properties":{"polled":{"type":"string","format":"date-time","title":"Poll Time","description":"When the query that read this row started, in UTC."},"index":{"type":"integer","title":"Position in Poll","description":"Zero-based position of this row among the rows its query returned."},"row_id":{"type":"integer","title":"Row Number","description":"Row ID of the Document"},"op":{"type":"string","enum":["c","u","d"],"title":"Operation","description":"c: a row not seen before; u: a row read again by a full refresh; d: a row a full refresh no longer returns.","default":"u"},"source":{"properties":{"resource":{"type":"string","description":"Name of the binding (its resource) that captured this document."},"schema":{"type":"string","description":"Schema of the table the row was read from."},"table":{"type":"string","description":"Table the row was read from."},"tag":{"type":"string","description":"The endpoint's advanced.source_tag, when one is set."}},"type":"object","required":["resource"]}},"type":"object","required":["polled","index","row_id","source"]},"data":{"description":"(source type: text)","type":["string","null"]},"id":{"type":"integer","description":"(source type: non-nullable int4)"}},"x-infer-schema":true}
            """#)
        XCTAssertEqual(binding.resourceConfig?.compact, #"{"name":"\#(db.schema)_basic","schema":"\#(db.schema)","table":"basic"}"#)
        XCTAssertEqual(binding.key, ["/id"])
        XCTAssertFalse(binding.disable)
    }

    // MARK: - Golden files

    static let everyTypeTable = """
        CREATE TABLE {s}.every_type (
          c_bool BOOLEAN, c_int2 SMALLINT, c_int4 INTEGER NOT NULL, c_int8 BIGINT, c_numeric NUMERIC(12,3), c_float4 REAL,
          c_float8 DOUBLE PRECISION NOT NULL, c_varchar VARCHAR(20), c_bpchar CHAR(3), c_text TEXT, c_bytea BYTEA, c_json JSON,
          c_jsonb JSONB NOT NULL, c_uuid UUID, c_date DATE, c_time TIME, c_timetz TIMETZ, c_timestamp TIMESTAMP,
          c_timestamptz TIMESTAMPTZ NOT NULL, c_interval INTERVAL, c_inet INET, c_cidr CIDR, c_macaddr MACADDR, c_money MONEY,
          c_point POINT, c_xml XML, c_bit BIT(3), c_varbit VARBIT, c_tsvector TSVECTOR, c_int4_array INTEGER[], c_name NAME NOT NULL)
        """

    /// A representative set: the reference's basic, keyless and composite-key tables, awkward identifiers, an
    /// upper-case key, every mapped type, dropped columns, and a view.
    private func createRepresentativeTables(_ db: DiscoveryDatabase) throws {
        try db.run("CREATE TABLE {s}.basic (id INTEGER PRIMARY KEY, data TEXT)")
        try db.run("CREATE TABLE {s}.keyless (v_int INTEGER, v_int_notnull INTEGER NOT NULL, v_str VARCHAR(8))")
        try db.run("""
            CREATE TABLE {s}.composite (data TEXT, k_str VARCHAR(16), k_bool BOOLEAN, k_bigint BIGINT, k_int INTEGER, k_smallint SMALLINT,
              PRIMARY KEY (k_smallint, k_int, k_bigint, k_bool, k_str))
            """)
        try db.run(#"CREATE TABLE {s}."Weird ""Table"" Name" ("a b" INTEGER, "x/y~z" TEXT PRIMARY KEY)"#)
        try db.run(#"CREATE TABLE {s}.upper ("ID" INTEGER PRIMARY KEY, "Name" TEXT)"#)
        try db.run(Self.everyTypeTable)
        try db.run("CREATE TABLE {s}.gaps (a INTEGER, b INTEGER, c TEXT)")
        try db.run("ALTER TABLE {s}.gaps DROP COLUMN a")
        try db.run("CREATE VIEW {s}.basic_view AS SELECT id, data FROM {s}.basic")
    }

    /// Golden text: the random schema name replaced by `disc_golden`.
    private func golden(_ json: JSON, _ db: DiscoveryDatabase) -> String {
        json.pretty.replacingOccurrences(of: db.schema, with: "disc_golden")
    }

    func testGoldenDiscoveredBindings() throws {
        let db = try DiscoveryDatabase(self)
        try createRepresentativeTables(db)
        let defaults = try db.discover(try db.config())
        try GoldenFiles(target: "RedshiftBatchTests").assertMatches(golden(DiscoveredResponse(bindings: defaults).protoJSON(), db), golden: "discover-default.json")
        let legacy = try db.discover(try db.config(views: true, flags: "no_keyless_row_id,no_use_schema_inference"))
        try GoldenFiles(target: "RedshiftBatchTests").assertMatches(golden(DiscoveredResponse(bindings: legacy).protoJSON(), db),
                                             golden: "discover-views-no-keyless-row-id.json")
    }

    func testGoldenSourcedSchemas() throws {
        let db = try DiscoveryDatabase(self)
        try createRepresentativeTables(db)
        let config = try db.config(views: true)
        var schemas = JSONObject()
        for table in try discoverTables(connection: db.connection, config: config) {
            schemas[table.name] = sourcedSchema(for: table, config: config)
        }
        try GoldenFiles(target: "RedshiftBatchTests").assertMatches(golden(.object(schemas), db), golden: "discover-sourced-schemas.json")
    }
}
