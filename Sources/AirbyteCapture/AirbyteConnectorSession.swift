import CaptureRuntime
import FlowCapture
import Foundation
import JSON
import Logging
import Synchronization

/// A session of an Airbyte source connector: `read --config --catalog [--state]` with files it writes,
/// its messages translated into the runtime's events.
///
/// - RECORD → a document of the binding of its stream (top-level fields selected; `/_meta/row_id` added
///   when the collection is keyed by it). Records of streams the capture does not bind are ignored.
/// - STATE (STREAM, GLOBAL, LEGACY) → a checkpoint whose merge patch keeps the state as
///   ``AirbyteStateLayout`` describes.
/// - A stream's COMPLETE status, or the connector's clean exit, → a checkpoint of the documents captured
///   since the last one (for full-refresh streams that emit no STATE).
/// - Overwrite bindings: when the stream starts, its collection is truncated in the open transaction, and
///   checkpoints are held back until the stream completes, so the replacement commits whole or not at all.
///   A binding whose stream never started is emptied at a clean exit (the source had nothing).
/// - TRACE ERROR → the session fails with its message (after the output ends), even on exit 0.
/// - LOG, ESTIMATE, STREAM_STATUS and non-JSON lines → logs. CONTROL → the updated configuration is kept
///   (``AirbyteControlStore``) at once.
/// - Silence longer than the endpoint's heartbeat → the process group is killed and the session fails.
// Unchecked: the reading state belongs to the thread calling next(into:); only `stopControl` is shared with signalStop().
public final class AirbyteConnectorSession: ConnectorSession, @unchecked Sendable {
    private let connector: AirbyteConnector
    private let bindings: [AirbyteBinding]
    private let state: JSON
    private let controlStore: AirbyteControlStore?
    private let catalogConfig: JSON
    private let logger: Logger
    private let log: AirbyteLogForwarder
    private let parser = JSONParser()

    private var scratch: AirbyteScratchDirectory?
    private var process: AirbyteProcess?
    private var termination: ConnectorProcess.Termination?
    /// The process (once started) and whether a stop was asked for, for ``signalStop()`` from any thread.
    private let stopControl = Mutex<(process: AirbyteProcess?, requested: Bool)>((nil, false))

    private var byDescriptor: [AirbyteStreamDescriptor: Int] = [:]
    private var byName: [String: Int] = [:]
    private var requiredFields: [Set<String>]
    private var rowIDs: [Int64]
    private var unknownStreams = Set<String>()

    private var opened = false
    private var ended = false
    /// What was read and waits to go into a batch: documents and events, in order.
    private enum Item {
        case document(binding: Int, JSON)
        case event(ConnectorEvent)
    }
    private var queue: [Item] = []
    private var queueStart = 0
    /// Overwrite bindings truncated in this session, and those whose stream is still running.
    private var truncated = Set<Int>()
    private var openOverwrites = Set<Int>()
    /// State patches held back while an overwrite stream runs, composed into one.
    private var heldPatch: JSON?
    private var documentsSinceCheckpoint = 0
    private var traceError: String?
    /// When a state last asked the runner to commit at once (see ``hasPendingInput``).
    private var lastPromptCommit = ContinuousClock.now - .seconds(1)
    private var commitPromptly = false

    init(connector: AirbyteConnector, bindings: [AirbyteBinding], state: JSON, controlStore: AirbyteControlStore?, catalogConfig: JSON, logger: Logger) {
        self.connector = connector
        self.bindings = bindings
        self.state = state
        self.controlStore = controlStore
        self.catalogConfig = catalogConfig
        self.logger = logger
        log = AirbyteLogForwarder(captureName: connector.captureName, masker: connector.masker, logger: logger)
        requiredFields = bindings.map(\.requiredFields)
        rowIDs = Array(repeating: 0, count: bindings.count)
        var names: [String: Int] = [:]
        var duplicated = Set<String>()
        for (index, binding) in bindings.enumerated() {
            byDescriptor[binding.descriptor] = index
            if names[binding.resource.stream] != nil { duplicated.insert(binding.resource.stream) }
            names[binding.resource.stream] = index
        }
        for name in duplicated { names[name] = nil }
        byName = names
    }

    public var captureName: String { connector.captureName }

    public func start() throws(RuntimeError) {
        let scratch = try AirbyteScratchDirectory()
        self.scratch = scratch
        var arguments = ["--config", try scratch.write("config.json", connector.config),
                         "--catalog", try scratch.write("catalog.json", AirbyteBinding.configuredCatalog(bindings))]
        let states = AirbyteStateLayout.stateArray(from: state)
        if states.arrayValue?.isEmpty == false { arguments += ["--state", try scratch.write("state.json", states)] }
        let process = try AirbyteProcess(command: connector.endpoint.command, verb: "read", arguments: arguments,
                                         environment: connector.environment, captureName: captureName,
                                         heartbeatSeconds: connector.endpoint.heartbeatSeconds, masker: connector.masker, logger: logger)
        self.process = process
        let stopEarly = stopControl.withLock { control in
            control.process = process
            return control.requested
        }
        if stopEarly { process.process.signal(SIGTERM) }
    }

    /// Adds what the connector wrote to `batch`, its records prepared by the batch's preparation stage: up to and
    /// including a checkpoint (the runner decides at each whether to commit), while more is at hand and the batch is
    /// not full.
    public func next(into batch: inout CaptureBatch) throws(RuntimeError) -> Bool {
        var added = false
        while !batch.isFull {
            guard let item = try nextItem() else { return added }
            added = true
            switch item {
            case .document(let binding, let document):
                batch.addDocument(binding: binding, document: document)
            case .event(let event):
                batch.add(event)
                if case .checkpoint = event { return true }
            }
            if queueStart == queue.count && !(process?.hasPendingInput ?? false) { break }
        }
        return true
    }

    /// The next document or event, reading the connector's output as needed; nil once it has ended.
    private func nextItem() throws(RuntimeError) -> Item? {
        if !opened {
            opened = true
            return .event(.opened(explicitAcknowledgements: false))
        }
        while true {
            if queueStart < queue.count {
                let event = queue[queueStart]
                queueStart += 1
                if queueStart == queue.count { queue.removeAll(keepingCapacity: true); queueStart = 0 }
                return event
            }
            if ended { return nil }
            guard let process, let line = try process.nextLine() else {
                end()
                continue
            }
            let message: AirbyteMessage?
            do { message = try AirbyteMessage.decode(line, parser: parser) } catch {
                log.malformed(line, error)
                continue
            }
            guard let message else {
                log.plain(line)
                continue
            }
            switch message {
            case .record(let stream, let namespace, let data):
                if let item = record(stream: stream, namespace: namespace, data: data) { return item }
            case .state(let state):
                guard let patch = AirbyteStateLayout.patch(for: state) else {
                    logger.warning("ignored a STATE message of an unknown type", metadata: ["capture": .string(captureName), "type": .string(state["type"]?.stringValue ?? "?")])
                    continue
                }
                heldPatch = heldPatch.map { AirbyteStateLayout.compose($0, patch) } ?? patch
                if openOverwrites.isEmpty { return .event(checkpoint()) }
            case .trace(let type, let trace):
                log.trace(type, trace)
                if type == "ERROR", traceError == nil { traceError = AirbyteLogForwarder.errorText(of: trace) }
                if type == "STREAM_STATUS" { streamStatus(trace["stream_status"]) }
            case .log(let level, let text, let stackTrace):
                log.log(level: level, text, stackTrace: stackTrace)
            case .control(let config):
                keepControl(config)
            case .other(let type):
                logger.debug("ignored an Airbyte \(type) message", metadata: ["capture": .string(captureName)])
            case .connectionStatus, .catalog, .spec:
                logger.debug("ignored an unexpected message during read", metadata: ["capture": .string(captureName)])
            }
        }
    }

    /// The binding of a record's stream: by name and namespace, else by name alone when that is unambiguous.
    private func bindingIndex(stream: String, namespace: String?) -> Int? {
        byDescriptor[AirbyteStreamDescriptor(name: stream, namespace: namespace)] ?? byName[stream]
    }

    private func record(stream: String, namespace: String?, data: JSON) -> Item? {
        guard let index = bindingIndex(stream: stream, namespace: namespace) else {
            if unknownStreams.insert(stream).inserted {
                logger.warning("ignored records of stream \(AirbyteStreamDescriptor(name: stream, namespace: namespace)), which the capture does not bind",
                               metadata: ["capture": .string(captureName)])
            }
            return nil
        }
        startOverwrite(index)
        let binding = bindings[index]
        var document = data
        if case .object(var object) = data, binding.resource.fields != .all || binding.needsRowID {
            if binding.resource.fields != .all {
                let required = requiredFields[index]
                for name in object.keys where !binding.resource.fields.keeps(name, required: required) { _ = object.removeValue(forKey: name) }
            }
            if binding.needsRowID {
                var meta = object["_meta"]?.objectValue ?? JSONObject()
                meta["row_id"] = .number(JSONNumber(rowIDs[index]))
                rowIDs[index] += 1
                object["_meta"] = .object(meta)
            }
            document = .object(object)
        }
        documentsSinceCheckpoint += 1
        let item = Item.document(binding: index, document)
        guard queueStart < queue.count else { return item }
        queue.append(item)
        return nil
    }

    /// Truncates an overwrite binding's collection the first time its stream shows up in this session.
    private func startOverwrite(_ index: Int) {
        guard bindings[index].resource.destinationSyncMode == .overwrite, truncated.insert(index).inserted else { return }
        openOverwrites.insert(index)
        queue.append(.event(.truncate(binding: index)))
    }

    private func streamStatus(_ status: JSON?) {
        guard let descriptor = AirbyteStreamDescriptor(json: status?["stream_descriptor"]),
              let index = bindingIndex(stream: descriptor.name, namespace: descriptor.namespace) else { return }
        switch status?["status"]?.stringValue {
        case "STARTED", "RUNNING":
            startOverwrite(index)
        case "COMPLETE":
            openOverwrites.remove(index)
            if openOverwrites.isEmpty && (documentsSinceCheckpoint > 0 || heldPatch != nil || truncated.contains(index)) {
                queue.append(.event(checkpoint()))
            }
        default:
            break
        }
    }

    private func checkpoint() -> ConnectorEvent {
        let now = ContinuousClock.now
        if now - lastPromptCommit >= Self.promptCommitSpacing {
            commitPromptly = true
            lastPromptCommit = now
        }
        let patch = heldPatch
        heldPatch = nil
        documentsSinceCheckpoint = 0
        return .checkpoint(patch.map { ConnectorState(updated: $0, mergePatch: true) })
    }

    /// The output has ended: after a clean exit, what is left commits; after a failure, nothing more does.
    private func end() {
        ended = true
        guard let process else { return }
        let termination = process.wait()
        self.termination = termination
        guard termination.isSuccess, traceError == nil else { return }
        for index in bindings.indices where bindings[index].resource.destinationSyncMode == .overwrite && !truncated.contains(index) {
            logger.info("stream \(bindings[index].descriptor) sent nothing: its collection \(bindings[index].collection) is emptied (overwrite)",
                        metadata: ["capture": .string(captureName)])
            truncated.insert(index)
            queue.append(.event(.truncate(binding: index)))
        }
        openOverwrites.removeAll()
        if documentsSinceCheckpoint > 0 || heldPatch != nil || !queue.isEmpty { queue.append(.event(checkpoint())) }
    }

    private func keepControl(_ config: JSON) {
        guard let controlStore else {
            logger.warning("the connector updated its configuration (CONTROL), but there is nowhere to keep it", metadata: ["capture": .string(captureName)])
            return
        }
        do {
            try controlStore.keep(config, catalogConfig: catalogConfig)
            logger.info("the connector updated its configuration (CONTROL); kept in \(controlStore.path) and used from now on",
                        metadata: ["capture": .string(captureName)])
        } catch {
            logger.error("\(connector.masker.mask(error.message))", metadata: ["capture": .string(captureName)])
        }
    }

    /// A state is a commit point in Airbyte: after a checkpoint this says "nothing pending" so that the
    /// runner commits at once (a failure that follows then keeps that state), at most once per
    /// ``promptCommitSpacing``; otherwise, whether more output is at hand.
    public var hasPendingInput: Bool {
        if commitPromptly && queueStart == queue.count {
            commitPromptly = false
            return false
        }
        return queueStart < queue.count || (process?.hasPendingInput ?? false)
    }

    /// The least time between two commits forced by states (connectors may send a state per record).
    static let promptCommitSpacing: Duration = .milliseconds(50)

    public func acknowledge(checkpoints: Int) {}

    public func signalStop() {
        let process = stopControl.withLock { control in
            control.requested = true
            return control.process
        }
        process?.process.signal(SIGTERM)
    }

    public func stop() { process?.process.stop() }

    public func finish() -> RuntimeError? {
        defer { scratch?.remove() }
        guard let process else { return nil }
        let termination = self.termination ?? process.wait()
        if let traceError { return RuntimeError("connector of \(captureName) failed: \(connector.masker.mask(traceError))") }
        return termination.isSuccess ? nil : process.failure(termination, masker: connector.masker)
    }
}
