import FlowCapture
import JSON
import RedshiftBatch
import XCTest

/// Schema building and binding rules that need no database: Redshift-only types, names, pointers, warnings.
final class CollectionSchemaTests: XCTestCase {
    private func schema(_ udt: String, nullable: Bool = true, length: Int? = nil, typtype: String = "b", sourced: Bool = false) -> String {
        CollectionSchemaBuilder.columnSchema(
            DiscoveredColumn(name: "c", position: 1, udt: udt, typtype: typtype, isNullable: nullable, charMaxLength: length),
            sourced: sourced).compact
    }

    /// Redshift's VARBYTE(n) gets the base64 length of n bytes; its default of 64000 gives 85336.
    func testVarbyteLengths() {
        XCTAssertEqual(schema("varbyte", length: 16), #"{"maxLength":24,"description":"(source type: varbyte)","contentEncoding":"base64","type":["string","null"]}"#)
        XCTAssertEqual(schema("varbyte", length: 64000), #"{"maxLength":85336,"description":"(source type: varbyte)","contentEncoding":"base64","type":["string","null"]}"#)
        XCTAssertEqual(schema("varbyte", length: 1), #"{"maxLength":4,"description":"(source type: varbyte)","contentEncoding":"base64","type":["string","null"]}"#)
        XCTAssertEqual(schema("varbyte", nullable: false, length: -5), #"{"type":"string","description":"(source type: non-nullable varbyte)","contentEncoding":"base64"}"#)
        XCTAssertEqual(schema("varchar", length: 256), #"{"maxLength":256,"description":"(source type: varchar)","type":["string","null"]}"#)
        XCTAssertEqual(schema("varchar", length: 0), #"{"description":"(source type: varchar)","type":["string","null"]}"#)
        XCTAssertEqual(schema("text", length: 12), #"{"description":"(source type: text)","type":["string","null"]}"#)
    }

    /// SUPER is embedded as JSON, so any JSON value; the other Redshift-only types use the catch-all schema.
    func testRedshiftOnlyTypes() {
        XCTAssertEqual(schema("super"), #"{"description":"(source type: super)"}"#)
        XCTAssertEqual(schema("super", nullable: false), #"{"description":"(source type: non-nullable super)"}"#)
        for type in ["geometry", "geography", "hllsketch"] {
            XCTAssertEqual(schema(type), #"{"description":"using catch-all schema (unknown type \"\#(type)\") (source type: \#(type))"}"#)
        }
        XCTAssertEqual(schema(#"we"i\rd"#), #"{"description":"using catch-all schema (unknown type \"we\\\"i\\\\rd\") (source type: we\"i\\rd)"}"#)
    }

    /// The typtype decides before the name: enums and ranges are strings whatever they are called.
    func testTyptypeComesFirst() {
        XCTAssertEqual(schema("int4", typtype: "e"), #"{"description":"(source type: int4)","type":["string","null"]}"#)
        XCTAssertEqual(schema("whatever", typtype: "r"), #"{"description":"(source type: whatever)","type":["string","null"]}"#)
        XCTAssertEqual(schema("whatever", typtype: "m"), #"{"description":"(source type: whatever)","type":["string","null"]}"#)
        XCTAssertEqual(schema("whatever", typtype: "c"), #"{"description":"using catch-all schema (unknown type \"whatever\") (source type: whatever)"}"#)
    }

    /// In a SourcedSchema `"null"` leaves type arrays, which stay arrays; a lone type string is untouched.
    func testSourcedColumnTypes() {
        XCTAssertEqual(schema("int4", sourced: true), #"{"description":"(source type: int4)","type":["integer"]}"#)
        XCTAssertEqual(schema("int4", nullable: false, sourced: true), #"{"type":"integer","description":"(source type: non-nullable int4)"}"#)
        XCTAssertEqual(schema("float4", sourced: true), #"{"format":"number","description":"(source type: float4)","type":["number","string"]}"#)
        XCTAssertEqual(schema("json", sourced: true), #"{"description":"(source type: json)"}"#)
    }

    func testSanitizedNames() {
        XCTAssertEqual(BindingDiscovery.sanitizedName("Ab-c_d.e9"), "ab-c_d.e9")
        XCTAssertEqual(BindingDiscovery.sanitizedName(#"Weird "Table" Name"#), "weird__table__name")
        XCTAssertEqual(BindingDiscovery.sanitizedName("Ünïcode"), "_n_code")
        XCTAssertEqual(BindingDiscovery.sanitizedName("e\u{301}"), "e_", "one _ per scalar, like Go's per-rune replacement")
        XCTAssertEqual(BindingDiscovery.sanitizedName("🦀/x"), "__x")
        XCTAssertEqual(BindingDiscovery.sanitizedName("\u{130}\u{212A}\u{17F}"), "ik\u{17F}", "simple lowercasing; ſ folds to s, so Go keeps it")
        XCTAssertEqual(BindingDiscovery.recommendedName(schema: "My Schema", table: "T/1"), "my_schema/t_1")
        XCTAssertEqual(BindingDiscovery.resourceName(schema: "public", table: "Orders"), "orders")
        XCTAssertEqual(BindingDiscovery.resourceName(schema: "dbo", table: "x y"), "x_y")
        XCTAssertEqual(BindingDiscovery.resourceName(schema: "Public", table: "t"), "public_t")
        XCTAssertEqual(BindingDiscovery.resourceName(schema: "sales", table: "Q1"), "sales_q1")
    }

    func testCollectionKeyPointers() {
        XCTAssertEqual(BindingDiscovery.collectionKeyPointer("id"), "/id")
        XCTAssertEqual(BindingDiscovery.collectionKeyPointer("a/b~c"), "/a~1b~0c")
        XCTAssertEqual(BindingDiscovery.collectionKeyPointer("~1"), "/~01")
        XCTAssertEqual(BindingDiscovery.collectionKeyPointer("~\u{301}"), "/~0\u{301}")
        XCTAssertEqual(BindingDiscovery.collectionKeyPointer(""), "/")
    }

    /// Warnings for what discovery cannot propose as is; tables given out of order come back sorted.
    func testWarningsAndOrder() throws {
        let config = try EndpointConfig(json: [
            "address": "h", "user": "u", "password": "p", "database": "d", "advanced": ["discover_views": true],
        ])
        let tables = [
            DiscoveredTable(schema: "s", name: "late", type: "VIEW"),
            DiscoveredTable(schema: "s", name: "ext", type: "FOREIGN"),
            DiscoveredTable(schema: "s", name: "meta", type: "base table",
                            columns: [DiscoveredColumn(name: "_meta", position: 1, udt: "text"), DiscoveredColumn(name: "id", position: 2, udt: "int4", isNullable: false)],
                            primaryKey: ["id"]),
        ]
        let (bindings, warnings) = BindingDiscovery.bindings(for: tables, config: config)
        XCTAssertEqual(bindings.map(\.recommendedName), ["s/late", "s/meta"])
        XCTAssertEqual(warnings, [
            #"skipping "s"."ext": unsupported entity type "FOREIGN""#,
            #"view "s"."late" has no columns in pg_attribute (on Redshift, a late-binding view): its collection schema lists only _meta"#,
            #"column "_meta" of "s"."meta" is left out of the collection schema: the connector's own _meta property takes its place"#,
        ])
        XCTAssertEqual(bindings[0].documentSchema?["properties"]?.objectValue?.keys, ["_meta"])
        XCTAssertEqual(bindings[1].documentSchema?["properties"]?["_meta"]?["type"], "object")
        XCTAssertEqual(bindings[1].documentSchema?["required"], ["_meta", "id"])
    }

    /// The catalog queries: one text parameter per schema, or the system-schema exclusion with no parameters.
    func testSchemaFilterParameters() {
        let filtered = CatalogQueries.columns(schemas: ["a", "b'c", "d"])
        XCTAssertEqual(filtered.parameters, ["a", "b'c", "d"])
        XCTAssertTrue(filtered.sql.contains("n.nspname IN ($1, $2, $3)"), filtered.sql)
        let all = CatalogQueries.primaryKeys(schemas: [])
        XCTAssertEqual(all.parameters, [])
        XCTAssertTrue(all.sql.contains("n.nspname NOT IN ('pg_catalog', 'pg_internal', 'information_schema', 'catalog_history', 'cron', 'pg_toast')"), all.sql)
        for query in [CatalogQueries.tables(schemas: []), CatalogQueries.columns(schemas: ["x"]), CatalogQueries.primaryKeys(schemas: [])] {
            for banned in ["LATERAL", "FILTER", "unnest", "array_position", "ANY (", "ARRAY[", "information_schema."] {
                XCTAssertFalse(query.sql.contains(banned), "\(banned) in \(query.sql)")
            }
        }
    }
}
