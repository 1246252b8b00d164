import ArgumentParser
import Catalog
import CollectionStore
import Foundation
import IngestServer
import Logging

/// `capstan serve`: receives pushed documents for the catalog's ingest captures.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the catalog's ingest captures over HTTP and WebSocket.",
        discussion: """
            POST /<capture>/<binding> with a JSON object, an array of objects, or NDJSON \
            (Content-Type: application/x-ndjson); or open a WebSocket at that path and send one document per \
            message. Each request commits as one transaction before it is answered. GET /healthz answers 200. \
            SIGINT or SIGTERM refuses new requests, lets those in flight finish, then exits.
            """
    )

    @OptionGroup var catalog: CatalogOptions

    /// The catalog file.
    var source: String { catalog.source }

    @Option(name: .long, help: "The address and port to listen on (host:port, [v6]:port; port 0 for any free one).")
    var listen: String = "127.0.0.1:8080"

    func run() async throws {
        LoggingBootstrap.once()
        let logger = Logger(label: "capstan")
        guard let (host, port) = Self.parseListen(listen) else {
            throw CommandFailure(status: 2, message: "--listen: expected host:port, such as 127.0.0.1:8080, not \(listen)")
        }
        let catalog = try RuntimeContext.loadCatalog(source)
        // A second `capstan serve` of the same captures against a shared PostgreSQL store takes their leases over;
        // this one then stops rather than fight for them (the server stops at a commit that finds its lease lost).
        let store = try RuntimeContext.store(of: catalog, logger: logger)
        let server: IngestServer
        do {
            server = try IngestServer(catalog: catalog, store: store, configuration: IngestServerConfiguration(host: host, port: port), logger: logger)
        } catch {
            throw CommandFailure(status: 1, message: error.message)
        }
        let signals = SignalForwarder { server.shutdown() }
        defer { signals.cancel() }
        let paths = server.paths
        var failure: String?
        do {
            try await server.run { port in
                logger.info("listening", metadata: ["address": "\(host.contains(":") ? "[\(host)]" : host):\(port)", "paths": "\(paths.joined(separator: " "))"])
            }
        } catch {
            failure = "\(error)"
        }
        for (capture, totals) in server.totals.sorted(by: { $0.key < $1.key }) {
            let average = totals.commits > 0 ? totals.committing / totals.commits : .zero
            logger.info("stopped", metadata: [
                "capture": "\(capture)", "documents": "\(totals.documents)", "commits": "\(totals.commits)",
                "averageCommitMs": "\(Double(average.components.attoseconds) / 1e15 + Double(average.components.seconds) * 1000)",
            ])
        }
        if let failure {
            throw CommandFailure(status: 1, message: "serving failed: \(failure)")
        }
    }

    /// `host:port` or `[v6]:port`.
    static func parseListen(_ text: String) -> (String, Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        return (host, port)
    }
}
