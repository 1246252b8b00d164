import CapstanTestSupport
import Foundation
import JSON
import XCTest

/// `capstan run` killed with SIGKILL at random moments loses no committed document and duplicates none.
final class RunCrashTests: XCTestCase {
    func testKilledTwentyTimesEveryRowExactlyOnce() throws {
        try killedTwentyTimes(storage: .local)
    }

    /// The same with the PostgreSQL store: a killed process's connection drops and its open transaction rolls back.
    func testKilledTwentyTimesEveryRowExactlyOncePostgres() throws {
        let storage = try TestStorage.postgres()
        defer { try? storage.reset(catalogFolder: URL(fileURLWithPath: "/")) }
        try killedTwentyTimes(storage: storage)
    }

    private func killedTwentyTimes(storage: TestStorage) throws {
        let schema = "crash_\(UInt32.random(in: 0...UInt32.max))"
        let rows = 100_000
        try TestDatabase.psql("""
            CREATE SCHEMA \(schema);
            CREATE TABLE \(schema).events AS SELECT i::bigint AS id, md5(i::text) AS payload, now() AS at FROM generate_series(1, \(rows)) i;
            GRANT USAGE ON SCHEMA \(schema) TO capstan; GRANT SELECT ON \(schema).events TO capstan;
            """)
        defer { try? TestDatabase.psql("DROP SCHEMA \(schema) CASCADE") }

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("run-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try """
            captures:
              test/crash:
            \(try TestDatabase.connectorEndpoint(advanced: "{exit_after_poll: true}"))
                bindings:
                  - resource: {name: events, schema: \(schema), table: events, cursor: [id]}
                    target: test/events
            collections:
              test/events:
                schema:
                  type: object
                  required: [_meta, id]
                  properties:
                    id: {type: integer}
                    payload: {type: string}
                key: [/id]
            \(storage.yaml)
            """.write(to: folder.appendingPathComponent("flow.yaml"), atomically: true, encoding: .utf8)
        let catalog = folder.appendingPathComponent("flow.yaml").path

        // Kill runs at random moments until 20 kills have landed during a capture; when a run completes the
        // capture before its kill, check it and start a fresh capture (a new data directory).
        var kills = 0, completedCaptures = 0
        while kills < 20 {
            let process = Process()
            process.executableURL = BuiltProducts.url("capstan")
            process.arguments = ["run", "--source", catalog, "--once"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32.random(in: 200_000...3_000_000))
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                kills += 1
                continue
            }
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0, "a run that was not killed failed")
            try assertEveryRowOnce(catalog: catalog, rows: rows)
            completedCaptures += 1
            try storage.reset(catalogFolder: folder)
        }
        // Then a run to the end.
        let final = try Subprocess.run(product: "capstan", ["run", "--source", catalog, "--once"], timeout: 300)
        XCTAssertEqual(final.status, 0, final.stderr)
        try assertEveryRowOnce(catalog: catalog, rows: rows)
        print("run crash test (\(storage)): \(kills) kills during \(completedCaptures + 1) captures of \(rows) rows")
    }

    private func assertEveryRowOnce(catalog: String, rows: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        let read = try Subprocess.run(product: "capstan", ["read", "--source", catalog, "test/events"], timeout: 120)
        XCTAssertEqual(read.status, 0, read.stderr, file: file, line: line)
        var seen = [Int](repeating: 0, count: rows + 1)
        for text in read.stdout.split(separator: "\n") {
            guard let id = try JSON.parse(String(text))["id"]?.numberValue?.int64Value, id >= 1, id <= rows else {
                return XCTFail("unexpected document \(text.prefix(200))", file: file, line: line)
            }
            seen[Int(id)] += 1
        }
        let missing = (1...rows).filter { seen[$0] == 0 }
        let duplicated = (1...rows).filter { seen[$0] > 1 }
        XCTAssertEqual(missing.count, 0, "missing ids, e.g. \(missing.prefix(5))", file: file, line: line)
        XCTAssertEqual(duplicated.count, 0, "duplicated ids, e.g. \(duplicated.prefix(5))", file: file, line: line)
    }
}
