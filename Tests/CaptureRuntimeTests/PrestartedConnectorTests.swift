@testable import CaptureRuntime
import Foundation
import Logging
import XCTest

/// Connectors started ahead of their session, with real processes.
final class PrestartedConnectorTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("prestart-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    /// A connector that logs `ready <pid>`, writes its pid to `mark` once it has, then echoes one stdin line
    /// back on stdout and logs `done`.
    private func launch(mark: URL) -> ConnectorLaunch {
        let script = #"echo "ready $$" >&2; echo $$ > "$MARK"; read -r request; echo "got $request"; echo done >&2"#
        return ConnectorLaunch(command: ["/bin/sh", "-c", script], environment: ["MARK": mark.path], captureName: "test/prestart")
    }

    /// The pid the connector wrote to `mark`, waiting up to 10 s for it.
    private func waitForMark(_ mark: URL) throws -> pid_t {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if let text = try? String(contentsOf: mark, encoding: .utf8), let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                return pid
            }
            usleep(10_000)
        }
        XCTFail("the connector never wrote its pid to \(mark.path)")
        throw CocoaError(.fileReadNoSuchFile)
    }

    private func waitUntil(_ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if condition() { return true }
            usleep(10_000)
        }
        return condition()
    }

    func testTheFirstStartTakesThePrestartedProcessAndItsHeldLogs() throws {
        let mark = folder.appendingPathComponent("first")
        let logs = LogCapture()
        let logger = logs.logger
        var launch = launch(mark: mark)
        let prestarted = PrestartedConnector(launch, logger: logger)
        launch.prestarted = prestarted
        let prestartedPid = try waitForMark(mark)
        XCTAssertTrue(waitUntil { prestarted.heldLineCount == 1 }, "the stderr line \"ready\" is read")
        XCTAssertEqual(logs.messages, [], "lines logged before the process is taken are held")

        let first = try launch.start(logger: logger)
        XCTAssertEqual(first.pid, prestartedPid)
        XCTAssertTrue(waitUntil { logs.messages == ["ready \(prestartedPid)"] }, "\(logs.messages)")
        XCTAssertEqual(logs.metadata.first?["capture"], .string("test/prestart"))

        try first.writeStdin(Array("open\n".utf8))
        first.closeStdin()
        let output = FileHandle(fileDescriptor: first.stdout, closeOnDealloc: true).readDataToEndOfFile()
        XCTAssertEqual(String(decoding: output, as: UTF8.self), "got open\n")
        XCTAssertEqual(first.wait(), .exited(0))
        XCTAssertEqual(logs.messages, ["ready \(prestartedPid)", "done"])

        // Later starts start processes of their own.
        let secondMark = folder.appendingPathComponent("second")
        var second = launch
        second.environment["MARK"] = secondMark.path
        let process = try second.start(logger: logger)
        XCTAssertNotEqual(process.pid, prestartedPid)
        XCTAssertEqual(try waitForMark(secondMark), process.pid)
        process.closeStdin()
        XCTAssertEqual(process.wait(), .exited(0))
    }

    func testADiscardedProcessIsStoppedAndWhatItLoggedDropped() throws {
        let mark = folder.appendingPathComponent("discarded")
        let logs = LogCapture()
        var launch = launch(mark: mark)
        let prestarted = PrestartedConnector(launch, logger: logs.logger)
        launch.prestarted = prestarted
        let pid = try waitForMark(mark)
        XCTAssertEqual(kill(pid, 0), 0, "running, waiting for its request")
        XCTAssertTrue(waitUntil { prestarted.heldLineCount == 1 }, "the stderr line \"ready\" is read")

        prestarted.discard()
        XCTAssertEqual(kill(pid, 0), -1, "stopped and reaped")
        XCTAssertEqual(errno, ESRCH)
        XCTAssertEqual(prestarted.heldLineCount, 0)
        usleep(200_000) // for whatever else its stderr thread still reads
        XCTAssertEqual(logs.messages, [], "held lines dropped, not forwarded")

        // Nothing left to take: the next start is a process of its own.
        let fresh = try launch.start(logger: logs.logger)
        XCTAssertNotEqual(fresh.pid, pid)
        fresh.closeStdin()
        XCTAssertEqual(fresh.wait(), .exited(0))
    }

    func testAPrestartedProcessNobodyTookIsStoppedWhenReleased() throws {
        let mark = folder.appendingPathComponent("released")
        let logs = LogCapture()
        var pid: pid_t = 0
        do {
            let prestarted = PrestartedConnector(launch(mark: mark), logger: logs.logger)
            pid = try waitForMark(mark)
            XCTAssertEqual(kill(pid, 0), 0)
            XCTAssertTrue(waitUntil { prestarted.heldLineCount == 1 }, "the stderr line \"ready\" is read")
            withExtendedLifetime(prestarted) {}
        }
        XCTAssertEqual(kill(pid, 0), -1, "stopped and reaped when the last reference went")
        XCTAssertEqual(logs.messages, [])
    }

    func testACommandThatCannotStartLeavesTheErrorToTheSessionsOwnStart() throws {
        var launch = ConnectorLaunch(command: [folder.appendingPathComponent("missing-connector").path], captureName: "test/prestart")
        launch.prestarted = PrestartedConnector(launch, logger: LogCapture().logger)
        XCTAssertThrowsError(try launch.start(logger: LogCapture().logger)) { error in
            XCTAssertTrue("\(error)".hasPrefix("cannot start connector \(launch.command[0])"), "\(error)")
        }
    }
}

/// Log messages and their metadata, as a logger's handler received them.
private final class LogCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var records: [(message: String, metadata: Logger.Metadata)] = []

    var logger: Logger { Logger(label: "test") { _ in Handler(capture: self) } }
    var messages: [String] { lock.withLock { records.map(\.message) } }
    var metadata: [Logger.Metadata] { lock.withLock { records.map(\.metadata) } }

    fileprivate func append(_ message: String, _ metadata: Logger.Metadata) {
        lock.withLock { records.append((message, metadata)) }
    }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            capture.append(event.message.description, metadata.merging(event.metadata ?? [:]) { $1 })
        }
    }
}
