#if canImport(Glibc)
import Glibc
#endif
import CaptureRuntime
import FlowCapture
import Foundation
import JSON
import Logging
import Synchronization

/// One run of an Airbyte connector command (`spec`, `check`, `discover` or `read`): its stdout read line by
/// line, its stderr forwarded as logs, and a heartbeat: when the connector writes nothing on either for
/// `heartbeatSeconds`, its whole process group is killed and reading fails with a message saying so.
// Unchecked: the reader and `heartbeatExpired` belong to the reading thread; others only signal `process` (Sendable).
final class AirbyteProcess: @unchecked Sendable {
    let process: ConnectorProcess
    let captureName: String
    let verb: String
    private let reader: MessageReader
    private let heartbeatSeconds: Int
    /// When the connector last wrote anything, shared with the thread that reads its stderr.
    private let activity = Activity()
    private(set) var heartbeatExpired = false

    /// Starts `command verb arguments...` with `environment` added.
    init(command: [String], verb: String, arguments: [String], environment: [String: String], captureName: String,
         heartbeatSeconds: Int, masker: SecretMasker, logger: Logger) throws(RuntimeError) {
        self.captureName = captureName
        self.verb = verb
        self.heartbeatSeconds = heartbeatSeconds
        let activity = self.activity
        process = try ConnectorProcess(command: command + [verb] + arguments, environment: environment) { line in
            activity.touch()
            var metadata: Logger.Metadata = ["capture": .string(captureName), "source": "connector"]
            for (key, value) in line.fields where metadata[key] == nil {
                metadata[key] = .string(masker.mask(value.stringValue ?? value.serializedString()))
            }
            logger.log(level: line.level, "\(masker.mask(line.message))", metadata: metadata)
        }
        process.closeStdin()
        reader = MessageReader(fileDescriptor: process.stdout)
    }

    static func now() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }

    /// The 1-based number of the last line returned.
    var lineNumber: Int { reader.lineNumber }

    /// True when more output (not just its end) is at hand without waiting: a state is then committed
    /// at once when the connector falls silent or exits after it, so a failure that follows cannot lose it.
    var hasPendingInput: Bool {
        if reader.hasBufferedInput { return true }
        var descriptor = pollfd(fd: process.stdout, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) > 0 && descriptor.revents & Int16(POLLIN) != 0
    }

    /// The next stdout line, or nil at its end. Waits at most the heartbeat for output.
    func nextLine() throws(RuntimeError) -> ArraySlice<UInt8>? {
        while !reader.hasPendingInput {
            var descriptor = pollfd(fd: process.stdout, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 1000)
            if ready > 0 { break }
            if ready < 0 && errno != EINTR { break }
            let silent = Self.now() - activity.last.load(ordering: .relaxed)
            if silent >= Int64(heartbeatSeconds) * 1_000_000_000 {
                heartbeatExpired = true
                process.signal(SIGKILL)
                _ = process.wait()
                throw RuntimeError("connector of \(captureName) sent nothing (no record, state or log line) for \(Self.describe(seconds: heartbeatSeconds)) during \(verb): stopped it and its process group (heartbeat); the attempt failed")
            }
        }
        do {
            let line = try reader.nextLine()
            if line != nil { activity.touch() }
            return line
        } catch {
            throw RuntimeError("reading the output of the connector of \(captureName) (\(verb)): \(error)")
        }
    }

    /// Waits for the connector to exit.
    func wait() -> ConnectorProcess.Termination { process.wait() }

    /// The failure of a connector that ended with `termination`: its last stderr line, if any.
    func failure(_ termination: ConnectorProcess.Termination, masker: SecretMasker) -> RuntimeError {
        if let last = process.lastLogLine, !last.message.isEmpty {
            return RuntimeError("connector of \(captureName) failed in \(verb) (\(termination)): \(masker.mask(last.message))")
        }
        return RuntimeError("connector of \(captureName) failed in \(verb) (\(termination))")
    }

    /// Nanoseconds (of the monotonic clock) when the connector last wrote anything.
    private final class Activity: Sendable {
        let last = Atomic<Int64>(AirbyteProcess.now())

        func touch() { last.store(AirbyteProcess.now(), ordering: .relaxed) }
    }

    static func describe(seconds: Int) -> String {
        if seconds % 3600 == 0 { return "\(seconds / 3600) h" }
        if seconds % 60 == 0 { return "\(seconds / 60) min" }
        return "\(seconds) s"
    }
}
