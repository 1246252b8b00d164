import CapstanTestSupport
import Foundation
import JSON
import XCTest

/// `capstan run` stops cleanly on SIGTERM: what was checkpointed commits, the connector is stopped, exit 0.
final class RunSignalTests: XCTestCase {

    func testSIGTERMStopsAfterTheTransactionInFlight() throws {
        try sigtermStops(storage: .local)
    }

    func testSIGTERMStopsAfterTheTransactionInFlightPostgres() throws {
        let storage = try TestStorage.postgres()
        defer { try? storage.reset(catalogFolder: URL(fileURLWithPath: "/")) }
        try sigtermStops(storage: storage)
    }

    private func sigtermStops(storage: TestStorage) throws {
        let connector = RepositoryPaths.scriptedConnector
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("signal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let catalog = folder.appendingPathComponent("flow.yaml").path
        // The connector captures 3 documents, checkpoints, then idles (like a poller waiting for its schedule).
        let script = #"[{"docs":3},{"checkpoint":{"n":3}},{"sleep":120}]"#
        try ScriptedCatalog.yaml(capture: "test/signal", command: "[python3, \(connector)]", env: "{SCRIPT: '\(script)'}", storage: storage)
            .write(toFile: catalog, atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = BuiltProducts.url("capstan")
        process.arguments = ["run", "--source", catalog]
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Wait for the commit, then signal.
        let deadline = Date().addingTimeInterval(30)
        var committed = false
        while Date() < deadline && !committed {
            usleep(100_000)
            committed = (try? Subprocess.run(product: "capstan", ["state", "show", "--source", catalog]).stdout)?.contains(#""n":3"#) == true
        }
        XCTAssertTrue(committed, "the first transaction never committed")
        usleep(300_000)
        let signalled = Date()
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
        XCTAssertLessThan(Date().timeIntervalSince(signalled), 15, "stopping waited for the connector's 120 s sleep")

        let read = try Subprocess.run(product: "capstan", ["read", "--source", catalog, "test/things"])
        XCTAssertEqual(read.stdout.split(separator: "\n").count, 3)
        let state = try Subprocess.run(product: "capstan", ["state", "show", "--source", catalog])
        XCTAssertEqual(try JSON.parse(state.stdout), ["n": 3])
    }
}
