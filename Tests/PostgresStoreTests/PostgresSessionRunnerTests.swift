import CapstanTestSupport
import CaptureRuntime
import CollectionStore
import FlowCapture
import Foundation
import JSON
import JSONSchema
import Logging
import PostgresStore
import StoreTestSupport
import XCTest

/// The runtime's session engine driving the scripted connector into the PostgreSQL store: the exactly-once
/// invariants and faults of `CaptureSessionRunnerTests` (which use the local store), here with this one.
final class PostgresSessionRunnerTests: XCTestCase {
    private static let connector = RepositoryPaths.scriptedConnector
    private let logger = Logger(label: "test")
    private let schema: JSON = ["type": "object", "required": ["id"], "properties": ["id": ["type": "integer"], "pad": ["type": "string"]]]
    private var fixture: PostgresFixture!
    private var store: PostgresCollectionStore!

    override func setUpWithError() throws {
        fixture = try PostgresFixture()
        store = try fixture.store(keys: ["test/things": [KeyProjection(pointer: try JSONPointer("/id"))]])
    }

    override func tearDownWithError() throws {
        store = nil
        fixture = nil
    }

    private func binding(_ collection: String, onIncompatible: RuntimeBinding.OnIncompatible = .fail) throws -> RuntimeBinding {
        RuntimeBinding(collection: collection, writeSchema: try Schema(schema), key: [JSONPointer(tokens: ["id"])], onIncompatible: onIncompatible)
    }

    private func run(_ script: JSON, bindings: [RuntimeBinding]? = nil, state: JSON = [:], environment: [String: String] = [:]) throws -> CaptureSessionRunner.Outcome {
        var environment = environment
        environment["SCRIPT"] = script.serializedString()
        let launch = ConnectorLaunch(command: ["python3", Self.connector], environment: environment, captureName: "test/capture")
        let spec = CaptureSpec(name: "test/capture", connectorType: .local, config: [:], bindings: [], intervalSeconds: 0)
        try store.takeLease(capture: "test/capture")
        let runner = CaptureSessionRunner(launch: launch, open: OpenRequest(capture: spec, version: "test", state: state),
                                          bindings: try bindings ?? [binding("test/things")], store: store, logger: logger)
        return try runner.run()
    }

    private func ids(_ collection: String = "test/things") throws -> [Int64] {
        try StoreReading.values(store, collection).compactMap { $0["id"]?.numberValue?.int64Value }
    }

    func testDocumentsAndStateCommitTogetherWithUUIDs() throws {
        let outcome = try run([["docs": 3], ["checkpoint": ["cursor": 3]], ["docs": 2, "start": 3], ["checkpoint": ["cursor": 5]]])
        XCTAssertEqual(outcome.documents, 5)
        XCTAssertEqual(try ids(), [0, 1, 2, 3, 4])
        XCTAssertEqual(try fixture.rows("SELECT count(DISTINCT \"_meta/uuid\") FROM \(fixture.table("test/things"))"), [["5"]])
        XCTAssertEqual(try store.checkpoint(capture: "test/capture")?.connectorState, ["cursor": 5])
    }

    func testAMalformedLineFailsAndNothingOfTheTransactionCommits() throws {
        _ = try run([["docs": 2], ["checkpoint": ["n": 1]]])
        XCTAssertThrowsError(try run([["docs": 2, "start": 2], ["raw": "{not json"], ["checkpoint": ["n": 2]]], state: ["n": 1])) { error in
            XCTAssertTrue("\(error)".hasPrefix("connector of test/capture wrote a malformed line 4"), "\(error)")
        }
        XCTAssertEqual(try ids(), [0, 1])
        XCTAssertEqual(try store.checkpoint(capture: "test/capture")?.connectorState, ["n": 1])
    }

    func testAFailingConnectorCommitsNothingOfItsOpenTransaction() throws {
        XCTAssertThrowsError(try run([["docs": 2], ["checkpoint": ["n": 1]], ["docs": 2, "start": 2], ["log": "database went away", "level": "error"], ["exit": 3]])) { error in
            XCTAssertEqual("\(error)", "connector of test/capture failed (exit status 3): database went away")
        }
        // Whether the first checkpoint committed depends on timing; documents and state always agree.
        let state = try store.checkpoint(capture: "test/capture")?.connectorState
        XCTAssertEqual(try ids(), state == ["n": 1] ? [0, 1] : [])
    }

    func testRejectedDocumentsGoToTheRejectedTable() throws {
        let outcome = try run([["doc": ["id": 1, "pad": "ok"]], ["doc": ["id": "two"]], ["checkpoint": [:]]],
                              bindings: [binding("test/things", onIncompatible: .reject)])
        XCTAssertEqual(outcome.rejected, 1)
        XCTAssertEqual(try ids(), [1])
        let rejected = try StoreReading.documents { try store.readRejected(collection: "test/things", $0) }.map(\.json)
        XCTAssertEqual(rejected.first?["document"]?["id"], "two")
        XCTAssertEqual(try store.checkpoint(capture: "test/capture")?.lastTransaction?.rejected, 1)
    }

    func testManyBindingsAndHugeDocuments() throws {
        let bindings = try (0..<8).map { try binding("test/b\($0)") }
        var script: [JSON] = []
        for index in 0..<8 { script.append(["docs": 10, "binding": .number(JSONNumber(index)), "start": .number(JSONNumber(index * 10))]) }
        script.append(["docs": 2, "binding": 3, "start": 1000, "size": 8_000_000])
        script.append(["docs": 5, "binding": 0, "start": 2000])
        script.append(["checkpoint": ["done": true]])
        XCTAssertEqual(try run(.array(script), bindings: bindings).documents, 87)
        for index in 0..<8 { XCTAssertEqual(try ids("test/b\(index)").count, [0: 15, 3: 12][index] ?? 10) }
        XCTAssertEqual(try StoreReading.values(store, "test/b3").last?["pad"]?.stringValue?.utf8.count, 8_000_000)
    }

    func testExplicitAcknowledgementsFollowEachCommit() throws {
        let outcome = try run([["docs": 1], ["checkpoint": ["n": 1]], ["ack_wait": 1], ["docs": 1, "start": 1], ["checkpoint": ["n": 2]], ["ack_wait": 1]],
                              environment: ["OPENED_ACKS": "1"])
        XCTAssertEqual(outcome.commits, 2)
        XCTAssertEqual(try store.checkpoint(capture: "test/capture")?.transactions, 2)
    }
}
