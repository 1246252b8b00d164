import CapstanTestSupport
import Foundation
import Postgres
import XCTest

/// Connecting, plain queries, errors, cancellation and timeouts against the server from `scripts/pg`.
final class ConnectionTests: XCTestCase {
    func testConnects() throws {
        let connection = try TestDatabase.connect()
        XCTAssertGreaterThanOrEqual(connection.serverVersion, 100_000)
        XCTAssertEqual(connection.parameterStatus("client_encoding"), "UTF8")
        let result = try connection.query("SELECT 1 AS one, current_user")
        XCTAssertEqual(result.rows, [["1", "postgres"]])
        XCTAssertEqual(result.commandTag, "SELECT 1")
        connection.close()
        XCTAssertTrue(connection.isClosed)
        XCTAssertThrowsError(try connection.execute("SELECT 1")) { error in
            XCTAssertEqual((error as? PostgresError)?.kind, .connectionClosed)
        }
    }

    func testPasswordRoleConnects() throws {
        var parameters = try TestDatabase.parameters()
        (parameters.user, parameters.password, parameters.database) = TestDatabase.connectorRole
        let connection = try TestDatabase.connect(parameters)
        XCTAssertEqual(try connection.query("SELECT current_user, current_database()").rows, [["capstan", "capstan"]])
    }

    func testWrongPasswordNamesTheFailureButNotThePassword() throws {
        var parameters = try TestDatabase.parameters()
        parameters.user = TestDatabase.connectorRole.user
        parameters.database = TestDatabase.connectorRole.database
        parameters.password = "wrong-Pa55word"
        XCTAssertThrowsError(try Connection(parameters)) { error in
            guard let error = error as? PostgresError else { return XCTFail("unexpected error \(error)") }
            XCTAssertEqual(error.kind, .connectionFailed)
            XCTAssertTrue(error.message.contains("password authentication failed"), error.message)
            XCTAssertTrue(error.message.contains("capstan"), error.message)
            XCTAssertFalse("\(error)".contains("wrong-Pa55word"), "\(error)")
            XCTAssertFalse(String(reflecting: error).contains("wrong-Pa55word"), String(reflecting: error))
        }
    }

    func testParameterisedQueryWithNullAndUnicode() throws {
        let connection = try TestDatabase.connect()
        let text = "héllo wörld, 日本語, 🚀 'quoted' \"double\" \\ back"
        let result = try connection.query(
            "SELECT $1::text AS t, $2::text AS n, $3::int + 1 AS i, char_length($1) AS len, $2 IS NULL AS isnull",
            parameters: [text, nil, "41"])
        XCTAssertEqual(result.rows, [[text, nil, "42", String(text.count), "t"]])
        XCTAssertEqual(result.columns.map(\.name), ["t", "n", "i", "len", "isnull"])

        XCTAssertThrowsError(try connection.query("SELECT $1::text", parameters: ["nul\u{0}byte"])) { error in
            XCTAssertEqual((error as? PostgresError)?.kind, .invalidArgument)
        }
    }

    func testBadQueriesCarrySQLState() throws {
        let connection = try TestDatabase.connect()
        XCTAssertThrowsError(try connection.query("SELECT no_such_column FROM pg_class")) { error in
            let error = error as? PostgresError
            XCTAssertEqual(error?.kind, .serverError)
            XCTAssertEqual(error?.sqlState, "42703")
            XCTAssertTrue(error?.message.contains("no_such_column") ?? false, "\(String(describing: error))")
        }
        XCTAssertThrowsError(try connection.execute("SELECT * FROM no_such_table")) { error in
            XCTAssertEqual((error as? PostgresError)?.sqlState, "42P01")
        }
        for strategy in [RowStreamStrategy.singleRow, .cursor()] {
            XCTAssertThrowsError(try connection.stream("SELECT * FROM no_such_table", strategy: strategy) { _ in }) {
                XCTAssertEqual(($0 as? PostgresError)?.sqlState, "42P01", "\(strategy)")
            }
            // The failure must leave the connection usable.
            XCTAssertEqual(try connection.query("SELECT 2").rows, [["2"]], "\(strategy)")
        }
    }

    func testCancelFromAnotherThread() throws {
        let connection = try TestDatabase.connect()
        let canceller = connection.canceller
        let start = ContinuousClock.now
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 0.3)
            do { try canceller.cancel() } catch { XCTFail("cancel failed: \(error)") }
        }
        XCTAssertThrowsError(try connection.execute("SELECT pg_sleep(10)")) { error in
            let error = error as? PostgresError
            XCTAssertEqual(error?.sqlState, PostgresError.queryCanceledState, "\(String(describing: error))")
            XCTAssertTrue(error?.isQueryCanceled ?? false)
        }
        let elapsed = ContinuousClock.now - start
        XCTAssertLessThan(elapsed, .milliseconds(1_500), "cancel took \(elapsed)")
        XCTAssertEqual(try connection.query("SELECT 3").rows, [["3"]])
    }

    func testCancelWhileStreaming() throws {
        let connection = try TestDatabase.connect()
        let canceller = connection.canceller
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 0.3)
            try? canceller.cancel()
        }
        let start = ContinuousClock.now
        var rows = 0
        XCTAssertThrowsError(
            try connection.stream("SELECT i, pg_sleep(0.01) FROM generate_series(1, 1000) AS i") { _ in rows += 1 }
        ) { error in
            XCTAssertTrue((error as? PostgresError)?.isQueryCanceled ?? false, "\(error)")
        }
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(3))
        XCTAssertLessThan(rows, 1000)
        XCTAssertEqual(try connection.query("SELECT 4").rows, [["4"]])
    }

    func testStatementTimeoutFires() throws {
        let connection = try TestDatabase.connect()
        try connection.setStatementTimeout(.milliseconds(200))
        XCTAssertEqual(try connection.query("SHOW statement_timeout").rows, [["200ms"]])
        let start = ContinuousClock.now
        XCTAssertThrowsError(try connection.execute("SELECT pg_sleep(5)")) { error in
            let error = error as? PostgresError
            XCTAssertTrue(error?.isQueryCanceled ?? false, "\(String(describing: error))")
            XCTAssertTrue(error?.message.contains("statement timeout") ?? false, "\(String(describing: error))")
        }
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(2))
        try connection.setStatementTimeout(nil)
        XCTAssertEqual(try connection.query("SHOW statement_timeout").rows, [["0"]])
    }
}
