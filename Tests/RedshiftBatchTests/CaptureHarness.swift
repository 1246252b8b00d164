import FlowCapture
import Foundation
import JSON
import Postgres
import XCTest

// The capture test harness: runs the built `source-redshift-batch` binary as a subprocess against the real
// PostgreSQL of `scripts/pg`, the way a runtime would (request lines on a stdin pipe, responses parsed from
// stdout, JSON logs from stderr).

/// The test role the connector signs in as. Its password must never appear in the connector's output.
enum CaptureCredentials {
    static let user = "capstan"
    static let password = "capstan-secret"
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

// MARK: - The database

/// A connection to the test server as the superuser, with a throwaway schema `cap_<random>` that the connector's
/// role may read; the schema (and any other created with ``createSchema(_:)``) is dropped when the test ends.
/// Without `CAPSTAN_TEST_DATABASE_URL`, or when the server does not answer, the test fails (it never skips).
final class CaptureDatabase {
    let connection: Connection
    /// The test's schema, `cap_<16 hex digits>`; needs no quoting.
    let schema: String
    /// Where the connector connects: `127.0.0.1:<port>` and the database of the URL.
    let address: String
    let database: String
    private var schemas: [String] = []

    init(_ test: XCTestCase, file: StaticString = #filePath, line: UInt = #line) throws {
        guard let url = ProcessInfo.processInfo.environment["CAPSTAN_TEST_DATABASE_URL"], !url.isEmpty else {
            let message = "CAPSTAN_TEST_DATABASE_URL is not set: run `scripts/pg start` and export the URL it prints, "
                + "e.g. CAPSTAN_TEST_DATABASE_URL=$(scripts/pg url) (or run scripts/test, which does both)"
            XCTFail(message, file: file, line: line)
            throw HarnessError(message)
        }
        let parameters: ConnectionParameters
        do {
            parameters = try ConnectionParameters(url: url)
            connection = try Connection(parameters)
        } catch {
            let message = "cannot connect to the test database \(url): \(error). Is it running? Run `scripts/pg start`."
            XCTFail(message, file: file, line: line)
            throw HarnessError(message)
        }
        address = "127.0.0.1:\(parameters.port ?? 5432)"
        database = parameters.database ?? "postgres"
        schema = "cap_" + String(UInt64.random(in: 0...UInt64.max), radix: 16).capturePadded(to: 16)
        try createSchema(schema)
        test.addTeardownBlock { [self] in
            for name in schemas.reversed() { try? connection.execute("DROP SCHEMA IF EXISTS \(Self.quote(name)) CASCADE") }
            connection.close()
        }
    }

    /// Creates a schema (any name; it is quoted) that the connector's role can read, dropped when the test ends.
    func createSchema(_ name: String) throws {
        let quoted = Self.quote(name)
        try connection.execute("CREATE SCHEMA \(quoted)")
        schemas.append(name)
        try connection.execute("GRANT USAGE ON SCHEMA \(quoted) TO \(CaptureCredentials.user)")
        try connection.execute("ALTER DEFAULT PRIVILEGES IN SCHEMA \(quoted) GRANT SELECT ON TABLES TO \(CaptureCredentials.user)")
    }

    /// Runs `sql`, in which `{s}` stands for the test's schema.
    func run(_ sql: String) throws {
        try connection.execute(sql.replacingOccurrences(of: "{s}", with: schema))
    }

    /// The rows of `sql` (`{s}` is the test's schema), as text.
    func query(_ sql: String) throws -> [[String?]] {
        try connection.query(sql.replacingOccurrences(of: "{s}", with: schema)).rows
    }

    /// `name` as a double-quoted identifier.
    static func quote(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// An endpoint config for the connector's role; `exit_after_poll` is on unless `advanced` says otherwise.
    func config(password: String = CaptureCredentials.password, advanced: JSONObject = [:]) -> JSON {
        var options: JSONObject = ["exit_after_poll": true]
        for member in advanced.members { options[member.key] = member.value }
        return [
            "address": .string(address), "user": .string(CaptureCredentials.user), "password": .string(password),
            "database": .string(database), "advanced": .object(options),
        ]
    }

    /// A resource config for table `table` of the test's schema.
    func resource(_ name: String, table: String, cursor: [String] = []) -> JSON {
        var object: JSONObject = ["name": .string(name), "schema": .string(schema), "table": .string(table)]
        if !cursor.isEmpty { object["cursor"] = .array(cursor.map { .string($0) }) }
        return .object(object)
    }
}

// MARK: - Requests

/// A binding of an `open` request: its resource config and its collection's key.
struct TestBinding {
    var resource: JSON
    var key: [String] = ["/_meta/row_id"]
    /// Bumped to restart the binding from scratch: its state key gets a `.v<N>` suffix.
    var backfill: UInt32 = 0

    var name: String { resource["name"]?.stringValue ?? "" }

    var captureBinding: CaptureBinding {
        let projections = key.map { pointer in
            Projection(ptr: pointer, field: String(pointer.split(separator: "/").last ?? ""), isPrimaryKey: true,
                       inference: Inference(types: ["integer"], exists: .must))
        }.sorted { $0.field < $1.field }
        let collection = CollectionSpec(
            name: "acmeCo/tests/\(name)", writeSchema: ["type": "object", "x-infer-schema": true], key: key,
            projections: projections)
        return CaptureBinding(resourceConfig: resource, resourcePath: [name], collection: collection, backfill: backfill)
    }
}

enum Requests {
    static func line(_ request: CaptureRequest) -> String { request.protoJSON().serializedString() }

    static let spec = line(.spec(SpecRequest(connectorType: .image, config: .object(JSONObject()))))

    static func discover(config: JSON) -> String { line(.discover(DiscoverRequest(connectorType: .image, config: config, name: "acmeCo/tests"))) }

    static func validate(config: JSON, resources: [JSON]) -> String {
        let bindings = resources.map { resource in
            ValidateRequest.Binding(resourceConfig: resource, collection: TestBinding(resource: resource).captureBinding.collection)
        }
        return line(.validate(ValidateRequest(name: "acmeCo/tests", connectorType: .image, config: config, bindings: bindings)))
    }

    /// A complete `open`, as Capstan's runtime sends it (§10 of the protocol).
    static func open(config: JSON, bindings: [TestBinding], state: JSON = .object(JSONObject())) -> String {
        let capture = CaptureSpec(
            name: "acmeCo/tests", connectorType: .image, config: config, bindings: bindings.map(\.captureBinding),
            intervalSeconds: 0,
            shardTemplate: ["id": "capture/acmeCo/tests/0000000000000000", "maxTxnDuration": "1s"],
            recoveryLogTemplate: ["name": "recovery/capture/acmeCo/tests/0000000000000000", "replication": 3])
        return line(.open(OpenRequest(capture: capture, version: "test-version", range: .full, state: state)))
    }
}

// MARK: - Running the connector

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

enum TestConnector {
    /// The built `source-redshift-batch`, found beside the test bundle (the products directory), else in
    /// `.build/debug` of the package.
    static let binary: URL? = {
        var candidates: [URL] = []
        let bundle = Bundle.main.bundleURL
        candidates.append(bundle.appendingPathComponent("source-redshift-batch"))
        candidates.append(bundle.deletingLastPathComponent().appendingPathComponent("source-redshift-batch"))
        if let argument = ProcessInfo.processInfo.arguments.first {
            let executable = URL(fileURLWithPath: argument).resolvingSymlinksInPath()
            candidates.append(executable.deletingLastPathComponent().appendingPathComponent("source-redshift-batch"))
            // In a bundle directory (`X.xctest/Contents/MacOS/X` on macOS): the products directory is above it.
            var directory = executable.deletingLastPathComponent()
            while directory.path != "/" && !directory.lastPathComponent.hasSuffix(".xctest") { directory.deleteLastPathComponent() }
            if directory.path != "/" { candidates.append(directory.deletingLastPathComponent().appendingPathComponent("source-redshift-batch")) }
        }
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(package.appendingPathComponent(".build/debug/source-redshift-batch"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    /// Runs the connector with `input` lines on stdin (then closed), `environment` on top of a minimal one
    /// (PATH, `TZ=UTC`, `LOG_LEVEL=info`), and a time limit after which it is killed and the test fails.
    ///
    /// - `discardStdout`: stdout goes to /dev/null (for big captures).
    /// - `killAfterCheckpoint`: send `killSignal` (SIGKILL unless given) to the connector as soon as its Nth checkpoint
    ///   line is read; `lines` stops there.
    /// - `onCheckpoint`: called with the count of checkpoint lines read so far, as each is read (stdout waits meanwhile).
    ///
    /// Every run is checked: stdout lines parse as responses, stderr lines are JSON objects with `level` and `msg`,
    /// and the test password appears in neither.
    static func run(_ input: [String], environment: [String: String] = [:], timeout: TimeInterval = 120,
                    discardStdout: Bool = false, killAfterCheckpoint: Int? = nil, killSignal: Int32 = SIGKILL,
                    onCheckpoint: (@Sendable (Int) -> Void)? = nil, secrets: [String] = [CaptureCredentials.password],
                    file: StaticString = #filePath, line: UInt = #line) throws -> ConnectorRun {
        guard let binary else {
            let message = "source-redshift-batch is not built: run `swift build --build-tests` before `swift test --skip-build`"
            XCTFail(message, file: file, line: line)
            throw HarnessError(message)
        }
        signal(SIGPIPE, SIG_IGN)
        let process = Process()
        process.executableURL = binary
        var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "TZ": "UTC", "LOG_LEVEL": "info"]
        if let libraries = ProcessInfo.processInfo.environment["LD_LIBRARY_PATH"] { env["LD_LIBRARY_PATH"] = libraries }
        env.merge(environment) { $1 }
        process.environment = env
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardError = stderr
        let devNull = discardStdout ? FileHandle(forWritingAtPath: "/dev/null") : nil
        process.standardOutput = discardStdout ? devNull as Any : stdout

        let collected = Collected()
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        let started = Date()
        try process.run()
        let pid = process.processIdentifier
        try? devNull?.close()

        let readers = DispatchGroup()
        if !discardStdout {
            let fd = stdout.fileHandleForReading.fileDescriptor
            Thread.detachNewThread(readers.entering {
                readLines(fd) { text in
                    collected.appendLine(text) { checkpoints in
                        onCheckpoint?(checkpoints)
                        if let limit = killAfterCheckpoint, checkpoints == limit {
                            kill(pid, killSignal)
                            return true
                        }
                        return false
                    }
                }
            })
        }
        let errorFD = stderr.fileHandleForReading.fileDescriptor
        Thread.detachNewThread(readers.entering {
            readLines(errorFD) { collected.appendError($0) }
        })
        let sampling = Atomicish()
        Thread.detachNewThread {
            while !sampling.isDone {
                if let peak = peakRSS(pid: pid) { collected.notePeak(peak) }
                if let faults = minorFaults(pid: pid) { collected.noteFaults(faults) }
                usleep(5_000)
            }
        }

        let request = Data(input.map { $0 + "\n" }.joined().utf8)
        try? stdin.fileHandleForWriting.write(contentsOf: request)
        try? stdin.fileHandleForWriting.close()

        var timedOut = false
        if exited.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            kill(pid, SIGKILL)
            exited.wait()
        }
        sampling.finish()
        if readers.wait(timeout: .now() + 30) == .timedOut {
            XCTFail("the connector's output did not reach EOF after it exited", file: file, line: line)
        }
        let seconds = Date().timeIntervalSince(started)
        var run = collected.snapshot()
        run.killedBySignal = process.terminationReason == .uncaughtSignal
        run.status = process.terminationStatus
        run.seconds = seconds
        run.responses = run.lines.compactMap { try? CaptureResponse(line: Array($0.utf8)) }
        if timedOut {
            XCTFail("the connector ran longer than \(timeout) s and was killed; stderr:\n\(run.stderr.suffix(10).joined(separator: "\n"))",
                    file: file, line: line)
        }
        check(run, secrets: secrets, file: file, line: line)
        return run
    }

    /// The checks every run gets.
    private static func check(_ run: ConnectorRun, secrets: [String], file: StaticString, line: UInt) {
        for (number, text) in run.allLines.enumerated() {
            // A connector killed by a signal may leave its last line unfinished; a runtime discards it.
            if run.killedBySignal && number == run.allLines.count - 1 { continue }
            do { _ = try CaptureResponse(line: Array(text.utf8)) } catch {
                XCTFail("stdout line \(number + 1) is not a valid response (\(error)): \(text.prefix(300))", file: file, line: line)
            }
        }
        for text in run.stderr {
            guard let json = try? JSON.parse(text), json["level"]?.stringValue != nil, json["msg"]?.stringValue != nil else {
                XCTFail("stderr line is not a JSON log line with level and msg: \(text.prefix(300))", file: file, line: line)
                continue
            }
        }
        for secret in secrets where !secret.isEmpty {
            if run.allLines.contains(where: { $0.contains(secret) }) { XCTFail("a password appears on stdout", file: file, line: line) }
            if run.stderr.contains(where: { $0.contains(secret) }) { XCTFail("a password appears on stderr", file: file, line: line) }
        }
    }

    /// A session that must succeed: exit 0, `opened` first, and stdout ending at a checkpoint.
    static func capture(_ db: CaptureDatabase, bindings: [TestBinding], state: JSON = .object(JSONObject()),
                        advanced: JSONObject = [:], environment: [String: String] = [:], timeout: TimeInterval = 120,
                        file: StaticString = #filePath, line: UInt = #line) throws -> ConnectorRun {
        let run = try run([Requests.open(config: db.config(advanced: advanced), bindings: bindings, state: state)],
                          environment: environment, timeout: timeout, file: file, line: line)
        expectSuccess(run, file: file, line: line)
        return run
    }

    /// Checks a session ended cleanly: exit 0, `opened` first, last line a checkpoint.
    static func expectSuccess(_ run: ConnectorRun, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(run.killedBySignal, "the connector died of signal \(run.status)", file: file, line: line)
        XCTAssertEqual(run.status, 0, "exit status; last stderr lines:\n\(run.stderr.suffix(5).joined(separator: "\n"))", file: file, line: line)
        XCTAssertEqual(run.responses.first?.name, "opened", "the first response", file: file, line: line)
        if run.responses.count > 1 {
            XCTAssertEqual(run.responses.last?.name, "checkpoint", "a session that exits 0 must end at a checkpoint", file: file, line: line)
        }
    }

    /// Checks a run failed: exit 1, and returns the last stderr line's message (which must be an error).
    @discardableResult
    static func expectFailure(_ run: ConnectorRun, file: StaticString = #filePath, line: UInt = #line) -> String {
        XCTAssertFalse(run.killedBySignal, "the connector died of signal \(run.status)", file: file, line: line)
        XCTAssertEqual(run.status, 1, "exit status", file: file, line: line)
        guard let last = run.stderr.last, let json = try? JSON.parse(last) else {
            XCTFail("no stderr output", file: file, line: line)
            return ""
        }
        XCTAssertTrue(last.hasPrefix(#"{"level":"error","msg":"#), "the last stderr line must be the error: \(last)", file: file, line: line)
        return json["msg"]?.stringValue ?? ""
    }

    /// Reads `fd` to EOF, handing over each complete line (without its newline).
    private static func readLines(_ fd: Int32, _ body: (String) -> Void) {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            buffer.append(contentsOf: chunk[0..<count])
            var start = 0
            while let newline = buffer[start...].firstIndex(of: 0x0A) {
                body(String(decoding: buffer[start..<newline], as: UTF8.self))
                start = newline + 1
            }
            buffer.removeFirst(start)
        }
        if !buffer.isEmpty { body(String(decoding: buffer, as: UTF8.self)) }
    }

    /// `minflt` of `/proc/<pid>/stat` (the 10th field; the 2nd, the command in parentheses, has no `)` of its own here).
    private static func minorFaults(pid: Int32) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let end = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: end)...].split(separator: " ")
        return fields.count > 7 ? Int(fields[7]) : nil  // fields[0] is the 3rd field (state)
    }

    /// `VmHWM` of `/proc/<pid>/status`, in KiB.
    private static func peakRSS(pid: Int32) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "")
        }
        return nil
    }
}

/// Output gathered by the reader threads.
private final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    private var allLines: [String] = []
    private var stderr: [String] = []
    private var checkpoints = 0
    private var stopped = false
    private var peak: Int?
    private var faults: Int?

    /// Records a stdout line; `atCheckpoint` is told the count after each checkpoint and returns true to stop recording.
    func appendLine(_ text: String, atCheckpoint: (Int) -> Bool) {
        lock.lock()
        defer { lock.unlock() }
        allLines.append(text)
        guard !stopped else { return }
        lines.append(text)
        if text.hasPrefix(#"{"checkpoint":"#) {
            checkpoints += 1
            if atCheckpoint(checkpoints) { stopped = true }
        }
    }

    func appendError(_ text: String) {
        lock.lock()
        stderr.append(text)
        lock.unlock()
    }

    func notePeak(_ value: Int) {
        lock.lock()
        peak = max(peak ?? 0, value)
        lock.unlock()
    }

    func noteFaults(_ value: Int) {
        lock.lock()
        faults = max(faults ?? 0, value)
        lock.unlock()
    }

    func snapshot() -> ConnectorRun {
        lock.lock()
        defer { lock.unlock() }
        return ConnectorRun(lines: lines, allLines: allLines, stderr: stderr, status: 0, killedBySignal: false, peakRSSKiB: peak,
                            minorFaults: faults, seconds: 0)
    }
}

/// A stop flag for the sampling thread.
private final class Atomicish: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false
    var isDone: Bool { lock.lock(); defer { lock.unlock() }; return done }
    func finish() { lock.lock(); done = true; lock.unlock() }
}

extension DispatchGroup {
    /// Wraps `body` so that the group is entered now and left when it returns.
    func entering(_ body: @escaping @Sendable () -> Void) -> @Sendable () -> Void {
        enter()
        return { [self] in
            body()
            leave()
        }
    }
}

// MARK: - Comparing output

extension JSON {
    /// A copy with the run-dependent times replaced: every `polled` and `LastPolled` string becomes `"<polled>"`
    /// / `"<LastPolled>"` (Go's zero time, `0001-01-01T00:00:00Z`, is kept: it means "never polled").
    var sanitized: JSON {
        switch self {
        case .object(let object):
            var copy = JSONObject()
            for member in object.members {
                if member.key == "polled", member.value.stringValue != nil {
                    copy.appendUnchecked(key: member.key, value: "<polled>")
                } else if member.key == "LastPolled", let text = member.value.stringValue, text != "0001-01-01T00:00:00Z" {
                    copy.appendUnchecked(key: member.key, value: "<LastPolled>")
                } else {
                    copy.appendUnchecked(key: member.key, value: member.value.sanitized)
                }
            }
            return .object(copy)
        case .array(let elements):
            return .array(elements.map(\.sanitized))
        default:
            return self
        }
    }

    /// The integer value of a number (exact, within Int64).
    var int64: Int64? { numberValue?.int64Value }

    /// The value at a JSON pointer such as `/_meta/row_id`.
    func at(_ pointer: String) -> JSON? {
        (try? JSONPointer(pointer))?.resolve(in: self)
    }
}

/// Golden files in `Tests/RedshiftBatchTests/Snapshots`, compared byte for byte; `CAPSTAN_RECORD_SNAPSHOTS=1`
/// rewrites them instead (review the diff before committing).
enum CaptureSnapshots {
    // Used by the capture and discovery tests alike.
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
    static var recording: Bool { ProcessInfo.processInfo.environment["CAPSTAN_RECORD_SNAPSHOTS"] == "1" }

    static func assertMatches(_ text: String, golden name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let url = directory.appendingPathComponent(name)
        if recording {
            try text.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            return XCTFail("missing golden file \(url.path); record it with CAPSTAN_RECORD_SNAPSHOTS=1 and review it", file: file, line: line)
        }
        if text != expected {
            let actual = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("actual-" + name)
            try? text.write(to: actual, atomically: true, encoding: .utf8)
            let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let actualLines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let first = zip(expectedLines, actualLines).enumerated().first { $0.element.0 != $0.element.1 }
            let detail = first.map { "first difference at line \($0.offset + 1):\n  expected: \($0.element.0)\n  actual:   \($0.element.1)" }
                ?? "line counts differ: expected \(expectedLines.count), actual \(actualLines.count)"
            XCTFail("\(name) differs from its golden file (actual output in \(actual.path)); \(detail)", file: file, line: line)
        }
    }
}

extension String {
    func capturePadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
