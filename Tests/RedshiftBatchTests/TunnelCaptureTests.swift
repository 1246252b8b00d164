import CapstanTestSupport
import FlowCapture
import Foundation
import JSON
import XCTest

/// The connector through `networkTunnel.sshForwarding`: a real OpenSSH server (Debian's sshd, default algorithms) on
/// 127.0.0.1 is the bastion, and forwards to the test PostgreSQL. `scripts/sshd` runs the shared server (scripts/test
/// starts it and exports CAPSTAN_TEST_SSHD_PORT and CAPSTAN_TEST_SSHD_DIR); some tests start private ones. Key pairs
/// are made with ssh-keygen. Without a reachable server the tests fail; they never skip.
final class TunnelCaptureTests: XCTestCase {
    /// Each key type the issue names: RSA in PEM and OpenSSH formats, Ed25519, ECDSA. Every capture equals the
    /// direct one, and really went through the tunnel (the connector's log counts the bytes it forwarded).
    func testCapturesThroughTheTunnelWithEveryKeyType() throws {
        let db = try CaptureDatabase(self)
        let bastion = try TestSSHD.shared()
        try db.run("CREATE TABLE {s}.orders (id INTEGER PRIMARY KEY, customer TEXT, amount NUMERIC(12,2), placed TIMESTAMPTZ)")
        try db.run("INSERT INTO {s}.orders SELECT i, 'customer ' || i, i * 1.25, timestamptz '2026-01-01 00:00:00+00' + i * interval '1 hour' "
            + "FROM generate_series(1, 3000) AS i")
        let binding = TestBinding(resource: db.resource("orders", table: "orders", cursor: ["id"]), key: ["/id"])
        let direct = try TestConnector.capture(db, bindings: [binding])
        XCTAssertEqual(direct.documents().count, 3000)

        for key in try SSHTestKeys.keys(["rsa-pem", "rsa-openssh", "ed25519", "ecdsa"]) {
            let config = bastion.config(db, key: key)
            let run = try TestConnector.run([Requests.open(config: config, bindings: [binding])], secrets: key.secrets)
            TestConnector.expectSuccess(run)
            XCTAssertEqual(run.documents().map(\.sanitized), direct.documents().map(\.sanitized), key.name)
            XCTAssertEqual(run.reducedState().sanitized, direct.reducedState().sanitized, key.name)
            let opened = try XCTUnwrap(run.logs.first { $0["msg"] == "ssh tunnel open" }, "no 'ssh tunnel open' log line (\(key.name))")
            XCTAssertEqual(opened["bastion"], .string("127.0.0.1:\(bastion.port)"))
            XCTAssertEqual(opened["key"]?.stringValue, "\(key.label) key \(key.fingerprint)")
            // The fastest of what libssh2 1.10 and a default OpenSSH 9 share (see LibSSH2.macPreference).
            XCTAssertEqual(opened["cipher"], .string("aes128-ctr"), key.name)
            XCTAssertEqual(opened["mac"], .string("hmac-sha1"), key.name)
            let closed = try XCTUnwrap(run.logs.first { $0["msg"] == "ssh tunnel closed" }, "no 'ssh tunnel closed' log line (\(key.name))")
            XCTAssertGreaterThan(Int(closed["bytesDown"]?.stringValue ?? "") ?? 0, 100_000, "the rows came through the tunnel (\(key.name))")
            // Through a tunnel rows stream in single-row mode (CaptureSession.streamStrategy explains why).
            XCTAssertEqual(run.logs.first { $0["msg"] == "poll completed" }?["streaming"], "single-row", key.name)
        }

        // discover and validate use the tunnel too.
        let key = try SSHTestKeys.key("rsa-pem")
        let discovered = try TestConnector.run([Requests.discover(config: bastion.config(db, key: key))], secrets: key.secrets)
        XCTAssertEqual(discovered.status, 0, discovered.stderr.joined(separator: "\n"))
        XCTAssertTrue(discovered.lines.first?.contains("\"recommendedName\":\"\(db.schema)/orders\"") ?? false, "orders not discovered")
        let validated = try TestConnector.run([Requests.validate(config: bastion.config(db, key: key), resources: [binding.resource])], secrets: key.secrets)
        XCTAssertEqual(validated.lines, [#"{"validated":{"bindings":[{"resourcePath":["orders"]}]}}"#], validated.stderr.joined(separator: "\n"))
        for run in [discovered, validated] {
            XCTAssertNotNil(run.logs.first { $0["msg"] == "ssh tunnel closed" && $0["connections"] != "0" })
        }
    }

    /// A key the bastion does not know: an authentication error naming the user and the key, never showing it.
    func testWrongKeyIsAnAuthenticationError() throws {
        let db = try CaptureDatabase(self)
        let bastion = try TestSSHD.shared()
        for key in try SSHTestKeys.strangers.get() {
            let run = try TestConnector.run([Requests.validate(config: bastion.config(db, key: key), resources: [])], secrets: key.secrets)
            let message = TestConnector.expectFailure(run)
            XCTAssertTrue(message.hasPrefix("ssh tunnel to bastion 127.0.0.1:\(bastion.port): authentication as \"\(NSUserName())\" failed: "
                + "the bastion refused the \(key.label) key \(key.fingerprint)"), message)
            XCTAssertTrue(message.contains("authorized_keys"), message)
        }
    }

    /// `hostKey` set to another key: the connector refuses to connect; set to the bastion's, it captures.
    func testHostKeyMismatchRefusesToConnect() throws {
        let db = try CaptureDatabase(self)
        let bastion = try TestSSHD.shared()
        let key = try SSHTestKeys.key("ed25519")
        let other = try SSHTestKeys.key("stranger-ed25519")
        let run = try TestConnector.run([Requests.discover(config: bastion.config(db, key: key, hostKey: other.publicLine))], secrets: key.secrets)
        let message = TestConnector.expectFailure(run)
        XCTAssertTrue(message.hasPrefix("ssh tunnel to bastion 127.0.0.1:\(bastion.port): host key mismatch: the bastion presented ssh-ed25519 SHA256:"), message)
        XCTAssertTrue(message.contains("but hostKey allows only ssh-ed25519 \(other.fingerprint); refusing to connect"), message)

        for hostKey in [try bastion.hostKeyLine, try bastion.hostKeyFingerprint] {
            let run = try TestConnector.run([Requests.validate(config: bastion.config(db, key: key, hostKey: hostKey), resources: [])], secrets: key.secrets)
            XCTAssertEqual(run.status, 0, run.stderr.joined(separator: "\n"))
            XCTAssertEqual(run.lines, [#"{"validated":{}}"#])
        }
    }

    func testNoSSHServerIsAConnectError() throws {
        let db = try CaptureDatabase(self)
        _ = try TestSSHD.shared()
        let port = Loopback.freePort()
        let key = try SSHTestKeys.key("ecdsa")
        var config = try XCTUnwrap(db.config().objectValue)
        config["networkTunnel"] = ["sshForwarding": ["sshEndpoint": .string("ssh://\(NSUserName())@127.0.0.1:\(port)"), "privateKey": .string(key.privateKey)]]
        let run = try TestConnector.run([Requests.discover(config: .object(config))], secrets: key.secrets)
        XCTAssertEqual(TestConnector.expectFailure(run),
                       "ssh tunnel to bastion 127.0.0.1:\(port): TCP connect to 127.0.0.1:\(port) failed: Connection refused")
    }

    /// A bastion whose sshd has `AllowTcpForwarding no`: authentication works, the forward is refused, and the
    /// error says so rather than the database's "server closed the connection unexpectedly".
    func testBastionRefusingToForward() throws {
        let db = try CaptureDatabase(self)
        let bastion = try TestSSHD.start(self, forwarding: false)
        let key = try SSHTestKeys.key("rsa-openssh")
        let run = try TestConnector.run([Requests.validate(config: bastion.config(db, key: key), resources: [])], secrets: key.secrets)
        XCTAssertEqual(TestConnector.expectFailure(run),
                       "error opening database connection: ssh tunnel to bastion 127.0.0.1:\(bastion.port): the bastion refused to forward to \(db.address): "
                       + "Channel open failure (administratively prohibited) (its sshd has AllowTcpForwarding no, or PermitOpen excludes this destination)")
    }

    /// The bastion's sshd is killed mid-capture: the connector exits 1 with an error naming the tunnel; restarted
    /// (with the bastion back), it resumes from the last checkpoint, and every row is captured exactly once.
    func testBastionKilledMidCaptureThenResume() throws {
        let db = try CaptureDatabase(self)
        let bastion = try TestSSHD.start(self)
        try db.run("CREATE TABLE {s}.events (id BIGINT PRIMARY KEY, payload TEXT)")
        let rows = 30_000
        try db.run("INSERT INTO {s}.events SELECT i, repeat(md5(i::text), 4) FROM generate_series(1, \(rows)) AS i")
        let binding = TestBinding(resource: db.resource("events", table: "events", cursor: ["id"]), key: ["/id"])
        let key = try SSHTestKeys.key("rsa-pem")
        let config = bastion.config(db, key: key)

        let killed = try TestConnector.run([Requests.open(config: config, bindings: [binding])], onCheckpoint: { count in
            if count == 2 { try? bastion.kill() }
        }, secrets: key.secrets)
        let message = TestConnector.expectFailure(killed)
        XCTAssertTrue(message.hasPrefix("capture terminated with error: ssh tunnel to bastion 127.0.0.1:\(bastion.port) closed: "), message)
        let firstIDs = killed.committedDocuments.compactMap { $0.doc["id"]?.int64 }
        XCTAssertGreaterThanOrEqual(firstIDs.count, 2000, "at least the two checkpoints seen before the kill")
        XCTAssertLessThan(firstIDs.count, rows, "the kill came mid-capture")
        let state = killed.reducedState()
        XCTAssertEqual(state.at("/bindingStateV1/events/CursorValues/0")?.int64, firstIDs.max(), "the state's cursor is the last committed row")

        try bastion.restart()
        let resumed = try TestConnector.run([Requests.open(config: config, bindings: [binding], state: state)], secrets: key.secrets)
        TestConnector.expectSuccess(resumed)
        let secondIDs = resumed.committedDocuments.compactMap { $0.doc["id"]?.int64 }
        let all = firstIDs + secondIDs
        XCTAssertEqual(all.count, Set(all).count, "no row captured twice")
        XCTAssertEqual(all.count, rows, "every row captured")
        XCTAssertEqual(secondIDs.first, (firstIDs.max() ?? 0) + 1, "the restart resumes after the last checkpoint")
    }
}
