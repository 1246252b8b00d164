import Foundation
import XCTest

/// A real OpenSSH server run by `scripts/sshd`: the shared one (scripts/test starts it and exports
/// `CAPSTAN_TEST_SSHD_PORT` and `CAPSTAN_TEST_SSHD_DIR`), or a private one (own folder and port) that a test starts
/// and that is stopped when the test ends. Every key of ``SSHTestKeys/all`` is authorized. Without a reachable
/// server the test fails; it never skips.
public final class TestSSHD: @unchecked Sendable {
    /// The port it listens on, on 127.0.0.1.
    public let port: Int
    /// Its folder (host keys, authorized_keys, sshd_config).
    public let directory: URL
    private let environment: [String: String]

    /// `ssh://<this user>@127.0.0.1:<port>`.
    public var endpoint: String { "ssh://\(NSUserName())@127.0.0.1:\(port)" }

    /// The host key sshd presents to libssh2 first (Ed25519), as a known_hosts line.
    public var hostKeyLine: String {
        get throws {
            let key = try String(contentsOf: directory.appendingPathComponent("ssh_host_ed25519_key.pub"), encoding: .utf8)
            return "[127.0.0.1]:\(port) " + key.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// The SHA-256 fingerprint of that host key (`SHA256:…`), as ssh-keygen prints it.
    public var hostKeyFingerprint: String {
        get throws {
            try Subprocess.checkedOutput("/usr/bin/ssh-keygen", ["-l", "-f", directory.appendingPathComponent("ssh_host_ed25519_key.pub").path])
                .split(separator: " ").first { $0.hasPrefix("SHA256:") }.map(String.init) ?? ""
        }
    }

    private init(port: Int, directory: URL, environment: [String: String]) {
        self.port = port
        self.directory = directory
        self.environment = environment
    }

    /// The server of `scripts/sshd` (`CAPSTAN_TEST_SSHD_PORT`, `CAPSTAN_TEST_SSHD_DIR`), with the test keys
    /// authorized; fails the test when it is not set or not reachable.
    public static func shared(file: StaticString = #filePath, line: UInt = #line) throws -> TestSSHD {
        let environment = ProcessInfo.processInfo.environment
        guard let port = environment["CAPSTAN_TEST_SSHD_PORT"].flatMap(Int.init) else {
            let message = "CAPSTAN_TEST_SSHD_PORT is not set: run `scripts/sshd start` and export CAPSTAN_TEST_SSHD_PORT=$(scripts/sshd port) "
                + "and CAPSTAN_TEST_SSHD_DIR=$(scripts/sshd dir) (or run scripts/test, which does all that)"
            XCTFail(message, file: file, line: line)
            throw TestSupportError(message)
        }
        let directory = URL(fileURLWithPath: environment["CAPSTAN_TEST_SSHD_DIR"] ?? "/tmp/capstan-sshd")
        let server = TestSSHD(port: port, directory: directory,
                              environment: ["CAPSTAN_SSHD_DIR": directory.path, "CAPSTAN_SSHD_PORT": "\(port)"])
        guard Loopback.acceptsConnections(port: port) else {
            let message = "no sshd on 127.0.0.1:\(port) (CAPSTAN_TEST_SSHD_PORT): run `scripts/sshd start` (or scripts/test)"
            XCTFail(message, file: file, line: line)
            throw TestSupportError(message)
        }
        try server.authorize(file: file, line: line)
        return server
    }

    /// A server of its own on a free port, stopped (and its folder removed) when `test` ends. `forwarding: false`
    /// sets `AllowTcpForwarding no`; `options` are sshd_config lines that override the defaults.
    public static func start(_ test: XCTestCase, forwarding: Bool = true, options: [String] = [],
                             file: StaticString = #filePath, line: UInt = #line) throws -> TestSSHD {
        let port = Loopback.freePort()
        let directory = URL(fileURLWithPath: NSTemporaryDirectory())
            .appendingPathComponent("capstan-sshd-\(port)-\(UInt32.random(in: 0...UInt32.max))")
        var environment = ["CAPSTAN_SSHD_DIR": directory.path, "CAPSTAN_SSHD_PORT": "\(port)", "CAPSTAN_SSHD_FORWARDING": forwarding ? "yes" : "no"]
        if !options.isEmpty { environment["CAPSTAN_SSHD_OPTIONS"] = options.joined(separator: "\n") }
        let server = TestSSHD(port: port, directory: directory, environment: environment)
        test.addTeardownBlock {
            _ = try? server.script("stop")
            try? FileManager.default.removeItem(at: directory)
        }
        do {
            try server.script("start")
        } catch {
            XCTFail("cannot start a private sshd: \(error)", file: file, line: line)
            throw error
        }
        try server.authorize(file: file, line: line)
        return server
    }

    /// Runs `scripts/sshd <command>` for this server; returns its output.
    @discardableResult
    public func script(_ command: String) throws -> String {
        try Subprocess.checkedOutput(RepositoryPaths.path("scripts/sshd"), [command], environment: environment)
    }

    /// Kills the server and its sessions with SIGKILL, as a crash would.
    public func kill() throws { try script("kill") }

    /// Starts the server again (after ``kill()``) and authorizes the test keys.
    public func restart() throws {
        try script("start")
        try authorize()
    }

    /// Adds the test keys to the server's authorized_keys (each once); fails the test when it cannot.
    public func authorize(file: StaticString = #filePath, line: UInt = #line) throws {
        let url = directory.appendingPathComponent("authorized_keys")
        do {
            let existing = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
            let missing = try SSHTestKeys.all.get().map(\.publicLine).filter { !existing.contains($0) }
            guard !missing.isEmpty else { return }
            let handle = try FileHandle(forWritingTo: url)
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: Data((missing.joined(separator: "\n") + "\n").utf8))
        } catch {
            XCTFail("cannot write \(url.path): \(error)", file: file, line: line)
            throw error
        }
    }
}
