import CollectionStore
import Foundation
import JSON
import Postgres
import PostgresStore
import StoreTestSupport
import XCTest

/// Two writers of one capture never both commit; a lost connection commits nothing half; captures of
/// different stores write into one database at once.
final class PostgresFencingTests: XCTestCase {
    let capture = "acmeCo/source-pg"
    let orders = "acmeCo/orders"

    func testASecondRunnerFencesTheFirstMidTransaction() throws {
        let fixture = try PostgresFixture()
        let first = try fixture.store()
        try first.takeLease(capture: capture)
        let committed = try first.beginTransaction(capture: capture)
        try committed.append(orders, #"{"id":0}"#)
        try committed.commit(["n": 0])

        // The first is mid-transaction, with documents already sent to the server, when the second starts.
        let inFlight = try first.beginTransaction(capture: capture)
        for i in 1...3000 { try inFlight.append(orders, #"{"id":\#(i),"pad":"\#(String(repeating: "p", count: 200))"}"#) }
        let second = try fixture.store()
        try second.takeLease(capture: capture)
        XCTAssertEqual(try second.checkpoint(capture: capture)?.connectorState, ["n": 0])

        XCTAssertThrowsError(try inFlight.commit(["n": 3000])) { error in
            XCTAssertEqual((error as? StoreError)?.kind, .leaseLost, "callers can tell a lost lease from other failures")
            let message = "\(error)"
            XCTAssertTrue(message.contains(#"capture "acmeCo/source-pg" was taken over by another capstan process (lease epoch 2"#), message)
            XCTAssertTrue(message.contains("this process held epoch 1"), message)
        }
        inFlight.abort()
        XCTAssertEqual(try StoreReading.values(second, orders), [["id": 0]], "nothing of the fenced transaction landed")
        XCTAssertEqual(try second.checkpoint(capture: capture)?.connectorState, ["n": 0])
        XCTAssertThrowsError(try first.beginTransaction(capture: capture)) { error in
            XCTAssertTrue("\(error)".contains("taken over"), "\(error)")
            XCTAssertEqual((error as? StoreError)?.kind, .leaseLost)
        }
        XCTAssertThrowsError(try first.takeLease(capture: capture), "a fenced store does not take the lease back")

        let next = try second.beginTransaction(capture: capture)
        try next.append(orders, #"{"id":1}"#)
        try next.commit(["n": 1])
        XCTAssertEqual(try StoreReading.values(first, orders), [["id": 0], ["id": 1]])
        XCTAssertEqual(try fixture.rows("SELECT epoch, transactions FROM \"\(fixture.schema)\".captures"), [["2", "2"]])
    }

    func testASecondRunnerStartingDuringACommitWaitsForIt() throws {
        // The lease row is locked by a commit in progress: taking the lease waits, then sees the committed state.
        let fixture = try PostgresFixture()
        let first = try fixture.store()
        let transaction = try first.beginTransaction(capture: capture)
        try transaction.append(orders, #"{"id":1}"#)
        try fixture.admin.execute("BEGIN")
        try fixture.admin.execute("SELECT 1 FROM \"\(fixture.schema)\".captures FOR UPDATE")  // hold the row, as a commit does
        let taken = DispatchSemaphore(value: 0)
        let second = try fixture.store()
        DispatchQueue.global().async {
            try? second.takeLease(capture: "acmeCo/source-pg")
            taken.signal()
        }
        XCTAssertEqual(taken.wait(timeout: .now() + 1), .timedOut, "taking the lease waited for the row")
        try fixture.admin.execute("COMMIT")
        XCTAssertEqual(taken.wait(timeout: .now() + 10), .success)
        XCTAssertThrowsError(try transaction.commit(["n": 1]))
        transaction.abort()
        XCTAssertEqual(try StoreReading.values(second, orders), [])
    }

    func testReplacingTheStateFromElsewhereFencesTheRunningWriter() throws {
        let fixture = try PostgresFixture()
        let running = try fixture.store()
        let transaction = try running.beginTransaction(capture: capture)
        try transaction.append(orders, #"{"id":1}"#)
        try transaction.commit(["cursor": 1])
        let pending = try running.beginTransaction(capture: capture)
        try pending.append(orders, #"{"id":2}"#)
        try fixture.store().replaceConnectorState(capture: capture, with: ["cursor": "reset"])
        XCTAssertThrowsError(try pending.commit(["cursor": 2]))
        pending.abort()
        XCTAssertEqual(try running.checkpoint(capture: capture)?.connectorState, ["cursor": "reset"])
        XCTAssertEqual(try StoreReading.values(running, orders), [["id": 1]])
    }

    func testALostConnectionFailsTheTransactionInFlightAndTheNextOneReconnects() throws {
        let fixture = try PostgresFixture()
        let name = "capstan-lost-\(UInt32.random(in: 0...UInt32.max))"
        let separator = fixture.url.contains("?") ? "&" : "?"
        let store = try fixture.store(url: fixture.url + separator + "application_name=\(name)")
        let first = try store.beginTransaction(capture: capture)
        try first.append(orders, #"{"id":1}"#)
        try first.commit(["n": 1])

        for phase in ["appending", "committing"] {
            let transaction = try store.beginTransaction(capture: capture)
            for i in 0..<2000 { try transaction.append(orders, #"{"id":"lost \#(i)","pad":"\#(String(repeating: "q", count: 200))"}"#) }
            let killed = try fixture.rows("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '\(name)' AND pid <> pg_backend_pid()")
            XCTAssertFalse(killed.isEmpty, phase)
            XCTAssertThrowsError(try {
                if phase == "appending" {
                    for i in 0..<5000 { try transaction.append(orders, #"{"id":"more \#(i)","pad":"\#(String(repeating: "q", count: 200))"}"#) }
                }
                try transaction.commit(["n": 99])
            }(), phase) { error in
                XCTAssertTrue("\(error)".contains("capture \"acmeCo/source-pg\""), "\(error)")
            }
            transaction.abort()
            XCTAssertEqual(try StoreReading.values(store, orders), [["id": 1]], phase)
            XCTAssertEqual(try store.checkpoint(capture: capture)?.connectorState, ["n": 1], phase)
        }
        // The lease survives the connection: the next transaction reconnects and commits.
        let next = try store.beginTransaction(capture: capture)
        try next.append(orders, #"{"id":2}"#)
        try next.commit(["n": 2])
        XCTAssertEqual(try StoreReading.values(store, orders), [["id": 1], ["id": 2]])

        // A connection the server closed while idle (a restart, a timeout) is replaced when the next transaction begins.
        XCTAssertFalse(try fixture.rows("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '\(name)' AND pid <> pg_backend_pid()").isEmpty)
        usleep(100_000)
        let afterIdle = try store.beginTransaction(capture: capture)
        try afterIdle.append(orders, #"{"id":3}"#)
        try afterIdle.commit(["n": 3])
        XCTAssertEqual(try StoreReading.values(store, orders), [["id": 1], ["id": 2], ["id": 3]])
        XCTAssertEqual(try fixture.rows("SELECT epoch FROM \"\(fixture.schema)\".captures"), [["1"]])
    }

    func testTwoCapturesOfTwoStoresWriteIntoOneDatabaseAtOnce() throws {
        let fixture = try PostgresFixture()
        let errors = ErrorList()
        let transactions = 40, perTransaction = 250
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            do {
                let store = try fixture.store()
                let capture = "acmeCo/capture-\(index)", collection = "acmeCo/collection-\(index)"
                try store.takeLease(capture: capture)
                for t in 0..<transactions {
                    let transaction = try store.beginTransaction(capture: capture)
                    for j in 0..<perTransaction { try transaction.append(collection, #"{"t":\#(t),"j":\#(j)}"#) }
                    try transaction.commit(["t": .number(JSONNumber(t))], documents: perTransaction)
                }
            } catch {
                errors.append(error)
            }
        }
        XCTAssertEqual(errors.all.map { "\($0)" }, [])
        let store = try fixture.store()
        for index in 0..<2 {
            let documents = try StoreReading.documents { try store.read(collection: "acmeCo/collection-\(index)", $0) }
            XCTAssertEqual(documents.count, transactions * perTransaction)
            XCTAssertEqual(documents.map { $0.json["t"]!.numberValue!.int64Value! * 1000 + $0.json["j"]!.numberValue!.int64Value! },
                           (0..<transactions).flatMap { t in (0..<perTransaction).map { Int64(t * 1000 + $0) } }, "every document once, in order")
            XCTAssertEqual(try store.checkpoint(capture: "acmeCo/capture-\(index)")?.transactions, Int64(transactions))
        }
    }
}
