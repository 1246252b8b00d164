import Catalog
import CollectionStore
import Foundation
import IngestServer
import JSON
import Logging
import XCTest

/// A catalog with ingest captures in a temporary directory, and a server on a loopback
/// ephemeral port serving it.
final class IngestFixture: @unchecked Sendable {
    /// Capture `acme/hooks` (tokens `s3cret` and `second-token`, 64 KiB bodies; bindings `events`
    /// and the disabled `off`) and capture `acme/open` (no token; binding `events`).
    static let catalogYAML = """
        captures:
          acme/hooks:
            endpoint: {ingest: {tokens: [s3cret, second-token], maxBodyBytes: 65536}}
            bindings:
              - resource: {name: events}
                target: acme/events
              - resource: {name: "off"}
                target: acme/off
                disable: true
          acme/open:
            endpoint: {ingest: {}}
            bindings:
              - resource: {name: events}
                target: acme/open-events
        collections:
          acme/events: &events
            schema:
              type: object
              properties:
                id: {type: integer}
                kind: {type: string}
              required: [id]
            key: [/id]
          acme/off: *events
          acme/open-events: *events
        """

    let directory: String
    let catalog: Catalog
    private(set) var server: IngestServer!
    private(set) var port = 0
    private var finished: DispatchSemaphore?
    private var runError: (any Error)?

    init(_ test: XCTestCase, yaml: String = IngestFixture.catalogYAML) throws {
        directory = NSTemporaryDirectory() + "capstan-ingest-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try yaml.write(toFile: directory + "/flow.yaml", atomically: true, encoding: .utf8)
        catalog = try Catalog.load(path: directory + "/flow.yaml")
        let directory = self.directory
        test.addTeardownBlock { [self] in
            stop()
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    /// The store directory.
    var dataDirectory: String { directory + "/data" }

    /// Starts a server on a free loopback port and waits until it listens.
    func start(configuration: IngestServerConfiguration = IngestServerConfiguration(host: "127.0.0.1", port: 0)) throws {
        var logger = Logger(label: "ingest-test")
        logger.logLevel = .warning
        let server = try IngestServer(catalog: catalog, store: LocalCollectionStore(root: dataDirectory), configuration: configuration, logger: logger)
        self.server = server
        let listening = DispatchSemaphore(value: 0)
        let bound = PortBox()
        let finished = DispatchSemaphore(value: 0)
        self.finished = finished
        Task {
            do {
                try await server.run { port in
                    bound.port = port
                    listening.signal()
                }
            } catch {
                self.runError = error
                listening.signal()
            }
            finished.signal()
        }
        guard listening.wait(timeout: .now() + 30) == .success else { throw TestHTTPConnection.Failure(description: "the server did not start") }
        if let runError { throw runError }
        port = bound.port
    }

    /// Shuts the server down and waits for ``IngestServer/run(onListening:)`` to return; true when it did within `seconds`.
    @discardableResult
    func stop(seconds: Double = 60) -> Bool {
        guard let finished else { return true }
        self.finished = nil
        server.shutdown()
        return finished.wait(timeout: .now() + seconds) == .success
    }

    /// Waits for a server already asked to shut down.
    func waitForExit(seconds: Double) -> Bool {
        guard let finished else { return true }
        let done = finished.wait(timeout: .now() + seconds) == .success
        if done { self.finished = nil }
        return done
    }

    /// A new keep-alive connection to the server.
    func connect() throws -> TestHTTPConnection { try TestHTTPConnection(port: port) }

    /// The committed documents of `collection`, read from the store (a separate reader).
    func documents(_ collection: String) throws -> [JSON] {
        var documents: [JSON] = []
        try LocalCollectionStore(root: dataDirectory).read(collection: collection) { stored in
            documents.append(try JSONParser().parse(stored.bytes))
        }
        return documents
    }

    /// The `/_meta/uuid` of each committed document of `collection`.
    func uuids(_ collection: String) throws -> [String] {
        try documents(collection).map { $0["_meta"]?["uuid"]?.stringValue ?? "" }
    }
}
