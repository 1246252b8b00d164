import Foundation
import JSON
import XCTest

/// capstan runs the real source-file (airbyte-source-file 0.5.39 from PyPI) on local CSV files: it emits no
/// STATE, so its documents commit when the stream completes; overwrite replaces and append appends across
/// syncs; a bad config fails validate with the connector's own message.
final class AirbyteFileTests: XCTestCase {
    private func capture(_ name: String, csv: String, mode: String) throws -> String {
        let command = try AirbyteFixture.connector("airbyte-source-file", "source-file")
        return """
              acme/\(name):
                endpoint:
                  airbyte:
                    command: [\(command)]
                    config: {dataset_name: people, format: csv, url: \(csv), provider: {storage: local}}
                retries: {maxAttempts: 2, backoff: [1s]}
                bindings:
                  - resource: {stream: people, syncMode: full_refresh, destinationSyncMode: \(mode)}
                    target: acme/\(name)/people
            """
    }

    private let collection = """
            schema:
              type: object
              properties:
                _meta: {type: object, properties: {row_id: {type: integer}}, required: [row_id]}
                name: {type: [string, "null"]}
                age: {type: [number, "null"]}
              required: [_meta]
            key: [/_meta/row_id]
        """

    func testOverwriteReplacesAndAppendAppendsAcrossTwoSyncs() throws {
        let fixture = try AirbyteFixture()
        let csv = fixture.folder.appendingPathComponent("people.csv")
        try "name,age\nada,36\nbob,41\ncy,29\n".write(to: csv, atomically: true, encoding: .utf8)
        try fixture.write("""
            captures:
            \(try capture("over", csv: csv.path, mode: "overwrite"))
            \(try capture("app", csv: csv.path, mode: "append"))
            collections:
              acme/over/people:
            \(collection)
              acme/app/people:
            \(collection)
            """)
        for name in ["acme/over", "acme/app"] {
            let run = try fixture.capstan(["run", "--once", "--capture", name])
            XCTAssertEqual(run.status, 0, run.stderr)
            XCTAssertTrue(run.stderr.contains(#""commits":1"#), "no STATE: one commit at the stream's completion: \(run.stderr)")
        }
        XCTAssertEqual(try fixture.read("acme/over/people").compactMap { $0["name"]?.stringValue }, ["ada", "bob", "cy"])
        XCTAssertEqual(try fixture.read("acme/over/people").compactMap { $0["_meta"]?["row_id"]?.numberValue?.int64Value }, [0, 1, 2])

        try "name,age\ndee,50\neve,22\n".write(to: csv, atomically: true, encoding: .utf8)
        for name in ["acme/over", "acme/app"] {
            XCTAssertEqual(try fixture.capstan(["run", "--once", "--capture", name]).status, 0)
        }
        XCTAssertEqual(try fixture.read("acme/over/people").compactMap { $0["name"]?.stringValue }, ["dee", "eve"])
        XCTAssertEqual(try fixture.read("acme/app/people").compactMap { $0["name"]?.stringValue }, ["ada", "bob", "cy", "dee", "eve"])

        // A failed overwrite (the file is gone: the connector fails) changes nothing.
        try FileManager.default.removeItem(at: csv)
        let failed = try fixture.capstan(["run", "--once", "--capture", "acme/over"])
        XCTAssertEqual(failed.status, 1, failed.stderr)
        XCTAssertTrue(failed.stderr.contains("failed after 2 attempts"), failed.stderr)
        XCTAssertEqual(try fixture.read("acme/over/people").compactMap { $0["name"]?.stringValue }, ["dee", "eve"])
    }

    func testDiscoverKeysARowIDAndABadConfigFailsValidateWithTheConnectorsMessage() throws {
        let fixture = try AirbyteFixture()
        let csv = fixture.folder.appendingPathComponent("people.csv")
        try "name,age\nada,36\n".write(to: csv, atomically: true, encoding: .utf8)
        let command = try AirbyteFixture.connector("airbyte-source-file", "source-file")
        try fixture.write("""
            captures:
              acme/files:
                endpoint:
                  airbyte:
                    command: [\(command)]
                    config: {dataset_name: people, format: csv, url: \(csv.path), provider: {storage: local}}
                bindings: []
            """)
        let discover = try fixture.capstan(["discover"])
        XCTAssertEqual(discover.status, 0, discover.stderr)
        let yaml = try String(contentsOfFile: fixture.catalog, encoding: .utf8)
        XCTAssertTrue(yaml.contains("key: [/_meta/row_id]"), yaml)
        XCTAssertTrue(yaml.contains("destinationSyncMode: overwrite"), yaml)
        let run = try fixture.capstan(["run", "--once"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(try fixture.read("acme/people").first?["name"], "ada")

        try fixture.write(yaml.replacingOccurrences(of: csv.path, with: fixture.folder.appendingPathComponent("missing.csv").path))
        let validate = try fixture.capstan(["validate"])
        XCTAssertEqual(validate.status, 1, validate.stderr)
        XCTAssertTrue(validate.stderr.contains("check FAILED"), validate.stderr)
        XCTAssertTrue(validate.stderr.contains("missing.csv"), "the connector's own message: \(validate.stderr)")
    }
}
