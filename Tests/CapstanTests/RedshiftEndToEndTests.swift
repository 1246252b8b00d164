import CapstanTestSupport
import Foundation
import JSON
import XCTest

/// `capstan` with the real source-redshift-batch against the test PostgreSQL: discover writes the catalog (keeping
/// what the user set), run captures every table, and the next run continues where the last one ended.
final class RedshiftEndToEndTests: XCTestCase {
    private var folder: URL!
    private var schema = ""

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        schema = "e2e_\(UInt32.random(in: 0...UInt32.max))"
        try TestDatabase.psql("""
            CREATE SCHEMA \(schema);
            CREATE TABLE \(schema).orders (id bigint PRIMARY KEY, amount numeric(10, 2), note text);
            INSERT INTO \(schema).orders SELECT i, i * 1.5, 'order ' || i FROM generate_series(1, 50) i;
            CREATE TABLE \(schema).customers (id int PRIMARY KEY, name text NOT NULL);
            INSERT INTO \(schema).customers SELECT i, 'customer ' || i FROM generate_series(1, 5) i;
            GRANT USAGE ON SCHEMA \(schema) TO capstan; GRANT SELECT ON ALL TABLES IN SCHEMA \(schema) TO capstan;
            """)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
        try? TestDatabase.psql("DROP SCHEMA IF EXISTS \(schema) CASCADE")
    }

    private func capstan(_ arguments: [String]) throws -> SubprocessOutcome {
        try Subprocess.run(product: "capstan", arguments + ["--source", folder.appendingPathComponent("flow.yaml").path], timeout: 120)
    }

    private func documents(_ collection: String, latest: Bool = false) throws -> [JSON] {
        let read = try capstan(["read", collection] + (latest ? ["--latest"] : []))
        XCTAssertEqual(read.status, 0, read.stderr)
        return try read.stdout.split(separator: "\n").map { try JSON.parse(String($0)) }
    }

    private func ids(_ documents: [JSON]) -> [Int64] {
        documents.compactMap { $0["id"]?.numberValue?.int64Value }.sorted()
    }

    func testDiscoverRunAndContinueIncrementally() throws {
        // The user has set up one binding, incremental on id; discovery adds the other table.
        try """
            captures:
              acme/shop:
            \(try TestDatabase.connectorEndpoint(advanced: "{discover_schemas: [\(schema)], exit_after_poll: true}"))
                bindings:
                  - resource: {name: \(schema)_orders, schema: \(schema), table: orders, cursor: [id]}
                    target: acme/orders
            collections:
              acme/orders:
                schema: {type: object, required: [id], properties: {id: {type: integer}}}
                key: [/id]
            """.write(to: folder.appendingPathComponent("flow.yaml"), atomically: true, encoding: .utf8)

        let discover = try capstan(["discover"])
        XCTAssertEqual(discover.status, 0, discover.stderr)
        XCTAssertTrue(discover.stderr.contains("updated schema  \(schema)_orders     acme/orders"), discover.stderr)
        XCTAssertTrue(discover.stderr.contains("added           \(schema)_customers  acme/\(schema)/customers"), discover.stderr)
        let catalog = try String(contentsOf: folder.appendingPathComponent("flow.yaml"), encoding: .utf8)
        XCTAssertTrue(catalog.contains("cursor: [id]"), "the user's cursor is kept:\n\(catalog)")
        let schemaFile = folder.appendingPathComponent("acme/\(schema)/customers.schema.yaml")
        XCTAssertTrue(try String(contentsOf: schemaFile, encoding: .utf8).contains("(source type: non-nullable text)"))
        let again = try capstan(["discover", "--dry-run"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(again.stderr.components(separatedBy: "unchanged").count - 1, 2, "a second discovery changes nothing:\n\(again.stderr)")

        let first = try capstan(["run", "--once"])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stderr.contains(#""documents":55"#), first.stderr)
        let orders = try documents("acme/orders")
        XCTAssertEqual(ids(orders), Array(1...50))
        XCTAssertEqual(orders.first?["amount"], "1.50")
        XCTAssertNotNil(orders.first?["_meta"]?["uuid"]?.stringValue)
        XCTAssertEqual(ids(try documents("acme/\(schema)/customers")), Array(1...5))
        let state = try JSON.parse(try capstan(["state", "show"]).stdout)
        XCTAssertEqual(state["bindingStateV1"]?["\(schema)_orders"]?["CursorValues"], [50])

        // New orders and a changed customer: orders continue after the cursor, customers are read again in full.
        try TestDatabase.psql("""
            INSERT INTO \(schema).orders SELECT i, i * 1.5, 'order ' || i FROM generate_series(51, 60) i;
            UPDATE \(schema).customers SET name = 'renamed' WHERE id = 1;
            """)
        let second = try capstan(["run", "--once"])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stderr.contains(#""documents":15"#), second.stderr)
        XCTAssertEqual(ids(try documents("acme/orders")), Array(1...60), "every order exactly once")
        XCTAssertEqual(ids(try documents("acme/\(schema)/customers")), [1, 1, 2, 2, 3, 3, 4, 4, 5, 5])
        let latest = try documents("acme/\(schema)/customers", latest: true)
        XCTAssertEqual(ids(latest), Array(1...5))
        XCTAssertEqual(latest.first { $0["id"] == 1 }?["name"], "renamed")
        XCTAssertEqual(try JSON.parse(try capstan(["state", "show"]).stdout)["bindingStateV1"]?["\(schema)_orders"]?["CursorValues"], [60])
    }
}
