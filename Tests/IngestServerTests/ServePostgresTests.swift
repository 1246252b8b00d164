import CapstanTestSupport
import Foundation
import JSON
import XCTest

/// `capstan serve` with `storage.postgres`: pushed documents commit into the shared store, and a second server of
/// the same captures takes their leases, after which the first stops instead of committing.
final class ServePostgresTests: XCTestCase {
    func testServesIntoPostgresAndASecondServerFencesTheFirst() throws {
        _ = try TestDatabase.url()
        let schema = "capstan_serve_\(UInt32.random(in: 0...UInt32.max))"
        let folder = NSTemporaryDirectory() + "capstan-serve-pg-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer {
            try? FileManager.default.removeItem(atPath: folder)
            try? TestDatabase.psql("DROP SCHEMA IF EXISTS \(schema) CASCADE")
        }
        let catalog = folder + "/flow.yaml"
        try (IngestFixture.catalogYAML + "\nstorage: {postgres: {urlEnv: CAPSTAN_TEST_DATABASE_URL, schema: \(schema)}}\n")
            .write(toFile: catalog, atomically: true, encoding: .utf8)

        let first = try ServeProcess(catalog: catalog)
        defer { if first.process.isRunning { first.stop(SIGKILL) } }
        XCTAssertEqual(try TestHTTPConnection(port: first.port).post("/acme/hooks/events", #"{"id": 1}"#, token: "s3cret").status, 200, first.log)

        let second = try ServeProcess(catalog: catalog)
        defer { second.stop(SIGTERM) }
        let refused = try TestHTTPConnection(port: first.port).post("/acme/hooks/events", #"{"id": 2}"#, token: "s3cret")
        XCTAssertNotEqual(refused.status, 200, "the fenced server committed: \(refused.text)")
        let deadline = Date().addingTimeInterval(20)
        while first.process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        XCTAssertFalse(first.process.isRunning, "the fenced server kept running:\n\(first.log)")
        XCTAssertTrue(first.log.contains("taken over by another capstan process"), first.log)

        XCTAssertEqual(try TestHTTPConnection(port: second.port).post("/acme/hooks/events", #"{"id": 3}"#, token: "s3cret").status, 200, second.log)

        XCTAssertEqual(try ServeProcess.read(catalog: catalog, "acme/events").map { $0["id"]?.numberValue?.text }, ["1", "3"])
    }
}
