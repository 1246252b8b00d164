import CapstanTestSupport
import CollectionStore
import Foundation
import JSON
import Postgres
import PostgresStore
import StoreTestSupport
import XCTest

/// A schema of its own in the test database (`CAPSTAN_TEST_DATABASE_URL`, from `scripts/pg`), dropped when the
/// fixture goes away, and stores on it. Without the URL or the server, tests fail; they never skip. Its admin
/// connection is used from the test's thread only; threads share only `store(…)`, hence `@unchecked Sendable`.
final class PostgresFixture: @unchecked Sendable {
    let url: String
    let schema: String
    let admin: Connection

    init(file: StaticString = #filePath, line: UInt = #line) throws {
        url = try TestDatabase.url(file: file, line: line)
        schema = "store_test_\(UInt32.random(in: 0...UInt32.max))"
        admin = try TestDatabase.connect(ConnectionParameters(url: url), file: file, line: line)
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
