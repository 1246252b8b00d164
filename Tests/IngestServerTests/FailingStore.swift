import CollectionStore
import JSON

/// A ``LocalCollectionStore`` whose commits fail while ``failCommits`` is set, to test what clients
/// are told when a commit fails.
final class FailingStore: CollectionStore, @unchecked Sendable {
    let local: LocalCollectionStore
    let failCommits = Flag()

    init(root: String) {
        local = LocalCollectionStore(root: root)
    }

    func checkpoint(capture: String) throws(StoreError) -> CaptureCheckpoint? { try local.checkpoint(capture: capture) }

    func beginTransaction(capture: String) throws(StoreError) -> any StoreTransaction {
        FailingTransaction(try local.beginTransaction(capture: capture), fail: failCommits.isSet)
    }

    func read(collection: String, _ body: (StoredDocument) throws -> Void) throws { try local.read(collection: collection, body) }

    func replaceConnectorState(capture: String, with state: JSON) throws(StoreError) { try local.replaceConnectorState(capture: capture, with: state) }

    func collectionNames() throws(StoreError) -> [String] { try local.collectionNames() }
}
