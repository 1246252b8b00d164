import Foundation
import JSON
import XCTest
@testable import CollectionStore
import StoreTestSupport

/// `truncate(collection:)`: an overwrite replaces what readers see only when its transaction commits.
final class LocalCollectionStoreTruncateTests: XCTestCase {
    let capture = "acmeCo/airbyte"
    let users = "acmeCo/users"
    let orders = "acmeCo/orders"

    private func sync(_ store: LocalCollectionStore, _ texts: [String], truncate: Bool = true, commit: Bool = true) throws {
        let transaction = try store.beginTransaction(capture: capture)
        if truncate { try transaction.truncate(collection: users) }
        for text in texts { try transaction.append(users, text) }
        try transaction.append(orders, #"{"o":\#(texts.count)}"#)
        if commit { try transaction.commit(["n": .number(JSONNumber(texts.count))]) } else { transaction.abort() }
    }

    func testATruncationReplacesTheCollectionWhenItCommitsAndAnAbortChangesNothing() throws {
        let fixture = try StoreFixture()
        let store = fixture.store()
        try sync(store, [#"{"id":1}"#, #"{"id":2}"#], truncate: false)
        try sync(store, [#"{"id":3}"#])
        XCTAssertEqual(try StoreFixture.texts(store, users), [#"{"id":3}"#])
        // Other collections of the transaction keep appending.
        XCTAssertEqual(try StoreFixture.texts(store, orders), [#"{"o":2}"#, #"{"o":1}"#])

        try sync(store, [#"{"id":9}"#], commit: false)
        XCTAssertEqual(try StoreFixture.texts(store, users), [#"{"id":3}"#], "an aborted overwrite changes nothing")
        XCTAssertEqual(try StoreFixture.texts(fixture.store(), users), [#"{"id":3}"#], "another store object sees the same")

        try sync(store, [])
        XCTAssertEqual(try StoreFixture.texts(store, users), [], "an empty overwrite empties the collection")
        try sync(store, [#"{"id":4}"#, #"{"id":5}"#], truncate: false)
        XCTAssertEqual(try StoreFixture.texts(store, users), [#"{"id":4}"#, #"{"id":5}"#])
        let start = try XCTUnwrap(fixture.checkpointFile("acmeCo%2Fairbyte")["starts"]?[users]?.numberValue?.int64Value)
        XCTAssertEqual(try StoreFixture.documents(store, users).first?.position, start)
    }

    func testDocumentsAppendedBeforeTheTruncationInTheSameTransactionAreDropped() throws {
        let fixture = try StoreFixture()
        let store = fixture.store()
        let transaction = try store.beginTransaction(capture: capture)
        try transaction.append(users, #"{"id":"before"}"#)
        try transaction.truncate(collection: users)
        try transaction.append(users, #"{"id":"after"}"#)
        try transaction.commit([:])
        XCTAssertEqual(try StoreFixture.texts(store, users), [#"{"id":"after"}"#])
        var latest: [String] = []
        try store.readLatest(collection: users, keyOf: { Array($0["id"]!.serialized()) }) { latest.append(String(decoding: $0.bytes, as: UTF8.self)) }
        XCTAssertEqual(latest, [#"{"id":"after"}"#])
    }

    func testACrashBeforeTheCommitLeavesTheOldDocumentsAndRecoveryKeepsTheStart() throws {
        let fixture = try StoreFixture()
        do {
            let store = fixture.store()
            try sync(store, [#"{"id":1}"#], truncate: false)
            try sync(store, [#"{"id":2}"#])
            let open = try store.beginTransaction(capture: capture)
            try open.truncate(collection: users)
            try open.append(users, #"{"id":3}"#)
            // Dropped without commit or abort: as a crash would leave it.
            _ = open
        }
        let store = fixture.store()
        XCTAssertEqual(try StoreFixture.texts(store, users), [#"{"id":2}"#])
        try sync(store, [#"{"id":4}"#], truncate: false)
        XCTAssertEqual(try StoreFixture.texts(store, users), [#"{"id":2}"#, #"{"id":4}"#])
    }

    func testOldSegmentsAreDeletedOneGenerationLater() throws {
        let fixture = try StoreFixture()
        let store = fixture.store(segmentSize: 64)
        let row = #"{"id":"0123456789012345678901234567890123456789"}"#
        for generation in 0..<4 { try sync(store, [row, row, row], truncate: generation > 0) }
        XCTAssertEqual(try StoreFixture.texts(store, users).count, 3)
        let segments = try fixture.segments("collections/acmeCo%2Fusers")
        XCTAssertLessThanOrEqual(segments.count, 7, "segments of generations 0 and 1 are gone: \(segments.map(\.name))")
        XCTAssertFalse(segments.contains { $0.name == "00000000000000000000.ndjson" })
    }

    func testAStoreWithoutTruncationSaysSo() throws {
        final class Minimal: StoreTransaction {
            func append(collection: String, document: UnsafeRawBufferPointer) throws(StoreError) {}
            func appendRejected(collection: String, record: UnsafeRawBufferPointer) throws(StoreError) {}
            func commit(connectorState: JSON, transactionSummary: TransactionSummary) throws(StoreError) {}
            func abort() {}
        }
        XCTAssertThrowsError(try Minimal().truncate(collection: "a/b")) { error in
            XCTAssertTrue("\(error)".contains("not supported by this store"), "\(error)")
        }
    }
}
