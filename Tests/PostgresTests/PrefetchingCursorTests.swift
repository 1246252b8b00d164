import CapstanTestSupport
import Foundation
import Postgres
import XCTest

/// `.prefetchingCursor` with several FETCHes in flight (libpq pipeline mode): every row exactly once and in order
/// whatever the batch boundaries, bounded read-ahead, and a usable connection after errors, throws and cancels.
final class PrefetchingCursorTests: XCTestCase {
    /// The rows of `sql` as `[id]`, checking that the returned count matches.
    private func ids(
        _ connection: Connection, _ sql: String, _ strategy: RowStreamStrategy, file: StaticString = #filePath,
        line: UInt = #line
    ) throws -> [Int] {
        var ids: [Int] = []
        let count = try connection.stream(sql, strategy: strategy) { row in ids.append(Int(row.string(at: 0)!)!) }
        XCTAssertEqual(count, ids.count, "\(strategy)", file: file, line: line)
        return ids
    }

    /// The connection is idle, outside any transaction, with no cursor left, and runs statements.
    private func assertUsable(_ connection: Connection, _ context: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(try connection.query("SELECT count(*) FROM pg_cursors WHERE name <> ''").rows, [["0"]], context,
                       file: file, line: line)
        XCTAssertEqual(try connection.query("SELECT 'ok'").rows, [["ok"]], context, file: file, line: line)
        // Not inside a leftover transaction: SAVEPOINT works only in one.
        XCTAssertThrowsError(try connection.execute("SAVEPOINT probe"), context, file: file, line: line) {
            XCTAssertEqual(($0 as? PostgresError)?.sqlState, "25P01", context, file: file, line: line)
        }
    }

    func testEveryRowOnceInOrderAtEveryBatchBoundary() throws {
        let connection = try TestDatabase.connect()
        for total in [0, 1, 99, 100, 101, 1_000, 2_345] {
            let sql = "SELECT i FROM generate_series(1, \(total)) AS i ORDER BY i"
            for batchSize in [1, 7, 100, 1_000, 5_000] {
                for fetchesInFlight in [1, 2, 3, 8] {
                    let strategy = RowStreamStrategy.prefetchingCursor(batchSize: batchSize, fetchesInFlight: fetchesInFlight)
                    let seen = try ids(connection, sql, strategy)
                    XCTAssertEqual(seen, (0..<total).map { $0 + 1 }, "\(total) rows, \(strategy)")
                }
            }
        }
        assertUsable(connection, "after the streams")
    }

    func testColumnsArriveOnceAlsoForAnEmptyResult() throws {
        let connection = try TestDatabase.connect()
        for total in [0, 10, 25] {
            var columns: [[ColumnDescription]] = []
            var rows = 0
            try connection.stream(
                "SELECT i AS n, 'x'::text AS label FROM generate_series(1, \(total)) AS i",
                strategy: .prefetchingCursor(batchSize: 5, fetchesInFlight: 3),
                onColumns: { columns.append($0) }
            ) { _ in
                XCTAssertEqual(columns.count, 1, "row before columns")
                rows += 1
            }
            XCTAssertEqual(rows, total)
            XCTAssertEqual(columns.map { $0.map(\.name) }, [["n", "label"]], "\(total) rows")
        }
    }

    /// With N FETCHes in flight, while the caller is on batch k the server has produced batches up to k + N and no
    /// further: the sequence the query advances row by row shows how far it got.
    func testReadAheadIsExactlyTheFetchesInFlight() throws {
        let connection = try TestDatabase.connect()
        let observer = try TestDatabase.connect()
        let batchSize = 50
        // A sequence of its own: other test runs share the server.
        let probe = "prefetch_probe_\(ProcessInfo.processInfo.processIdentifier)_\(UInt32.random(in: 0 ... .max))"
        for fetchesInFlight in [1, 3] {
            try connection.execute("DROP SEQUENCE IF EXISTS \(probe); CREATE SEQUENCE \(probe)")
            var row = 0
            var readAhead: [Int: Int] = [:]  // batch (1-based) → the last row the server had produced
            try connection.stream(
                "SELECT i, nextval('\(probe)') FROM generate_series(1, 1000) AS i",
                strategy: .prefetchingCursor(batchSize: batchSize, fetchesInFlight: fetchesInFlight)
            ) { _ in
                row += 1
                guard row % batchSize == 1 else { return }
                let batch = row / batchSize + 1
                guard batch == 2 || batch == 5 else { return }
                // Small rows fit in the socket buffers, so the server gets through the FETCHes sent: wait for it.
                let expected = (batch + fetchesInFlight) * batchSize
                let deadline = ContinuousClock.now + .seconds(5)
                var produced = 0
                repeat {
                    produced = Int(try observer.query("SELECT last_value FROM \(probe)").rows[0][0]!)!
                    if produced >= expected { break }
                    Thread.sleep(forTimeInterval: 0.01)
                } while ContinuousClock.now < deadline
                Thread.sleep(forTimeInterval: 0.05)  // and it goes no further
                readAhead[batch] = Int(try observer.query("SELECT last_value FROM \(probe)").rows[0][0]!)!
            }
            XCTAssertEqual(row, 1000)
            XCTAssertEqual(readAhead, [2: (2 + fetchesInFlight) * batchSize, 5: (5 + fetchesInFlight) * batchSize],
                           "\(fetchesInFlight) in flight")
        }
        try connection.execute("DROP SEQUENCE \(probe)")
        assertUsable(connection, "after the streams")
    }

    func testAFailingFetchStopsTheStreamAfterTheBatchesBeforeIt() throws {
        let connection = try TestDatabase.connect()
        for fetchesInFlight in [1, 2, 4] {
            var seen: [Int] = []
            // Row 2,500 divides by zero: the FETCH of rows 2,401–2,500 fails, and the ones queued after it are aborted.
            XCTAssertThrowsError(try connection.stream(
                "SELECT i, 1 / (2500 - i) FROM generate_series(1, 5000) AS i",
                strategy: .prefetchingCursor(batchSize: 100, fetchesInFlight: fetchesInFlight)
            ) { row in seen.append(Int(row.string(at: 0)!)!) }) { error in
                XCTAssertEqual((error as? PostgresError)?.sqlState, "22012", "\(error)")
            }
            XCTAssertEqual(seen, Array(1...2400), "\(fetchesInFlight) in flight")
            assertUsable(connection, "\(fetchesInFlight) in flight")
        }
    }

    struct Stop: Error {}

    func testThrowingFromTheBodyWithFetchesInFlight() throws {
        let connection = try TestDatabase.connect()
        for fetchesInFlight in [1, 2, 5] {
            for stopAt in [1, 100, 101, 250] {
                var seen = 0
                XCTAssertThrowsError(try connection.stream(
                    "SELECT i, repeat('x', 100) FROM generate_series(1, 10000) AS i",
                    strategy: .prefetchingCursor(batchSize: 100, fetchesInFlight: fetchesInFlight)
                ) { _ in
                    seen += 1
                    if seen == stopAt { throw Stop() }
                }) { XCTAssertTrue($0 is Stop, "\($0)") }
                XCTAssertEqual(seen, stopAt)
                assertUsable(connection, "\(fetchesInFlight) in flight, stop at \(stopAt)")
            }
        }
        // onColumns throwing stops it too.
        XCTAssertThrowsError(try connection.stream(
            "SELECT 1", strategy: .prefetchingCursor(), onColumns: { _ in throw Stop() }) { _ in XCTFail("row after a throw") })
        assertUsable(connection, "after onColumns threw")
    }

    func testCancelStopsAStreamWithFetchesInFlight() throws {
        let connection = try TestDatabase.connect()
        let canceller = connection.canceller
        var rows = 0
        let start = ContinuousClock.now
        // Rows past 200 take 10 s each: the FETCH queued for them runs until the cancel arrives.
        XCTAssertThrowsError(try connection.stream(
            "SELECT i, CASE WHEN i > 200 THEN pg_sleep(10) END FROM generate_series(1, 1000) AS i",
            strategy: .prefetchingCursor(batchSize: 50, fetchesInFlight: 3)
        ) { _ in
            rows += 1
            if rows == 1 {
                Thread.detachNewThread {
                    Thread.sleep(forTimeInterval: 0.3)
                    try? canceller.cancel()
                }
            }
        }) { error in
            XCTAssertTrue((error as? PostgresError)?.isQueryCanceled ?? false, "\(error)")
        }
        XCTAssertEqual(rows, 200)
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(5))
        assertUsable(connection, "after the cancel")
    }

    func testInsideCallersTransactionLeavesItOpen() throws {
        let connection = try TestDatabase.connect()
        try connection.execute("BEGIN")
        try connection.execute("CREATE TEMP TABLE numbers AS SELECT generate_series(1, 95) AS i")
        let seen = try ids(connection, "SELECT i FROM numbers ORDER BY i", .prefetchingCursor(batchSize: 10, fetchesInFlight: 3))
        XCTAssertEqual(seen, Array(1...95))
        XCTAssertEqual(try connection.query("SELECT count(*) FROM pg_cursors WHERE name <> ''").rows, [["0"]])
        // Still in the caller's transaction: rolling it back removes the table.
        try connection.execute("ROLLBACK")
        XCTAssertThrowsError(try connection.execute("SELECT * FROM numbers")) {
            XCTAssertEqual(($0 as? PostgresError)?.sqlState, "42P01")
        }
    }

    func testInvalidArguments() throws {
        let connection = try TestDatabase.connect()
        for strategy in [RowStreamStrategy.prefetchingCursor(batchSize: 0), .prefetchingCursor(batchSize: 10, fetchesInFlight: 0)] {
            XCTAssertThrowsError(try connection.stream("SELECT 1", strategy: strategy) { _ in }) {
                XCTAssertEqual(($0 as? PostgresError)?.kind, .invalidArgument, "\(strategy): \($0)")
            }
        }
        assertUsable(connection, "after invalid arguments")
    }
}
