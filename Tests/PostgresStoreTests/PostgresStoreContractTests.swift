import CollectionStore
import Foundation
import PostgresStore
import StoreTestSupport
import XCTest

/// The store contract (``StoreContract``) against PostgreSQL, with COPY (the default) and with batched inserts.
final class PostgresStoreContractTests: XCTestCase {
    private var fixture: PostgresFixture!

    override func setUpWithError() throws { fixture = try PostgresFixture() }

    override func tearDownWithError() throws { fixture = nil }

    private func contract(_ method: InsertMethod = .copy) -> StoreContract<PostgresCollectionStore> {
        let fixture = fixture!
        return StoreContract(open: { try fixture.store(insertMethod: method) },
                             readRejected: { store, collection, body in try store.readRejected(collection: collection, body) },
                             close: { $0.close() })
    }

    func testCommitThenReadReturnsExactlyTheDocumentsInOrder() throws { try contract().commitThenReadReturnsExactlyTheDocumentsInOrder() }
    func testEmptyAndUnknownCollectionsReadNothing() throws { try contract().emptyAndUnknownCollectionsReadNothing() }
    func testUncommittedAppendsAreInvisibleAndDroppedTransactionsLeaveNothing() throws { try contract().uncommittedAppendsAreInvisibleAndDroppedTransactionsLeaveNothing() }
    func testAbortDiscardsAndTheNextTransactionContinues() throws { try contract().abortDiscardsAndTheNextTransactionContinues() }
    func testRejectedRecordsCommitWithTheTransaction() throws { try contract().rejectedRecordsCommitWithTheTransaction() }
    func testReplaceConnectorStateKeepsTheRestOfTheCheckpoint() throws { try contract().replaceConnectorStateKeepsTheRestOfTheCheckpoint() }
    func testNamesWithSlashesSpacesAndUnicodeAndCanonicalEquivalents() throws { try contract().namesWithSlashesSpacesAndUnicodeAndCanonicalEquivalents() }
    func testOneOpenTransactionPerCapture() throws { try contract().oneOpenTransactionPerCapture() }
    func testACollectionWrittenByAnotherCaptureIsRefused() throws { try contract().aCollectionWrittenByAnotherCaptureIsRefused() }
    func testHugeDocumentsAndEmptyOnes() throws { try contract().hugeDocumentsAndEmptyOnes() }
    func testBatchedInsertsCommitThenReadReturnsExactlyTheDocumentsInOrder() throws { try contract(.batchedInsert(rows: 7)).commitThenReadReturnsExactlyTheDocumentsInOrder() }
    func testBatchedInsertsUncommittedAppendsAreInvisibleAndDroppedTransactionsLeaveNothing() throws { try contract(.batchedInsert(rows: 7)).uncommittedAppendsAreInvisibleAndDroppedTransactionsLeaveNothing() }
    func testBatchedInsertsAbortDiscardsAndTheNextTransactionContinues() throws { try contract(.batchedInsert(rows: 7)).abortDiscardsAndTheNextTransactionContinues() }
    func testBatchedInsertsHugeDocumentsAndEmptyOnes() throws { try contract(.batchedInsert(rows: 7)).hugeDocumentsAndEmptyOnes() }
    func testBatchedInsertsNamesWithSlashesSpacesAndUnicodeAndCanonicalEquivalents() throws { try contract(.batchedInsert(rows: 7)).namesWithSlashesSpacesAndUnicodeAndCanonicalEquivalents() }
}
