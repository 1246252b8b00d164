import CapstanTestSupport
import Foundation
import XCTest

/// Where a test catalog keeps its collections: local files (the default) or a schema of its own in the test
/// PostgreSQL (`CAPSTAN_TEST_DATABASE_URL`, read by capstan itself through `urlEnv`). End-to-end tests run with
/// both.
enum TestStorage {
    case local
    case postgres(schema: String)

    /// A PostgreSQL storage in a new schema; fails the test loudly without the test database.
    static func postgres(file: StaticString = #filePath, line: UInt = #line) throws -> TestStorage {
        _ = try TestDatabase.url(file: file, line: line)
        return .postgres(schema: "capstan_test_\(UInt32.random(in: 0...UInt32.max))")
    }

    /// The catalog's `storage:` line (empty for the default local store).
    var yaml: String {
        switch self {
        case .local: return ""
        case .postgres(let schema): return "storage: {postgres: {urlEnv: CAPSTAN_TEST_DATABASE_URL, schema: \(schema)}}"
        }
    }

    /// Forgets everything stored: the local `data` folder beside the catalog, or the schema.
    func reset(catalogFolder: URL) throws {
        switch self {
        case .local:
            let data = catalogFolder.appendingPathComponent("data")
            if FileManager.default.fileExists(atPath: data.path) { try FileManager.default.removeItem(at: data) }
        case .postgres(let schema):
            try TestDatabase.psql("DROP SCHEMA IF EXISTS \(schema) CASCADE")
        }
    }
}
