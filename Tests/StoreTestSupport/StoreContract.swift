import CollectionStore
import Foundation
import JSON
import XCTest

/// The behaviour every ``CollectionStore`` owes the runtime, written once and run against each store from its own
/// test target (`LocalStoreContractTests` in CollectionStoreTests, `PostgresStoreContractTests` in
/// PostgresStoreTests). Generic over the store, so each test target hands over its own store type and nothing is
/// cast. Documents compare as JSON values; positions only need to increase in commit order.
public struct StoreContract<Store: CollectionStore> {
    /// Opens a new store object on the same data, as another process would.
    public let open: () throws -> Store
    /// Reads a collection's committed rejected records (not part of the protocol; each store has it).
    public let readRejected: (Store, String, (StoredDocument) throws -> Void) throws -> Void
    /// Releases a store object's captures (its locks; leases stay).
    public let close: (Store) -> Void

    /// A contract for the stores `open` makes.
    public init(open: @escaping () throws -> Store,
                readRejected: @escaping (Store, String, (StoredDocument) throws -> Void) throws -> Void,
                close: @escaping (Store) -> Void) {
        self.open = open
        self.readRejected = readRejected
        self.close = close
    }

    /// The capture the contract writes with.
    public let capture = "acmeCo/source-pg"
    /// A collection the contract writes.
    public let orders = "acmeCo/orders"
    /// Another collection the contract writes.
    public let users = "acmeCo/users"

    private func values(_ store: Store, _ collection: String) throws -> [JSON] { try StoreReading.values(store, collection) }

    private func rejected(_ store: Store, _ collection: String) throws -> [JSON] {
        try StoreReading.documents { try readRejected(store, collection, $0) }.map(\.json)
    }

    /// Committed documents read back in commit order, with their checkpoint; another store object sees the same.
    public func commitThenReadReturnsExactlyTheDocumentsInOrder() throws {
        let store = try open()
        XCTAssertNil(try store.checkpoint(capture: capture))
        try store.takeLease(capture: capture)
        let first = try store.beginTransaction(capture: capture)
        try first.append(orders, #"{"id":1}"#)
        try first.append(users, #"{"u":"a"}"#)
        try first.append(orders, #"{"id":2,"note":"ü \"quoted\" \\ back\ttab"}"#)
        try first.commit(["cursor": 2], documents: 3, bytes: 35)
        let second = try store.beginTransaction(capture: capture)
        try second.append(orders, #"{"id":3,"n":12345678901234567890.50,"a":[1,{"b":null}]}"#)
        try second.commit(["cursor": 3], documents: 1, bytes: 8)

        let documents = try StoreReading.documents { try store.read(collection: orders, $0) }
        XCTAssertEqual(documents.map(\.json), [["id": 1], ["id": 2, "note": "ü \"quoted\" \\ back\ttab"],
                                               try JSON.parse(#"{"id":3,"n":12345678901234567890.50,"a":[1,{"b":null}]}"#)])
        XCTAssertEqual(documents.map(\.position), documents.map(\.position).sorted())
        XCTAssertEqual(Set(documents.map(\.position)).count, 3)
        XCTAssertEqual(try values(store, users), [["u": "a"]])
        XCTAssertEqual(try store.collectionNames(), [orders, users])

        let checkpoint = try XCTUnwrap(try store.checkpoint(capture: capture))
        XCTAssertEqual(checkpoint.connectorState, ["cursor": 3])
        XCTAssertEqual(checkpoint.transactions, 2)
        XCTAssertEqual(checkpoint.lastTransaction, TransactionSummary(documents: 1, rejected: 0, bytes: 8))
        XCTAssertNotNil(checkpoint.committedAt.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"#, options: .regularExpression), checkpoint.committedAt)

        // Another store object (as another process would) sees the same.
        let other = try open()
        XCTAssertEqual(try values(other, orders).count, 3)
        XCTAssertEqual(try other.checkpoint(capture: capture), checkpoint)
    }

    /// Collections nobody wrote read as empty, and a transaction without documents still checkpoints.
    public func emptyAndUnknownCollectionsReadNothing() throws {
        let store = try open()
        XCTAssertEqual(try values(store, "nobody/writes-this"), [])
        XCTAssertEqual(try store.collectionNames(), [])
        try store.beginTransaction(capture: capture).commit(["s": 1])
        XCTAssertEqual(try store.checkpoint(capture: capture)?.transactions, 1)
        XCTAssertEqual(try store.checkpoint(capture: capture)?.connectorState, ["s": 1])
        XCTAssertEqual(try store.collectionNames(), [])
        XCTAssertEqual(try values(store, "nobody/writes-this"), [])
    }

    /// Appends are invisible until committed, and a transaction dropped without a commit leaves nothing.
    public func uncommittedAppendsAreInvisibleAndDroppedTransactionsLeaveNothing() throws {
        var store: Store? = try open()
        let committed = try store!.beginTransaction(capture: capture)
        try committed.append(orders, #"{"id":"committed"}"#)
        try committed.commit(["n": 1])

        var pending: (any StoreTransaction)? = try store!.beginTransaction(capture: capture)
        // Enough to be sent to the store's files or server before any commit.
        for i in 0..<5000 { try pending!.append(orders, #"{"id":"pending \#(i)","pad":"\#(String(repeating: "x", count: 100))"}"#) }
        XCTAssertEqual(try values(store!, orders), [["id": "committed"]])
        XCTAssertEqual(try values(try open(), orders), [["id": "committed"]])
        XCTAssertEqual(try store!.checkpoint(capture: capture)?.connectorState, ["n": 1])

        pending = nil
        close(store!)
        store = nil
        let reopened = try open()
        XCTAssertEqual(try values(reopened, orders), [["id": "committed"]])
        XCTAssertEqual(try reopened.checkpoint(capture: capture)?.transactions, 1)
        let next = try reopened.beginTransaction(capture: capture)
        try next.append(orders, #"{"id":"next"}"#)
        try next.commit(["n": 2])
        XCTAssertEqual(try values(reopened, orders), [["id": "committed"], ["id": "next"]])
    }

    /// An abort discards documents and rejected records; the next transaction continues after the last commit.
    public func abortDiscardsAndTheNextTransactionContinues() throws {
        let store = try open()
        let first = try store.beginTransaction(capture: capture)
        try first.append(orders, #"{"id":1}"#)
        try first.commit(["n": 1])

        let aborted = try store.beginTransaction(capture: capture)
        for i in 0..<50 { try aborted.append(orders, #"{"id":"aborted \#(i)"}"#) }
        try aborted.append(users, #"{"u":"aborted"}"#)
        try aborted.appendRejected(orders, #"{"r":"aborted"}"#)
        aborted.abort()
        aborted.abort()  // idempotent
        XCTAssertThrowsError(try aborted.append(orders, "{}"))
        XCTAssertThrowsError(try aborted.commit(["n": 99]))
        XCTAssertEqual(try values(store, orders), [["id": 1]])
        XCTAssertEqual(try values(store, users), [])
        XCTAssertEqual(try rejected(store, orders), [])
        XCTAssertEqual(try store.checkpoint(capture: capture)?.connectorState, ["n": 1])
        XCTAssertEqual(try store.collectionNames(), [orders])

        let next = try store.beginTransaction(capture: capture)
        try next.append(orders, #"{"id":2}"#)
        try next.commit(["n": 2])
        let documents = try StoreReading.documents { try store.read(collection: orders, $0) }
        XCTAssertEqual(documents.map(\.json), [["id": 1], ["id": 2]])
        XCTAssertLessThan(documents[0].position, documents[1].position)
        XCTAssertEqual(try store.checkpoint(capture: capture)?.transactions, 2)
    }

    /// Rejected records are committed (or aborted) with their transaction, apart from the documents.
    public func rejectedRecordsCommitWithTheTransaction() throws {
        let store = try open()
        let first = try store.beginTransaction(capture: capture)
        try first.append(orders, #"{"id":1}"#)
        try first.appendRejected(orders, #"{"doc":{"id":"x"},"error":"id: not an integer"}"#)
        try first.appendRejected(users, #"{"r":1}"#)
        try first.commit([:], documents: 1, rejected: 2)
        let pending = try store.beginTransaction(capture: capture)
        for i in 0..<20 { try pending.appendRejected(orders, #"{"doc":\#(i),"error":"pending"}"#) }
        XCTAssertEqual(try rejected(store, orders), [["doc": ["id": "x"], "error": "id: not an integer"]])
        pending.abort()
        XCTAssertEqual(try rejected(store, orders).count, 1)
        XCTAssertEqual(try rejected(store, users), [["r": 1]])
        XCTAssertEqual(try values(store, users), [], "a rejected-only collection has no documents")
        XCTAssertEqual(try store.collectionNames(), [orders])
        XCTAssertEqual(try store.checkpoint(capture: capture)?.lastTransaction, TransactionSummary(documents: 1, rejected: 2, bytes: 0))
    }

    /// Replacing the connector state keeps the rest of the checkpoint, and is refused while a transaction is open.
    public func replaceConnectorStateKeepsTheRestOfTheCheckpoint() throws {
        let store = try open()
        try store.replaceConnectorState(capture: capture, with: ["seed": true])
        XCTAssertEqual(try store.checkpoint(capture: capture), CaptureCheckpoint(connectorState: ["seed": true], transactions: 0, committedAt: ""))
        let transaction = try store.beginTransaction(capture: capture)
        try transaction.append(orders, #"{"id":1}"#)
        try transaction.commit(["cursor": "a"], documents: 1, bytes: 8)
        let before = try XCTUnwrap(try store.checkpoint(capture: capture))
        XCTAssertEqual(before.transactions, 1)

        try store.replaceConnectorState(capture: capture, with: ["cursor": "reset"])
        var after = before
        after.connectorState = ["cursor": "reset"]
        XCTAssertEqual(try store.checkpoint(capture: capture), after)
        let open = try store.beginTransaction(capture: capture)
        XCTAssertThrowsError(try store.replaceConnectorState(capture: capture, with: [:]), "a transaction is open")
        try open.append(orders, #"{"id":2}"#)
        try open.commit(["cursor": "b"])
        XCTAssertEqual(try store.checkpoint(capture: capture)?.transactions, 2)
        XCTAssertEqual(try values(store, orders), [["id": 1], ["id": 2]])
    }

    /// Collection and capture names with slashes, spaces, quotes and Unicode (canonical equivalents kept apart) round-trip.
    public func namesWithSlashesSpacesAndUnicodeAndCanonicalEquivalents() throws {
        let store = try open()
        let names = ["acmeCo/orders v2", "café/日本語/表", ".hidden/x", "100%/a%2Fb", "a-b_c.d", "quote\"d 'name'", "caf\u{E9}", "cafe\u{301}"]
        let captureName = "acmeCo/capture ✓ 'q'"
        let transaction = try store.beginTransaction(capture: captureName)
        for name in names { try transaction.append(name, #"{"name":"\#(name.replacingOccurrences(of: "\"", with: "\\\""))"}"#) }
        try transaction.appendRejected(names[1], #"{"r":1}"#)
        try transaction.commit(["ok": true])
        let listed = try store.collectionNames()
        XCTAssertEqual(listed.count, names.count)
        for name in names {
            XCTAssertTrue(listed.contains { $0.utf8.elementsEqual(name.utf8) }, name)
            XCTAssertEqual(try values(try open(), name), [["name": .string(name)]], name)
        }
        XCTAssertEqual(try rejected(store, names[1]), [["r": 1]])
        XCTAssertEqual(try store.checkpoint(capture: captureName)?.connectorState, ["ok": true])
    }

    /// A capture has at most one open transaction.
    public func oneOpenTransactionPerCapture() throws {
        let store = try open()
        let open = try store.beginTransaction(capture: capture)
        XCTAssertThrowsError(try store.beginTransaction(capture: capture)) { error in
            XCTAssertTrue("\(error)".contains("open transaction"), "\(error)")
        }
        open.abort()
        try store.beginTransaction(capture: capture).commit([:])
        XCTAssertEqual(try store.checkpoint(capture: capture)?.transactions, 1)
    }

    /// A collection written by one capture is refused to another.
    public func aCollectionWrittenByAnotherCaptureIsRefused() throws {
        let store = try open()
        let first = try store.beginTransaction(capture: "acmeCo/first")
        try first.append(orders, #"{"by":"first"}"#)
        try first.commit([:])
        let second = try store.beginTransaction(capture: "acmeCo/second")
        XCTAssertThrowsError(try second.append(orders, #"{"by":"second"}"#)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains(#"capture "acmeCo/second""#) && message.contains(#"capture "acmeCo/first""#), message)
            XCTAssertTrue(message.contains(#"collection "acmeCo/orders""#), message)
        }
        XCTAssertThrowsError(try second.commit([:]), "a failed transaction can only abort")
        second.abort()
        XCTAssertEqual(try values(store, orders), [["by": "first"]])
    }

    /// An 8 MB document is stored whole; an empty one is refused.
    public func hugeDocumentsAndEmptyOnes() throws {
        let store = try open()
        let transaction = try store.beginTransaction(capture: capture)
        let pad = String(repeating: "y", count: 8_000_000)
        try transaction.append(orders, #"{"id":1,"pad":"\#(pad)"}"#)
        try transaction.append(orders, #"{"id":2}"#)
        try transaction.commit([:])
        let documents = try values(store, orders)
        XCTAssertEqual(documents.map { $0["id"] }, [1, 2])
        XCTAssertEqual(documents.first?["pad"]?.stringValue?.utf8.count, 8_000_000)
        let empty = try store.beginTransaction(capture: capture)
        XCTAssertThrowsError(try empty.append(orders, ""))
        empty.abort()
        XCTAssertEqual(try store.checkpoint(capture: capture)?.transactions, 1)
    }
}
