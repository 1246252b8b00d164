import AirbyteCapture
import CaptureRuntime
import Catalog
import CollectionStore
import FlowCapture
import Foundation
import JSON
import Logging
import PostgresStore

/// What the capture commands share: the loaded catalog, the chosen capture, its connector and the store.
struct RuntimeContext {
    let catalog: Catalog
    let capture: CaptureDefinition
    let logger: Logger

    /// Loads `source` and picks `captureName` (optional when the catalog has exactly one capture).
    init(source: String, captureName: String?) throws {
        LoggingBootstrap.once()
        logger = Logger(label: "capstan")
        catalog = try Self.loadCatalog(source)
        if let captureName {
            guard let found = catalog.capture(named: captureName) else {
                throw CommandFailure(status: 2, message: "\(source) has no capture named \(captureName); it has: \(catalog.captures.map(\.name).joined(separator: ", "))")
            }
            capture = found
        } else {
            guard catalog.captures.count == 1, let only = catalog.captures.first else {
                throw CommandFailure(status: 2, message: "\(source) has \(catalog.captures.count) captures; name one with --capture (\(catalog.captures.map(\.name).joined(separator: ", ")))")
            }
            capture = only
        }
    }

    /// The catalog at `source`, or a failure listing every problem in it.
    static func loadCatalog(_ source: String) throws -> Catalog {
        do {
            return try Catalog.load(path: source)
        } catch {
            throw CommandFailure(status: 1, message: "\(source): the catalog has problems:\n\(error)")
        }
    }

    /// The driver of the capture's endpoint: one code path in every command, whatever kind of endpoint it is.
    func driver() -> any CaptureDriver {
        switch capture.endpoint {
        case .local(let endpoint): return FlowCaptureDriver(capture: capture, endpoint: endpoint, catalog: catalog, logger: logger)
        case .airbyte(let endpoint): return AirbyteCaptureDriver(capture: capture, endpoint: endpoint, catalog: catalog, logger: logger)
        case .connector(let endpoint): return ImageCaptureDriver(capture: capture, image: endpoint.image)
        case .ingest: return IngestCaptureDriver(capture: capture)
        }
    }

    /// The store the catalog names.
    func store() throws -> any CollectionStore {
        try Self.store(of: catalog, logger: logger)
    }

    /// The store `catalog` names: local files, or a PostgreSQL database (URL from the catalog or the
    /// environment; the password never appears in messages).
    static func store(of catalog: Catalog, logger: Logger?) throws -> any CollectionStore {
        switch catalog.storage {
        case .local:
            return LocalCollectionStore(root: catalog.localStorageDirectory ?? "./data")
        case .postgres(let settings):
            let url: String
            do {
                url = try settings.resolvedURL(environment: ProcessInfo.processInfo.environment)
            } catch {
                throw CommandFailure(status: 1, message: "storage: \(error)")
            }
            do {
                // CAPSTAN_PG_INSERT=insert: batched INSERTs instead of COPY, for `scripts/bench store` to compare.
                let method: InsertMethod = ProcessInfo.processInfo.environment["CAPSTAN_PG_INSERT"] == "insert" ? .batchedInsert() : .copy
                return try PostgresCollectionStore(url: url, schema: settings.schema ?? "capstan", keys: storeKeys(of: catalog),
                                                   insertMethod: method, logger: logger)
            } catch {
                throw CommandFailure(status: 1, message: "storage: \(error)")
            }
        }
    }

    /// Each collection's key columns: a key pointer's column is named by the collection's projection of that
    /// location (the first by name, if several), else by the pointer without its leading `/`.
    static func storeKeys(of catalog: Catalog) -> [String: [KeyProjection]] {
        var keys: [String: [KeyProjection]] = [:]
        for collection in catalog.collections {
            keys[collection.name] = collection.keyPointers().map { pointer in
                let projected = collection.projections.filter { $0.value.location == pointer.description }.map(\.key)
                    .min { $0.utf8.lexicographicallyPrecedes($1.utf8) }
                return projected.map { KeyProjection(field: $0, pointer: pointer) } ?? KeyProjection(pointer: pointer)
            }
        }
        return keys
    }

    /// The runtime view of each enabled binding, in binding order.
    func runtimeBindings() throws -> [RuntimeBinding] {
        try RuntimeBinding.enabledBindings(of: capture, in: catalog)
    }
}

/// A command's failure: the message for stderr and the exit status.
struct CommandFailure: Error, CustomStringConvertible {
    let status: Int32
    let message: String
    var description: String { message }
}

/// Sets up JSON log lines on stderr once.
enum LoggingBootstrap {
    nonisolated(unsafe) private static var done = false

    static func once() {
        guard !done else { return }
        done = true
        let level = JSONLogHandler.level(fromEnvironment: ProcessInfo.processInfo.environment["CAPSTAN_LOG_LEVEL"])
        LoggingSystem.bootstrap { JSONLogHandler(label: $0, level: level) }
    }
}
