import CapstanTestSupport
import Postgres
import XCTest

/// `Connection.stream` with both strategies against the server from `scripts/pg`.
final class StreamingTests: XCTestCase {
    static let rowCount = 50_000

    /// A session-local table of `rowCount` rows with NULLs in several columns.
    private func connectWithTable() throws -> Connection {
        let connection = try TestDatabase.connect()
        try connection.execute("""
            CREATE TEMP TABLE generated AS
            SELECT i AS id,
                   CASE WHEN i % 7 = 0 THEN NULL ELSE 'row ' || i || ' é✓' END AS label,
                   CASE WHEN i % 11 = 0 THEN NULL ELSE (i * 1.25)::numeric(12, 2) END AS amount,
                   i % 2 = 0 AS even,
                   timestamptz '2024-01-01 00:00:00+00' + i * interval '1 minute' AS created,
                   CASE WHEN i % 13 = 0 THEN NULL ELSE jsonb_build_object('i', i, 'tags', jsonb_build_array('a', i)) END
                       AS payload,
                   md5(i::text)::uuid AS uid,
                   '' AS empty
              FROM generate_series(1, \(Self.rowCount)) AS i
            """)
        return connection
    }

    private func collect(
        _ connection: Connection, _ sql: String, parameters: [String?] = [], strategy: RowStreamStrategy
    ) throws -> [[String?]] {
        var rows: [[String?]] = []
        let count = try connection.stream(sql, parameters: parameters, strategy: strategy) { row in
            rows.append((0..<row.columnCount).map { row.string(at: $0) })
        }
        XCTAssertEqual(count, rows.count)
        return rows
    }

    func testStrategiesGiveIdenticalRows() throws {
        let connection = try connectWithTable()
        let sql = "SELECT * FROM generated WHERE id > $1 ORDER BY id"
        let expected = try connection.query(sql, parameters: ["0"]).rows
        XCTAssertEqual(expected.count, Self.rowCount)

        let singleRow = try collect(connection, sql, parameters: ["0"], strategy: .singleRow)
        // 1,000 divides the row count (the last FETCH is empty); 4,096 does not (the last FETCH is short).
        let evenBatches = try collect(connection, sql, parameters: ["0"], strategy: .cursor(batchSize: 1_000))
        let unevenBatches = try collect(connection, sql, parameters: ["0"], strategy: .cursor(batchSize: 4_096))
        let prefetchedEven = try collect(connection, sql, parameters: ["0"], strategy: .prefetchingCursor(batchSize: 1_000))
        let prefetchedUneven = try collect(connection, sql, parameters: ["0"], strategy: .prefetchingCursor(batchSize: 4_096))
        XCTAssertTrue(prefetchedEven == expected, "prefetching cursor (1,000) differs from the buffered result")
        XCTAssertTrue(prefetchedUneven == expected, "prefetching cursor (4,096) differs from the buffered result")
        XCTAssertTrue(singleRow == expected, "single-row mode differs from the buffered result")
        XCTAssertTrue(evenBatches == expected, "cursor (1,000) differs from the buffered result")
        XCTAssertTrue(unevenBatches == expected, "cursor (4,096) differs from the buffered result")

        XCTAssertEqual(expected.filter { $0[1] == nil }.count, Self.rowCount / 7)
        XCTAssertEqual(expected.filter { $0[2] == nil }.count, Self.rowCount / 11)
        XCTAssertEqual(expected.filter { $0[5] == nil }.count, Self.rowCount / 13)
        XCTAssertEqual(expected[0], [
            "1", "row 1 é✓", "1.25", "f", "2024-01-01 00:01:00+00", #"{"i": 1, "tags": ["a", 1]}"#,
            "c4ca4238-a0b9-2382-0dcc-509a6f75849b", "",
        ])
    }

    func testRawBytesAndNulls() throws {
        let connection = try TestDatabase.connect()
        for strategy in [RowStreamStrategy.singleRow, .cursor(batchSize: 1), .prefetchingCursor(batchSize: 1)] {
            var seen = 0
            try connection.stream("SELECT 'ß→x'::text, NULL::text, ''::text", strategy: strategy) { row in
                XCTAssertEqual(row.columnCount, 3)
                XCTAssertEqual(Array(row.bytes(at: 0)), Array("ß→x".utf8))
                XCTAssertFalse(row.isNull(at: 0))
                XCTAssertTrue(row.isNull(at: 1))
                XCTAssertEqual(row.bytes(at: 1).count, 0)
                XCTAssertNil(row.string(at: 1))
                XCTAssertFalse(row.isNull(at: 2))
                XCTAssertEqual(row.string(at: 2), "")
                seen += 1
            }
            XCTAssertEqual(seen, 1, "\(strategy)")
        }
    }

    func testColumnMetadataArrivesBeforeRows() throws {
        let connection = try TestDatabase.connect()
        try connection.execute("""
            CREATE TEMP TABLE typed (
                name varchar(10), code char(3), price numeric(12, 2), id bigint, at timestamptz, doc jsonb)
            """)
        try connection.execute("INSERT INTO typed VALUES ('a', 'xyz', 9.99, 1, now(), '{}')")
        for strategy in [RowStreamStrategy.singleRow, .cursor(), .prefetchingCursor()] {
            for predicate in ["true", "false"] {
                var columns: [ColumnDescription] = []
                var rows = 0
                try connection.stream(
                    "SELECT name, code, price, id, at, doc, 1 + 1 AS computed FROM typed WHERE \(predicate)",
                    strategy: strategy,
                    onColumns: {
                        XCTAssertEqual(rows, 0, "columns after rows")
                        XCTAssertTrue(columns.isEmpty, "columns reported twice")
                        columns = $0
                    }
                ) { _ in
                    XCTAssertFalse(columns.isEmpty, "row before columns")
                    rows += 1
                }
                let context = "\(strategy), WHERE \(predicate)"
                XCTAssertEqual(rows, predicate == "true" ? 1 : 0, context)
                XCTAssertEqual(columns.map(\.name), ["name", "code", "price", "id", "at", "doc", "computed"], context)
                XCTAssertEqual(
                    columns.map(\.typeOID), [.varchar, .bpchar, .numeric, .int8, .timestamptz, .jsonb, .int4], context)
                guard columns.count == 7 else { continue }
                XCTAssertEqual(columns[0].typeModifier, 14, context)
                XCTAssertEqual(columns[0].characterMaximumLength, 10, context)
                XCTAssertEqual(columns[1].characterMaximumLength, 3, context)
                XCTAssertEqual(columns[2].numericPrecision, 12, context)
                XCTAssertEqual(columns[2].numericScale, 2, context)
                XCTAssertEqual(columns[3].typeModifier, -1, context)
                XCTAssertEqual(columns[3].tableColumn, 4, context)
                XCTAssertNotEqual(columns[3].tableOID, 0, context)
                XCTAssertEqual(columns[6].tableOID, 0, context)
                XCTAssertEqual(columns[4].typeOID.description, "timestamp with time zone")
            }
        }
    }

    struct Stop: Error {}

    func testThrowingFromTheBodyLeavesTheConnectionUsable() throws {
        let connection = try connectWithTable()
        for strategy in [RowStreamStrategy.singleRow, .cursor(batchSize: 100), .prefetchingCursor(batchSize: 100)] {
            var seen = 0
            XCTAssertThrowsError(try connection.stream("SELECT * FROM generated", strategy: strategy) { _ in
                seen += 1
                if seen == 10 { throw Stop() }
            }) { XCTAssertTrue($0 is Stop, "\(strategy): \($0)") }
            XCTAssertEqual(seen, 10, "\(strategy)")
            XCTAssertEqual(try connection.query("SELECT count(*) FROM generated").rows, [["\(Self.rowCount)"]])
        }
        // The cursor's own transaction was rolled back and no cursor is left (the unnamed portal is this query).
        XCTAssertEqual(try connection.query("SELECT count(*) FROM pg_cursors WHERE name <> ''").rows, [["0"]])
    }

    func testCursorInsideCallersTransactionAllowsNestedQueries() throws {
        let connection = try TestDatabase.connect()
        try connection.execute("BEGIN")
        try connection.execute("CREATE TEMP TABLE t AS SELECT generate_series(1, 25) AS i")
        var total = 0
        try connection.stream("SELECT i FROM t ORDER BY i", strategy: .cursor(batchSize: 10)) { row in
            // Between FETCHes the connection is free, inside the caller's transaction.
            let doubled = try connection.query("SELECT $1::int * 2", parameters: [row.string(at: 0)])
            total += Int(doubled.rows[0][0]!)!
        }
        XCTAssertEqual(total, 2 * (1...25).reduce(0, +))
        XCTAssertEqual(try connection.query("SELECT count(*) FROM pg_cursors WHERE name <> ''").rows, [["0"]])
        // Still inside the caller's transaction: rolling it back removes the table.
        try connection.execute("ROLLBACK")
        XCTAssertThrowsError(try connection.execute("SELECT * FROM t")) {
            XCTAssertEqual(($0 as? PostgresError)?.sqlState, "42P01")
        }
    }
}
