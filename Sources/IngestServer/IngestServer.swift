import CaptureRuntime
import Catalog
import CollectionStore
import Hummingbird
import HummingbirdWebSocket
import JSONSchema
import Logging
import ServiceLifecycle

/// Serves a catalog's push captures (`endpoint.ingest`) over HTTP and WebSocket, committing what
/// they receive into the store exactly as pulled captures commit.
///
/// ```swift
/// let server = try IngestServer(catalog: catalog, store: store, configuration: .init(port: 8080), logger: logger)
/// try await server.run()       // until shutdown() is called (capstan serve calls it on SIGINT/SIGTERM)
/// ```
///
/// - `POST /<capture>/<binding>`: a JSON object, an array of objects, or NDJSON
///   (`Content-Type: application/x-ndjson`); one all-or-nothing transaction per request, answered
///   once durable (see ``IngestReply`` for the answers).
/// - A WebSocket at the same path: one document per message, answered per batch (see ``WebSocketReply``).
/// - `GET /healthz`.
///
/// Concurrent requests of a capture are committed together (group commit, see ``CaptureCommitter``).
public final class IngestServer: Sendable {
    /// Where and how the server listens.
    public let configuration: IngestServerConfiguration
    private let captures: [String: IngestCapture]
    private let gate = RequestGate()
    private let logger: Logger
    private let shutdownRequests: AsyncStream<Void>
    private let shutdownTrigger: AsyncStream<Void>.Continuation

    /// Opens every ingest capture of `catalog` for writing into `store` (taking each capture's
    /// lock, so a second server or a `capstan run` of the same capture fails).
    public init(catalog: Catalog, store: any CollectionStore, configuration: IngestServerConfiguration = IngestServerConfiguration(), logger: Logger) throws(IngestServerError) {
        self.configuration = configuration
        self.logger = logger
        (shutdownRequests, shutdownTrigger) = AsyncStream<Void>.makeStream()
        var captures: [String: IngestCapture] = [:]
        do throws(IngestServerError) {
            for definition in catalog.captures {
                guard case .ingest(let endpoint) = definition.endpoint else { continue }
                let targets = try Self.targets(of: definition, in: catalog)
                let committer: CaptureCommitter
                do {
                    // Another process taking the capture over (a shared store) stops this server: it would fight for it.
                    let trigger = shutdownTrigger
                    committer = try CaptureCommitter(capture: definition.name, store: store, maxCommitBytes: configuration.maxCommitBytes, logger: logger,
                                                     onLeaseLost: { trigger.yield() })
                } catch {
                    throw IngestServerError("capture \(definition.name): \(error)")
                }
                captures[definition.name] = IngestCapture(
                    name: definition.name, tokens: BearerTokens(endpoint.tokens), maxBodyBytes: endpoint.maxBodyBytes ?? configuration.defaultMaxBodyBytes,
                    targets: targets, committer: committer)
            }
            if captures.isEmpty { throw IngestServerError("the catalog has no ingest captures (captures with endpoint: {ingest: {}})") }
        } catch {
            for capture in captures.values { capture.committer.close() }
            throw error
        }
        self.captures = captures
    }

    private static func targets(of capture: CaptureDefinition, in catalog: Catalog) throws(IngestServerError) -> [String: IngestTarget] {
        var targets: [String: IngestTarget] = [:]
        for (_, binding) in capture.enabledBindings {
            guard let name = IngestBindingName.of(binding) else {
                throw IngestServerError("capture \(capture.name): a binding to \(binding.target) has no resource name")
            }
            guard let collection = catalog.collection(named: binding.target) else {
                throw IngestServerError("capture \(capture.name), binding \(name): no collection \(binding.target)")
            }
            let schema: Schema
            do { schema = try collection.compiledWriteSchema() } catch {
                throw IngestServerError("collection \(collection.name): its write schema does not compile: \(error)")
            }
            targets[name] = IngestTarget(binding: RuntimeBinding(collection: collection.name, writeSchema: schema, key: collection.keyPointers()))
        }
        return targets
    }

    /// The `/<capture>/<binding>` paths served, sorted (names not percent-encoded).
    public var paths: [String] {
        captures.values.flatMap { capture in capture.targets.keys.map { "/\(capture.name)/\($0)" } }.sorted()
    }

    /// Documents committed, commits made and time spent committing so far, per capture.
    public var totals: [String: IngestTotals] {
        captures.mapValues { $0.committer.totals }
    }

    /// Serves until ``shutdown()``: then new requests are refused (503), requests and WebSocket
    /// batches in flight finish (up to ``IngestServerConfiguration/shutdownGracePeriod``), the
    /// listener closes, and the captures' committers stop. `onListening` gets the bound port.
    public func run(onListening: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        defer { closeCommitters() }
        let responder = IngestResponder(captures: captures, gate: gate)
        let largest = captures.values.map(\.maxBodyBytes).max() ?? configuration.defaultMaxBodyBytes
        let webSocket = HTTP1WebSocketUpgradeChannel.Configuration(ws: WebSocketServerConfiguration(maxFrameSize: min(largest, Int(UInt32.max))))
        let gate = self.gate
        let logger = self.logger
        let app = Application(
            responder: responder,
            server: .http1WebSocketUpgrade(configuration: webSocket) { request, _, _ in
                let path = request.path.map { String($0.prefix { $0 != "?" }) } ?? "/"
                let handler: WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>
                switch responder.destination(path: path, authorization: request.headerFields[.authorization]) {
                case .health:
                    return .dontUpgrade
                case .refused(let reply):
                    // A declined upgrade can only be answered 400 with no reason, so the refusal is told
                    // as a close: 4000 + the HTTP status (4401, 4404), with the message as the reason.
                    handler = { _, outbound, _ in
                        try? await outbound.close(.unknown(UInt16(4000 + reply.status)), reason: String(decoding: reply.message.utf8.prefix(120), as: UTF8.self))
                    }
                case .target(let capture, let target):
                    let session = WebSocketIngestSession(capture: capture, target: target, gate: gate, logger: logger)
                    handler = { inbound, outbound, _ in await session.run(inbound: inbound, outbound: outbound) }
                }
                return .upgrade([:], handler)
            },
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        let group = ServiceGroup(services: [app], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { await self.stopWhenAsked(group) }
            do {
                try await group.run()
            } catch {
                tasks.cancelAll()
                throw error
            }
            tasks.cancelAll()
        }
    }

    /// Asks ``run(onListening:)`` to stop cleanly. Safe from any thread, any number of times.
    public func shutdown() {
        shutdownTrigger.yield()
    }

    private func stopWhenAsked(_ group: ServiceGroup) async {
        for await _ in shutdownRequests { break }
        if Task.isCancelled { return }
        gate.stop()
        logger.info("shutting down: refusing new requests, finishing those in flight", metadata: ["inFlight": "\(gate.inFlight)"])
        if await !gate.waitUntilIdle(limit: configuration.shutdownGracePeriod) {
            logger.warning("shutting down with requests still in flight", metadata: ["inFlight": "\(gate.inFlight)"])
        }
        await group.triggerGracefulShutdown()
    }

    private func closeCommitters() {
        for capture in captures.values { capture.committer.close() }
    }
}
