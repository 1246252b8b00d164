import CollectionStore
import Foundation
import JSON

/// A store for `capstan preview`: nothing is kept; committed documents are printed as
/// `["<collection>", <document>]` lines on stdout, and (optionally) the connector state after each commit
/// as `["connectorState", {"updated": <state>, "mergePatch": false}]`.
public final class PrintingStore: CollectionStore, Sendable {
    private let outputState: Bool

    public init(outputState: Bool) {
        self.outputState = outputState
    }

    public func checkpoint(capture: String) throws(StoreError) -> CaptureCheckpoint? { nil }

    public func beginTransaction(capture: String) throws(StoreError) -> any StoreTransaction {
        PrintingTransaction(outputState: outputState)
    }

    public func read(collection: String, _ body: (StoredDocument) throws -> Void) throws {}

    public func replaceConnectorState(capture: String, with state: JSON) throws(StoreError) {}

    public func collectionNames() throws(StoreError) -> [String] { [] }
}

/// Buffers a transaction's lines and prints them when it commits (so aborted work is never shown).
final class PrintingTransaction: StoreTransaction {
    private let outputState: Bool
    private var pending = JSONWriter(reservingCapacity: 1 << 16)

    init(outputState: Bool) {
        self.outputState = outputState
    }

    func append(collection: String, document: UnsafeRawBufferPointer) throws(StoreError) {
        pending.bytes.append(UInt8(ascii: "["))
        pending.write(string: collection)
        pending.bytes.append(UInt8(ascii: ","))
        pending.bytes.append(contentsOf: document)
        pending.writeRaw("]\n")
        // Held until commit; the runner commits by 32 MiB, which bounds this buffer.
    }

    func appendRejected(collection: String, record: UnsafeRawBufferPointer) throws(StoreError) {}

    func commit(connectorState: JSON, transactionSummary: TransactionSummary) throws(StoreError) {
        if outputState {
            pending.writeRaw(#"["connectorState","#)
            pending.write(["updated": connectorState, "mergePatch": false])
            pending.writeRaw("]\n")
        }
        flush()
    }

    /// Preview shows what a sync captures; what it would replace is not shown, so there is nothing to do.
    func truncate(collection: String) throws(StoreError) {}

    func abort() { pending.bytes.removeAll() }

    private func flush() {
        pending.bytes.withUnsafeBytes { FileHandle.standardOutput.write(Data($0)) }
        pending.bytes.removeAll(keepingCapacity: true)
    }
}
