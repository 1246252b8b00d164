import CollectionStore
import Foundation
import JSON
import Postgres
import PostgresStore
import StoreTestSupport
import XCTest

/// What is particular to the PostgreSQL store: its tables as SQL users see them, `--latest` by key columns,
/// migrations, and its errors.
final class PostgresCollectionStoreTests: XCTestCase {
    let capture = "acmeCo/source-pg"
    let orders = "acmeCo/orders"

    func testTablesAsPlainSQLSeesThem() throws {
        let fixture = try PostgresFixture()
        let key = [KeyProjection(field: "region", pointer: try JSONPointer("/where/region")), KeyProjection(pointer: try JSONPointer("/id"))]
        let store = try fixture.store(keys: [orders: key])
        for round in 1...2 {
            let transaction = try store.beginTransaction(capture: capture)
            try transaction.append(orders, #"{"id":\#(round),"where":{"region":"eu"},"_meta":{"uuid":"9b0d1a2e-e5f1-11f1-8000-000000000001"}}"#)
            try transaction.append(orders, #"{"id":"x\#(round)","where":{"region":"us"}}"#)
            try transaction.commit(["round": .number(JSONNumber(round))], documents: 2, bytes: 100)
        }
        let table = fixture.table(orders)
        XCTAssertEqual(try fixture.rows("SELECT region, id, \"_meta/uuid\", _position, _commit, flow_document->>'id' FROM \(table) ORDER BY _position"), [
            ["eu", "1", "9b0d1a2e-e5f1-11f1-8000-000000000001", "1", "1", "1"],
            ["us", "x1", nil, "2", "1", "x1"],
            ["eu", "2", "9b0d1a2e-e5f1-11f1-8000-000000000001", "3", "2", "2"],
            ["us", "x2", nil, "4", "2", "x2"],
        ])
        XCTAssertEqual(try fixture.rows("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = '\(table)'::regclass AND attname = 'flow_document'"), [["jsonb"]])
        XCTAssertEqual(try fixture.rows("SELECT capture, table_name, key::text, last_position FROM \"\(fixture.schema)\".collections"),
                       [[capture, orders, #"[{"field": "region", "pointer": "/where/region"}, {"field": "id", "pointer": "/id"}]"#, "4"]])
        XCTAssertEqual(try fixture.rows("SELECT capture, epoch, connector_state::text, transactions, last_documents, leased_by IS NOT NULL FROM \"\(fixture.schema)\".captures"),
                       [[capture, "1", #"{"round": 2}"#, "2", "2", "t"]])
        XCTAssertEqual(try fixture.rows("SELECT version FROM \"\(fixture.schema)\".schema_version"), [["1"]])
        XCTAssertEqual(try store.tableName(of: orders), table)
    }

    func testReadLatestKeepsTheLastDocumentOfEachKeyInPositionOrder() throws {
        let fixture = try PostgresFixture()
        let store = try fixture.store(keys: [orders: [KeyProjection(pointer: try JSONPointer("/id"))]])
        let transaction = try store.beginTransaction(capture: capture)
        for document in [#"{"id":1,"v":"a"}"#, #"{"id":2,"v":"b"}"#, #"{"id":1,"v":"c"}"#, #"{"id":3,"v":"d"}"#, #"{"id":2,"v":"e"}"#] {
            try transaction.append(orders, document)
        }
        try transaction.commit([:])
        let uncommitted = try store.beginTransaction(capture: capture)
        try uncommitted.append(orders, #"{"id":3,"v":"uncommitted"}"#)
        let latest = try StoreReading.documents { try store.readLatest(collection: orders, $0) }
        XCTAssertEqual(latest.map(\.json), [["id": 1, "v": "c"], ["id": 3, "v": "d"], ["id": 2, "v": "e"]])
        XCTAssertEqual(latest.map(\.position), [3, 4, 5])
        uncommitted.abort()
        // Documents come back compact, as the local store keeps them.
        var texts: [String] = []
        try store.read(collection: orders) { texts.append(String(decoding: $0.bytes, as: UTF8.self)) }
        XCTAssertEqual(texts.first, #"{"v":"a","id":1}"#)
    }

    func testLongAndReservedCollectionNamesGetHashedTableNames() throws {
        let fixture = try PostgresFixture()
        let store = try fixture.store()
        let long = "acmeCo/" + String(repeating: "très-long-", count: 10)
        let longer = long + "2"
        let transaction = try store.beginTransaction(capture: capture)
        for name in [long, longer, "captures"] { try transaction.append(name, #"{"n":"\#(name)"}"#) }
        try transaction.commit([:])
        let tables = try fixture.rows("SELECT collection, table_name FROM \"\(fixture.schema)\".collections ORDER BY collection")
        XCTAssertEqual(tables.count, 3)
        for row in tables {
            let name = try XCTUnwrap(row[1])
            XCTAssertLessThanOrEqual(name.utf8.count, 63, name)
            XCTAssertNotEqual(name, "captures")
            XCTAssertEqual(try StoreReading.values(store, try XCTUnwrap(row[0])), [["n": .string(row[0]!)]])
        }
        XCTAssertEqual(Set(tables.map { $0[1] }).count, 3)
    }

    func testAChangedKeyIsRefusedNamingTheTable() throws {
        let fixture = try PostgresFixture()
        let first = try fixture.store(keys: [orders: [KeyProjection(pointer: try JSONPointer("/id"))]])
        let transaction = try first.beginTransaction(capture: capture)
        try transaction.append(orders, #"{"id":1}"#)
        try transaction.commit([:])
        let changed = try fixture.store(keys: [orders: [KeyProjection(pointer: try JSONPointer("/sku"))]])
        let next = try changed.beginTransaction(capture: capture)
        XCTAssertThrowsError(try next.append(orders, #"{"sku":1}"#)) { error in
            XCTAssertTrue("\(error)".contains(fixture.table(orders)) && "\(error)".contains("/sku"), "\(error)")
        }
        next.abort()
    }

    func testADocumentTheServerRefusesFailsTheTransactionNamingTheCollection() throws {
        let fixture = try PostgresFixture()
        let store = try fixture.store()
        let transaction = try store.beginTransaction(capture: capture)
        try transaction.append(orders, #"{"id":1}"#)
        try transaction.append(orders, #"{"id":2,"nul":"\u0000"}"#)
        XCTAssertThrowsError(try transaction.commit([:])) { error in
            XCTAssertTrue("\(error)".contains(#"collection "acmeCo/orders""#) && "\(error)".contains("22P05"), "\(error)")
        }
        transaction.abort()
        XCTAssertEqual(try StoreReading.values(store, orders), [])
        XCTAssertNil(try store.checkpoint(capture: capture))
        // The store goes on.
        let next = try store.beginTransaction(capture: capture)
        try next.append(orders, #"{"id":3}"#)
        try next.commit([:])
        XCTAssertEqual(try StoreReading.values(store, orders), [["id": 3]])
    }

    func testASchemaFromANewerCapstanIsRefused() throws {
        let fixture = try PostgresFixture()
        try fixture.store().beginTransaction(capture: capture).commit([:])
        try fixture.admin.execute("UPDATE \"\(fixture.schema)\".schema_version SET version = 99")
        XCTAssertThrowsError(try fixture.store().beginTransaction(capture: capture)) { error in
            XCTAssertTrue("\(error)".contains("version 99"), "\(error)")
        }
        XCTAssertThrowsError(try fixture.store().checkpoint(capture: capture))
    }

    func testConcurrentFirstUseMigratesOnce() throws {
        let fixture = try PostgresFixture()
        let errors = ErrorList()
        DispatchQueue.concurrentPerform(iterations: 4) { index in
            do {
                let store = try fixture.store()
                try store.beginTransaction(capture: "capture \(index)").commit(["i": .number(JSONNumber(index))])
            } catch {
                errors.append(error)
            }
        }
        XCTAssertEqual(errors.all.map { "\($0)" }, [])
        XCTAssertEqual(try fixture.rows("SELECT count(*) FROM \"\(fixture.schema)\".captures WHERE transactions = 1"), [["4"]])
    }

    func testErrorsNeverShowThePassword() throws {
        let fixture = try PostgresFixture()
        let parameters = try ConnectionParameters(url: fixture.url)
        let url = "postgres://capstan:Secr3t-Wrong@\(parameters.host ?? "127.0.0.1"):\(parameters.port ?? 5432)/capstan"
        let store = try fixture.store(url: url)
        XCTAssertThrowsError(try store.beginTransaction(capture: capture)) { error in
            XCTAssertTrue("\(error)".contains("password authentication failed"), "\(error)")
            XCTAssertFalse("\(error)".contains("Secr3t-Wrong"), "\(error)")
        }
        XCTAssertThrowsError(try store.checkpoint(capture: capture)) { error in
            XCTAssertFalse("\(error)".contains("Secr3t-Wrong"), "\(error)")
        }
        // libpq's URL parser quotes the part it cannot read: here the password itself.
        XCTAssertThrowsError(try fixture.store(url: "postgres://u:Secr3t%ZZ-Wrong@host/db")) { error in
            XCTAssertTrue("\(error)".contains("percent-encoded"), "\(error)")
            XCTAssertFalse("\(error)".contains("Secr3t"), "\(error)")
        }
        XCTAssertFalse(store.location.contains("Secr3t"), store.location)
    }
}

/// Errors collected from several threads.
final class ErrorList: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [any Error] = []

    func append(_ error: any Error) { lock.withLock { errors.append(error) } }
    var all: [any Error] { lock.withLock { errors } }
}
