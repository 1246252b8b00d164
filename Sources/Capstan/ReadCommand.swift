import ArgumentParser
import Catalog
import CollectionStore
import Foundation
import JSON
import PostgresStore

/// `capstan read`: prints a collection's documents as NDJSON.
struct ReadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "read", abstract: "Print a collection's documents as NDJSON.")

    @OptionGroup var catalog: CatalogOptions

    /// The catalog file.
    var source: String { catalog.source }

    @Flag(name: .long, help: "Print only the last document of each key.")
    var latest = false

    @Argument(help: "The collection.")
    var collection: String

    func run() throws {
        let catalog = try RuntimeContext.loadCatalog(source)
        guard let definition = catalog.collection(named: collection) else {
            throw CommandFailure(status: 2, message: "\(source) has no collection \(collection)")
        }
        let store = try RuntimeContext.store(of: catalog, logger: nil)
        var output = [UInt8]()
        output.reserveCapacity(1 << 20)
        let write: (StoredDocument) -> Void = { document in
            output.append(contentsOf: document.bytes)
            output.append(0x0A)
            if output.count >= 1 << 20 {
                FileHandle.standardOutput.write(Data(output))
                output.removeAll(keepingCapacity: true)
            }
        }
        if latest, let postgres = store as? PostgresCollectionStore {
            // By the table's key columns, on the server.
            try postgres.readLatest(collection: collection, write)
        } else if latest, let local = store as? LocalCollectionStore {
            let key = definition.keyPointers()
            try local.readLatest(collection: collection, keyOf: { document in
                JSON.array(key.map { $0.resolve(in: document) ?? .null }).serialized()
            }, write)
        } else if latest {
            throw CommandFailure(status: 1, message: "--latest is not supported by this store")
        } else {
            try store.read(collection: collection, write)
        }
        FileHandle.standardOutput.write(Data(output))
    }
}
