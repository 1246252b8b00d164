import Foundation
import JSON
import XCTest
@testable import CollectionStore
import StoreTestSupport

final class LocalCollectionStoreTests: XCTestCase {
    let capture = "acmeCo/source-pg"
    let orders = "acmeCo/orders"
    let users = "acmeCo/users"

    // MARK: - Commit and read

    func testCommitThenReadReturnsExactlyTheDocumentsInOrder() throws {
        let fixture = try StoreFixture()
        let store = fixture.store()
        XCTAssertNil(try store.checkpoint(capture: capture))

        let first = try store.beginTransaction(capture: capture)
        try first.append(orders, #"{"id":1}"#)
        try first.append(users, #"{"u":"a"}"#)
        try first.append(orders, #"{"id":2,"note":"ü"}"#)
        try first.commit(["cursor": 2], documents: 3, bytes: 35)

        let second = try store.beginTransaction(capture: capture)
        try second.append(orders, #"{"id":3}"#)
        try second.commit(["cursor": 3], documents: 1, bytes: 8)

        let documents = try StoreFixture.documents(store, orders)
        XCTAssertEqual(documents.map(\.text), [#"{"id":1}"#, #"{"id":2,"note":"ü"}"#, #"{"id":3}"#])
        // Positions are byte offsets of each line.
        let secondLength = #"{"id":2,"note":"ü"}"#.utf8.count + 1
        XCTAssertEqual(documents.map(\.position), [0, 9, Int64(9 + secondLength)])
        XCTAssertEqual(try StoreFixture.texts(store, users), [#"{"u":"a"}"#])
        XCTAssertEqual(try store.collectionNames(), [orders, users])

        let checkpoint = try XCTUnwrap(try store.checkpoint(capture: capture))
        XCTAssertEqual(checkpoint.connectorState, ["cursor": 3])
        XCTAssertEqual(checkpoint.transactions, 2)
        XCTAssertEqual(checkpoint.lastTransaction, TransactionSummary(documents: 1, rejected: 0, bytes: 8))
        XCTAssertNotNil(checkpoint.committedAt.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"#, options: .regularExpression), checkpoint.committedAt)

        // Another store object (as another process would) sees the same.
        XCTAssertEqual(try StoreFixture.texts(fixture.store(), orders).count, 3)
        XCTAssertEqual(try fixture.store().checkpoint(capture: capture), checkpoint)
    }

    func testCheckpointFileHoldsStateOffsetsCountsAndSummary() throws {
        let fixture = try StoreFixture()
        let store = fixture.store()
        let transaction = try store.beginTransaction(capture: capture)
        try transaction.append(orders, #"{"id":1}"#)
        try transaction.appendRejected(orders, #"{"bad":true}"#)
        try transaction.commit(["k": "v"], documents: 1, rejected: 1, bytes: 8)

        let file = try fixture.checkpointFile("acmeCo%2Fsource-pg")
        XCTAssertEqual(file["version"], 1)
        XCTAssertEqual(file["connectorState"], ["k": "v"])
        XCTAssertEqual(file["transactions"], 1)
        XCTAssertNotNil(file["committedAt"]?.stringValue)
        XCTAssertEqual(file["lastTransaction"], ["documents": 1, "rejected": 1, "bytes": 8])
        XCTAssertEqual(file["collections"], [orders: 9])
        XCTAssertEqual(file["rejected"], [orders: 13])
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(fixture.root)/captures/acmeCo%2Fsource-pg/checkpoint.json.tmp"))
    }

    func testEmptyAndUnknownCollectionsReadNothing() throws {
        let fixture = try StoreFixture()
        let store = fixture.store()
        XCTAssertEqual(try StoreFixture.texts(store, "nobody/writes-this"), [])
        XCTAssertEqual(try store.collectionNames(), [])
        // A state-only commit: the capture has a checkpoint, no collection has documents.
        try store.beginTransaction(capture: capture).commit(["s": 1])
        XCTAssertEqual(try store.checkpoint(capture: capture)?.transactions, 1)
        XCTAssertEqual(try store.collectionNames(), [])
    }

    // MARK: - Visibility, abort, recovery

    func testUncommittedAppendsAreInvisibleInProcessAndAfterReopening() throws {
        let fixture = try StoreFixture()
        // A tiny write buffer, so that uncommitted documents really reach the files.
        var store: LocalCollectionStore? = fixture.store(writeBufferSize: 64)
        let committed = try store!.beginTransaction(capture: capture)
        try committed.append(orders, #"{"id":"committed"}"#)
        try committed.commit(["n": 1])

        var pending: (any StoreTransaction)? = try store!.beginTransaction(capture: capture)
        for i in 0..<100 { try pending!.append(orders, #"{"id":"pending \#(i)"}"#) }
        XCTAssertGreaterThan(try fixture.journalBytes("collections/acmeCo%2Forders").count, 1000, "uncommitted bytes are on disk")

        XCTAssertEqual(try StoreFixture.texts(store!, orders), [#"{"id":"committed"}"#])
        XCTAssertEqual(try StoreFixture.texts(fixture.store(), orders), [#"{"id":"committed"}"#])
        XCTAssertEqual(try store!.checkpoint(capture: capture)?.connectorState, ["n": 1])

        // Drop everything without committing, reopen: still only the committed document.
        pending = nil
        store = nil
        let reopened = fixture.store()
        XCTAssertEqual(try StoreFixture.texts(reopened, orders), [#"{"id":"committed"}"#])
        XCTAssertEqual(try reopened.checkpoint(capture: capture)?.transactions, 1)
    }

    func testAbortDiscardsAndTheNextTransactionContinuesAtTheCommittedEnd() throws {
        let fixture = try StoreFixture()
        let store = fixture.store(segmentSize: 100, writeBufferSize: 64)
        let first = try store.beginTransaction(capture: capture)
        try first.append(orders, #"{"id":1}"#)
        try first.commit(["n": 1])

        let aborted = try store.beginTransaction(capture: capture)
        for i in 0..<50 { try aborted.append(orders, #"{"id":"aborted \#(i)"}"#) }
        try aborted.append(users, #"{"u":"aborted"}"#)
        try aborted.appendRejected(orders, #"{"r":"aborted"}"#)
        XCTAssertGreaterThan(try fixture.segments("collections/acmeCo%2Forders").count, 1)
        aborted.abort()
        aborted.abort()  // idempotent
        XCTAssertThrowsError(try aborted.append(orders, "{}"))
        XCTAssertThrowsError(try aborted.commit(["n": 99]))

        XCTAssertEqual(try fixture.journalBytes("collections/acmeCo%2Forders"), Array("{\"id\":1}\n".utf8))
        XCTAssertEqual(try fixture.segments("collections/acmeCo%2Forders").map(\.name), ["00000000000000000000.ndjson"])
        XCTAssertEqual(try fixture.journalBytes("collections/acmeCo%2Fusers"), [])
        XCTAssertEqual(try fixture.journalBytes("collections/acmeCo%2Forders/rejected"), [])
        XCTAssertEqual(try store.checkpoint(capture: capture)?.connectorState, ["n": 1])
        XCTAssertEqual(try store.collectionNames(), [orders])

        let next = try store.beginTransaction(capture: capture)
        try next.append(orders, #"{"id":2}"#)
        try next.commit(["n": 2])
        XCTAssertEqual(try StoreFixture.documents(store, orders).map(\.position), [0, 9])
        XCTAssertEqual(try StoreFixture.texts(store, orders), [#"{"id":1}"#, #"{"id":2}"#])
        XCTAssertEqual(try store.checkpoint(capture: capture)?.transactions, 2)
    }

    func testRecoveryAfterASimulatedCrashTruncatesToTheCommittedOffsets() throws {
        let fixture = try StoreFixture()
        var store: LocalCollectionStore? = fixture.store(segmentSize: 200, writeBufferSize: 64)
        let first = try store!.beginTransaction(capture: capture)
        for i in 0..<10 { try first.append(orders, #"{"id":\#(i)}"#) }
        try first.commit(["n": 10])
        let committedBytes = try fixture.journalBytes("collections/acmeCo%2Forders")
        XCTAssertEqual(committedBytes.count, 90, "ten documents of 8 bytes and a newline")

        // Crash: appends reach the files (several new segments, a collection and a rejected log never
        // committed), then the process "dies": transaction and store dropped without commit or abort.
        var crashed: (any StoreTransaction)? = try store!.beginTransaction(capture: capture)
        for i in 0..<100 { try crashed!.append(orders, #"{"id":"uncommitted \#(i)"}"#) }
        for i in 0..<20 { try crashed!.append(users, #"{"u":"uncommitted \#(i)"}"#) }
        for i in 0..<20 { try crashed!.appendRejected(orders, #"{"r":"uncommitted \#(i)"}"#) }
        XCTAssertGreaterThan(try fixture.segments("collections/acmeCo%2Forders").count, 5)
        XCTAssertFalse(try fixture.journalBytes("collections/acmeCo%2Fusers").isEmpty)
        crashed = nil
        store = nil

        let reopened = fixture.store(segmentSize: 200, writeBufferSize: 64)
        XCTAssertEqual(try StoreFixture.texts(reopened, orders).count, 10)
        XCTAssertEqual(try StoreFixture.texts(reopened, users), [])
        XCTAssertEqual(try reopened.collectionNames(), [orders])

        let recovered = try reopened.beginTransaction(capture: capture)
        XCTAssertEqual(try fixture.journalBytes("collections/acmeCo%2Forders"), committedBytes)
        XCTAssertEqual(try fixture.segments("collections/acmeCo%2Forders").map(\.name), ["00000000000000000000.ndjson"])
        XCTAssertEqual(try fixture.journalBytes("collections/acmeCo%2Fusers"), [])
        XCTAssertEqual(try fixture.journalBytes("collections/acmeCo%2Forders/rejected"), [])
        try recovered.append(orders, #"{"id":10}"#)
        try recovered.commit(["n": 11])
        XCTAssertEqual(try StoreFixture.texts(reopened, orders), (0...10).map { #"{"id":\#($0)}"# })
    }

    func testAnAbandonedTransactionIsRecoveredByTheSameStore() throws {
        let fixture = try StoreFixture()
        let store = fixture.store(writeBufferSize: 64)
        var abandoned: (any StoreTransaction)? = try store.beginTransaction(capture: capture)
        for i in 0..<20 { try abandoned!.append(orders, #"{"id":"abandoned \#(i)"}"#) }
        abandoned = nil
        let next = try store.beginTransaction(capture: capture)
        XCTAssertEqual(try fixture.journalBytes("collections/acmeCo%2Forders"), [])
        try next.append(orders, #"{"id":1}"#)
        try next.commit(["n": 1])
        XCTAssertEqual(try StoreFixture.texts(store, orders), [#"{"id":1}"#])
    }

    // MARK: - Segments

    func testSegmentsRollAtTheThresholdAndReadsSpanThem() throws {
        let fixture = try StoreFixture()
        let store = fixture.store(segmentSize: 1000, writeBufferSize: 300, readBufferSize: 4096)
        var expected: [String] = []
        for round in 0..<3 {
            let transaction = try store.beginTransaction(capture: capture)
            for i in 0..<200 {
                let document = #"{"round":\#(round),"i":\#(i),"pad":"\#(String(repeating: "x", count: i % 37))"}"#
                try transaction.append(orders, document)
                expected.append(document)
            }
            try transaction.commit(["round": JSON.number(JSONNumber(round))])
        }
        let documents = try StoreFixture.documents(store, orders)
        XCTAssertEqual(documents.map(\.text), expected)

        let segments = try fixture.segments("collections/acmeCo%2Forders")
        XCTAssertGreaterThan(segments.count, 10)
        var offset = 0
        for segment in segments {
            XCTAssertEqual(segment.name, String(repeating: "0", count: 20 - String(offset).count) + String(offset) + ".ndjson")
            XCTAssertLessThanOrEqual(segment.size, 1000)
            offset += segment.size
        }
        // Positions are global offsets: each is the previous one plus its line.
        var position: Int64 = 0
        for document in documents {
            XCTAssertEqual(document.position, position)
            position += Int64(document.text.utf8.count + 1)
        }
        XCTAssertEqual(Int64(offset), position)
        XCTAssertEqual(try fixture.checkpointFile("acmeCo%2Fsource-pg")["collections"]?[orders], .number(JSONNumber(position)))
    }

    func testDocumentsLargerThanTheBuffersAndSegments() throws {
        let fixture = try StoreFixture()
        let store = fixture.store(segmentSize: 1000, writeBufferSize: 64, readBufferSize: 4096)
        let big = #"{"big":""# + String(repeating: "b", count: 20_000) + #""}"#
        let transaction = try store.beginTransaction(capture: capture)
        try transaction.append(orders, #"{"small":1}"#)
        try transaction.append(orders, big)
        try transaction.append(orders, #"{"small":2}"#)
        try transaction.commit([:])
        XCTAssertEqual(try StoreFixture.texts(store, orders), [#"{"small":1}"#, big, #"{"small":2}"#])
        XCTAssertEqual(try fixture.segments("collections/acmeCo%2Forders").map(\.size), [12, big.utf8.count + 1, 12])
    }

    func testInterleavedCollectionsWithFreshNameStrings() throws {
        let fixture = try StoreFixture()
        let store = fixture.store(segmentSize: 4096, writeBufferSize: 256)
        // More collections than the transaction's recent-name cache, each name built afresh for every
        // append (a distinct heap string each time), in a round-robin.
        let count = 20
        func name(_ i: Int) -> String { "acmeCo/interleaved/collection-number-" + String(i) }
        for round in 0..<2 {
            let transaction = try store.beginTransaction(capture: capture)
            for n in 0..<400 { try transaction.append(name(n % count), #"{"round":\#(round),"n":\#(n)}"#) }
            try transaction.commit([:])
        }
        for i in 0..<count {
            let expected = (0..<2).flatMap { round in stride(from: i, to: 400, by: count).map { #"{"round":\#(round),"n":\#($0)}"# } }
            XCTAssertEqual(try StoreFixture.texts(store, name(i)), expected, name(i))
        }
        XCTAssertEqual(try store.collectionNames().count, count)
    }

    func testConcurrentReadersSeeWholeCommitsOnly() throws {
        let fixture = try StoreFixture()
        let store = fixture.store(segmentSize: 2048, writeBufferSize: 128)
        let perTransaction = 7
        let transactions = 60
        let (capture, orders) = (capture, orders)
        let writer = Thread {
            do {
                for t in 0..<transactions {
                    let transaction = try store.beginTransaction(capture: capture)
                    for j in 0..<perTransaction { try transaction.append(orders, #"{"t":\#(t),"j":\#(j)}"#) }
                    try transaction.commit(["t": JSON.number(JSONNumber(t))])
                }
            } catch {
                XCTFail("writer: \(error)")
            }
        }
        writer.start()
        var reads = 0
        var seen = 0
        while seen < perTransaction * transactions {
            // The writing store object itself, and another one as another process would.
            let texts = try StoreFixture.texts(reads % 2 == 0 ? store : fixture.store(), orders)
            XCTAssertEqual(texts.count % perTransaction, 0, "a reader saw part of a transaction")
            XCTAssertEqual(texts, (0..<texts.count).map { #"{"t":\#($0 / perTransaction),"j":\#($0 % perTransaction)}"# })
            XCTAssertGreaterThanOrEqual(texts.count, seen)
            seen = texts.count
            reads += 1
        }
        XCTAssertGreaterThan(reads, 1)
    }

    // MARK: - Rejected records, state, latest

    func testRejectedLogIsCommittedWithTheTransaction() throws {
        let fixture = try StoreFixture()
        let store = fixture.store(writeBufferSize: 64)
        let first = try store.beginTransaction(capture: capture)
        try first.append(orders, #"{"id":1}"#)
        try first.appendRejected(orders, #"{"doc":{"id":"x"},"error":"id: not an integer"}"#)
        try first.commit([:], documents: 1, rejected: 1)
        let pending = try store.beginTransaction(capture: capture)
        for i in 0..<20 { try pending.appendRejected(orders, #"{"doc":\#(i),"error":"pending"}"#) }

        let rejected = try StoreFixture.documents(store, orders, rejected: true)
        XCTAssertEqual(rejected.map(\.text), [#"{"doc":{"id":"x"},"error":"id: not an integer"}"#])
        XCTAssertEqual(rejected.map(\.position), [0])
        XCTAssertEqual(try StoreFixture.texts(store, orders), [#"{"id":1}"#])
        XCTAssertEqual(try fixture.segments("collections/acmeCo%2Forders/rejected").first?.name, "00000000000000000000.ndjson")
        pending.abort()
        XCTAssertEqual(try fixture.journalBytes("collections/acmeCo%2Forders/rejected").count, rejected[0].text.utf8.count + 1)
    }

    func testRejectedOnlyCollectionHasNoDocuments() throws {
        let fixture = try StoreFixture()
        let store = fixture.store()
        let transaction = try store.beginTransaction(capture: capture)
        try transaction.appendRejected(users, #"{"r":1}"#)
        try transaction.commit([:])
        XCTAssertEqual(try StoreFixture.texts(store, users, rejected: true), [#"{"r":1}"#])
        XCTAssertEqual(try StoreFixture.texts(store, users), [])
        XCTAssertEqual(try store.collectionNames(), [])
    }

    func testReplaceConnectorStateKeepsTheRestOfTheCheckpoint() throws {
        let fixture = try StoreFixture()
        let store = fixture.store()
        let transaction = try store.beginTransaction(capture: capture)
        try transaction.append(orders, #"{"id":1}"#)
        try transaction.commit(["cursor": "a"], documents: 1, bytes: 8)
        let before = try XCTUnwrap(try store.checkpoint(capture: capture))
        let fileBefore = try fixture.checkpointFile("acmeCo%2Fsource-pg")

        // Through the store that holds the capture's lock, and then through another one.
        try store.replaceConnectorState(capture: capture, with: ["cursor": "reset"])
        var after = before
        after.connectorState = ["cursor": "reset"]
        XCTAssertEqual(try store.checkpoint(capture: capture), after)
        XCTAssertThrowsError(try fixture.store().replaceConnectorState(capture: capture, with: [:])) { error in
            XCTAssertTrue("\(error)".contains("lock"), "\(error)")
        }
        store.close()
        try fixture.store().replaceConnectorState(capture: capture, with: ["cursor": "again"])
        let fileAfter = try fixture.checkpointFile("acmeCo%2Fsource-pg")
        for key in ["transactions", "committedAt", "lastTransaction", "collections", "rejected"] {
            XCTAssertEqual(fileAfter[key], fileBefore[key], key)
        }
        XCTAssertEqual(fileAfter["connectorState"], ["cursor": "again"])
        XCTAssertEqual(try StoreFixture.texts(fixture.store(), orders), [#"{"id":1}"#])

        // The next transaction counts on from the checkpoint.
        let reopened = fixture.store()
        let next = try reopened.beginTransaction(capture: capture)
        XCTAssertThrowsError(try reopened.replaceConnectorState(capture: capture, with: [:]), "a transaction is open")
        try next.append(orders, #"{"id":2}"#)
        try next.commit(["cursor": "b"])
        XCTAssertEqual(try reopened.checkpoint(capture: capture)?.transactions, 2)
        XCTAssertEqual(try StoreFixture.texts(reopened, orders), [#"{"id":1}"#, #"{"id":2}"#])
    }

    func testReplaceConnectorStateOfACaptureThatNeverCommitted() throws {
        let fixture = try StoreFixture()
        let store = fixture.store()
        try store.replaceConnectorState(capture: capture, with: ["seed": true])
        XCTAssertEqual(try store.checkpoint(capture: capture), CaptureCheckpoint(connectorState: ["seed": true], transactions: 0, committedAt: ""))
        let transaction = try store.beginTransaction(capture: capture)
        try transaction.append(orders, "{}")
        try transaction.commit(["seed": false])
        XCTAssertEqual(try store.checkpoint(capture: capture)?.transactions, 1)
    }

    func testReadLatestKeepsTheLastDocumentOfEachKeyInPositionOrder() throws {
        let fixture = try StoreFixture()
        let store = fixture.store(segmentSize: 64, readBufferSize: 4096)
        let transaction = try store.beginTransaction(capture: capture)
        let documents = [
            #"{"id":1,"v":"a"}"#, #"{"id":2,"v":"b"}"#, #"{"id":1,"v":"c"}"#, #"{"id":3,"v":"d"}"#,
            #"{"v":"no key"}"#, #"{"id":2,"v":"e"}"#, #"{"id":"1","v":"string key"}"#,
        ]
        for document in documents { try transaction.append(orders, document) }
        try transaction.commit([:])
        let uncommitted = try store.beginTransaction(capture: capture)
        try uncommitted.append(orders, #"{"id":3,"v":"uncommitted"}"#)

        var latest: [String] = []
        var positions: [Int64] = []
        try store.readLatest(collection: orders, keyOf: { document in
            document["id"].map { $0.serialized() }
        }) { document in
            latest.append(String(decoding: document.bytes, as: UTF8.self))
            positions.append(document.position)
        }
        XCTAssertEqual(latest, [#"{"id":1,"v":"c"}"#, #"{"id":3,"v":"d"}"#, #"{"id":2,"v":"e"}"#, #"{"id":"1","v":"string key"}"#])
        XCTAssertEqual(positions, positions.sorted())
        uncommitted.abort()
    }

    // MARK: - Names

    func testNamesWithSlashesSpacesAndUnicode() throws {
        let fixture = try StoreFixture()
        let store = fixture.store()
        let names = ["acmeCo/orders v2", "café/日本語/表", ".hidden/x", "100%/a%2Fb", "a-b_c.d"]
        let captureName = "acmeCo/capture ✓"
        let transaction = try store.beginTransaction(capture: captureName)
        for name in names { try transaction.append(name, #"{"name":"\#(name)"}"#) }
        try transaction.appendRejected(names[1], #"{"r":1}"#)
        try transaction.commit(["ok": true])

        XCTAssertEqual(try store.collectionNames(), names.sorted())
        for name in names { XCTAssertEqual(try StoreFixture.texts(fixture.store(), name), [#"{"name":"\#(name)"}"#]) }
        XCTAssertEqual(try StoreFixture.texts(store, names[1], rejected: true), [#"{"r":1}"#])
        XCTAssertEqual(try store.checkpoint(capture: captureName)?.connectorState, ["ok": true])

        let directories = try FileManager.default.contentsOfDirectory(atPath: "\(fixture.root)/collections").sorted()
        XCTAssertEqual(directories, [
            "%2Ehidden%2Fx", "100%25%2Fa%252Fb", "a-b_c.d", "acmeCo%2Forders%20v2",
            "caf%C3%A9%2F%E6%97%A5%E6%9C%AC%E8%AA%9E%2F%E8%A1%A8",
        ])
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(fixture.root)/captures/acmeCo%2Fcapture%20%E2%9C%93/checkpoint.json"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(fixture.root)/collections/caf%C3%A9%2F%E6%97%A5%E6%9C%AC%E8%AA%9E%2F%E8%A1%A8/rejected/00000000000000000000.ndjson"))
    }

    func testNameEncodingRoundTripsAndRefusesWhatItWouldNotProduce() throws {
        for name in ["a", "acmeCo/orders", " ", "%", "%25", ".", "..", "./..", "a.b", "é", "e\u{301}", "日本/語", "\u{0}x", "🚀/🚀"] {
            let encoded = NameEncoding.encode(name)
            XCTAssertFalse(encoded.contains("/"), encoded)
            XCTAssertFalse(encoded.hasPrefix("."), encoded)
            XCTAssertTrue(encoded.utf8.allSatisfy { $0 < 0x80 }, encoded)
            let decoded = try XCTUnwrap(NameEncoding.decode(encoded), name)
            XCTAssertTrue(decoded.utf8.elementsEqual(name.utf8), "\(name) → \(encoded) → \(decoded)")
        }
        // Canonically equivalent but different bytes: different directories.
        XCTAssertNotEqual(NameEncoding.encode("é"), NameEncoding.encode("e\u{301}"))
        for bad in ["", ".x", "%2f", "%41", "%2", "%zz", "a/b", "a%FF", "a b"] {
            XCTAssertNil(NameEncoding.decode(bad), bad)
        }
        XCTAssertThrowsError(try NameEncoding.validate("", what: "collection"))
        XCTAssertThrowsError(try NameEncoding.validate(String(repeating: "/", count: 100), what: "collection")) { error in
            XCTAssertTrue("\(error)".contains("too long"), "\(error)")
        }
    }

    func testCanonicallyEquivalentCollectionNamesAreDistinct() throws {
        let fixture = try StoreFixture()
        let store = fixture.store()
        let transaction = try store.beginTransaction(capture: capture)
        try transaction.append("caf\u{E9}", #"{"n":"precomposed"}"#)
        try transaction.append("cafe\u{301}", #"{"n":"decomposed"}"#)
        try transaction.commit([:])
        XCTAssertEqual(try StoreFixture.texts(store, "caf\u{E9}"), [#"{"n":"precomposed"}"#])
        XCTAssertEqual(try StoreFixture.texts(store, "cafe\u{301}"), [#"{"n":"decomposed"}"#])
    }

    // MARK: - Concurrency and errors

    func testASecondWriterOfACaptureGetsAClearLockError() throws {
        let fixture = try StoreFixture()
        let first = fixture.store()
        let transaction = try first.beginTransaction(capture: capture)
        try transaction.append(orders, "{}")
        try transaction.commit([:])

        // The lock outlives the transaction: it is held until the store closes.
        let second = fixture.store()
        XCTAssertThrowsError(try second.beginTransaction(capture: capture)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains(#"capture "acmeCo/source-pg""#), message)
            XCTAssertTrue(message.contains("\(fixture.root)/captures/acmeCo%2Fsource-pg/lock"), message)
        }
        // Other captures are not affected; reads are not either.
        try second.beginTransaction(capture: "acmeCo/other").commit([:])
        XCTAssertEqual(try StoreFixture.texts(second, orders), ["{}"])

        first.close()
        XCTAssertThrowsError(try first.beginTransaction(capture: capture), "a closed store refuses transactions")
        let taken = try second.beginTransaction(capture: capture)
        try taken.append(orders, "{}")
        try taken.commit([:])
        XCTAssertEqual(try StoreFixture.texts(second, orders), ["{}", "{}"])
    }

    func testOneOpenTransactionPerCapture() throws {
        let fixture = try StoreFixture()
        let store = fixture.store()
        let open = try store.beginTransaction(capture: capture)
        XCTAssertThrowsError(try store.beginTransaction(capture: capture)) { error in
            XCTAssertTrue("\(error)".contains("open transaction"), "\(error)")
        }
        open.abort()
        try store.beginTransaction(capture: capture).commit([:])
        XCTAssertEqual(try store.checkpoint(capture: capture)?.transactions, 1)
    }

    /// The refusal itself is the store contract's (LocalStoreContractTests); here, what only the local store adds:
    /// a claim made in a transaction that never committed still counts.
    func testAClaimOfAnUncommittedTransactionStillCounts() throws {
        let fixture = try StoreFixture()
        let store = fixture.store()
        let third = try store.beginTransaction(capture: "acmeCo/third")
        try third.append(users, "{}")
        third.abort()
        let fourth = try store.beginTransaction(capture: "acmeCo/fourth")
        XCTAssertThrowsError(try fourth.append(users, "{}")) { error in
            XCTAssertTrue("\(error)".contains(#"capture "acmeCo/third""#), "\(error)")
        }
        fourth.abort()
    }

    func testInvalidDocumentsAreRefused() throws {
        let fixture = try StoreFixture()
        let store = fixture.store()
        let transaction = try store.beginTransaction(capture: capture)
        try transaction.append(orders, #"{"id":1}"#)
        XCTAssertThrowsError(try transaction.append(orders, "{\"a\":\n1}")) { error in
            XCTAssertTrue("\(error)".contains("newline") && "\(error)".contains(orders), "\(error)")
        }
        XCTAssertThrowsError(try transaction.commit([:]))
        transaction.abort()
        let empty = try store.beginTransaction(capture: capture)
        XCTAssertThrowsError(try empty.append(orders, ""))
        XCTAssertThrowsError(try empty.append("", "{}"))
        empty.abort()
        XCTAssertNil(try store.checkpoint(capture: capture))
    }

    func testErrorsNameTheCaptureCollectionAndFile() throws {
        let fixture = try StoreFixture()
        let store = fixture.store()
        let transaction = try store.beginTransaction(capture: capture)
        try transaction.append(orders, #"{"id":1}"#)
        try transaction.commit([:])
        store.close()

        // Committed data lost under the store: recovery refuses to go on.
        try FileManager.default.removeItem(atPath: "\(fixture.root)/collections/acmeCo%2Forders/00000000000000000000.ndjson")
        XCTAssertThrowsError(try fixture.store().beginTransaction(capture: capture)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains(#"capture "acmeCo/source-pg", collection "acmeCo/orders""#), message)
            XCTAssertTrue(message.contains("committed data is missing"), message)
        }
        XCTAssertThrowsError(try StoreFixture.texts(fixture.store(), orders))

        // A file where a directory should be: the errno text and the path.
        let blocked = try StoreFixture("blocked")
        try FileManager.default.createDirectory(atPath: blocked.root, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: "\(blocked.root)/captures", contents: Data())
        XCTAssertThrowsError(try blocked.store().beginTransaction(capture: capture)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains(#"capture "acmeCo/source-pg""#) && message.contains("\(blocked.root)/captures"), message)
        }
        let corrupt = try StoreFixture("corrupt")
        try FileManager.default.createDirectory(atPath: "\(corrupt.root)/captures/c", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: "\(corrupt.root)/captures/c/checkpoint.json", contents: Data("{".utf8))
        XCTAssertThrowsError(try corrupt.store().checkpoint(capture: "c")) { error in
            XCTAssertTrue("\(error)".contains("\(corrupt.root)/captures/c/checkpoint.json"), "\(error)")
        }
    }
}
