import FlowCapture
import JSON

/// What one run of the connector produced.
struct ConnectorRun {
    /// stdout lines, in order (empty when stdout went to /dev/null). With a kill after the Nth checkpoint, the
    /// lines up to and including that checkpoint: what a runtime would have committed.
    var lines: [String]
    /// Every stdout line read, including those after the kill point.
    var allLines: [String]
    var stderr: [String]
    /// The exit status, or the signal number when `killedBySignal`.
    var status: Int32
    var killedBySignal: Bool
    /// The child's peak resident set size (`VmHWM`) in KiB, as last sampled while it ran.
    var peakRSSKiB: Int?
    /// The child's minor page faults (`minflt` of `/proc/<pid>/stat`), as last sampled while it ran.
    var minorFaults: Int?
    var seconds: Double

    /// Parsed `lines` (parsed once); a line that does not parse is left out, and fails the test in ``TestConnector/run``.
    var responses: [CaptureResponse] = []

    /// The `msg` of the last stderr line.
    var lastErrorMessage: String? {
        guard let last = stderr.last, let json = try? JSON.parse(last) else { return nil }
        return json["msg"]?.stringValue
    }

    /// Parsed stderr lines.
    var logs: [JSON] { stderr.compactMap { try? JSON.parse($0) } }

    /// The documents of `binding`, in order.
    func documents(binding: UInt32 = 0) -> [JSON] {
        responses.compactMap { if case .captured(let c) = $0, c.binding == binding { return c.doc } else { return nil } }
    }

    /// Every checkpoint's state update, in order.
    var checkpoints: [ConnectorState] {
        responses.compactMap { if case .checkpoint(let c) = $0 { return c.state } else { return nil } }
    }

    /// Documents of every binding that a checkpoint committed (none after the last checkpoint).
    var committedDocuments: [(binding: UInt32, doc: JSON)] {
        var committed: [(UInt32, JSON)] = []
        var pending: [(UInt32, JSON)] = []
        for response in responses {
            switch response {
            case .captured(let c): pending.append((c.binding, c.doc))
            case .checkpoint: committed += pending; pending = []
            default: break
            }
        }
        return committed
    }

    /// `state` with every checkpoint applied in order: what the runtime hands the next session.
    func reducedState(from state: JSON = .object(JSONObject())) -> JSON {
        var reduced = state
        for checkpoint in checkpoints { checkpoint.apply(to: &reduced) }
        return reduced
    }
}
