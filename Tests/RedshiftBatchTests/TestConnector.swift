import CapstanTestSupport
import FlowCapture
import Foundation
import JSON
import XCTest

/// The capture test harness: runs the built `source-redshift-batch` as a subprocess against the real PostgreSQL of
/// `scripts/pg`, the way a runtime would (request lines on a stdin pipe, responses parsed from stdout, JSON logs
/// from stderr).
enum TestConnector {
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
                    onCheckpoint: (@Sendable (Int) -> Void)? = nil, secrets: [String] = [TestDatabase.connectorRole.password],
                    file: StaticString = #filePath, line: UInt = #line) throws -> ConnectorRun {
        let binary = try BuiltProducts.require("source-redshift-batch", file: file, line: line)
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

        let collected = ConnectorOutput()
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
        let sampling = StopFlag()
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
