@testable import CaptureRuntime
import JSON
import JSONSchema
import XCTest

/// The one preparation stage as sessions use it: documents added to a batch come out stamped, validated and
/// serialized, rejected or failed, in the order they were added, with control events in between.
final class CaptureBatchTests: XCTestCase {
    private let schema: JSON = [
        "type": "object", "required": ["id"],
        "properties": ["id": ["type": "integer"], "name": ["type": "string"]],
    ]

    private func preparation(onIncompatible: RuntimeBinding.OnIncompatible = .fail) throws -> DocumentPreparation {
        let binding = RuntimeBinding(collection: "test/things", writeSchema: try Schema(schema), key: [JSONPointer(tokens: ["id"])],
                                     onIncompatible: onIncompatible)
        return DocumentPreparation(captureName: "test/capture", bindings: [binding])
    }

    private func add(_ text: String, to batch: inout CaptureBatch, binding: Int = 0,
                     fallback: () throws(RuntimeError) -> (binding: Int, document: JSON)) {
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { raw in
            batch.addDocument(binding: binding, text: UnsafeRawBufferPointer(raw), fallback: fallback)
        }
    }

    private func text(_ batch: CaptureBatch, _ index: Int) throws -> JSON {
        try batch.withText(of: batch.entries[index]) { try JSON.parse(bytes: $0) }
    }

    private func noFallback() throws(RuntimeError) -> (binding: Int, document: JSON) {
        XCTFail("the fast path should have taken the document")
        throw RuntimeError("unexpected fallback")
    }

    func testAFastPathDocumentIsStampedAndStoredAsItsText() throws {
        var batch = CaptureBatch(preparation: try preparation())
        add(#"{"id":1,"name":"a \"quoted\" name"}"#, to: &batch, fallback: noFallback)
        XCTAssertEqual(batch.entries.map(\.kind), [.document])
        let document = try text(batch, 0)
        XCTAssertEqual(document["id"], 1)
        XCTAssertEqual(document["name"], #"a "quoted" name"#)
        let uuid = try XCTUnwrap(document["_meta"]?["uuid"]?.stringValue)
        XCTAssertNotNil(DocumentUUIDGenerator.publishTime(of: uuid))
    }

    /// What the fast path cannot confirm goes to the session's fallback, which re-reads the document in full; the
    /// full path then decides, with the same outcome.
    func testTextTheFastPathCannotConfirmTakesTheFullPathThroughTheFallback() throws {
        var batch = CaptureBatch(preparation: try preparation())
        var fallbacks = 0
        add(#"{"id":2.0}"#, to: &batch) { () throws(RuntimeError) in
            fallbacks += 1
            return (0, ["id": 2])
        }
        XCTAssertEqual(fallbacks, 1)
        XCTAssertEqual(batch.entries.map(\.kind), [.document])
        XCTAssertEqual(try text(batch, 0)["id"], 2)
        XCTAssertNotNil(try text(batch, 0)["_meta"]?["uuid"]?.stringValue)
    }

    func testAFallbackThatCannotReadTheDocumentFailsTheBatchThere() throws {
        var batch = CaptureBatch(preparation: try preparation())
        batch.add(.opened(explicitAcknowledgements: false))
        add(#"{"id":1}"#, to: &batch, fallback: noFallback)
        add(#"{"id":"#, to: &batch) { () throws(RuntimeError) in throw RuntimeError("line 3 is malformed") }
        XCTAssertEqual(batch.entries.map(\.kind), [.event, .document, .failure])
        XCTAssertEqual(batch.failures, [RuntimeError("line 3 is malformed")])
        XCTAssertTrue(batch.isFull, "a session hands a batch over once it holds a failure")
    }

    func testAnInvalidDocumentIsRejectedWithItsErrorsWhenTheBindingRejects() throws {
        var batch = CaptureBatch(preparation: try preparation(onIncompatible: .reject))
        batch.addDocument(binding: 0, document: ["id": "seven"])
        XCTAssertEqual(batch.entries.map(\.kind), [.rejected])
        let record = try text(batch, 0)
        XCTAssertEqual(record["collection"], "test/things")
        XCTAssertEqual(record["document"]?["id"], "seven")
        XCTAssertEqual(record["errors"]?.arrayValue?.count, 1)
        XCTAssertTrue(record["errors"]?[0]?.stringValue?.contains("/id") ?? false, "\(record)")
    }

    func testAnInvalidDocumentFailsNamingCollectionAndKeyWhenTheBindingFails() throws {
        var batch = CaptureBatch(preparation: try preparation())
        batch.addDocument(binding: 0, document: ["id": 7, "name": 8])
        XCTAssertEqual(batch.entries.map(\.kind), [.failure])
        let message = batch.failures[0].message
        XCTAssertTrue(message.hasPrefix("collection test/things: document with key [7] failed validation:"), message)
        XCTAssertTrue(message.contains("/name"), message)
    }

    func testADocumentOfAnUnknownBindingFailsTheSession() throws {
        var batch = CaptureBatch(preparation: try preparation())
        add(#"{"id":1}"#, to: &batch, binding: 5) { () throws(RuntimeError) in (5, ["id": 1]) }
        XCTAssertEqual(batch.failures.map(\.message), ["connector of test/capture captured a document for binding 5, but the capture has 1 bindings"])
    }

    func testABatchIsFullAtItsEntryLimitAndExchangesContentsKeepingEachPreparation() throws {
        let mine = try preparation(), theirs = try preparation()
        var batch = CaptureBatch(preparation: mine)
        for _ in 0..<(CaptureBatch.entryLimit - 1) { batch.add(.checkpoint(nil)) }
        XCTAssertFalse(batch.isFull)
        batch.add(.checkpoint(nil))
        XCTAssertTrue(batch.isFull)
        var other = CaptureBatch(preparation: theirs)
        other.addDocument(binding: 0, document: ["id": 1])
        batch.exchangeContents(with: &other)
        XCTAssertEqual(batch.entries.map(\.kind), [.document])
        XCTAssertEqual(other.entries.count, CaptureBatch.entryLimit)
        XCTAssertTrue(batch.preparation === mine && other.preparation === theirs)
        other.removeAll()
        XCTAssertTrue(other.isEmpty && other.bytes.isEmpty && other.events.isEmpty)
    }
}
