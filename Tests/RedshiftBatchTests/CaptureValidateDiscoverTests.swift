import CapstanTestSupport
import FlowCapture
import JSON
import XCTest

/// `validate` and `discover` through the binary.
final class CaptureValidateDiscoverTests: XCTestCase {
    /// A good config and bindings: `validated`, resource paths in request order.
    func testValidateGoodBindings() throws {
        let db = try CaptureDatabase(self)
        try db.run("CREATE TABLE {s}.orders (id INTEGER PRIMARY KEY, updated_at TIMESTAMPTZ)")
        try db.run("CREATE TABLE {s}.customers (id INTEGER PRIMARY KEY)")
        let resources: [JSON] = [
            db.resource("zeta_orders", table: "orders", cursor: ["updated_at"]),
            db.resource("alpha_customers", table: "customers"),
            ["name": "templated", "template": .string("SELECT * FROM \(db.schema).orders {{if not .IsFirstQuery}}WHERE id > $1{{end}}"),
             "cursor": ["id"]],
        ]
        let run = try TestConnector.run([Requests.validate(config: db.config(), resources: resources)])
        XCTAssertEqual(run.status, 0, run.stderr.joined(separator: "\n"))
        XCTAssertEqual(run.lines, [#"{"validated":{"bindings":[{"resourcePath":["zeta_orders"]},{"resourcePath":["alpha_customers"]},{"resourcePath":["templated"]}]}}"#])
    }

    /// Every failing binding is reported, by name, in one error: a missing table and a missing cursor column.
    func testValidateReportsEveryBadBinding() throws {
        let db = try CaptureDatabase(self)
        try db.run("CREATE TABLE {s}.present (id INTEGER PRIMARY KEY)")
        let resources: [JSON] = [
            db.resource("good", table: "present"),
            db.resource("missing_table", table: "absent"),
            db.resource("missing_cursor", table: "present", cursor: ["nope"]),
            ["name": "template_cursor", "template": .string("SELECT id FROM \(db.schema).present"), "cursor": ["also_nope"]],
            ["name": "missing_cursor", "template": "SELECT 1 AS id"],
            ["name": "bad_template", "template": "SELECT {{.Nope"],
            ["name": "no_table"],
        ]
        let run = try TestConnector.run([Requests.validate(config: db.config(), resources: resources)])
        let message = TestConnector.expectFailure(run)
        XCTAssertEqual(run.lines, [], "no response on failure")
        let lines = message.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "Multiple validation errors:", message)
        XCTAssertEqual(lines.count, 7, message)
        XCTAssertTrue(lines.count > 1 && lines[1].hasPrefix(#" - binding "missing_table": "#) && lines[1].contains(#"relation "\#(db.schema).absent" does not exist"#),
                      message)
        XCTAssertTrue(lines.count > 2 && lines[2].hasPrefix(#" - binding "missing_cursor": "#) && lines[2].contains(#"column "nope" does not exist"#),
                      message)
        XCTAssertEqual(lines.count > 3 ? lines[3] : "", #" - binding "template_cursor": cursor column "also_nope" not found in query result"#)
        XCTAssertEqual(lines.count > 4 ? lines[4] : "", #" - binding "missing_cursor": another binding has the same name"#)
        XCTAssertTrue(lines.count > 5 && lines[5].hasPrefix(#" - binding "bad_template": error parsing template: "#) && lines[5].hasSuffix("unclosed action"), message)
        XCTAssertEqual(lines.count > 6 ? lines[6] : "", " - binding 6: must specify schema+table name or else a template override")
        XCTAssertFalse(message.contains(#""good""#))
    }

    /// Config errors: an unknown field is named; a missing password is `missing 'password'`; a wrong password is
    /// reported without the password's text (the harness checks every run's output for the password).
    func testValidateConfigErrors() throws {
        let db = try CaptureDatabase(self)
        try db.run("CREATE TABLE {s}.t (id INTEGER PRIMARY KEY)")
        let resources = [db.resource("t", table: "t")]

        var unknown = db.config()
        unknown = .object({ var o = unknown.objectValue!; o["bogus_field"] = 1; return o }())
        let unknownRun = try TestConnector.run([Requests.validate(config: unknown, resources: resources)])
        let unknownMessage = TestConnector.expectFailure(unknownRun)
        XCTAssertEqual(unknownMessage, #"parsing endpoint config: unknown field "bogus_field""#)
        XCTAssertEqual(unknownRun.lines, [])

        let nested = db.config(advanced: ["pol": "5m"])
        let nestedMessage = TestConnector.expectFailure(try TestConnector.run([Requests.validate(config: nested, resources: resources)]))
        XCTAssertEqual(nestedMessage, #"parsing endpoint config: advanced: unknown field "pol""#)

        let resource: JSON = ["name": "t", "schema": .string(db.schema), "table": "t", "extra": true]
        let resourceMessage = TestConnector.expectFailure(try TestConnector.run([Requests.validate(config: db.config(), resources: [resource])]))
        XCTAssertEqual(resourceMessage, #"binding 0: parsing resource config: unknown field "extra""#)

        let wrongType = db.config(advanced: ["exit_after_poll": "yes"])
        let wrongTypeMessage = TestConnector.expectFailure(try TestConnector.run([Requests.validate(config: wrongType, resources: resources)]))
        XCTAssertTrue(wrongTypeMessage.contains("advanced.exit_after_poll"), wrongTypeMessage)

        let noPassword = db.config(password: "")
        let noPasswordRun = try TestConnector.run([Requests.validate(config: noPassword, resources: resources)])
        XCTAssertEqual(TestConnector.expectFailure(noPasswordRun), "missing 'password'")
        XCTAssertEqual(noPasswordRun.lines, [])

        let wrongPassword = "Wr0ng-Pa55word-\(db.schema)"
        let wrongRun = try TestConnector.run([Requests.validate(config: db.config(password: wrongPassword), resources: resources)],
                                             secrets: [wrongPassword, TestDatabase.connectorRole.password])
        let wrongMessage = TestConnector.expectFailure(wrongRun)
        XCTAssertTrue(wrongMessage.contains("password authentication failed"), wrongMessage)
        XCTAssertEqual(wrongRun.lines, [])

        // The same through open: nothing on stdout, and no password anywhere.
        let openRun = try TestConnector.run([Requests.open(config: db.config(password: wrongPassword), bindings: [TestBinding(resource: resources[0])])],
                                            secrets: [wrongPassword, TestDatabase.connectorRole.password])
        XCTAssertTrue(TestConnector.expectFailure(openRun).contains("password authentication failed"))
    }

    /// `discover` through the binary: a keyed table and a keyless one, with their names and keys.
    func testDiscover() throws {
        let db = try CaptureDatabase(self)
        try db.run("CREATE TABLE {s}.\"Orders\" (order_id INTEGER, line INTEGER, total NUMERIC, PRIMARY KEY (order_id, line))")
        try db.run("CREATE TABLE {s}.events (payload JSONB)")
        let run = try TestConnector.run([Requests.discover(config: db.config(advanced: ["discover_schemas": [.string(db.schema)]]))])
        XCTAssertEqual(run.status, 0, run.stderr.joined(separator: "\n"))
        XCTAssertEqual(run.lines.count, 1)
        guard case .discovered(let discovered) = run.responses.first else { return XCTFail("no discovered response: \(run.lines)") }
        let byTable = Dictionary(uniqueKeysWithValues: discovered.bindings.map { ($0.resourceConfig?["table"]?.stringValue ?? "", $0) })
        XCTAssertEqual(Set(byTable.keys), ["Orders", "events"])

        let orders = try XCTUnwrap(byTable["Orders"])
        XCTAssertEqual(orders.recommendedName, "\(db.schema)/orders")
        XCTAssertEqual(orders.resourceConfig, ["name": .string("\(db.schema)_orders"), "schema": .string(db.schema), "table": "Orders"])
        XCTAssertEqual(orders.resourcePath, ["\(db.schema)_orders"])
        XCTAssertEqual(orders.key, ["/order_id", "/line"])
        XCTAssertEqual(orders.documentSchema?["required"], ["_meta", "line", "order_id"])

        let events = try XCTUnwrap(byTable["events"])
        XCTAssertEqual(events.recommendedName, "\(db.schema)/events")
        XCTAssertEqual(events.key, ["/_meta/row_id"])
        XCTAssertEqual(events.documentSchema?["properties"]?["payload"]?["description"], "(source type: jsonb)")

        // A discovered binding captures as it is.
        try db.run("INSERT INTO {s}.\"Orders\" VALUES (1, 1, 9.99)")
        let capture = try TestConnector.capture(db, bindings: [TestBinding(resource: orders.resourceConfig!, key: orders.key)])
        XCTAssertEqual(capture.documents().map { $0["total"] }, ["9.99"])
    }
}
