import CapstanTestSupport
import Foundation
import JSON
import XCTest

/// `capstan run` keeps a capture running: a connector that fails is started again after the first backoff (10 s),
/// with the failure logged (the connector's last log line, and when the retry comes), and the next session commits.
final class RunRestartTests: XCTestCase {

    func testAFailedConnectorIsRestartedAfterTheFirstBackoff() throws {
        let connector = RepositoryPaths.scriptedConnector
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("restart-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let marker = folder.appendingPathComponent("started-once").path
        let catalog = folder.appendingPathComponent("flow.yaml").path
        // The first session fails before `opened`, with a log line; every later one captures 2 documents and exits.
        // (Other calls, such as the `spec` that `run` begins with, go through.)
        let wrapper = folder.appendingPathComponent("connector.sh").path
        try #"""
            IFS= read -r request
            case "$request" in
            *'"open"'*)
                if [ ! -e "$MARKER" ]; then
                    touch "$MARKER"
                    echo '{"level":"error","msg":"warehouse unreachable"}' >&2
                    exit 3
                fi ;;
            esac
            { printf '%s\n' "$request"; cat; } | python3 "$CONNECTOR"
            """#.write(toFile: wrapper, atomically: true, encoding: .utf8)
        let script = #"[{"docs":2},{"checkpoint":{"n":2}}]"#
        try ScriptedCatalog.yaml(capture: "test/restart", command: "[sh, \(wrapper)]",
                                 env: "{SCRIPT: '\(script)', MARKER: \(marker), CONNECTOR: \(connector)}", setting: "interval: 1h")
            .write(toFile: catalog, atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = BuiltProducts.url("capstan")
        process.arguments = ["run", "--source", catalog]
        let stderrFile = folder.appendingPathComponent("stderr").path
        FileManager.default.createFile(atPath: stderrFile, contents: nil)
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrFile))
        process.standardOutput = FileHandle.nullDevice
        let started = Date()
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        var committedAfter: TimeInterval?
        while Date().timeIntervalSince(started) < 40 && committedAfter == nil {
            usleep(200_000)
            if (try? Subprocess.run(product: "capstan", ["state", "show", "--source", catalog]).stdout)?.contains(#""n":2"#) == true {
                committedAfter = Date().timeIntervalSince(started)
            }
        }
        let stderr = (try? String(contentsOfFile: stderrFile, encoding: .utf8)) ?? ""
        let elapsed = try XCTUnwrap(committedAfter, "the restarted connector never committed:\n\(stderr)")
        XCTAssertGreaterThanOrEqual(elapsed, 9.5, "restarted before the 10 s backoff")
        XCTAssertTrue(FileManager.default.fileExists(atPath: marker))

        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, stderr)
        let lines = try String(contentsOfFile: stderrFile, encoding: .utf8).split(separator: "\n").compactMap { try? JSON.parse(String($0)) }
        let failure = try XCTUnwrap(lines.first { $0["level"] == "error" && $0["retryInSeconds"] != nil }, "no error line with retryInSeconds:\n\(stderr)")
        XCTAssertEqual(failure["retryInSeconds"]?.stringValue ?? failure["retryInSeconds"]?.numberValue?.text, "10")
        XCTAssertTrue(failure["msg"]?.stringValue?.contains("warehouse unreachable") == true, "\(failure)")
        XCTAssertEqual(lines.filter { $0["msg"] == "session ended" }.count, 1, stderr)

        let read = try Subprocess.run(product: "capstan", ["read", "--source", catalog, "test/things"])
        XCTAssertEqual(read.stdout.split(separator: "\n").count, 2)
    }
}
