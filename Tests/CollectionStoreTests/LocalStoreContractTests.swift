import CollectionStore
import Foundation
import StoreTestSupport
import XCTest

/// The store contract (``StoreContract``) against the local store, so that both stores are held to the same tests.
final class LocalStoreContractTests: XCTestCase {
    private var root: String!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("contract-\(UUID().uuidString)").path
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: root) }

    private var contract: StoreContract<LocalCollectionStore> {
        let root = root!
        return StoreContract(open: { LocalCollectionStore(root: root) },
                             readRejected: { store, collection, body in try store.readRejected(collection: collection, body) },
                             close: { $0.close() })
    }

    func testCommitThenReadReturnsExactlyTheDocumentsInOrder() throws { try contract.commitThenReadReturnsExactlyTheDocumentsInOrder() }
    func testEmptyAndUnknownCollectionsReadNothing() throws { try contract.emptyAndUnknownCollectionsReadNothing() }
    func testUncommittedAppendsAreInvisibleAndDroppedTransactionsLeaveNothing() throws { try contract.uncommittedAppendsAreInvisibleAndDroppedTransactionsLeaveNothing() }
    func testAbortDiscardsAndTheNextTransactionContinues() throws { try contract.abortDiscardsAndTheNextTransactionContinues() }
    func testRejectedRecordsCommitWithTheTransaction() throws { try contract.rejectedRecordsCommitWithTheTransaction() }
    func testReplaceConnectorStateKeepsTheRestOfTheCheckpoint() throws { try contract.replaceConnectorStateKeepsTheRestOfTheCheckpoint() }
    func testNamesWithSlashesSpacesAndUnicodeAndCanonicalEquivalents() throws { try contract.namesWithSlashesSpacesAndUnicodeAndCanonicalEquivalents() }
    func testOneOpenTransactionPerCapture() throws { try contract.oneOpenTransactionPerCapture() }
    func testACollectionWrittenByAnotherCaptureIsRefused() throws { try contract.aCollectionWrittenByAnotherCaptureIsRefused() }
    func testHugeDocumentsAndEmptyOnes() throws { try contract.hugeDocumentsAndEmptyOnes() }
}
