import CapstanTestSupport
import FlowCapture
import JSON
import XCTest

/// Incremental (cursor) captures through the binary, across sessions that hand the reduced state back.
final class CaptureIncrementalTests: XCTestCase {
    /// TestBasicCapture: PK `id` as cursor; rows inserted in batches between sessions (each exits after one poll).
    /// Every row is captured exactly once, `row_id` continues across sessions, `op` is always `c` (row_id key,
    /// incremental), and the final state is `CursorValues [N]`, `DocumentCount N`.
    func testBasicCaptureWithRestarts() throws {
        let db = try CaptureDatabase(self)
        try db.run("CREATE TABLE {s}.basic (id INTEGER PRIMARY KEY, data TEXT)")
        let binding = TestBinding(resource: db.resource("basic", table: "basic", cursor: ["id"]))
        var state: JSON = [:]
        var captured: [JSON] = []
        var next = 1
        for batch in [10, 15, 0, 1, 24] {
            if batch > 0 {
                try db.run("INSERT INTO {s}.basic SELECT n, 'row ' || n FROM generate_series(\(next), \(next + batch - 1)) n")
            }
            let run = try TestConnector.capture(db, bindings: [binding], state: state)
            let documents = run.documents()
            XCTAssertEqual(documents.compactMap { $0["id"]?.int64 }, (next..<(next + batch)).map(Int64.init), "batch of \(batch)")
            XCTAssertEqual(documents.compactMap { $0.at("/_meta/row_id")?.int64 }, ((next - 1)..<(next - 1 + batch)).map(Int64.init))
            XCTAssertEqual(documents.compactMap { $0.at("/_meta/index")?.int64 }, (0..<batch).map(Int64.init), "index restarts each poll")
            XCTAssertTrue(documents.allSatisfy { $0.at("/_meta/op") == "c" }, "incremental documents are creations")
            XCTAssertEqual(run.checkpoints.count, 1, "one checkpoint per poll, even an empty one")
            next += batch
            captured += run.committedDocuments.map(\.doc)
            state = run.reducedState(from: state)
            XCTAssertEqual(state.sanitized, ["bindingStateV1": ["basic": [
                "CursorNames": ["id"], "CursorValues": [.number(JSONNumber(Int64(next - 1)))], "LastPolled": "<LastPolled>",
                "DocumentCount": .number(JSONNumber(Int64(next - 1))),
            ]]])
        }
        XCTAssertEqual(captured.compactMap { $0["id"]?.int64 }, (1...50).map(Int64.init))
        XCTAssertEqual(captured.compactMap { $0.at("/_meta/row_id")?.int64 }, (0..<50).map(Int64.init))
        XCTAssertEqual(captured.last?.sanitized, ["_meta": [
            "polled": "<polled>", "index": 23, "row_id": 49, "op": "c",
            "source": ["resource": "basic", "schema": .string(db.schema), "table": "basic"],
        ], "data": "row 50", "id": 50])
        // Key order: document keys by byte order, `_meta` among them.
        let raw = try TestConnector.capture(db, bindings: [binding]).lines.first { $0.hasPrefix(#"{"captured""#) }
        XCTAssertEqual(raw.map { String($0.prefix(30)) }, #"{"captured":{"doc":{"_meta":{""#)
    }

    /// A changed cursor resets the binding's state (with a warning) and captures from scratch.
    func testChangedCursorResetsState() throws {
        let db = try CaptureDatabase(self)
        try db.run("CREATE TABLE {s}.reset (id INTEGER PRIMARY KEY, version INTEGER NOT NULL)")
        try db.run("INSERT INTO {s}.reset SELECT n, 100 - n FROM generate_series(1, 5) n")
        let first = try TestConnector.capture(db, bindings: [TestBinding(resource: db.resource("reset", table: "reset", cursor: ["id"]))])
        let state = first.reducedState()
        let second = try TestConnector.capture(db, bindings: [TestBinding(resource: db.resource("reset", table: "reset", cursor: ["version"]))],
                                               state: state)
        XCTAssertEqual(second.documents().compactMap { $0["id"]?.int64 }, [5, 4, 3, 2, 1])
        XCTAssertEqual(second.documents().compactMap { $0.at("/_meta/row_id")?.int64 }, [0, 1, 2, 3, 4])
        XCTAssertTrue(second.logs.contains { $0["level"] == "warn" && $0["msg"] == "cursor columns changed, resetting stream state" },
                      "warning expected: \(second.stderr)")
        XCTAssertEqual(second.reducedState(from: state).sanitized, ["bindingStateV1": ["reset": [
            "CursorNames": ["version"], "CursorValues": [99], "LastPolled": "<LastPolled>", "DocumentCount": 5,
        ]]])
    }

    /// Restart in the middle of a poll (reference #4478): 5,000 rows whose cursor values come in groups of
    /// 1,500, 700 and 2,800 equal values. A session is killed right after its first checkpoint; only what that
    /// checkpoint committed counts. A second session from the reduced state finishes: together every row is
    /// captured exactly once. No checkpoint ever falls between two rows of equal cursor value.
    func testRestartMidPollWithSharedCursorValues() throws {
        let db = try CaptureDatabase(self)
        // `pad` makes the rows after the first checkpoint (4 MB) much larger than the connector's output buffer
        // (1 MiB) and the pipe's, so the connector cannot have finished the poll before it is killed.
        try db.run("CREATE TABLE {s}.groups (id INTEGER PRIMARY KEY, grp INTEGER NOT NULL, pad TEXT NOT NULL)")
        try db.run("""
            INSERT INTO {s}.groups
            SELECT n, CASE WHEN n <= 1500 THEN 10 WHEN n <= 2200 THEN 20 ELSE 30 END, repeat('x', 1200)
            FROM generate_series(1, 5000) n
            """)
        let binding = TestBinding(resource: db.resource("groups", table: "groups", cursor: ["grp"]), key: ["/id"])

        // An uninterrupted poll: where may checkpoints fall?
        let full = try TestConnector.capture(db, bindings: [binding])
        var position = 0
        var boundaries: [Int] = []
        var groupAt: [Int64] = []
        for response in full.responses {
            switch response {
            case .captured(let captured): groupAt.append(captured.doc["grp"]?.int64 ?? -1); position += 1
            case .checkpoint: boundaries.append(position)
            default: break
            }
        }
        XCTAssertEqual(boundaries, [1500, 5000], "checkpoints only where the cursor value changes, after at least 1000 documents")
        for boundary in boundaries where boundary > 0 && boundary < groupAt.count {
            XCTAssertNotEqual(groupAt[boundary - 1], groupAt[boundary], "a checkpoint splits the group of cursor value \(groupAt[boundary])")
        }
        XCTAssertEqual(full.checkpoints.first?.updated.sanitized, ["bindingStateV1": ["groups": [
            "CursorNames": ["grp"], "CursorValues": [10], "LastPolled": "0001-01-01T00:00:00Z", "DocumentCount": 1500,
        ]]], "a mid-poll checkpoint carries the last row's cursor and leaves LastPolled alone")

        // Killed after its first checkpoint.
        let killed = try TestConnector.run([Requests.open(config: db.config(), bindings: [binding])], killAfterCheckpoint: 1)
        XCTAssertTrue(killed.killedBySignal, "the connector should have been killed mid-poll, not have exited (status \(killed.status))")
        let firstIDs = killed.committedDocuments.compactMap { $0.doc["id"]?.int64 }
        XCTAssertEqual(firstIDs.count, 1500)
        let state = killed.reducedState()
        XCTAssertEqual(state.sanitized, ["bindingStateV1": ["groups": [
            "CursorNames": ["grp"], "CursorValues": [10], "LastPolled": "0001-01-01T00:00:00Z", "DocumentCount": 1500,
        ]]])

        let resumed = try TestConnector.capture(db, bindings: [binding], state: state)
        let secondIDs = resumed.committedDocuments.compactMap { $0.doc["id"]?.int64 }
        XCTAssertEqual(secondIDs.count, 3500)
        XCTAssertEqual(resumed.documents().first?.at("/_meta/row_id"), 1500, "row ids continue from the checkpoint")
        let all = firstIDs + secondIDs
        XCTAssertEqual(all.count, Set(all).count, "no row captured twice")
        XCTAssertEqual(Set(all), Set((1...5000).map(Int64.init)), "every row captured")
        XCTAssertEqual(resumed.reducedState(from: state).sanitized, ["bindingStateV1": ["groups": [
            "CursorNames": ["grp"], "CursorValues": [30], "LastPolled": "<LastPolled>", "DocumentCount": 5000,
        ]]])
    }

    /// int8 cursor values above 2^53 stay exact in the state and across restarts: nothing is captured twice or missed.
    func testInt8CursorAbove2To53() throws {
        let db = try CaptureDatabase(self)
        try db.run("CREATE TABLE {s}.big (id BIGINT PRIMARY KEY, data TEXT)")
        // 9007199254740993 = 2^53 + 1 rounds to 2^53 as a float64: a lossy cursor would capture it again.
        try db.run("INSERT INTO {s}.big VALUES (9007199254740991, 'a'), (9007199254740993, 'b')")
        let binding = TestBinding(resource: db.resource("big", table: "big", cursor: ["id"]), key: ["/id"])
        let first = try TestConnector.capture(db, bindings: [binding])
        XCTAssertEqual(first.documents().compactMap { $0["id"]?.numberValue?.text }, ["9007199254740991", "9007199254740993"])
        XCTAssertTrue(first.lines.last?.contains(#""CursorValues":[9007199254740993]"#) ?? false, "exact in the checkpoint: \(first.lines.last ?? "")")
        var state = first.reducedState()

        try db.run("INSERT INTO {s}.big VALUES (9007199254740995, 'c'), (9223372036854775807, 'max')")
        let second = try TestConnector.capture(db, bindings: [binding], state: state)
        XCTAssertEqual(second.documents().compactMap { $0["id"]?.numberValue?.text }, ["9007199254740995", "9223372036854775807"])
        state = second.reducedState(from: state)
        XCTAssertEqual(state["bindingStateV1"]?["big"]?["CursorValues"]?[0]?.numberValue?.text, "9223372036854775807")

        let third = try TestConnector.capture(db, bindings: [binding], state: state)
        XCTAssertEqual(third.documents(), [], "nothing after the largest int8")
        XCTAssertEqual(third.reducedState(from: state)["bindingStateV1"]?["big"]?["DocumentCount"], 4)
    }

    /// Identifiers that need quoting: a schema with quotes and spaces, a table with spaces, a cursor column `a b`.
    func testQuotedIdentifiers() throws {
        let db = try CaptureDatabase(self)
        let schema = db.schema + #" my "odd" schema"#
        try db.createSchema(schema)
        let table = "\(TestDatabase.quote(schema)).\"Table With Spaces\""
        try db.connection.execute("CREATE TABLE \(table) (\"a b\" INTEGER PRIMARY KEY, \"Quoted \"\"Col\"\"\" TEXT)")
        try db.connection.execute("INSERT INTO \(table) VALUES (1, 'one'), (2, 'two')")
        let resource: JSON = ["name": "odd", "schema": .string(schema), "table": "Table With Spaces", "cursor": ["a b"]]
        let binding = TestBinding(resource: resource, key: ["/a b"])
        let first = try TestConnector.capture(db, bindings: [binding])
        XCTAssertEqual(first.documents().map(\.sanitized), [
            ["Quoted \"Col\"": "one", "_meta": ["polled": "<polled>", "index": 0, "row_id": 0,
                                               "source": ["resource": "odd", "schema": .string(schema), "table": "Table With Spaces"]], "a b": 1],
            ["Quoted \"Col\"": "two", "_meta": ["polled": "<polled>", "index": 1, "row_id": 1,
                                               "source": ["resource": "odd", "schema": .string(schema), "table": "Table With Spaces"]], "a b": 2],
        ])
        let state = first.reducedState()
        XCTAssertEqual(state["bindingStateV1"]?["odd"]?["CursorNames"], ["a b"])

        try db.connection.execute("INSERT INTO \(table) VALUES (3, 'three')")
        let second = try TestConnector.capture(db, bindings: [binding], state: state)
        XCTAssertEqual(second.documents().compactMap { $0["a b"]?.int64 }, [3], "the later query (WHERE \"a b\" > $1) works")
    }

    /// A cursor of three columns: later queries compare the tuple (the default template's OR expansion), across
    /// a restart. Rows behind the cursor are not captured (by design); rows after it are, in cursor order.
    func testCompositeCursor() throws {
        let db = try CaptureDatabase(self)
        try db.run("CREATE TABLE {s}.composite (a INTEGER NOT NULL, b TEXT NOT NULL, c NUMERIC NOT NULL, PRIMARY KEY (a, b, c))")
        try db.run("INSERT INTO {s}.composite VALUES (1, 'x', 1.5), (1, 'y', 0), (2, 'a', 9)")
        let binding = TestBinding(resource: db.resource("composite", table: "composite", cursor: ["a", "b", "c"]), key: ["/a", "/b", "/c"])
        let first = try TestConnector.capture(db, bindings: [binding])
        XCTAssertEqual(first.documents().count, 3)
        let state = first.reducedState()
        XCTAssertEqual(state["bindingStateV1"]?["composite"]?["CursorValues"], [2, "a", "9"], "numeric cursor values are strings")

        try db.run("""
            INSERT INTO {s}.composite VALUES (2, 'a', 8.99), (1, 'z', 0), (2, 'a', 9.01), (2, 'b', -1), (3, '', 0)
            """)
        let second = try TestConnector.capture(db, bindings: [binding], state: state)
        XCTAssertEqual(second.documents().map { [$0["a"], $0["b"], $0["c"]] }, [[2, "a", "9.01"], [2, "b", "-1"], [3, "", "0"]])
        XCTAssertEqual(second.documents().compactMap { $0.at("/_meta/row_id")?.int64 }, [3, 4, 5])
        XCTAssertEqual(second.reducedState(from: state)["bindingStateV1"]?["composite"]?["CursorValues"], [3, "", "0"])
    }

    /// State keys: a binding's state lives under the runtime's `stateKey` (percent-encoded resource path, `.v<N>`
    /// after a backfill); a bumped backfill starts over; states of bindings no longer captured stay untouched.
    func testStateKeysBackfillAndRemovedBindings() throws {
        let db = try CaptureDatabase(self)
        try db.run("CREATE TABLE {s}.orders (id INTEGER PRIMARY KEY)")
        try db.run("INSERT INTO {s}.orders SELECT generate_series(1, 3)")
        var binding = TestBinding(resource: db.resource("sales/orders 2024", table: "orders", cursor: ["id"]), key: ["/id"])
        let gone: JSON = ["CursorNames": ["x"], "CursorValues": [7], "LastPolled": "2020-01-01T00:00:00Z", "DocumentCount": 7]
        let first = try TestConnector.capture(db, bindings: [binding], state: ["bindingStateV1": ["removed": gone]])
        XCTAssertEqual(first.checkpoints.map { $0.updated["bindingStateV1"]?.objectValue?.keys ?? [] }, [["sales%2Forders%202024"]])
        var state = first.reducedState(from: ["bindingStateV1": ["removed": gone]])
        XCTAssertEqual(state["bindingStateV1"]?["removed"], gone, "a removed binding's state is left alone")
        XCTAssertEqual(state["bindingStateV1"]?["sales%2Forders%202024"]?["DocumentCount"], 3)

        let again = try TestConnector.capture(db, bindings: [binding], state: state)
        XCTAssertEqual(again.documents(), [], "same state key: nothing new")

        binding.backfill = 1
        let backfilled = try TestConnector.capture(db, bindings: [binding], state: state)
        XCTAssertEqual(backfilled.documents().compactMap { $0["id"]?.int64 }, [1, 2, 3], "a new backfill starts from scratch")
        XCTAssertEqual(backfilled.checkpoints.map { $0.updated["bindingStateV1"]?.objectValue?.keys ?? [] }, [["sales%2Forders%202024.v1"]])
        state = backfilled.reducedState(from: state)
        XCTAssertEqual(state["bindingStateV1"]?.objectValue?.keys.sorted(), ["removed", "sales%2Forders%202024", "sales%2Forders%202024.v1"])
    }
}
