import CapstanTestSupport
import Foundation
import JSON
import XCTest

/// Faults, with a scripted Airbyte connector (Connectors/scripted_airbyte.py): a TRACE ERROR fails the sync
/// even on exit 0, a silent connector is stopped by the heartbeat with its process group, a CONTROL message's
/// config is kept (and never logged), non-JSON lines are logs, and a failed attempt is retried from its state.
final class AirbyteScriptedTests: XCTestCase {
    private func catalog(_ fixture: AirbyteFixture, config: String, endpointExtra: String = "", captureExtra: String = "") throws {
        try fixture.write("""
            captures:
              acme/scripted:
                endpoint:
                  airbyte:
                    command: [python3, \(AirbyteFixture.scripted)]
                    config: \(config)
            \(endpointExtra)
                bindings:
                  - resource: {stream: items, syncMode: incremental, destinationSyncMode: append}
                    target: acme/items
            \(captureExtra)
            collections:
              acme/items:
                schema: {type: object, properties: {id: {type: integer}}, required: [id]}
                key: [/id]
            """)
    }

    func testATraceErrorFailsTheSyncEvenOnExitZeroAfterCommittingWhatCameBeforeItsState() throws {
        let fixture = try AirbyteFixture()
        try catalog(fixture, config: "{mode: trace_error}", captureExtra: "    retries: {maxAttempts: 1}")
        let run = try fixture.capstan(["run", "--once"])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("stream items: the API said no"), run.stderr)
        XCTAssertTrue(run.stderr.contains("failed after 1 attempt"), run.stderr)
        XCTAssertTrue(run.stderr.contains("plain text on stdout"), "non-JSON stdout is logged: \(run.stderr)")
        XCTAssertEqual(try fixture.read("acme/items").compactMap { $0["id"]?.numberValue?.int64Value }, [0, 1, 2], "record 99 had no state")
        XCTAssertEqual(try fixture.state()["airbyte"]?["streams"]?["items"]?[0]?["stream"]?["stream_state"], ["next": 3])
    }

    func testASilentConnectorIsStoppedWithItsProcessGroupByTheHeartbeat() throws {
        let fixture = try AirbyteFixture()
        // A duration of its own, so that other test runs on the machine cannot be mistaken for its child.
        let sleep = "300.\(Int.random(in: 100_000...999_999))"
        try catalog(fixture, config: "{mode: hang, sleep: \"\(sleep)\"}", endpointExtra: "        heartbeat: 2s", captureExtra: "    retries: {maxAttempts: 1}")
        let started = Date()
        let run = try fixture.capstan(["run", "--once"], timeout: 60)
        XCTAssertEqual(run.status, 1)
        XCTAssertLessThan(Date().timeIntervalSince(started), 30)
        XCTAssertTrue(run.stderr.contains("sent nothing (no record, state or log line) for 2 s during read"), run.stderr)
        // A killed child may take a moment to be reaped once its parent is gone.
        var survivors = ""
        for _ in 0..<50 {
            survivors = try shell("pgrep -f 'slee[p] \(sleep)' || true").trimmingCharacters(in: .whitespacesAndNewlines)
            if survivors.isEmpty { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        XCTAssertEqual(survivors, "", "the connector's child was killed with its group")
    }

    func testAControlMessageKeepsTheUpdatedConfigWithoutLoggingIt() throws {
        let fixture = try AirbyteFixture()
        try catalog(fixture, config: "{mode: control, token: first-secret-1}")
        let run = try fixture.capstan(["run", "--once"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("updated its configuration"), run.stderr)
        XCTAssertFalse(run.stderr.contains("rotated-secret-2"), "secrets are never logged")
        let kept = try JSON.parse(String(contentsOfFile: fixture.folder.appendingPathComponent("data/airbyte/acme%2Fscripted.config.json").path, encoding: .utf8))
        XCTAssertEqual(kept, ["token": "rotated-secret-2"])
    }

    func testAFailedAttemptIsRetriedFromItsLastState() throws {
        let fixture = try AirbyteFixture()
        let marker = fixture.folder.appendingPathComponent("failed-once").path
        try catalog(fixture, config: "{mode: fail_first, marker: \(marker)}", captureExtra: "    retries: {backoff: [1s]}")
        let run = try fixture.capstan(["run", "--once"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("attempt 1 failed"), run.stderr)
        XCTAssertTrue(run.stderr.contains("first attempt fails on purpose"), run.stderr)
        XCTAssertTrue(run.stderr.contains(#""attempt":2"#), run.stderr)
        // The first attempt committed ids 0-2 with state next=3; the second resumed from it.
        XCTAssertEqual(try fixture.read("acme/items").compactMap { $0["id"]?.numberValue?.int64Value }, [0, 1, 2, 3, 4, 5])
    }
}

/// Runs a shell command and returns its stdout.
private func shell(_ command: String) throws -> String {
    try Subprocess.run(URL(fileURLWithPath: "/bin/sh"), ["-c", command]).stdout
}
