import CapstanTestSupport
import FlowCapture
import Foundation
import JSON
import Postgres
import XCTest

/// Failing captures: the connector exits 1 and its last stderr line says which binding failed and why.
final class CaptureErrorTests: XCTestCase {
    /// TestNonexistentCursor: with the default template the first query's ORDER BY fails (SQLSTATE 42703); with a
    /// template that does not select the cursor, the connector's own check fails. Nothing is committed.
    func testNonexistentCursorColumn() throws {
        let db = try CaptureDatabase(self)
        try db.run("CREATE TABLE {s}.cursorless (id INTEGER PRIMARY KEY, data TEXT)")
        try db.run("INSERT INTO {s}.cursorless VALUES (1, 'a')")

        let defaultTemplate = TestBinding(resource: db.resource("cursorless", table: "cursorless", cursor: ["updated_at"]))
        let run = try TestConnector.run([Requests.open(config: db.config(), bindings: [defaultTemplate])])
        let message = TestConnector.expectFailure(run)
        XCTAssertTrue(message.hasPrefix(#"capture terminated with error: error polling binding "cursorless": error executing query: ERROR: column "updated_at" does not exist"#),
                      message)
        XCTAssertTrue(message.hasSuffix("(SQLSTATE 42703)"), message)
        XCTAssertEqual(run.lines.first, #"{"opened":{}}"#)
        XCTAssertEqual(run.lines.dropFirst().filter { !$0.hasPrefix(#"{"sourcedSchema":"#) }, [], "nothing but opened and the sourced schema on stdout")

        let template = TestBinding(resource: ["name": "templated", "template": .string("SELECT id, data FROM \(db.schema).cursorless ORDER BY id"),
                                              "cursor": ["x"]])
        let second = try TestConnector.run([Requests.open(config: db.config(), bindings: [template])])
        XCTAssertEqual(TestConnector.expectFailure(second),
                       #"capture terminated with error: error polling binding "templated": cursor column "x" not found in query result"#)
        XCTAssertEqual(second.checkpoints.count, 0)
        XCTAssertEqual(second.committedDocuments.count, 0)
    }

    /// A connection lost mid-query (its backend terminated): exit 1 and an error naming the binding. The other
    /// binding's committed work stays committed.
    func testLostConnectionDuringQuery() throws {
        let db = try CaptureDatabase(self)
        try db.run("CREATE TABLE {s}.slow (id INTEGER PRIMARY KEY)")
        try db.run("INSERT INTO {s}.slow VALUES (1), (2)")
        let marker = "lost_connection_\(db.schema)"
        let template = "SELECT id, '\(marker)' AS marker FROM \(db.schema).slow, pg_sleep(60)"
        let binding = TestBinding(resource: ["name": "slow", "template": .string(template)])

        let terminated = Terminator()
        let url = try TestDatabase.url()
        let killer = Thread {
            // Wait for the connector's query, then end its backend (from a connection of this thread's own).
            guard let connection = try? Connection(url: url) else { return }
            defer { connection.close() }
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline {
                let rows = (try? connection.query("""
                    SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                    WHERE application_name = 'capstan source-redshift-batch' AND usename = 'capstan'
                      AND state = 'active' AND pid <> pg_backend_pid()
                      AND (query LIKE '%\(marker)%' OR query LIKE 'FETCH % FROM capstan_cursor_%')
                    """).rows) ?? []
                if rows.contains(where: { $0.first == "t" }) { terminated.mark(); return }
                usleep(50_000)
            }
        }
        killer.start()
        let run = try TestConnector.run([Requests.open(config: db.config(), bindings: [binding])], timeout: 60)
        XCTAssertTrue(terminated.done, "the connector's query was never seen in pg_stat_activity")
        let message = TestConnector.expectFailure(run)
        print("lost connection: \(message)")
        XCTAssertTrue(message.hasPrefix(#"capture terminated with error: error polling binding "slow": "#), message)
        XCTAssertTrue(message.contains("terminat"), "the cause should say the connection was terminated: \(message)")
        XCTAssertLessThan(run.seconds, 30, "the failure is reported at once, not after the sleep")
    }

    /// The query timeout (watchdog): a query that returns no first row in time is cancelled, exit 1.
    func testQueryTimeout() throws {
        let db = try CaptureDatabase(self)
        let binding = TestBinding(resource: ["name": "sleepy", "template": "SELECT 1 AS id FROM pg_sleep(30)"])
        let run = try TestConnector.run([Requests.open(config: db.config(advanced: ["query_timeout": "1s"]), bindings: [binding])], timeout: 60)
        let message = TestConnector.expectFailure(run)
        XCTAssertTrue(message.hasPrefix(#"capture terminated with error: error polling binding "sleepy": polling timed out"#), message)
        XCTAssertLessThan(run.seconds, 15)
    }

    /// The watchdog between rows: once rows flow, a gap longer than a sixth of `query_timeout` (5m of the default
    /// 30m, as the original) cancels the query. Rows are big so that the server sends each at once.
    func testQueryTimeoutBetweenRows() throws {
        let db = try CaptureDatabase(self)
        let binding = TestBinding(resource: ["name": "stalling", "template": """
            SELECT n, repeat('x', 20000) AS pad, pg_sleep(CASE WHEN n = 3 THEN 20 ELSE 0 END)::text AS slept FROM generate_series(1, 3) n
            """], key: ["/n"])
        // Per-row progress needs single-row streaming: a cursor sees rows a batch at a time.
        let run = try TestConnector.run([Requests.open(config: db.config(advanced: ["query_timeout": "3s"]), bindings: [binding])],
                                        environment: ["CAPSTAN_PG_STREAM": "single-row"], timeout: 60)
        XCTAssertEqual(TestConnector.expectFailure(run),
                       #"capture terminated with error: error polling binding "stalling": polling timed out: the query returned no row for 0.5 seconds"#)
        XCTAssertLessThan(run.seconds, 2.5, "the between-rows limit (0.5 s), not the first-row one (3 s)")
        XCTAssertEqual(run.checkpoints.count, 0)
    }

    /// Errors before `opened` write nothing to stdout: a bad state, a bad resource.
    func testErrorsBeforeOpened() throws {
        let db = try CaptureDatabase(self)
        try db.run("CREATE TABLE {s}.t (id INTEGER PRIMARY KEY)")
        let binding = TestBinding(resource: db.resource("t", table: "t"))

        let badState = try TestConnector.run([Requests.open(config: db.config(), bindings: [binding], state: ["bindingStateV1": ["t": ["Bogus": 1]]])])
        XCTAssertTrue(TestConnector.expectFailure(badState).hasPrefix("parsing state checkpoint: "), badState.lastErrorMessage ?? "")
        XCTAssertEqual(badState.lines, [])

        let badResource = try TestConnector.run([Requests.open(config: db.config(), bindings: [TestBinding(resource: ["name": "t", "schema": "x"])])])
        XCTAssertTrue(TestConnector.expectFailure(badResource).contains("must specify schema+table name or else a template override"),
                      badResource.lastErrorMessage ?? "")
        XCTAssertEqual(badResource.lines, [])
    }
}

/// A flag set by one thread and read by another.
private final class Terminator: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    var done: Bool { lock.lock(); defer { lock.unlock() }; return flag }
    func mark() { lock.lock(); flag = true; lock.unlock() }
}

/// Result columns that repeat a name are left out of documents, and the connector says so.
final class CaptureDuplicateColumnTests: XCTestCase {
    func testRepeatedColumnNamesAreDroppedWithAWarning() throws {
        let db = try CaptureDatabase(self)
        let binding = TestBinding(resource: ["name": "dupes", "template": "SELECT 1 AS id, 2 AS id, 'x' AS note, 3 AS _meta"], key: ["/id"])
        let run = try TestConnector.capture(db, bindings: [binding])
        let document = try XCTUnwrap(run.documents().first)
        XCTAssertEqual(document["id"], 1, "the first column of a repeated name is kept")
        XCTAssertEqual(document["note"], "x")
        XCTAssertEqual(document["_meta"]?["row_id"], 0, "a column named _meta does not replace the connector's metadata")
        let warning = run.logs.first { $0["msg"]?.stringValue?.hasPrefix("query result columns left out of documents") == true }
        XCTAssertEqual(warning?["binding"], "dupes", "\(run.stderr)")
        XCTAssertEqual(warning?["columns"], ["id", "_meta"])
    }
}
