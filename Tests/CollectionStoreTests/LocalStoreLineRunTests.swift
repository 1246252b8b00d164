import Foundation
import JSON
import XCTest
@testable import CollectionStore

/// Runs of documents appended as the lines they already are (``StoreTransaction/append(to:lines:count:)``), the way
/// the runtime hands over a batch: written as they are, rolled line by line at a segment's end, refused when not
/// whole lines.
final class LocalStoreLineRunTests: XCTestCase {
    private var folder: URL!
    private let capture = "acmeCo/capture"
    private let orders = "acmeCo/orders"

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("line-runs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private func store(segmentSize: Int64 = 64 << 20, writeBufferSize: Int = 256 << 10) -> LocalCollectionStore {
        LocalCollectionStore(root: folder.appendingPathComponent("data").path, segmentSize: segmentSize, writeBufferSize: writeBufferSize)
    }

    private func lines(_ ids: Range<Int>, pad: Int = 0) -> [UInt8] {
        Array(ids.map { #"{"id":\#($0),"pad":"\#(String(repeating: "p", count: pad))"}"# + "\n" }.joined().utf8)
    }

    private func ids(_ store: LocalCollectionStore) throws -> [Int64] {
        var ids: [Int64] = []
        try store.read(collection: orders) { ids.append(try JSON.parse(bytes: $0.bytes)["id"]?.numberValue?.int64Value ?? -1) }
        return ids
    }

    private func append(_ transaction: any StoreTransaction, _ bytes: [UInt8], count: Int) throws {
        let target = try transaction.appendTarget(collection: orders)
        try bytes.withUnsafeBytes { try transaction.append(to: target, lines: $0, count: count) }
    }

    func testRunsSmallAndLargeCommitAsOneDocumentPerLine() throws {
        let store = store(writeBufferSize: 4096)
        let transaction = try store.beginTransaction(capture: capture)
        try append(transaction, lines(0..<3), count: 3)                   // into the journal's buffer
        try append(transaction, lines(3..<400, pad: 40), count: 397)      // larger than the buffer: written as it is
        try Array(#"{"id":400}"#.utf8).withUnsafeBytes { try transaction.append(collection: orders, document: $0) }
        try append(transaction, lines(401..<402), count: 1)
        try transaction.commit(connectorState: ["n": 402], transactionSummary: TransactionSummary(documents: 402, rejected: 0, bytes: 0))
        XCTAssertEqual(try ids(store), (0..<402).map(Int64.init), "every document once, in the order appended")
    }

    func testARunCrossingTheSegmentLimitRollsBetweenTwoLines() throws {
        let store = store(segmentSize: 1000)
        let transaction = try store.beginTransaction(capture: capture)
        try append(transaction, lines(0..<10, pad: 20), count: 10)
        try append(transaction, lines(10..<60, pad: 20), count: 50)
        try transaction.commit(connectorState: [:], transactionSummary: TransactionSummary(documents: 60, rejected: 0, bytes: 0))
        XCTAssertEqual(try ids(store), (0..<60).map(Int64.init))
        let directory = folder.appendingPathComponent("data/collections/acmeCo%2Forders")
        let segments = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".ndjson") }
        XCTAssertGreaterThan(segments.count, 2, "the run rolled into new segments")
        for segment in segments {
            let data = try Data(contentsOf: directory.appendingPathComponent(segment))
            XCTAssertLessThanOrEqual(data.count, 1000, segment)
            XCTAssertEqual(data.last, UInt8(ascii: "\n"), "\(segment) ends with a whole line")
        }
    }

    func testARunThatIsNotWholeLinesIsRefusedAndTheTransactionCommitsNothing() throws {
        let store = store()
        let transaction = try store.beginTransaction(capture: capture)
        XCTAssertThrowsError(try append(transaction, Array(#"{"id":1}"#.utf8), count: 1)) { error in
            XCTAssertTrue("\(error)".contains("not whole, non-empty lines"), "\(error)")
        }
        XCTAssertThrowsError(try transaction.commit(connectorState: [:], transactionSummary: TransactionSummary(documents: 0, rejected: 0, bytes: 0)))
        transaction.abort()
        XCTAssertEqual(try ids(store), [])
    }
}
