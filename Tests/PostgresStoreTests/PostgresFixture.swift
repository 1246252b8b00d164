import CollectionStore
import Foundation
import JSON
import Postgres
import PostgresStore
import XCTest

/// A schema of its own in the test database (`CAPSTAN_TEST_DATABASE_URL`, from `scripts/pg`), dropped when the
/// fixture goes away, and stores on it. Without the URL or the server, tests fail; they never skip. Its admin
/// connection is used from the test's thread only; threads share only `store(…)`, hence `@unchecked Sendable`.
final class PostgresFixture: @unchecked Sendable {
    let url: String
    let schema: String
    let admin: Connection

    init(file: StaticString = #filePath, line: UInt = #line) throws {
        guard let url = ProcessInfo.processInfo.environment["CAPSTAN_TEST_DATABASE_URL"], !url.isEmpty else {
            XCTFail("CAPSTAN_TEST_DATABASE_URL is not set: run `scripts/pg start` and export the URL it prints (or run scripts/test)", file: file, line: line)
            throw StoreError("no test database")
        }
        self.url = url
        schema = "store_test_\(UInt32.random(in: 0...UInt32.max))"
        do {
            admin = try Connection(url: url)
        } catch {
            XCTFail("cannot connect to the test database: \(error). Is it running? `scripts/pg start`", file: file, line: line)
            throw error
        }
    }

    deinit {
        try? admin.execute("DROP SCHEMA IF EXISTS \"\(schema)\" CASCADE")
    }

    /// A store on the fixture's schema.
    func store(keys: [String: [KeyProjection]] = [:], insertMethod: InsertMethod = .copy, url: String? = nil) throws -> PostgresCollectionStore {
        try PostgresCollectionStore(url: url ?? self.url, schema: schema, keys: keys, insertMethod: insertMethod)
    }

    /// The rows of a query as text.
    func rows(_ sql: String) throws -> [[String?]] { try admin.query(sql).rows }

    /// `"schema"."name"`.
    func table(_ name: String) -> String { "\"\(schema)\".\"\(name.replacingOccurrences(of: "\"", with: "\"\""))\"" }
}
