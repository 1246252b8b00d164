import CapstanTestSupport
import Foundation
import JSON
import Postgres
import XCTest

/// A connection to the test server as the superuser, with a throwaway schema `cap_<random>` that the connector's
/// role may read; the schema (and any other created with ``createSchema(_:)``) is dropped when the test ends.
/// Without `CAPSTAN_TEST_DATABASE_URL`, or when the server does not answer, the test fails (it never skips).
final class CaptureDatabase {
    let connection: Connection
    /// The test's schema, `cap_<16 hex digits>`; needs no quoting.
    let schema: String
    /// Where the connector connects: `127.0.0.1:<port>` and the database of the URL.
    let address: String
    let database: String
    private var schemas: [String] = []

    init(_ test: XCTestCase, file: StaticString = #filePath, line: UInt = #line) throws {
        let parameters = try TestDatabase.parameters(file: file, line: line)
        connection = try TestDatabase.connect(parameters, file: file, line: line)
        address = "127.0.0.1:\(parameters.port ?? 5432)"
        database = parameters.database ?? "postgres"
        schema = TestDatabase.uniqueName("cap_")
        try createSchema(schema)
        test.addTeardownBlock { [self] in
            for name in schemas.reversed() { try? connection.execute("DROP SCHEMA IF EXISTS \(TestDatabase.quote(name)) CASCADE") }
            connection.close()
        }
    }

    /// Creates a schema (any name; it is quoted) that the connector's role can read, dropped when the test ends.
    func createSchema(_ name: String) throws {
        let quoted = TestDatabase.quote(name)
        try connection.execute("CREATE SCHEMA \(quoted)")
        schemas.append(name)
        try connection.execute("GRANT USAGE ON SCHEMA \(quoted) TO \(TestDatabase.connectorRole.user)")
        try connection.execute("ALTER DEFAULT PRIVILEGES IN SCHEMA \(quoted) GRANT SELECT ON TABLES TO \(TestDatabase.connectorRole.user)")
    }

    /// Runs `sql`, in which `{s}` stands for the test's schema.
    func run(_ sql: String) throws {
        try connection.execute(sql.replacingOccurrences(of: "{s}", with: schema))
    }

    /// The rows of `sql` (`{s}` is the test's schema), as text.
    func query(_ sql: String) throws -> [[String?]] {
        try connection.query(sql.replacingOccurrences(of: "{s}", with: schema)).rows
    }

    /// An endpoint config for the connector's role; `exit_after_poll` is on unless `advanced` says otherwise.
    func config(password: String = TestDatabase.connectorRole.password, advanced: JSONObject = [:]) -> JSON {
        var options: JSONObject = ["exit_after_poll": true]
        for member in advanced.members { options[member.key] = member.value }
        return [
            "address": .string(address), "user": .string(TestDatabase.connectorRole.user), "password": .string(password),
            "database": .string(database), "advanced": .object(options),
        ]
    }

    /// A resource config for table `table` of the test's schema.
    func resource(_ name: String, table: String, cursor: [String] = []) -> JSON {
        var object: JSONObject = ["name": .string(name), "schema": .string(schema), "table": .string(table)]
        if !cursor.isEmpty { object["cursor"] = .array(cursor.map { .string($0) }) }
        return .object(object)
    }
}
