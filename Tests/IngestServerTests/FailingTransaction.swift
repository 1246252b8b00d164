import CollectionStore
import JSON

/// A transaction that appends for real and then, if told to, fails its commit (aborting instead).
final class FailingTransaction: StoreTransaction {
    private let inner: any StoreTransaction
    private let fail: Bool

    init(_ inner: any StoreTransaction, fail: Bool) {
        self.inner = inner
        self.fail = fail
    }

    func append(collection: String, document: UnsafeRawBufferPointer) throws(StoreError) {
        try inner.append(collection: collection, document: document)
    }

    func appendRejected(collection: String, record: UnsafeRawBufferPointer) throws(StoreError) {
        try inner.appendRejected(collection: collection, record: record)
    }

    func commit(connectorState: JSON, transactionSummary: TransactionSummary) throws(StoreError) {
        if fail {
            inner.abort()
            throw StoreError("injected commit failure")
        }
        try inner.commit(connectorState: connectorState, transactionSummary: transactionSummary)
    }

    func abort() { inner.abort() }
}
