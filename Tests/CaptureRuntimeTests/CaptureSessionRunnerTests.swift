@testable import CaptureRuntime
import CapstanTestSupport
import CollectionStore
import FlowCapture
import Foundation
import JSON
import JSONSchema
import Logging
import XCTest

/// The session engine driving a scripted connector into the real local store.
final class CaptureSessionRunnerTests: XCTestCase {
    private var root: String!
    private let logger = Logger(label: "test")

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("runner-\(UUID().uuidString)").path
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: root)
    }

    private let schema: JSON = ["type": "object", "required": ["id"], "properties": ["id": ["type": "integer"], "pad": ["type": "string"]]]

    private func binding(_ collection: String, onIncompatible: RuntimeBinding.OnIncompatible = .fail) throws -> RuntimeBinding {
        RuntimeBinding(collection: collection, writeSchema: try Schema(schema), key: [JSONPointer(tokens: ["id"])], onIncompatible: onIncompatible)
    }

    private func session(_ script: JSON, bindings: [RuntimeBinding]? = nil, store: LocalCollectionStore, state: JSON = [:],
                         environment: [String: String] = [:]) throws -> CaptureSessionRunner {
        var environment = environment
        environment["SCRIPT"] = script.serializedString()
        let launch = ConnectorLaunch(command: ["python3", RepositoryPaths.scriptedConnector], environment: environment, captureName: "test/capture")
        let spec = CaptureSpec(name: "test/capture", connectorType: .local, config: [:], bindings: [], intervalSeconds: 0)
        return CaptureSessionRunner(launch: launch, open: OpenRequest(capture: spec, version: "test", state: state),
                                    bindings: try bindings ?? [binding("test/things")], store: store, logger: logger)
    }

    private func documents(_ store: LocalCollectionStore, _ collection: String = "test/things") throws -> [JSON] {
        var documents: [JSON] = []
        try store.read(collection: collection) { documents.append(try JSON.parse(bytes: UnsafeRawBufferPointer($0.bytes))) }
        return documents
    }

    func testDocumentsAndStateCommitTogetherWithUUIDs() throws {
        let store = LocalCollectionStore(root: root)
        let outcome = try session([["docs": 3], ["checkpoint": ["cursor": 3]], ["docs": 2, "start": 3], ["checkpoint": ["cursor": 5]]], store: store).run()
        XCTAssertEqual(outcome.documents, 5)
        let stored = try documents(store)
        XCTAssertEqual(stored.map { $0["id"]?.numberValue?.int64Value }, [0, 1, 2, 3, 4])
        let uuids = stored.compactMap { $0["_meta"]?["uuid"]?.stringValue }
        XCTAssertEqual(Set(uuids).count, 5)
        XCTAssertNotNil(DocumentUUIDGenerator.publishTime(of: uuids[0]))
        XCTAssertEqual(try store.checkpoint(capture: "test/capture")?.connectorState, ["cursor": 5])
    }

    /// Documents the text fast path leaves to the parsed path still commit exactly as parsed: members after `doc`,
    /// integral decimals, an existing `/_meta/uuid` (replaced), escaped names, repeated names (the last one wins).
    func testDocumentsOffTheFastPathCommitAsParsed() throws {
        let store = LocalCollectionStore(root: root)
        let raw: [String] = [
            #"{"captured":{"doc":{"id":1},"binding":0}}"#,
            #"{"captured":{"binding":0,"doc":{"id":2.0}}}"#,
            #"{"captured":{"binding":0,"doc":{"id":3,"_meta":{"uuid":"given","op":"c"}}}}"#,
            #"{"captured":{"binding":0,"doc":{"\u0069d":4}}}"#,
            #"{"captured":{"binding":0,"doc":{"id":"x","id":5,"_meta":{"a":1},"_meta":{"b":2}}}}"#,
            #"{"captured":{"binding":0,"doc":{"id":6,"_meta":{"op":"u"}}}}"#,
        ]
        let outcome = try session(.array(raw.map { ["raw": .string($0)] } + [["checkpoint": ["n": 6]]]), store: store).run()
        XCTAssertEqual(outcome.documents, 6)
        let stored = try documents(store)
        XCTAssertEqual(stored.map { $0["id"]?.numberValue?.int64Value }, [1, 2, 3, 4, 5, 6])
        let uuids = stored.compactMap { $0["_meta"]?["uuid"]?.stringValue }
        XCTAssertEqual(Set(uuids).count, 6)
        XCTAssertFalse(uuids.contains("given"))
        for uuid in uuids { XCTAssertNotNil(DocumentUUIDGenerator.publishTime(of: uuid), uuid) }
        XCTAssertEqual(stored[2]["_meta"]?["op"], "c")
        XCTAssertEqual(stored[4]["_meta"]?["b"], 2)
        XCTAssertNil(stored[4]["_meta"]?["a"])
        XCTAssertEqual(stored[5]["_meta"]?["op"], "u")
    }

    /// With `_meta` in the schema, a connector's own `/_meta/uuid` is still replaced (the fast path leaves such a
    /// document to the full path).
    func testAConnectorsOwnUUIDIsReplacedWhenTheSchemaNamesMeta() throws {
        let store = LocalCollectionStore(root: root)
        let schema: JSON = ["type": "object", "required": ["id"], "properties": ["id": ["type": "integer"], "_meta": ["type": "object"]]]
        let binding = RuntimeBinding(collection: "test/things", writeSchema: try Schema(schema), key: [JSONPointer(tokens: ["id"])])
        let raw = [#"{"captured":{"binding":0,"doc":{"_meta":{"op":"c","uuid":"given"},"id":1}}}"#, #"{"captured":{"binding":0,"doc":{"_meta":{"op":"u"},"id":2}}}"#]
        _ = try session(.array(raw.map { ["raw": .string($0)] } + [["checkpoint": ["n": 2]]]), bindings: [binding], store: store).run()
        let stored = try documents(store)
        XCTAssertEqual(stored.map { $0["id"]?.numberValue?.int64Value }, [1, 2])
        for document in stored {
            let uuid = try XCTUnwrap(document["_meta"]?["uuid"]?.stringValue)
            XCTAssertNotNil(DocumentUUIDGenerator.publishTime(of: uuid), uuid)
        }
        XCTAssertEqual(stored.map { $0["_meta"]?["op"] }, ["c", "u"])
    }

    /// A Flow connector is read ahead on a thread of its own (ReadAheadSession): across many batches, with
    /// documents off the fast path (escaped names, parsed lines) and checkpoints among them, every document is
    /// stored once, in the connector's order, and a malformed line far into the output still names its number.
    func testReadAheadKeepsTheConnectorsOrderAcrossBatches() throws {
        let store = LocalCollectionStore(root: root)
        var script: [JSON] = []
        var next = 0
        for round in 0..<12 {
            script.append(["docs": 450, "start": .number(JSONNumber(next)), "size": 40])
            next += 450
            // Off the fast path: an escaped name, then a document after which the envelope has more members.
            script.append(["raw": .string(#"{"captured":{"binding":0,"doc":{"\u0069d":"# + "\(next)}}}")])
            script.append(["raw": .string(#"{"captured":{"doc":{"id":"# + "\(next + 1)" + #"},"binding":0}}"#)])
            next += 2
            script.append(["checkpoint": ["round": .number(JSONNumber(round))]])
        }
        let runner = try session(.array(script), store: store)
        XCTAssertTrue(runner.readsAhead)
        let outcome = try runner.run()
        XCTAssertEqual(outcome.documents, next)
        let stored = try documents(store)
        XCTAssertEqual(stored.map { $0["id"]?.numberValue?.int64Value }, (0..<next).map { Int64($0) })
        XCTAssertEqual(Set(stored.compactMap { $0["_meta"]?["uuid"]?.stringValue }).count, next)
        XCTAssertEqual(try store.checkpoint(capture: "test/capture")?.connectorState, ["round": 11])

        let failing = LocalCollectionStore(root: root + "-failing")
        defer { try? FileManager.default.removeItem(atPath: root + "-failing") }
        // The pause lets the first checkpoint commit (the runner commits once the connector is idle).
        let malformed: JSON = [["docs": 3000], ["checkpoint": ["n": 1]], ["sleep": 0.3], ["docs": 2000, "start": 3000], ["raw": "{\"captured\":"],
                               ["checkpoint": ["n": 2]]]
        XCTAssertThrowsError(try session(malformed, store: failing).run()) { error in
            XCTAssertTrue("\(error)".hasPrefix("connector of test/capture wrote a malformed line 5003: "), "\(error)")
        }
        XCTAssertEqual(try documents(failing).count, 3000, "the first checkpoint's documents, and none after it")
    }

    func testAMalformedDocumentInACapturedLineNamesTheLine() throws {
        let store = LocalCollectionStore(root: root)
        XCTAssertThrowsError(try session([["docs": 1], ["raw": #"{"captured":{"binding":0,"doc":{"id":}}}"#], ["checkpoint": ["n": 2]]], store: store).run()) { error in
            XCTAssertTrue("\(error)".hasPrefix("connector of test/capture wrote a malformed line 3: invalid JSON"), "\(error)")
        }
        XCTAssertEqual(try documents(store).count, 0)
    }

    func testMergePatchAndReplaceCheckpointsReduceTheState() throws {
        let store = LocalCollectionStore(root: root)
        _ = try session([["checkpoint": ["a": ["x": 1], "b": 2]], ["checkpoint": ["a": ["y": 2], "b": nil]],
                         ["checkpoint": ["c": 3], "merge": false], ["checkpoint": ["d": 4]]],
                        store: store, state: ["old": true]).run()
        XCTAssertEqual(try store.checkpoint(capture: "test/capture")?.connectorState, ["c": 3, "d": 4])
    }

    func testAMalformedLineFailsAndNothingOfTheTransactionCommits() throws {
        let store = LocalCollectionStore(root: root)
        _ = try session([["docs": 2], ["checkpoint": ["n": 1]]], store: store).run()
        XCTAssertThrowsError(try session([["docs": 2, "start": 2], ["raw": "{not json"], ["checkpoint": ["n": 2]]], store: store, state: ["n": 1]).run()) { error in
            XCTAssertTrue("\(error)".hasPrefix("connector of test/capture wrote a malformed line 4: invalid JSON at byte 1"), "\(error)")
            XCTAssertTrue("\(error)".hasSuffix("(line starts: {not json)"), "\(error)")
        }
        XCTAssertEqual(try documents(store).count, 2)
        XCTAssertEqual(try store.checkpoint(capture: "test/capture")?.connectorState, ["n": 1])
    }

    func testExitingBetweenDocumentsAndTheirCheckpointIsAnError() throws {
        let store = LocalCollectionStore(root: root)
        XCTAssertThrowsError(try session([["docs": 2], ["checkpoint": ["n": 1]], ["docs": 3, "start": 2], ["exit": 0]], store: store).run()) { error in
            XCTAssertEqual("\(error)", "connector of test/capture exited between documents and their checkpoint (3 uncommitted documents discarded)")
        }
        try assertCommittedMatchesState(store)
    }

    /// Exactly once: whether the first checkpoint committed before the failure depends on timing (it may have
    /// been folded into the transaction that failed), but documents and state always agree, and nothing past
    /// the last checkpoint ever commits.
    private func assertCommittedMatchesState(_ store: LocalCollectionStore, file: StaticString = #filePath, line: UInt = #line) throws {
        let state = try store.checkpoint(capture: "test/capture")?.connectorState
        let ids = try documents(store).compactMap { $0["id"]?.numberValue?.int64Value }
        if state == ["n": 1] {
            XCTAssertEqual(ids, [0, 1], "the committed checkpoint's documents, exactly once", file: file, line: line)
        } else {
            XCTAssertNil(state, "no other state was ever checkpointed", file: file, line: line)
            XCTAssertEqual(ids, [], "no documents without their checkpoint", file: file, line: line)
        }
    }

    func testAFailingConnectorCommitsNothingOfItsOpenTransactionAndReportsItsLastLogLine() throws {
        let store = LocalCollectionStore(root: root)
        XCTAssertThrowsError(try session([["docs": 2], ["checkpoint": ["n": 1]], ["docs": 2, "start": 2], ["log": "database went away", "level": "error"], ["exit": 3]],
                                         store: store).run()) { error in
            XCTAssertEqual("\(error)", "connector of test/capture failed (exit status 3): database went away")
        }
        try assertCommittedMatchesState(store)
    }

    func testASchemaViolationStopsTheTransactionNamingCollectionKeyPointerAndKeyword() throws {
        let store = LocalCollectionStore(root: root)
        XCTAssertThrowsError(try session([["doc": ["id": 7, "pad": 12]], ["checkpoint": [:]]], store: store).run()) { error in
            XCTAssertEqual("\(error)", #"collection test/things: document with key [7] failed validation: /pad: expected type "string", got "integer" (at #/properties/pad/type)"#)
        }
        XCTAssertEqual(try documents(store).count, 0)
    }

    func testRejectedDocumentsGoToTheRejectedLogAndAreCounted() throws {
        let store = LocalCollectionStore(root: root)
        let outcome = try session([["doc": ["id": 1, "pad": "ok"]], ["doc": ["id": "two"]], ["checkpoint": [:]]],
                                  bindings: [binding("test/things", onIncompatible: .reject)], store: store).run()
        XCTAssertEqual(outcome.documents, 1)
        XCTAssertEqual(outcome.rejected, 1)
        XCTAssertEqual(try documents(store).map { $0["id"] }, [1])
        var rejected: [JSON] = []
        try store.readRejected(collection: "test/things") { rejected.append(try JSON.parse(bytes: UnsafeRawBufferPointer($0.bytes))) }
        XCTAssertEqual(rejected.count, 1)
        XCTAssertEqual(rejected.first?["document"]?["id"], "two")
        XCTAssertEqual(rejected.first?["errors"]?[0]?.stringValue, #"/id: expected type "integer", got "string" (at #/properties/id/type)"#)
    }

    func testManyBindingsAndHugeDocuments() throws {
        let store = LocalCollectionStore(root: root)
        let bindings = try (0..<8).map { try binding("test/b\($0)") }
        var script: [JSON] = []
        for index in 0..<8 { script.append(["docs": 10, "binding": .number(JSONNumber(index)), "start": .number(JSONNumber(index * 10))]) }
        script.append(["docs": 2, "binding": 3, "start": 1000, "size": 8_000_000])
        script.append(["checkpoint": ["done": true]])
        let outcome = try session(.array(script), bindings: bindings, store: store).run()
        XCTAssertEqual(outcome.documents, 82)
        for index in 0..<8 { XCTAssertEqual(try documents(store, "test/b\(index)").count, index == 3 ? 12 : 10) }
        XCTAssertEqual(try documents(store, "test/b3").last?["pad"]?.stringValue?.utf8.count, 8_000_000)
    }

    func testExplicitAcknowledgementsFollowEachCommit() throws {
        let store = LocalCollectionStore(root: root)
        let runner = try session([["docs": 1], ["checkpoint": ["n": 1]], ["ack_wait": 1], ["docs": 1, "start": 1], ["checkpoint": ["n": 2]], ["ack_wait": 1]],
                                 store: store, environment: ["OPENED_ACKS": "1"])
        let outcome = try runner.run()
        XCTAssertEqual(outcome.commits, 2)
        XCTAssertEqual(try store.checkpoint(capture: "test/capture")?.connectorState, ["n": 2])
    }

    func testAStopRequestEndsAWaitingConnectorCleanlyAfterCommitting() throws {
        let store = LocalCollectionStore(root: root)
        let runner = try session([["docs": 3], ["checkpoint": ["n": 3]], ["sleep": 60]], store: store)
        DispatchQueue.global().asyncAfter(deadline: .now() + 1.5) { runner.requestStop() }
        let started = Date()
        let outcome = try runner.run()
        XCTAssertLessThan(Date().timeIntervalSince(started), 20)
        XCTAssertEqual(outcome.documents, 3)
        XCTAssertEqual(try documents(store).count, 3)
        XCTAssertEqual(try store.checkpoint(capture: "test/capture")?.connectorState, ["n": 3])
    }
}
