import FlowCapture
import Foundation
import JSON
import Logging
import Postgres

/// An open capture: one poller per binding on its schedule, at most `concurrency` queries at once.
///
/// The first poll of a binding that never polled is immediate; each next poll is scheduled from
/// the start of the previous one. The first failing poll ends the session with an error.
final class CaptureSession: @unchecked Sendable {
    private let pollers: [BindingPoller]
    private let session: DatabaseSession
    private let config: EndpointConfig
    private let output: OutputGate
    private let logger: Logger
    private let condition = NSCondition()
    private var running = Set<Int>()
    private var completed = Set<Int>()
    private var failure: ConfigError?
    private var idleConnections: [Connection] = []
    /// `CAPSTAN_PG_STREAM`, for diagnosis and benchmarks: the strategy every poll uses instead of the choice below.
    private let streamOverride: RowStreamStrategy?
    /// Rows per FETCH for the cursors.
    private static let fetchSize = 5_000

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
    func run() throws(ConfigError) {
        try? output.writer.write(.opened(OpenedResponse(explicitAcknowledgements: false)))
        if pollers.isEmpty {
            logger.info("capture has no enabled bindings, shutting down")
            return
        }
        if config.advanced.featureFlags["emit_sourced_schemas"] { emitSourcedSchemas() }
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let failure {
                closeConnections()
                throw failure
            }
            if config.advanced.exitAfterPoll && completed.count == pollers.count && running.isEmpty {
                closeConnections()
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
                    start(position)
                } else if !running.contains(position) {
                    earliest = min(earliest ?? due, due)
                }
            }
            if let earliest, running.count < config.advanced.concurrency {
                let wait = max(0.001, Double(now.nanoseconds(until: earliest)) / 1e9)
                _ = condition.wait(until: Date(timeIntervalSinceNow: min(wait, 3600)))
            } else {
                condition.wait()
            }
        }
    }

    /// Ends the session with `error`, from any thread (when the SSH tunnel dies): ``run()`` throws it, unless a
    /// failure came first.
    func abort(_ error: ConfigError) {
        condition.lock()
        if failure == nil { failure = error }
        condition.signal()
        condition.unlock()
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

    /// Starts a poll on its own thread; called with the condition locked.
    private func start(_ position: Int) {
        running.insert(position)
        let poller = pollers[position]
        let timeout = Duration.nanoseconds((try? GoDuration.parse(config.advanced.queryTimeout)) ?? 1_800_000_000_000)
        let thread = Thread { [self] in
            let started = ContinuousClock.now
            var outcome: ConfigError?
            var connection: Connection?
            var counts: BindingPoller.Outcome?
            var strategy = RowStreamStrategy.singleRow
            do throws(ConfigError) {
                connection = try takeConnection()
                strategy = streamStrategy(for: connection!)
                counts = try poller.poll(connection: connection!, output: output, strategy: strategy, queryTimeout: timeout)
            } catch {
                outcome = ConfigError("error polling binding \"\(poller.binding.resource.name)\": \(error.message)")
                connection?.close()
                connection = nil
            }
            condition.lock()
            // Logged under the lock, and only while no poll has failed: the failure's error line, logged once
            // run() has seen it (which needs this lock), must be the last line on stderr.
            if let counts, !counts.droppedColumns.isEmpty, failure == nil {
                logger.warning("query result columns left out of documents: their names repeat an earlier column's (or are _meta)", metadata: [
                    "binding": "\(poller.binding.resource.name)", "columns": .array(counts.droppedColumns.map { .string($0) }),
                ])
            }
            if let counts, failure == nil {
                logger.info("poll completed", metadata: [
                    "binding": "\(poller.binding.resource.name)", "rows": .stringConvertible(counts.rows),
                    "deletions": .stringConvertible(counts.deletions), "streaming": "\(strategy.name)",
                    "milliseconds": .stringConvertible(Int64((ContinuousClock.now - started) / .milliseconds(1))),
                ])
            }
            if let connection { idleConnections.append(connection) }
            running.remove(position)
            completed.insert(position)
            if let outcome, failure == nil { failure = outcome }
            condition.signal()
            condition.unlock()
        }
        thread.name = "poll-\(poller.binding.resource.name)"
        thread.start()
    }

    /// Tells the runtime each table binding's current source schema, before any poll starts.
    /// Bindings with a template override have no single table, so they get none.
    private func emitSourcedSchemas() {
        let tableBindings = pollers.map(\.binding).filter { $0.resource.template.isEmpty && !$0.resource.schema.isEmpty && !$0.resource.table.isEmpty }
        guard !tableBindings.isEmpty else { return }
        do {
            let connection = try takeConnection()
            defer { condition.lock(); idleConnections.append(connection); condition.unlock() }
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

    private func takeConnection() throws(ConfigError) -> Connection {
        condition.lock()
        let reused = idleConnections.popLast()
        condition.unlock()
        if let reused { return reused }
        return try session.connect()
    }

    private func closeConnections() {
        idleConnections.forEach { $0.close() }
        idleConnections.removeAll()
    }
}
