import Concurrency
import FlowCapture
import Foundation
import JSON
import Logging
import Postgres

/// An open capture: one poller per binding on its schedule, at most `concurrency` queries at once.
///
/// The first poll of a binding that never polled is immediate; each next poll is scheduled from
/// the start of the previous one. The first failing poll ends the session with an error.
///
/// ``run()``'s thread alone schedules: it keeps which polls run, which completed and the idle connections to itself,
/// and learns of the end of each poll (and of ``abort(_:)``) through ``events``.
final class CaptureSession: Sendable {
    private let pollers: [BindingPoller]
    private let session: DatabaseSession
    private let config: EndpointConfig
    private let output: OutputGate
    private let logger: Logger
    /// What the poll threads and ``abort(_:)`` tell ``run()``; closed when it returns, so that a poll ending later
    /// closes its connection instead.
    private let events: BlockingQueue<Event>
    /// `CAPSTAN_PG_STREAM`, for diagnosis and benchmarks: the strategy every poll uses instead of the choice below.
    private let streamOverride: RowStreamStrategy?
    /// Rows per FETCH for the cursors.
    private static let fetchSize = 5_000

    /// A connection on its way between run()'s thread and a poll thread.
    // Unchecked: a Connection is not Sendable, but it passes whole, and only one thread at a time ever uses it.
    private struct Handed: @unchecked Sendable {
        let connection: Connection
    }

    private enum Event: Sendable {
        /// A poll ended: its connection (nil when it failed), what it did, or how it failed.
        case pollEnded(position: Int, connection: Handed?, strategy: RowStreamStrategy, milliseconds: Int64,
                       result: Result<BindingPoller.Outcome, CaptureError>)
        case aborted(CaptureError)
    }

    init(open: OpenRequest, config: EndpointConfig, session: DatabaseSession, writer: MessageWriter, logger: Logger) throws(ConfigError) {
        guard let capture = open.capture else { throw ConfigError("open: missing capture") }
        let state = try CaptureState(json: open.state)
        var pollers: [BindingPoller] = []
        for (index, binding) in capture.bindings.enumerated() {
            let pollBinding = try PollBinding(index: index, binding: binding, config: config)
            let poller = BindingPoller(binding: pollBinding, state: state.bindings[pollBinding.stateKey] ?? BindingState())
            if poller.reconcileCursor(), state.bindings[pollBinding.stateKey] != nil {
                logger.warning("cursor columns changed, resetting stream state", metadata: ["binding": "\(pollBinding.resource.name)"])
            }
            pollers.append(poller)
        }
        self.pollers = pollers
        // Each binding has at most one poll running, and so one event in flight; and room for an abort.
        self.events = BlockingQueue(capacity: pollers.count + 1)
        self.session = session
        self.config = config
        self.output = OutputGate(writer: writer)
        self.logger = logger
        let override = ProcessInfo.processInfo.environment["CAPSTAN_PG_STREAM"].flatMap { $0.isEmpty ? nil : $0 }
        streamOverride = override.flatMap { RowStreamStrategy(name: $0, batchSize: Self.fetchSize) }
        if let override, streamOverride == nil {
            logger.warning("CAPSTAN_PG_STREAM ignored: expected single-row, cursor or prefetching-cursor", metadata: ["value": "\(override)"])
        }
    }

    /// Polls until a poll fails (thrown) or, with `exit_after_poll`, every binding has polled once.
    func run() throws(CaptureError) {
        try? output.writer.write(.opened(OpenedResponse(explicitAcknowledgements: false)))
        if pollers.isEmpty {
            logger.info("capture has no enabled bindings, shutting down")
            return
        }
        var idleConnections: [Connection] = []
        defer {
            events.close()
            idleConnections.forEach { $0.close() }
        }
        if config.advanced.featureFlags["emit_sourced_schemas"] { emitSourcedSchemas(idleConnections: &idleConnections) }
        var running = Set<Int>()
        var completed = Set<Int>()
        while true {
            if config.advanced.exitAfterPoll && completed.count == pollers.count && running.isEmpty {
                logger.info("every binding has polled once; exiting (exit_after_poll)")
                return
            }
            let now = Timestamp.now()
            var earliest: Timestamp?
            for (position, poller) in pollers.enumerated() where !running.contains(position) {
                if config.advanced.exitAfterPoll && completed.contains(position) { continue }
                // A one-shot run was started by a scheduler that already chose the time: poll now.
                let due = config.advanced.exitAfterPoll ? now : poller.nextPoll
                if due <= now && running.count < config.advanced.concurrency {
                    running.insert(position)
                    start(position, connection: idleConnections.popLast().map(Handed.init))
                } else if !running.contains(position) {
                    earliest = min(earliest ?? due, due)
                }
            }
            let event: Event
            if let earliest, running.count < config.advanced.concurrency {
                let wait = Duration.nanoseconds(max(1_000_000, min(now.nanoseconds(until: earliest), 3_600_000_000_000)))
                guard case .element(let next) = events.take(until: ContinuousClock.now + wait) else { continue }
                event = next
            } else {
                guard let next = events.take() else { continue }
                event = next
            }
            switch event {
            case .aborted(let error):
                throw error
            case .pollEnded(let position, let connection, let strategy, let milliseconds, let result):
                let poller = pollers[position]
                switch result {
                case .failure(let error):
                    // The failure's error line, logged by the caller, is the last line on stderr: nothing is
                    // logged here after it.
                    throw error
                case .success(let counts):
                    if !counts.droppedColumns.isEmpty {
                        logger.warning("query result columns left out of documents: their names repeat an earlier column's (or are _meta)", metadata: [
                            "binding": "\(poller.binding.resource.name)", "columns": .array(counts.droppedColumns.map { .string($0) }),
                        ])
                    }
                    logger.info("poll completed", metadata: [
                        "binding": "\(poller.binding.resource.name)", "rows": .stringConvertible(counts.rows),
                        "deletions": .stringConvertible(counts.deletions), "streaming": "\(strategy.name)",
                        "milliseconds": .stringConvertible(milliseconds),
                    ])
                }
                if let connection { idleConnections.append(connection.connection) }
                running.remove(position)
                completed.insert(position)
            }
        }
    }

    /// Ends the session with `error`, from any thread (when the SSH tunnel dies): ``run()`` throws it, unless a
    /// failure came first.
    func abort(_ error: CaptureError) {
        events.put(.aborted(error))
    }

    /// How to stream a query's rows from this server.
    ///
    /// PostgreSQL reached directly: a server-side cursor read in batches with the next FETCHes queued, which costs
    /// the client far less per row than single-row mode and keeps the server busy meanwhile. Through an SSH tunnel:
    /// single-row mode, where the server sends the whole result without waiting for FETCHes and libpq drains the
    /// socket row by row, so the tunnel decrypts while rows are encoded instead of in bursts between batches (the
    /// faster of the two through a tunnel in `scripts/bench tunnel`; figures in the README). Redshift (which reports
    /// server version 8.0.2): single-row mode, because its cursors materialize the whole result on the leader node
    /// before the first FETCH. ``streamOverride`` comes first.
    private func streamStrategy(for connection: Connection) -> RowStreamStrategy {
        if let streamOverride { return streamOverride }
        return connection.serverVersion >= 90_000 && session.tunnel == nil ? .prefetchingCursor(batchSize: Self.fetchSize) : .singleRow
    }

    /// Starts a poll on its own thread, on `connection` if there is an idle one; its end comes as an event.
    private func start(_ position: Int, connection reused: Handed?) {
        let poller = pollers[position]
        let timeout = Duration.nanoseconds((try? GoDuration.parse(config.advanced.queryTimeout)) ?? 1_800_000_000_000)
        let thread = Thread { [self] in
            let started = ContinuousClock.now
            var connection = reused?.connection
            var strategy = RowStreamStrategy.singleRow
            let result: Result<BindingPoller.Outcome, CaptureError>
            do throws(CaptureError) {
                let open: Connection
                if let connection {
                    open = connection
                } else {
                    do throws(ConfigError) { open = try session.connect() } catch { throw CaptureError(error.message, kind: .connection) }
                }
                connection = open
                strategy = streamStrategy(for: open)
                result = .success(try poller.poll(connection: open, output: output, strategy: strategy, queryTimeout: timeout))
            } catch {
                result = .failure(CaptureError("error polling binding \"\(poller.binding.resource.name)\": \(error.message)", kind: error.kind))
                connection?.close()
                connection = nil
            }
            let milliseconds = Int64((ContinuousClock.now - started) / .milliseconds(1))
            let event = Event.pollEnded(position: position, connection: connection.map(Handed.init), strategy: strategy, milliseconds: milliseconds, result: result)
            // After run() returned, nobody takes the connection back.
            if !events.put(event) { connection?.close() }
        }
        thread.name = "poll-\(poller.binding.resource.name)"
        thread.start()
    }

    /// Tells the runtime each table binding's current source schema, before any poll starts.
    /// Bindings with a template override have no single table, so they get none.
    private func emitSourcedSchemas(idleConnections: inout [Connection]) {
        let tableBindings = pollers.map(\.binding).filter { $0.resource.template.isEmpty && !$0.resource.schema.isEmpty && !$0.resource.table.isEmpty }
        guard !tableBindings.isEmpty else { return }
        do {
            let connection: Connection
            if let idle = idleConnections.popLast() { connection = idle } else { connection = try session.connect() }
            defer { idleConnections.append(connection) }
            var schemas: [String] = []
            for binding in tableBindings where !schemas.contains(binding.resource.schema) { schemas.append(binding.resource.schema) }
            let tables = try TableCatalog.discover(connection: connection, schemas: schemas)
            for binding in tableBindings {
                guard let table = tables.first(where: { $0.schema == binding.resource.schema && $0.name == binding.resource.table }) else {
                    logger.warning("table not found for its sourced schema", metadata: ["binding": "\(binding.resource.name)"])
                    continue
                }
                try output.writer.write(.sourcedSchema(SourcedSchemaResponse(binding: binding.index, documentSchema: sourcedSchema(for: table, config: config))))
            }
        } catch {
            logger.warning("could not emit sourced schemas: \(error)")
        }
    }
}
