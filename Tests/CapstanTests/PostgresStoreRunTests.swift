import CapstanTestSupport
import Foundation
import JSON
import XCTest

/// `capstan run` processes sharing one PostgreSQL store: a second run of a capture fences the first, which stops
/// with a clear error and commits nothing more; runs of different captures write at once.
final class PostgresStoreRunTests: XCTestCase {
    private static let connector = RepositoryPaths.scriptedConnector
    private var folder: URL!
    private var storage: TestStorage!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("pgrun-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        storage = try TestStorage.postgres()
    }

    override func tearDownWithError() throws {
        try? storage?.reset(catalogFolder: folder)
        try? FileManager.default.removeItem(at: folder)
    }

    /// A catalog file `name` whose captures each run the scripted connector with their script into their collection.
    private func catalog(_ name: String, captures: [(capture: String, collection: String, script: String)], storageLine: String? = nil) throws -> String {
        let path = folder.appendingPathComponent(name).path
        var yaml = "captures:\n"
        for entry in captures {
            yaml += """
                  \(entry.capture):
                    endpoint:
                      local:
                        command: [python3, \(Self.connector)]
                        config: {}
                        env: {SCRIPT: '\(entry.script)'}
                    bindings:
                      - resource: {name: things}
                        target: \(entry.collection)

                """
        }
        yaml += "collections:\n"
        for collection in Set(captures.map(\.collection)).sorted() {
            yaml += """
                  \(collection):
                    schema: {type: object, required: [id], properties: {id: {type: integer}}}
                    key: [/id]

                """
        }
        yaml += (storageLine ?? storage.yaml) + "\n"
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func ids(_ catalog: String, _ collection: String) throws -> [Int64] {
        let read = try Subprocess.run(product: "capstan", ["read", "--source", catalog, collection])
        XCTAssertEqual(read.status, 0, read.stderr)
        return try read.stdout.split(separator: "\n").map { try XCTUnwrap(try JSON.parse(String($0))["id"]?.numberValue?.int64Value) }
    }

    func testASecondRunFencesTheFirstMidTransactionAndTheFirstStops() throws {
        // The first run commits ids 0–2, then holds ids 100–101 in an open transaction for 8 s (the store has them). Meanwhile a second
        // run of the same capture (another catalog file, same store) starts, commits id 1000 and ends.
        let first = try catalog("first.yaml", captures: [("test/fenced", "test/things",
            #"[{"docs":3},{"checkpoint":{"n":3}},{"sleep":1},{"docs":2,"start":100},{"sleep":8},{"checkpoint":{"n":5}},{"sleep":60}]"#)])
        let second = try catalog("second.yaml", captures: [("test/fenced", "test/things",
            #"[{"docs":1,"start":1000},{"checkpoint":{"n":1000}}]"#)])
        let process = Process()
        process.executableURL = BuiltProducts.url("capstan")
        process.arguments = ["run", "--source", first]  // not --once: a fenced run must stop by itself, not retry
        let stdout = Pipe(), stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = stdout
        let collected = OutputCollector(stdout: stdout, stderr: stderr)
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        var committed = false
        while Date() < deadline && !committed {
            usleep(200_000)
            committed = (try? Subprocess.run(product: "capstan", ["state", "show", "--source", first]).stdout)?.contains(#""n":3"#) == true
        }
        XCTAssertTrue(committed, "the first run never committed")
        usleep(2_500_000)  // the first run's connector sends ids 100–101 a second after its first commit, then sleeps 8 s

        let run = try Subprocess.run(product: "capstan", ["run", "--source", second, "--once"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let started = Date()
        while process.isRunning && Date().timeIntervalSince(started) < 40 { usleep(100_000) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        let log = collected.finish().1
        XCTAssertEqual(process.terminationStatus, 1, log)
        XCTAssertTrue(log.contains(#"capture "test/fenced" was taken over by another capstan process"#), log)
        XCTAssertTrue(log.contains("committing a transaction of test/fenced"), "fenced at its commit, mid-transaction: \(log)")
        XCTAssertFalse(log.contains("retryInSeconds"), "a fenced run must not retry: \(log)")
        XCTAssertEqual(try ids(first, "test/things"), [0, 1, 2, 1000], "nothing of the fenced transaction landed")
        XCTAssertEqual(try JSON.parse(try Subprocess.run(product: "capstan", ["state", "show", "--source", first]).stdout), ["n": 1000])
    }

    func testALostConnectionFailsTheSessionWhichIsRetriedNotCrashed() throws {
        guard case .postgres(let schema) = storage else { return XCTFail("no PostgreSQL storage") }
        let name = "capstan-lost-\(UInt32.random(in: 0...UInt32.max))"
        let source = try catalog("flow.yaml", captures: [("test/lost", "test/things",
            #"[{"docs":3},{"checkpoint":{"n":3}},{"sleep":1},{"docs":2,"start":3},{"sleep":5},{"checkpoint":{"n":5}},{"sleep":60}]"#)],
            storageLine: "storage: {postgres: {url: '${CAPSTAN_TEST_DATABASE_URL}?application_name=\(name)', schema: \(schema)}}")
        let process = Process()
        process.executableURL = BuiltProducts.url("capstan")
        process.arguments = ["run", "--source", source]
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        let collected = OutputCollector(stdout: stdout, stderr: stderr)
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        var committed = false
        while Date() < deadline && !committed {
            usleep(200_000)
            committed = (try? Subprocess.run(product: "capstan", ["state", "show", "--source", source]).stdout)?.contains(#""n":3"#) == true
        }
        XCTAssertTrue(committed, "the first transaction never committed")
        usleep(2_500_000)  // ids 3–4 are in the open transaction now, the checkpoint 5 s away
        try TestDatabase.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '\(name)'")
        usleep(6_000_000)
        XCTAssertTrue(process.isRunning, "a lost connection must fail the session, not the process")
        XCTAssertEqual(try ids(source, "test/things"), [0, 1, 2], "nothing of the transaction in flight landed")
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        let log = collected.finish().1
        XCTAssertEqual(process.terminationStatus, 0, log)
        XCTAssertTrue(log.contains("retryInSeconds") && log.contains("committing a transaction of test/lost"), log)
        XCTAssertEqual(try JSON.parse(try Subprocess.run(product: "capstan", ["state", "show", "--source", source]).stdout), ["n": 3])
    }

    func testTwoCapturesFromTwoProcessesAtOnce() throws {
        let steps = (0..<20).map { #"{"docs":500,"start":\#($0 * 500),"size":100},{"checkpoint":{"n":\#(($0 + 1) * 500)}}"# }.joined(separator: ",")
        let source = try catalog("flow.yaml", captures: [("test/a", "test/a-things", "[\(steps)]"), ("test/b", "test/b-things", "[\(steps)]")])
        var processes: [(Process, OutputCollector)] = []
        for capture in ["test/a", "test/b"] {
            let process = Process()
            process.executableURL = BuiltProducts.url("capstan")
            process.arguments = ["run", "--source", source, "--capture", capture, "--once"]
            let stdout = Pipe(), stderr = Pipe()
            process.standardOutput = stdout
            process.standardError = stderr
            try process.run()
            processes.append((process, OutputCollector(stdout: stdout, stderr: stderr)))
        }
        for (process, collected) in processes {
            process.waitUntilExit()
            let log = collected.finish().1
            XCTAssertEqual(process.terminationStatus, 0, log)
        }
        for collection in ["test/a-things", "test/b-things"] {
            XCTAssertEqual(try ids(source, collection), (0..<10_000).map { Int64($0) }, collection)
        }
        for capture in ["test/a", "test/b"] {
            let state = try Subprocess.run(product: "capstan", ["state", "show", "--source", source, "--capture", capture])
            XCTAssertEqual(try JSON.parse(state.stdout), ["n": 10_000], capture)
        }
    }
}
