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
        let bastion = try TunnelBastion.shared()
        try db.run("CREATE TABLE {s}.orders (id INTEGER PRIMARY KEY, customer TEXT, amount NUMERIC(12,2), placed TIMESTAMPTZ)")
        try db.run("INSERT INTO {s}.orders SELECT i, 'customer ' || i, i * 1.25, timestamptz '2026-01-01 00:00:00+00' + i * interval '1 hour' "
            + "FROM generate_series(1, 3000) AS i")
        let binding = TestBinding(resource: db.resource("orders", table: "orders", cursor: ["id"]), key: ["/id"])
        let direct = try TestConnector.capture(db, bindings: [binding])
        XCTAssertEqual(direct.documents().count, 3000)

        for key in try TunnelKeys.authorized.get() {
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
        let key = try TunnelKeys.named("rsa-pem")
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
        let bastion = try TunnelBastion.shared()
        for key in try TunnelKeys.strangers.get() {
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
        let bastion = try TunnelBastion.shared()
        let key = try TunnelKeys.named("ed25519")
        let other = try TunnelKeys.named("stranger-ed25519")
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
        _ = try TunnelBastion.shared()
        let port = freeTCPPort()
        let key = try TunnelKeys.named("ecdsa")
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
        let bastion = try TunnelBastion.start(self, forwarding: false)
        let key = try TunnelKeys.named("rsa-openssh")
        let run = try TestConnector.run([Requests.validate(config: bastion.config(db, key: key), resources: [])], secrets: key.secrets)
        XCTAssertEqual(TestConnector.expectFailure(run),
                       "error opening database connection: ssh tunnel to bastion 127.0.0.1:\(bastion.port): the bastion refused to forward to \(db.address): "
                       + "Channel open failure (administratively prohibited) (its sshd has AllowTcpForwarding no, or PermitOpen excludes this destination)")
    }

    /// The bastion's sshd is killed mid-capture: the connector exits 1 with an error naming the tunnel; restarted
    /// (with the bastion back), it resumes from the last checkpoint, and every row is captured exactly once.
    func testBastionKilledMidCaptureThenResume() throws {
        let db = try CaptureDatabase(self)
        let bastion = try TunnelBastion.start(self)
        try db.run("CREATE TABLE {s}.events (id BIGINT PRIMARY KEY, payload TEXT)")
        let rows = 30_000
        try db.run("INSERT INTO {s}.events SELECT i, repeat(md5(i::text), 4) FROM generate_series(1, \(rows)) AS i")
        let binding = TestBinding(resource: db.resource("events", table: "events", cursor: ["id"]), key: ["/id"])
        let key = try TunnelKeys.named("rsa-pem")
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

// MARK: - Support

/// A key pair made by ssh-keygen for these tests.
struct TunnelKey {
    let name: String
    let label: String
    let privateKey: String
    let publicLine: String
    let fingerprint: String

    /// What must never appear in the connector's output: the password, and every line of the private key.
    var secrets: [String] { [CaptureCredentials.password] + privateKey.split(separator: "\n").dropFirst().dropLast().map(String.init) }
}

enum TunnelKeys {
    static let directory: URL = {
        let url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("capstan-tunnel-keys-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    private static func make(_ name: String, label: String, _ options: [String]) throws -> TunnelKey {
        let path = directory.appendingPathComponent(name).path
        try runTool("/usr/bin/ssh-keygen", ["-q", "-N", "", "-C", "capstan-test-\(name)", "-f", path] + options)
        let fingerprint = try runTool("/usr/bin/ssh-keygen", ["-l", "-E", "sha256", "-f", path + ".pub"])
            .split(separator: " ").first { $0.hasPrefix("SHA256:") }.map(String.init) ?? ""
        return TunnelKey(name: name, label: label, privateKey: try String(contentsOfFile: path, encoding: .utf8),
                         publicLine: try String(contentsOfFile: path + ".pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
                         fingerprint: fingerprint)
    }

    /// The issue's four: RSA in PEM and OpenSSH formats, Ed25519, ECDSA.
    static let authorized: Result<[TunnelKey], Error> = Result {
        [
            try make("rsa-pem", label: "RSA", ["-t", "rsa", "-b", "3072", "-m", "PEM"]),
            try make("rsa-openssh", label: "RSA", ["-t", "rsa", "-b", "3072"]),
            try make("ed25519", label: "ED25519", ["-t", "ed25519"]),
            try make("ecdsa", label: "ECDSA", ["-t", "ecdsa"]),
        ]
    }

    /// Keys no authorized_keys lists.
    static let strangers: Result<[TunnelKey], Error> = Result {
        [try make("stranger-ed25519", label: "ED25519", ["-t", "ed25519"]), try make("stranger-rsa-pem", label: "RSA", ["-t", "rsa", "-m", "PEM"])]
    }

    static func named(_ name: String) throws -> TunnelKey {
        guard let key = try (authorized.get() + strangers.get()).first(where: { $0.name == name }) else { throw HarnessError("no key \(name)") }
        return key
    }
}

/// An sshd run by `scripts/sshd`, with the test keys in its authorized_keys.
final class TunnelBastion: @unchecked Sendable {
    let port: Int
    let directory: URL
    private let environment: [String: String]

    private init(port: Int, directory: URL, environment: [String: String]) {
        self.port = port
        self.directory = directory
        self.environment = environment
    }

    /// The server `scripts/sshd` runs for the suite; the test fails when it is not there.
    static func shared(file: StaticString = #filePath, line: UInt = #line) throws -> TunnelBastion {
        let environment = ProcessInfo.processInfo.environment
        guard let port = environment["CAPSTAN_TEST_SSHD_PORT"].flatMap(Int.init) else {
            let message = "CAPSTAN_TEST_SSHD_PORT is not set: run `scripts/sshd start` and export CAPSTAN_TEST_SSHD_PORT=$(scripts/sshd port) "
                + "and CAPSTAN_TEST_SSHD_DIR=$(scripts/sshd dir) (or run scripts/test, which does all that)"
            XCTFail(message, file: file, line: line)
            throw HarnessError(message)
        }
        let bastion = TunnelBastion(port: port, directory: URL(fileURLWithPath: environment["CAPSTAN_TEST_SSHD_DIR"] ?? "/tmp/capstan-sshd"), environment: [:])
        guard (try? bastion.script("status")) != nil, connectsToLoopback(port: port) else {
            let message = "no sshd on 127.0.0.1:\(port) (CAPSTAN_TEST_SSHD_PORT): run `scripts/sshd start` (or scripts/test)"
            XCTFail(message, file: file, line: line)
            throw HarnessError(message)
        }
        try bastion.authorize()
        return bastion
    }

    /// A server of its own on a free port, stopped when the test ends.
    static func start(_ test: XCTestCase, forwarding: Bool = true, file: StaticString = #filePath, line: UInt = #line) throws -> TunnelBastion {
        let port = freeTCPPort()
        let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("capstan-sshd-\(port)-\(UInt32.random(in: 0...UInt32.max))")
        let bastion = TunnelBastion(port: port, directory: directory, environment: [
            "CAPSTAN_SSHD_DIR": directory.path, "CAPSTAN_SSHD_PORT": "\(port)", "CAPSTAN_SSHD_FORWARDING": forwarding ? "yes" : "no",
        ])
        test.addTeardownBlock {
            _ = try? bastion.script("stop")
            try? FileManager.default.removeItem(at: directory)
        }
        do {
            try bastion.script("start")
        } catch {
            XCTFail("cannot start a private sshd: \(error)", file: file, line: line)
            throw error
        }
        try bastion.authorize()
        return bastion
    }

    @discardableResult
    func script(_ command: String) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try runTool(root.appendingPathComponent("scripts/sshd").path, [command], environment: environment)
    }

    /// SIGKILL to the server and its sessions, as a crash would.
    func kill() throws { try script("kill") }

    func restart() throws {
        try script("start")
        try authorize()
    }

    private func authorize() throws {
        let url = directory.appendingPathComponent("authorized_keys")
        let existing = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        let missing = try TunnelKeys.authorized.get().map(\.publicLine).filter { !existing.contains($0) }
        guard !missing.isEmpty else { return }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((missing.joined(separator: "\n") + "\n").utf8))
    }

    var hostKeyLine: String {
        get throws {
            "[127.0.0.1]:\(port) " + (try String(contentsOf: directory.appendingPathComponent("ssh_host_ed25519_key.pub"), encoding: .utf8))
        }
    }

    var hostKeyFingerprint: String {
        get throws {
            try runTool("/usr/bin/ssh-keygen", ["-l", "-f", directory.appendingPathComponent("ssh_host_ed25519_key.pub").path])
                .split(separator: " ").first { $0.hasPrefix("SHA256:") }.map(String.init) ?? ""
        }
    }

    /// The endpoint config of `db` with a `networkTunnel` through this bastion.
    func config(_ db: CaptureDatabase, key: TunnelKey, hostKey: String? = nil) -> JSON {
        var object = db.config().objectValue ?? JSONObject()
        var forwarding: JSONObject = ["sshEndpoint": .string("ssh://\(NSUserName())@127.0.0.1:\(port)"), "privateKey": .string(key.privateKey)]
        if let hostKey { forwarding["hostKey"] = .string(hostKey) }
        object["networkTunnel"] = ["sshForwarding": .object(forwarding)]
        return .object(object)
    }
}

@discardableResult
private func runTool(_ path: String, _ arguments: [String], environment: [String: String] = [:]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    guard process.terminationStatus == 0 else { throw HarnessError("\(path) \(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(text)") }
    return text
}

private func connectsToLoopback(port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(port).bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    } == 0
}

/// A port nothing listens on now.
private func freeTCPPort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
            bind(fd, pointer, length)
            return getsockname(fd, pointer, &length)
        }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}
