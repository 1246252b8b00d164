import CapstanTestSupport
import Foundation
import JSON
import XCTest

/// `capstan preview` prints without committing; `capstan run --timeout` ends a session at a checkpoint.
final class PreviewAndTimeoutTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("preview-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    private func catalog(script: String, storage: TestStorage = .local) throws -> String {
        let path = folder.appendingPathComponent("flow.yaml").path
        try ScriptedCatalog.yaml(capture: "test/preview", command: "[python3, \(RepositoryPaths.scriptedConnector)]", env: "{SCRIPT: '\(script)'}", storage: storage)
            .write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testPreviewPrintsDocumentsAndStateAndCommitsNothing() throws {
        try previewPrintsAndCommitsNothing(storage: .local)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("data").path), "preview wrote to the store")
    }

    func testPreviewPrintsDocumentsAndStateAndCommitsNothingPostgres() throws {
        let storage = try TestStorage.postgres()
        defer { try? storage.reset(catalogFolder: folder) }
        try previewPrintsAndCommitsNothing(storage: storage)
    }

    private func previewPrintsAndCommitsNothing(storage: TestStorage) throws {
        let source = try catalog(script: #"[{"docs":2},{"checkpoint":{"n":2}},{"docs":1,"start":2},{"checkpoint":{"n":3}}]"#, storage: storage)
        let outcome = try Subprocess.run(product: "capstan", ["preview", "--source", source, "--output-state"])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        let lines = try outcome.stdout.split(separator: "\n").map { try JSON.parse(String($0)) }
        let documents = lines.filter { $0[0] == "test/things" }
        XCTAssertEqual(documents.compactMap { $0[1]?["id"] }, [0, 1, 2])
        XCTAssertNotNil(documents.first?[1]?["_meta"]?["uuid"])
        XCTAssertEqual(lines.last, ["connectorState", ["updated": ["n": 3], "mergePatch": false]])
        XCTAssertEqual(try Subprocess.run(product: "capstan", ["read", "--source", source, "test/things"]).stdout, "", "preview committed documents")
        XCTAssertEqual(try Subprocess.run(product: "capstan", ["state", "show", "--source", source]).stdout, "{}\n", "preview committed state")
    }

    func testRunTimeoutEndsTheSessionAtTheNextCheckpoint() throws {
        try runTimeoutEndsTheSession(storage: .local)
    }

    func testRunTimeoutEndsTheSessionAtTheNextCheckpointPostgres() throws {
        let storage = try TestStorage.postgres()
        defer { try? storage.reset(catalogFolder: folder) }
        try runTimeoutEndsTheSession(storage: storage)
    }

    private func runTimeoutEndsTheSession(storage: TestStorage) throws {
        // Checkpoints every 0.5 s for a long time; a 2 s timeout must end the session at one of them.
        let steps = (0..<60).map { #"{"docs":1,"start":\#($0)},{"checkpoint":{"n":\#($0 + 1)}},{"sleep":0.5}"# }.joined(separator: ",")
        let source = try catalog(script: "[\(steps)]", storage: storage)
        let started = Date()
        let outcome = try Subprocess.run(product: "capstan", ["run", "--source", source, "--once", "--timeout", "2s"], timeout: 60)
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        XCTAssertLessThan(Date().timeIntervalSince(started), 15)
        let state = try JSON.parse(try Subprocess.run(product: "capstan", ["state", "show", "--source", source]).stdout)
        let committed = try Subprocess.run(product: "capstan", ["read", "--source", source, "test/things"]).stdout.split(separator: "\n").count
        XCTAssertGreaterThan(committed, 0)
        XCTAssertLessThan(committed, 60)
        XCTAssertEqual(state, ["n": .number(JSONNumber(committed))], "documents and state committed together")
    }

    func testAnUnreadableCheckpointStopsTheRunInsteadOfStartingOver() throws {
        let source = try catalog(script: #"[{"docs":3},{"checkpoint":{"n":3}}]"#)
        XCTAssertEqual(try Subprocess.run(product: "capstan", ["run", "--source", source, "--once"]).status, 0)
        let checkpoint = folder.appendingPathComponent("data/captures/test%2Fpreview/checkpoint.json")
        XCTAssertTrue(FileManager.default.fileExists(atPath: checkpoint.path))
        try "{ not json".write(to: checkpoint, atomically: true, encoding: .utf8)
        let outcome = try Subprocess.run(product: "capstan", ["run", "--source", source, "--once"])
        XCTAssertEqual(outcome.status, 1)
        XCTAssertTrue(outcome.stderr.contains("reading the checkpoint of test/preview"), outcome.stderr)
        // Nothing was appended by the refused run, and read fails loudly rather than showing an empty collection.
        let journal = folder.appendingPathComponent("data/collections/test%2Fthings/00000000000000000000.ndjson")
        XCTAssertEqual(try String(contentsOf: journal, encoding: .utf8).split(separator: "\n").count, 3)
        let read = try Subprocess.run(product: "capstan", ["read", "--source", source, "test/things"])
        XCTAssertNotEqual(read.status, 0)
        XCTAssertTrue(read.stderr.contains("checkpoint"), read.stderr)
        XCTAssertEqual(try Subprocess.run(product: "capstan", ["preview", "--source", source]).status, 1)
    }
}
