import FlowCapture
import JSON
import XCTest

/// Full-refresh bindings (no cursor), `_meta/op` and inferred deletions, source tags and template overrides.
final class CaptureFullRefreshTests: XCTestCase {
    /// TestKeylessFullRefreshCapture + TestFeatureFlagKeylessRowID (Enabled): with key `/_meta/row_id`, the first
    /// refresh creates (`c`), the next updates (`u`), and a shorter one is followed by deletion documents (`d`)
    /// for the row ids it no longer reaches, with `_meta/source` present (#3304).
    func testKeylessFullRefreshWithDeletions() throws {
        let db = try CaptureDatabase(self)
        try db.run("CREATE TABLE {s}.keyless (name TEXT, amount INTEGER)")
        try db.run("INSERT INTO {s}.keyless SELECT 'n' || n, n * 10 FROM generate_series(1, 5) n")
        let binding = TestBinding(resource: db.resource("keyless", table: "keyless"), key: ["/_meta/row_id"])
        let source: JSON = ["resource": "keyless", "schema": .string(db.schema), "table": "keyless"]

        let first = try TestConnector.capture(db, bindings: [binding])
        XCTAssertEqual(first.documents().map { $0.at("/_meta/op") }, Array(repeating: "c", count: 5))
        XCTAssertEqual(first.documents().compactMap { $0.at("/_meta/row_id")?.int64 }, [0, 1, 2, 3, 4])
        var state = first.reducedState()
        XCTAssertEqual(state.sanitized, ["bindingStateV1": ["keyless": ["LastPolled": "<LastPolled>", "DocumentCount": 5]]],
                       "a full refresh's null cursor fields disappear when merged")
        XCTAssertTrue(first.lines.last?.contains(#""CursorNames":null,"CursorValues":null"#) ?? false, first.lines.last ?? "")

        let second = try TestConnector.capture(db, bindings: [binding], state: state)
        XCTAssertEqual(second.documents().map { $0.at("/_meta/op") }, Array(repeating: "u", count: 5))
        XCTAssertEqual(second.documents().compactMap { $0.at("/_meta/row_id")?.int64 }, [0, 1, 2, 3, 4], "row ids restart at 0")
        state = second.reducedState(from: state)

        try db.run("DELETE FROM {s}.keyless WHERE amount >= 40")
        let third = try TestConnector.capture(db, bindings: [binding], state: state)
        let documents = third.documents()
        XCTAssertEqual(documents.count, 5)
        XCTAssertEqual(documents.prefix(3).map { $0.at("/_meta/op") }, ["u", "u", "u"])
        XCTAssertEqual(documents.suffix(2).map(\.sanitized), [
            ["_meta": ["polled": "<polled>", "index": 3, "row_id": 3, "op": "d", "source": source]],
            ["_meta": ["polled": "<polled>", "index": 4, "row_id": 4, "op": "d", "source": source]],
        ])
        XCTAssertEqual(documents.last?.at("/_meta/polled"), documents.first?.at("/_meta/polled"), "deletions carry the poll's time")
        XCTAssertTrue(third.logs.contains { $0["msg"] == "poll completed" && $0["deletions"] == 2 }, "\(third.stderr)")
        state = third.reducedState(from: state)
        XCTAssertEqual(state.sanitized, ["bindingStateV1": ["keyless": ["LastPolled": "<LastPolled>", "DocumentCount": 3]]])

        // Refreshing the same 3 rows again infers nothing more.
        let fourth = try TestConnector.capture(db, bindings: [binding], state: state)
        XCTAssertEqual(fourth.documents().map { $0.at("/_meta/op") }, ["u", "u", "u"])
    }

    /// `no_keyless_row_id`-style: with a real key (`/id`) documents have no `op`, and a shrinking refresh infers
    /// no deletions. TestSourceTag: `_meta/source/tag` carries `source_tag`; row ids restart at 0 each refresh.
    func testKeyedFullRefreshWithSourceTag() throws {
        let db = try CaptureDatabase(self)
        try db.run("CREATE TABLE {s}.keyed (id INTEGER PRIMARY KEY, data TEXT)")
        try db.run("INSERT INTO {s}.keyed SELECT n, 'd' || n FROM generate_series(1, 4) n")
        let binding = TestBinding(resource: db.resource("keyed", table: "keyed"), key: ["/id"])
        let advanced: JSONObject = ["source_tag": "example_source_tag_1234"]

        let first = try TestConnector.capture(db, bindings: [binding], advanced: advanced)
        XCTAssertEqual(first.documents().first?.sanitized, ["_meta": [
            "polled": "<polled>", "index": 0, "row_id": 0,
            "source": ["resource": "keyed", "schema": .string(db.schema), "table": "keyed", "tag": "example_source_tag_1234"],
        ], "data": "d1", "id": 1])
        XCTAssertTrue(first.documents().allSatisfy { $0.at("/_meta/op") == nil }, "no op without a row_id key")
        let state = first.reducedState()

        try db.run("DELETE FROM {s}.keyed WHERE id > 2")
        let second = try TestConnector.capture(db, bindings: [binding], state: state, advanced: advanced)
        XCTAssertEqual(second.documents().compactMap { $0.at("/_meta/row_id")?.int64 }, [0, 1])
        XCTAssertTrue(second.documents().allSatisfy { $0.at("/_meta/op") == nil })
        XCTAssertEqual(second.documents().count, 2, "no deletion documents without a row_id key")
        XCTAssertEqual(second.reducedState(from: state)["bindingStateV1"]?["keyed"]?["DocumentCount"], 2)
    }

    /// TestQueryTemplateOverride: a template and a cursor, no schema or table: `_meta/source` is `{resource}` only,
    /// and the template's later query (with `$1`) continues from the cursor.
    func testTemplateOverrideWithCursor() throws {
        let db = try CaptureDatabase(self)
        try db.run("CREATE TABLE {s}.updates (id INTEGER PRIMARY KEY, updated_at TIMESTAMP NOT NULL, note TEXT)")
        try db.run("INSERT INTO {s}.updates VALUES (1, '2025-02-13 12:00:00', 'a'), (2, '2025-02-13 12:10:00', 'b')")
        let template = "SELECT * FROM \(db.schema).updates {{if not .IsFirstQuery}} WHERE updated_at > $1 {{end}} ORDER BY updated_at"
        let binding = TestBinding(resource: ["name": "from_template", "template": .string(template), "cursor": ["updated_at"]])

        let first = try TestConnector.capture(db, bindings: [binding])
        XCTAssertEqual(first.documents().map { $0.at("/_meta/source") }, [["resource": "from_template"], ["resource": "from_template"]])
        XCTAssertFalse(first.lines.contains { $0.hasPrefix(#"{"sourcedSchema""#) }, "no sourced schema for a template binding")
        let state = first.reducedState()
        XCTAssertEqual(state["bindingStateV1"]?["from_template"]?["CursorValues"], ["2025-02-13T12:10:00Z"])

        try db.run("INSERT INTO {s}.updates VALUES (3, '2025-02-13 12:20:00', 'c')")
        let second = try TestConnector.capture(db, bindings: [binding], state: state)
        XCTAssertEqual(second.documents().map(\.sanitized), [["_meta": [
            "polled": "<polled>", "index": 0, "row_id": 2, "op": "c", "source": ["resource": "from_template"],
        ], "id": 3, "note": "c", "updated_at": "2025-02-13T12:20:00Z"]])
    }

    /// A full refresh checkpoints every 1,000 documents with the prior state unchanged, so that a refresh cut short
    /// starts again from the top: the next session re-reads from row 0 (`u` below the old count) and then infers
    /// deletions past the new end.
    func testInterruptedFullRefreshRestartsFromTheTop() throws {
        let db = try CaptureDatabase(self)
        // `pad` makes what follows the first mid-poll checkpoint (4 MB) much larger than the connector's output
        // buffer (1 MiB) and the pipe's, so the connector cannot have finished before it is killed.
        try db.run("CREATE TABLE {s}.refresh (n INTEGER, pad TEXT)")
        try db.run("INSERT INTO {s}.refresh SELECT n, repeat('p', 3000) FROM generate_series(1, 2500) n")
        let binding = TestBinding(resource: db.resource("refresh", table: "refresh"), key: ["/_meta/row_id"])
        let never: JSON = ["bindingStateV1": ["refresh": [
            "CursorNames": nil, "CursorValues": nil, "LastPolled": "0001-01-01T00:00:00Z", "DocumentCount": 0,
        ]]]

        let first = try TestConnector.capture(db, bindings: [binding])
        XCTAssertEqual(first.checkpoints.map { $0.updated.sanitized }, [never, never, ["bindingStateV1": ["refresh": [
            "CursorNames": nil, "CursorValues": nil, "LastPolled": "<LastPolled>", "DocumentCount": 2500,
        ]]]], "mid-refresh checkpoints after 1000 and 2000 documents repeat the state; the last one moves it")
        let state = first.reducedState()

        try db.run("DELETE FROM {s}.refresh WHERE n > 2300")
        let killed = try TestConnector.run([Requests.open(config: db.config(), bindings: [binding], state: state)], killAfterCheckpoint: 1)
        XCTAssertTrue(killed.killedBySignal, "the connector should have been killed mid-refresh (status \(killed.status))")
        XCTAssertEqual(killed.committedDocuments.count, 1000)
        XCTAssertTrue(killed.committedDocuments.allSatisfy { $0.doc.at("/_meta/op") == "u" })
        XCTAssertEqual(killed.reducedState(from: state), state, "a mid-refresh checkpoint leaves the state as it was")

        let resumed = try TestConnector.capture(db, bindings: [binding], state: state)
        let documents = resumed.documents()
        XCTAssertEqual(documents.count, 2500)
        XCTAssertEqual(documents.compactMap { $0.at("/_meta/row_id")?.int64 }, (0..<2500).map(Int64.init))
        XCTAssertEqual(documents.prefix(2300).filter { $0.at("/_meta/op") == "u" }.count, 2300)
        XCTAssertEqual(documents.suffix(200).filter { $0.at("/_meta/op") == "d" && $0["n"] == nil }.count, 200)
        XCTAssertEqual(resumed.reducedState(from: state)["bindingStateV1"]?["refresh"]?["DocumentCount"], 2300)
    }

    /// A table emptied completely: the next refresh has no rows, and every earlier row id gets a deletion.
    func testFullRefreshOfAnEmptiedTable() throws {
        let db = try CaptureDatabase(self)
        try db.run("CREATE TABLE {s}.emptied (v TEXT)")
        try db.run("INSERT INTO {s}.emptied VALUES ('a'), ('b'), ('c')")
        let binding = TestBinding(resource: db.resource("emptied", table: "emptied"), key: ["/_meta/row_id"])
        let state = try TestConnector.capture(db, bindings: [binding]).reducedState()
        try db.run("DELETE FROM {s}.emptied")
        let second = try TestConnector.capture(db, bindings: [binding], state: state)
        XCTAssertEqual(second.documents().map { $0.at("/_meta")?.sanitized }, (0..<3).map { n in
            ["polled": "<polled>", "index": .number(JSONNumber(n)), "row_id": .number(JSONNumber(n)), "op": "d",
             "source": ["resource": "emptied", "schema": .string(db.schema), "table": "emptied"]]
        })
        XCTAssertEqual(second.reducedState(from: state)["bindingStateV1"]?["emptied"]?["DocumentCount"], 0)
        let third = try TestConnector.capture(db, bindings: [binding], state: second.reducedState(from: state))
        XCTAssertEqual(third.documents(), [], "deletions are inferred once")
    }
}
