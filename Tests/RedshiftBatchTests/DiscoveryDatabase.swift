import CapstanTestSupport
import FlowCapture
import Foundation
import JSON
import Postgres
import RedshiftBatch
import XCTest

/// A connection to the test server (`CAPSTAN_TEST_DATABASE_URL`, from `scripts/pg start`) with throwaway schemas
/// named `disc_<random>…`, dropped when the test ends. Without the server the test fails; it never skips.
final class DiscoveryDatabase {
    let connection: Connection
    /// The test's schema, `disc_<16 hex digits>`.
    let schema: String
    private(set) var schemas: [String] = []

    init(_ test: XCTestCase, file: StaticString = #filePath, line: UInt = #line) throws {
        connection = try TestDatabase.connect(file: file, line: line)
        schema = TestDatabase.uniqueName("disc_")
        try createSchema(schema)
        test.addTeardownBlock { [self] in
            for sql in teardown.reversed() { try? connection.execute(sql) }
            for name in schemas { try? connection.execute("DROP SCHEMA IF EXISTS \"\(name)\" CASCADE") }
            connection.close()
        }
    }

    /// Creates another schema, dropped at the end of the test too.
    func createSchema(_ name: String) throws {
        try connection.execute("CREATE SCHEMA \"\(name)\"")
        schemas.append(name)
    }

    /// Runs `sql`, in which `{s}` stands for the test's schema.
    func run(_ sql: String) throws {
        try connection.execute(sql.replacingOccurrences(of: "{s}", with: schema))
    }

    /// Runs `sql` when the test ends, before the schemas are dropped (for objects outside them).
    func atTeardown(_ sql: String) { teardown.append(sql) }
    private var teardown: [String] = []

    /// An endpoint config that discovers `schemas` (the test's schema unless given), with `advanced` options.
    func config(schemas: [String]? = nil, views: Bool = false, flags: String? = nil) throws -> EndpointConfig {
        var advanced = JSONObject()
        advanced["discover_schemas"] = .array((schemas ?? [schema]).map { .string($0) })
        if views { advanced["discover_views"] = true }
        if let flags { advanced["feature_flags"] = .string(flags) }
        return try EndpointConfig(json: [
            "address": "127.0.0.1:54329", "user": "postgres", "password": "unused", "database": "postgres",
            "advanced": .object(advanced),
        ])
    }

    /// Discovery with `config`; fails the test on warnings unless `allowWarnings`.
    func discover(_ config: EndpointConfig, allowWarnings: Bool = false,
                  file: StaticString = #filePath, line: UInt = #line) throws -> [DiscoveredResponse.Binding] {
        let (bindings, warnings) = try discoverBindings(connection: connection, config: config)
        if !allowWarnings { XCTAssertEqual(warnings, [], file: file, line: line) }
        return bindings
    }

    /// The one binding discovered for table `name` of the test's schema.
    func binding(_ name: String, in bindings: [DiscoveredResponse.Binding],
                 file: StaticString = #filePath, line: UInt = #line) throws -> DiscoveredResponse.Binding {
        let found = bindings.filter { $0.resourceConfig?["schema"] == .string(schema) && $0.resourceConfig?["table"] == .string(name) }
        guard found.count == 1 else {
            XCTFail("expected one binding for \(schema).\(name), found \(found.count)", file: file, line: line)
            throw TestSupportError("binding not found")
        }
        return found[0]
    }
}
