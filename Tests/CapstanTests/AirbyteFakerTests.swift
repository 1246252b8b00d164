import CapstanTestSupport
import Foundation
import JSON
import XCTest

/// capstan runs the real source-faker (airbyte-source-faker from PyPI, no network): discover, incremental
/// syncs with the state handed back, a killed run resumed from its last state, prefix/namespace and field selection.
final class AirbyteFakerTests: XCTestCase {
    private func catalog(_ fixture: AirbyteFixture, count: Int, perSlice: Int = 2, extra: String = "", bindings: String = "[]") throws {
        let faker = try AirbyteFixture.connector("airbyte-source-faker", "source-faker")
        try fixture.write("""
            captures:
              acme/faker:
                endpoint:
                  airbyte:
                    command: [\(faker)]
                    config: {count: \(count), seed: 42, records_per_slice: \(perSlice), parallelism: 1, always_updated: false}
                    env: {HOME: \(fixture.folder.path)}
            \(extra)
                bindings: \(bindings)
            """)
    }

    func testDiscoverThenIncrementalSyncsHandTheStateBack() throws {
        let fixture = try AirbyteFixture()
        try catalog(fixture, count: 5)
        let discover = try fixture.capstan(["discover"])
        XCTAssertEqual(discover.status, 0, discover.stderr)
        for stream in ["products", "users", "purchases"] {
            XCTAssertTrue(discover.stderr.contains("added   \(stream)"), discover.stderr)
        }
        let yaml = try String(contentsOfFile: fixture.catalog, encoding: .utf8)
        XCTAssertTrue(yaml.contains("syncMode: incremental"), yaml)
        XCTAssertTrue(yaml.contains("destinationSyncMode: append_dedup"), yaml)
        XCTAssertTrue(yaml.contains("key: [/id]"), yaml)

        let spec = try JSON.parse(try fixture.capstan(["spec"]).stdout)
        XCTAssertEqual(spec["resourcePathPointers"], ["/namespace", "/stream"])
        XCTAssertNotNil(spec["configSchema"]?["properties"]?["count"], "\(spec)")
        XCTAssertNotNil(spec["resourceConfigSchema"]?["properties"]?["destinationSyncMode"])
        XCTAssertEqual(try fixture.capstan(["validate"]).status, 0)

        let first = try fixture.capstan(["run", "--once"])
        XCTAssertEqual(first.status, 0, first.stderr)
        let users = try fixture.read("acme/users")
        XCTAssertEqual(users.compactMap { $0["id"]?.numberValue?.int64Value }, [1, 2, 3, 4, 5])
        XCTAssertNotNil(users.first?["_meta"]?["uuid"]?.stringValue)
        let state = try fixture.state()
        XCTAssertEqual(state["airbyte"]?["streams"]?["users"]?[0]?["stream"]?["stream_state"]?["loop_offset"], 5, "\(state)")
        XCTAssertNil(state["airbyte"]?["streams"]?["users"]?[0]?["sourceStats"])

        // The state goes back as --state: nothing new.
        let second = try fixture.capstan(["run", "--once"])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stderr.contains(#""documents":0"#), second.stderr)
        XCTAssertEqual(try fixture.read("acme/users").count, 5)
        XCTAssertEqual(try fixture.read("acme/purchases", latest: true).count, 5)
    }

    func testAKilledRunResumesFromItsLastState() throws {
        let fixture = try AirbyteFixture()
        try catalog(fixture, count: 3000, perSlice: 100, bindings: """

                  - resource: {stream: users, syncMode: incremental, destinationSyncMode: append_dedup, cursorField: [updated_at]}
                    target: acme/users
            collections:
              acme/users:
                schema: {type: object, properties: {id: {type: integer}}, required: [id]}
                key: [/id]
            """)
        let process = Process()
        process.executableURL = BuiltProducts.url("capstan")
        process.arguments = ["run", "--once", "--source", fixture.catalog]
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let checkpoint = fixture.folder.appendingPathComponent("data/captures/acme%2Ffaker/checkpoint.json").path
        let deadline = Date().addingTimeInterval(120)
        var killedAt: Int64 = 0
        while Date() < deadline, process.isRunning {
            if let data = FileManager.default.contents(atPath: checkpoint), let parsed = try? JSON.parse(bytes: [UInt8](data)),
               let offset = parsed["connectorState"]?["airbyte"]?["streams"]?["users"]?[0]?["stream"]?["stream_state"]?["loop_offset"]?.numberValue?.int64Value,
               offset >= 200 {
                kill(process.processIdentifier, SIGKILL)
                killedAt = offset
                break
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        process.waitUntilExit()
        XCTAssertGreaterThan(killedAt, 0, "the run ended before a checkpoint could be seen")
        XCTAssertLessThan(killedAt, 3000, "the kill came too late to test a resume")
        // Documents and state committed together: exactly the users the committed state covers.
        func committedOffset() throws -> Int64? {
            try fixture.state()["airbyte"]?["streams"]?["users"]?[0]?["stream"]?["stream_state"]?["loop_offset"]?.numberValue?.int64Value
        }
        let offset = try XCTUnwrap(committedOffset())
        XCTAssertGreaterThanOrEqual(offset, killedAt)
        let ids = try fixture.read("acme/users").compactMap { $0["id"]?.numberValue?.int64Value }
        XCTAssertFalse(ids.isEmpty)
        XCTAssertEqual(ids, Array(1...Int64(max(ids.count, 1))), "every committed user exactly once, none missing")
        // source-faker's loop_offset trails the records of the slice its state closes by up to one slice (100).
        XCTAssertGreaterThanOrEqual(Int64(ids.count), offset)
        XCTAssertLessThanOrEqual(Int64(ids.count), offset + 100)

        // The next run gets that state back (--state). source-faker treats a stream with a state as synced
        // (always_updated: false), so it sends nothing new: nothing is captured twice.
        let resumed = try fixture.capstan(["run", "--once"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains(#""documents":0"#), resumed.stderr)
        XCTAssertEqual(try fixture.read("acme/users").count, ids.count)
        XCTAssertEqual(try committedOffset(), offset)
    }

    func testPrefixNamespaceAndFieldSelectionShapeTheCollections() throws {
        let fixture = try AirbyteFixture()
        let faker = try AirbyteFixture.connector("airbyte-source-faker", "source-faker")
        try fixture.write("""
            captures:
              acme/faker:
                endpoint:
                  airbyte:
                    command: [\(faker)]
                    config: {count: 3, seed: 7, records_per_slice: 10, parallelism: 1}
                    env: {HOME: \(fixture.folder.path)}
                    prefix: ab_
                    namespaceDefinition: customformat
                    namespaceFormat: raw${SOURCE_NAMESPACE}
                bindings: []
            """)
        let discover = try fixture.capstan(["discover"])
        XCTAssertEqual(discover.status, 0, discover.stderr)
        XCTAssertTrue(discover.stderr.contains("acme/raw/ab_users"), discover.stderr)
        XCTAssertTrue(discover.stderr.contains("acme/raw/ab_products"), discover.stderr)

        var yaml = try String(contentsOfFile: fixture.catalog, encoding: .utf8)
        yaml = yaml.replacingOccurrences(of: "stream: users\n", with: "stream: users\n          fields: {include: [name]}\n")
        yaml = yaml.replacingOccurrences(of: "stream: products\n", with: "stream: products\n          fields: {exclude: [make, model]}\n")
        try fixture.write(yaml)
        let run = try fixture.capstan(["run", "--once"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let user = try XCTUnwrap(fixture.read("acme/raw/ab_users").first)
        XCTAssertEqual(Set(user.objectValue?.keys ?? []), ["id", "updated_at", "name", "_meta"], "the key and cursor stay: \(user)")
        let product = try XCTUnwrap(fixture.read("acme/raw/ab_products").first)
        XCTAssertNil(product["make"])
        XCTAssertNil(product["model"])
        XCTAssertNotNil(product["price"])

        // Excluding the key is refused when the catalog loads, naming the field and its place.
        try fixture.write(yaml.replacingOccurrences(of: "fields: {exclude: [make, model]}", with: "fields: {exclude: [id]}"))
        let refused = try fixture.capstan(["run", "--once"])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains(#"field "id" is in the key of collection "acme/raw/ab_products" and cannot be excluded"#), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("flow.yaml:"), refused.stderr)
    }
}
