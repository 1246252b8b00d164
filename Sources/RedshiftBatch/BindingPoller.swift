import JSON
import Postgres

/// Runs the polls of one binding and keeps its state.
///
/// Not thread-safe by itself: ``CaptureSession`` hands a poller to one poll thread at a time and
/// reads it only while no poll runs, with the hand-off under its lock.
// Unchecked: `state` mutates, but CaptureSession hands the poller to one thread at a time (see above).
final class BindingPoller: @unchecked Sendable {
    /// Checkpoints come at least this often, in documents (between distinct cursor values).
    static let documentsPerCheckpoint = 1000

    let binding: PollBinding
    private(set) var state: BindingState

    init(binding: PollBinding, state: BindingState) {
        self.binding = binding
        self.state = state
    }

    /// The time of the next poll.
    var nextPoll: Timestamp { binding.schedule.next(after: state.lastPolled) }

    /// Polls once: streams the query's rows as documents, checkpointing as it goes and at the end.
    /// What one poll did.
    struct Outcome {
        var rows: Int64
        var deletions: Int64
        /// Result columns left out of documents because an earlier column had the same name (or they were named `_meta`).
        var droppedColumns: [String]
    }

    func poll(connection: Connection, output: OutputGate, strategy: RowStreamStrategy,
              queryTimeout: Duration) throws(CaptureError) -> Outcome {
        let resource = binding.resource
        let cursorNames = resource.cursor
        let isFirstQuery = state.cursorValues?.isEmpty ?? true
        let query: String
        do {
            query = try binding.template.render(schema: resource.schema, table: resource.table, cursor: cursorNames, isFirstQuery: isFirstQuery)
        } catch {
            throw CaptureError(error)
        }
        let parameters: [String?] = isFirstQuery || cursorNames.isEmpty ? [] : (state.cursorValues ?? []).map(Self.parameterText)

        let pollTime = Timestamp.now()
        let previousCount = state.documentCount
        var rowID: Int64 = (binding.isIncremental && !isFirstQuery) ? state.documentCount : 0
        var index: Int64 = 0
        var sinceCheckpoint = 0
        var encoder: DocumentEncoder?
        var cursorColumns: [(index: Int, kind: ValueKind)] = []
        var lastCursor: [[UInt8]?] = []
        let holder = OutputGate.Holder(output)
        // Every successful path ends with a checkpoint, which releases the gate; a failure abandons it.
        defer { holder.abandon() }

        let watchdog = Watchdog()
        let canceller = connection.canceller
        watchdog.start(firstRowTimeout: queryTimeout, nextRowTimeout: queryTimeout / 6) { try? canceller.cancel() }
        defer { watchdog.stop() }

        do {
            try connection.stream(query, parameters: parameters, strategy: strategy, onColumns: { columns in
                encoder = DocumentEncoder(columns: columns, polled: pollTime, source: binding.source)
                for name in cursorNames {
                    guard let position = columns.firstIndex(where: { $0.name == name }) else {
                        throw CaptureError("cursor column \"\(name)\" not found in query result", kind: .query)
                    }
                    cursorColumns.append((position, ValueKind(oid: columns[position].typeOID)))
                }
                lastCursor = Array(repeating: nil, count: cursorColumns.count)
            }) { row in
                watchdog.touch()
                if sinceCheckpoint >= Self.documentsPerCheckpoint {
                    if !binding.isIncremental {
                        // Full refresh: the state does not move until the refresh completes.
                        try holder.checkpoint(CaptureState.patch(stateKey: binding.stateKey, state: state))
                        sinceCheckpoint = 0
                    } else if !Self.cursorEquals(row, cursorColumns, lastCursor) {
                        state.cursorValues = Self.cursorJSON(lastCursor, cursorColumns)
                        state.documentCount = rowID
                        try holder.checkpoint(CaptureState.patch(stateKey: binding.stateKey, state: state))
                        sinceCheckpoint = 0
                    }
                }
                if !cursorColumns.isEmpty { Self.remember(row, cursorColumns, &lastCursor) }
                let op: StaticString? = binding.keyIsRowID ? (rowID < previousCount ? "u" : "c") : nil
                let encoder = encoder!
                try holder.capture(binding: binding.index) { encoder.encode(row, index: index, rowID: rowID, op: op, into: &$0) }
                index += 1
                rowID += 1
                sinceCheckpoint += 1
            }
        } catch let error as CaptureError {
            throw error
        } catch {
            if watchdog.hasFired {
                throw CaptureError("polling timed out: the query returned no row for \(index == 0 ? queryTimeout : queryTimeout / 6)", kind: .pollTimedOut)
            }
            throw CaptureError("error executing query: \(DatabaseSession.describe(error))", kind: .query)
        }

        var deletions: Int64 = 0
        if !binding.isIncremental && binding.keyIsRowID && rowID < previousCount, let encoder {
            // Rows that a shorter refresh no longer has are inferred deleted.
            do {
                for offset in 0..<(previousCount - rowID) {
                    try holder.capture(binding: binding.index) { encoder.encodeDeletion(index: index + offset, rowID: rowID + offset, into: &$0) }
                    deletions += 1
                }
            } catch {
                throw CaptureError("writing output: \(error)", kind: .output)
            }
        }
        state.lastPolled = pollTime
        state.documentCount = rowID
        state.cursorNames = cursorNames.isEmpty ? nil : cursorNames
        if binding.isIncremental && index > 0 { state.cursorValues = Self.cursorJSON(lastCursor, cursorColumns) }
        do {
            try holder.checkpoint(CaptureState.patch(stateKey: binding.stateKey, state: state))
        } catch {
            throw CaptureError("writing output: \(error)", kind: .output)
        }
        return Outcome(rows: index, deletions: deletions, droppedColumns: encoder?.duplicateColumns ?? [])
    }

    /// A cursor value as a query parameter (text format; `nil` is SQL NULL).
    static func parameterText(_ value: JSON) -> String? {
        switch value {
        case .null: return nil
        case .string(let string): return string
        case .number(let number): return number.text
        case .bool(let flag): return flag ? "true" : "false"
        default: return value.serializedString()
        }
    }

    private static func cursorEquals(_ row: borrowing RowView, _ columns: [(index: Int, kind: ValueKind)], _ last: [[UInt8]?]) -> Bool {
        for (position, column) in columns.enumerated() {
            if row.isNull(at: column.index) {
                if last[position] != nil { return false }
                continue
            }
            guard let previous = last[position], previous.elementsEqual(row.bytes(at: column.index)) else { return false }
        }
        return true
    }

    private static func remember(_ row: borrowing RowView, _ columns: [(index: Int, kind: ValueKind)], _ last: inout [[UInt8]?]) {
        for (position, column) in columns.enumerated() {
            if row.isNull(at: column.index) {
                last[position] = nil
                continue
            }
            let bytes = row.bytes(at: column.index)
            if let previous = last[position], previous.elementsEqual(bytes) { continue }
            last[position] = Array(bytes)
        }
    }

    private static func cursorJSON(_ raw: [[UInt8]?], _ columns: [(index: Int, kind: ValueKind)]) -> [JSON] {
        zip(raw, columns).map { bytes, column in
            guard let bytes else { return .null }
            return bytes.withUnsafeBufferPointer { ValueTranslator.cursorValue($0, kind: column.kind) }
        }
    }

    /// Applies a changed cursor: a binding whose cursor columns changed starts over.
    func reconcileCursor() -> Bool {
        let wanted: [String]? = binding.resource.cursor.isEmpty ? nil : binding.resource.cursor
        guard (state.cursorNames ?? []) != (wanted ?? []) else { return false }
        state = BindingState(cursorNames: wanted)
        return true
    }
}
