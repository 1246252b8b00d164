import CapstanTestSupport
import FlowCapture
import Foundation
import JSON
import RedshiftBatch
import XCTest

/// Several bindings in one session, and a large capture's memory.
final class CaptureSessionTests: XCTestCase {
    /// Three bindings with `concurrency: 1` (then 3): all complete with `exit_after_poll`; every transaction (the
    /// documents before a checkpoint, and the checkpoint) belongs to one binding: its documents come before its
    /// own checkpoint, and no other binding's documents or checkpoint fall in between. With one query at a time,
    /// each binding's transactions are also contiguous.
    func testBindingsDoNotInterleave() throws {
        let db = try CaptureDatabase(self)
        let sizes = ["alpha": 2_500, "beta": 1_200, "gamma": 3_100]
        for (table, size) in sizes {
            try db.run("CREATE TABLE {s}.\(table) (id INTEGER PRIMARY KEY, grp INTEGER NOT NULL, data TEXT)")
            try db.run("INSERT INTO {s}.\(table) SELECT n, n / 10, md5(n::text) FROM generate_series(1, \(size)) n")
        }
        let bindings = [
            TestBinding(resource: db.resource("alpha", table: "alpha"), key: ["/id"]),
            TestBinding(resource: db.resource("beta", table: "beta", cursor: ["grp"]), key: ["/id"]),
            TestBinding(resource: db.resource("gamma", table: "gamma", cursor: ["id"]), key: ["/_meta/row_id"]),
        ]
        let names = bindings.map(\.name)
        for concurrency in [1, 3] {
            let run = try TestConnector.capture(db, bindings: bindings, advanced: ["concurrency": .number(JSONNumber(concurrency))])
            var transactions: [(binding: Int, documents: Int)] = []
            var pending: [UInt32] = []
            for response in run.responses {
                switch response {
                case .captured(let captured):
                    pending.append(captured.binding)
                case .checkpoint(let checkpoint):
                    let keys = checkpoint.state?.updated["bindingStateV1"]?.objectValue?.keys ?? []
                    XCTAssertEqual(keys.count, 1, "a checkpoint carries one binding's state: \(keys)")
                    guard let key = keys.first, let owner = names.firstIndex(of: key) else { continue }
                    XCTAssertTrue(pending.allSatisfy { $0 == UInt32(owner) },
                                  "concurrency \(concurrency): documents of bindings \(Set(pending).sorted()) committed by \(key)'s checkpoint")
                    transactions.append((owner, pending.count))
                    pending = []
                default:
                    break
                }
            }
            XCTAssertEqual(pending, [], "documents after the last checkpoint")
            for (index, name) in names.enumerated() {
                let documents = run.documents(binding: UInt32(index))
                XCTAssertEqual(documents.count, sizes[name], "\(name), concurrency \(concurrency)")
                XCTAssertEqual(Set(documents.compactMap { $0["id"]?.int64 }).count, sizes[name], "\(name): each row once")
                XCTAssertEqual(transactions.filter { $0.binding == index }.map(\.documents).reduce(0, +), sizes[name])
            }
            // Checkpoint cadence: every 1000 documents for a full refresh (alpha) and a distinct cursor (gamma); for
            // beta (groups of 10 equal cursor values) at the first cursor change after 1000 documents.
            XCTAssertEqual(transactions.filter { $0.binding == 0 }.map(\.documents), [1000, 1000, 500])
            XCTAssertEqual(transactions.filter { $0.binding == 1 }.map(\.documents), [1009, 191])
            XCTAssertEqual(transactions.filter { $0.binding == 2 }.map(\.documents), [1000, 1000, 1000, 100])
            if concurrency == 1 {
                let order = transactions.map(\.binding)
                var runs: [Int] = []
                for binding in order where runs.last != binding { runs.append(binding) }
                XCTAssertEqual(runs.count, 3, "with one query at a time each binding's transactions are contiguous: \(order)")
            }
            let completed = run.logs.filter { $0["msg"] == "poll completed" }.compactMap { $0["binding"]?.stringValue }
            XCTAssertEqual(Set(completed), Set(names))
            XCTAssertEqual(completed.count, 3)
        }
    }

    /// A 1,000,000-row full refresh (10 columns of mixed types) with stdout to /dev/null: exit 0, the `poll
    /// completed` log counts every row, and the connector's peak RSS (`VmHWM`, sampled while it runs) stays under
    /// 64 MiB. Its minor page faults stay few: glibc would otherwise hand each batch's freed result back to the kernel
    /// a page at a time and fault it in again (`Connection.keepFreedMemory`). About 35 s with the debug build on 2
    /// cores (25 s of it the capture).
    func testLargeFullRefreshMemory() throws {
        let rows = 1_000_000
        let db = try CaptureDatabase(self)
        try db.run("""
            CREATE TABLE {s}.big AS
            SELECT n AS id, n % 2 = 0 AS flag, (n * 7)::bigint * 1000003 AS big, (n / 3.0)::numeric(20, 6) AS amount,
                   n / 7.0::float8 AS ratio, md5(n::text) AS hash, repeat('x', n % 50) AS padding,
                   timestamptz '2024-01-01 00:00:00+00' + n * interval '1 second' AS created_at,
                   date '2000-01-01' + (n % 10000) AS day, ('{"n": ' || n || ', "tags": ["a", "b"]}')::jsonb AS doc
            FROM generate_series(1, \(rows)) n
            """)
        let binding = TestBinding(resource: db.resource("big", table: "big"), key: ["/id"])
        let run = try TestConnector.run([Requests.open(config: db.config(), bindings: [binding])],
                                        timeout: 300, discardStdout: true)
        XCTAssertEqual(run.status, 0, run.stderr.suffix(5).joined(separator: "\n"))
        let completed = run.logs.first { $0["msg"] == "poll completed" }
        XCTAssertEqual(completed?["rows"]?.stringValue ?? completed?["rows"]?.numberValue?.text, String(rows), "\(run.stderr)")
        XCTAssertEqual(completed?["streaming"], "prefetching-cursor", "PostgreSQL reached directly is read through a cursor")
        let peak = try XCTUnwrap(run.peakRSSKiB, "the child's VmHWM was never sampled")
        XCTAssertLessThan(peak, 64 * 1024, "peak RSS \(peak) KiB")
        // About 46,000 when glibc trims after every batch; some 2,000–3,000 to load the program and fill its buffers.
        let faults = try XCTUnwrap(run.minorFaults, "the child's minflt was never sampled")
        XCTAssertLessThan(faults, 12_000, "minor page faults")
        print("capture of \(rows) rows: \(String(format: "%.1f", run.seconds)) s, peak RSS \(peak / 1024) MiB, \(faults) minor faults")
    }

    /// A capture with no bindings answers `opened` and exits 0 at once (even without `exit_after_poll`).
    func testNoBindings() throws {
        let db = try CaptureDatabase(self)
        let run = try TestConnector.run([Requests.open(config: db.config(advanced: ["exit_after_poll": false]), bindings: [])], timeout: 30)
        XCTAssertEqual(run.status, 0)
        XCTAssertEqual(run.lines, [#"{"opened":{}}"#])
        XCTAssertEqual(run.logs.last?["msg"], "capture has no enabled bindings, shutting down")
    }

    /// Without `exit_after_poll` the session runs on: a binding's own 300ms schedule (over the 24h default) polls
    /// again and again, each poll's `LastPolled` at least 300ms after the previous one, until SIGTERM ends it.
    /// A `daily at` schedule that never polled polls at once.
    func testScheduledPollsUntilSIGTERM() throws {
        let db = try CaptureDatabase(self)
        try db.run("CREATE TABLE {s}.ticks (v TEXT)")
        try db.run("INSERT INTO {s}.ticks VALUES ('a'), ('b')")
        var resource = db.resource("ticks", table: "ticks").objectValue!
        resource["poll"] = "300ms"
        let binding = TestBinding(resource: .object(resource), key: ["/_meta/row_id"])
        let run = try TestConnector.run([Requests.open(config: db.config(advanced: ["exit_after_poll": false]), bindings: [binding])],
                                        timeout: 30, killAfterCheckpoint: 3, killSignal: SIGTERM)
        XCTAssertTrue(run.killedBySignal && run.status == SIGTERM, "ended by SIGTERM, not on its own (status \(run.status))")
        XCTAssertEqual(run.documents().map { $0.at("/_meta/op") }, ["c", "c", "u", "u", "u", "u"])
        XCTAssertEqual(run.documents().compactMap { $0.at("/_meta/row_id")?.int64 }, [0, 1, 0, 1, 0, 1])
        let polled = run.checkpoints.compactMap { $0.updated.at("/bindingStateV1/ticks/LastPolled")?.stringValue }.compactMap(Timestamp.init(rfc3339:))
        XCTAssertEqual(polled.count, 3)
        for (earlier, later) in zip(polled, polled.dropFirst()) {
            XCTAssertGreaterThanOrEqual(earlier.nanoseconds(until: later), 300_000_000, "polls \(earlier.rfc3339) and \(later.rfc3339)")
        }
        XCTAssertEqual(run.documents().last?.at("/_meta/polled")?.stringValue, polled.last?.rfc3339, "LastPolled is the poll's start, as in its documents")

        resource["poll"] = "daily at 00:00Z"
        let daily = try TestConnector.run([Requests.open(config: db.config(advanced: ["exit_after_poll": false]),
                                                         bindings: [TestBinding(resource: .object(resource))])],
                                          timeout: 30, killAfterCheckpoint: 1, killSignal: SIGTERM)
        XCTAssertEqual(daily.documents().count, 2, "a binding that never polled polls at once, whatever its schedule")
    }

    /// At `LOG_LEVEL=trace` (every log line), the password still appears nowhere: discover, validate, a capture,
    /// and a failed sign-in (the harness checks every run's stdout and stderr for it).
    func testTraceLogsNeverShowThePassword() throws {
        let db = try CaptureDatabase(self)
        try db.run("CREATE TABLE {s}.secretive (id INTEGER PRIMARY KEY)")
        try db.run("INSERT INTO {s}.secretive VALUES (1)")
        let trace = ["LOG_LEVEL": "trace"]
        let resource = db.resource("secretive", table: "secretive", cursor: ["id"])
        let discover = try TestConnector.run([Requests.discover(config: db.config(advanced: ["discover_schemas": [.string(db.schema)]]))], environment: trace)
        XCTAssertEqual(discover.status, 0)
        let validate = try TestConnector.run([Requests.validate(config: db.config(), resources: [resource])], environment: trace)
        XCTAssertEqual(validate.status, 0)
        let capture = try TestConnector.capture(db, bindings: [TestBinding(resource: resource)], environment: trace)
        XCTAssertEqual(capture.documents().count, 1)
        let wrong = "trace-Wr0ng-\(db.schema)"
        let failed = try TestConnector.run([Requests.open(config: db.config(password: wrong), bindings: [TestBinding(resource: resource)])],
                                           environment: trace, secrets: [wrong, TestDatabase.connectorRole.password])
        TestConnector.expectFailure(failed)
    }

    /// A binding fails mid-transaction while another waits to write: the error is still the last stderr line (the
    /// other binding's completion is not logged after it), and the failed binding's pending documents must not be
    /// committed by the other binding's checkpoint. `failing` sends big rows 0.3 s apart (each flushed by the
    /// server at once), holding the output from its first document, and fails on the fifth (division by zero, at
    /// 1.5 s); `waiting` has its one row ready at 1 s and waits for the output meanwhile.
    func testBindingFailingMidTransactionWhileAnotherWaits() throws {
        let db = try CaptureDatabase(self)
        let failing = TestBinding(resource: ["name": "failing", "template": """
            SELECT n, repeat('x', 20000) AS pad, pg_sleep(0.3)::text AS slept, 1 / (5 - n) AS boom FROM generate_series(1, 5) n
            """], key: ["/n"])
        let waiting = TestBinding(resource: ["name": "waiting", "template": "SELECT 1 AS n, pg_sleep(1.0)::text AS slept"], key: ["/n"])
        for _ in 0..<2 {
            // Single-row streaming, so that the failing binding has documents written when its query fails.
            let run = try TestConnector.run([Requests.open(config: db.config(advanced: ["concurrency": 2]), bindings: [failing, waiting])],
                                            environment: ["CAPSTAN_PG_STREAM": "single-row"])
            let message = TestConnector.expectFailure(run)
            XCTAssertTrue(message.hasPrefix(#"capture terminated with error: error polling binding "failing": error executing query: ERROR: division by zero"#),
                          message)
            XCTAssertEqual(run.documents(binding: 0).count, 4, "the failing binding's rows before the error were written")
            // A failed poll poisons the output gate, so no other binding's checkpoint can commit its documents.
            XCTAssertEqual(run.committedDocuments.filter { $0.binding == 0 }.count, 0,
                           "documents of the failed binding were committed by another binding's checkpoint")
        }
    }
}
