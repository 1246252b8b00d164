import CLibSSH2
import CapstanTestSupport
import Foundation
import Logging
@testable import SSHTunnel
import XCTest

/// Tunnels through a real OpenSSH server (Debian's sshd 9.2 at its default algorithms) to in-process TCP servers.
final class SSHTunnelForwardingTests: XCTestCase {
    private func configuration(_ server: TestSSHD, key: SSHTestKey, hostKey: String? = nil, destinationPort: Int) throws -> SSHTunnel.Configuration {
        var configuration = try SSHTunnel.Configuration(endpoint: server.endpoint, privateKey: key.privateKey, hostKey: hostKey,
                                                        destinationHost: "127.0.0.1", destinationPort: destinationPort)
        configuration.connectTimeout = .seconds(15)
        return configuration
    }

    /// Echoes `count` random bytes through the tunnel and checks they come back intact.
    private func echo(_ tunnel: SSHTunnel, count: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        let client = try TestClient(port: tunnel.localPort)
        let payload = randomBytes(count)
        let received = ResultBox()
        let reader = Thread { received.set(Result { try client.receiveAll() }) }
        reader.start()
        try client.send(payload)
        client.finishSending()
        let echoed = try received.wait().get()
        XCTAssertEqual(echoed.count, payload.count, "bytes echoed", file: file, line: line)
        XCTAssertTrue(echoed == payload, "the echoed bytes differ", file: file, line: line)
    }

    /// RSA keys in PEM, OpenSSH and PKCS#8 formats, Ed25519 and ECDSA keys: all authenticate against sshd's defaults.
    func testEveryKeyTypeAuthenticatesAndForwards() throws {
        let server = try TestSSHD.shared()
        let echoServer = try EchoServer()
        for key in try SSHTestKeys.all.get() {
            let tunnel = try SSHTunnel.start(try configuration(server, key: key, destinationPort: echoServer.port))
            try echo(tunnel, count: 300_000)
            XCTAssertTrue(tunnel.hostKey.hasPrefix("ssh-ed25519 SHA256:"), "libssh2 is asked for the Ed25519 host key first: \(tunnel.hostKey)")
            tunnel.stop()
            XCTAssertNil(tunnel.failure, key.name)
            XCTAssertEqual(tunnel.statistics.connections, 1)
            XCTAssertEqual(tunnel.statistics.bytesDown, 300_000)
        }
        // sshd's log shows how the RSA keys signed.
        let log = try String(contentsOf: server.directory.appendingPathComponent("sshd.log"), encoding: .utf8)
        for name in ["rsa-pem", "rsa-openssh"] {
            let fingerprint = try SSHTestKeys.key(name).fingerprint
            XCTAssertTrue(log.contains("Accepted publickey for \(NSUserName()) from 127.0.0.1") && log.contains("RSA \(fingerprint)"),
                          "sshd accepted the \(name) key")
        }
    }

    /// Without the relabelled blob, libssh2 1.10's own RSA authentication fails against OpenSSH 9, as a wrong key
    /// would: this is what the tunnel works around. (If this test starts failing, libssh2 got rsa-sha2 support.)
    func testLibSSH2AloneCannotAuthenticateRSA() throws {
        let server = try TestSSHD.shared()
        let key = try PrivateKey(parsing: try SSHTestKeys.key("rsa-pem").privateKey)
        let (session, socket) = try handshake(server)
        defer { libssh2_session_free(session); close(socket) }
        let pem = try SSHTestKeys.key("rsa-pem").privateKey
        let status = libssh2_userauth_publickey_frommemory(session, NSUserName(), NSUserName().utf8.count, nil, 0, pem, pem.utf8.count, "")
        XCTAssertEqual(status, LIBSSH2_ERROR_AUTHENTICATION_FAILED)
        XCTAssertEqual(LibSSH2.lastError(session).message, "Username/PublicKey combination invalid")
        // The same key, through SSHAuthentication.rsa, succeeds with rsa-sha2-512 on its first attempt.
        XCTAssertNoThrow(try SSHAuthentication.rsa(session: session, user: NSUserName(), signer: key.rsa!, key: key, logger: Logger(label: "test")))
        XCTAssertEqual(libssh2_userauth_authenticated(session), 1)
    }

    /// RSA against servers that accept only some signature algorithms: each attempt in turn, and an error that says
    /// what was offered when none is accepted (rather than libssh2's "Username/PublicKey combination invalid").
    func testRSAFallsBackAndSaysWhatWasTried() throws {
        let echoServer = try EchoServer()
        let rsa = try SSHTestKeys.key("rsa-pem")
        for accepted in ["rsa-sha2-256", "ssh-rsa"] {
            let server = try TestSSHD.start(self, options: ["PubkeyAcceptedAlgorithms \(accepted)"])
            let tunnel = try SSHTunnel.start(try configuration(server, key: rsa, destinationPort: echoServer.port))
            try echo(tunnel, count: 1000)
            tunnel.stop()
            let log = try String(contentsOf: server.directory.appendingPathComponent("sshd.log"), encoding: .utf8)
            XCTAssertTrue(log.contains("Accepted publickey for \(NSUserName())"), accepted)
        }
        let server = try TestSSHD.start(self, options: ["PubkeyAcceptedAlgorithms ssh-ed25519"])
        XCTAssertThrowsError(try SSHTunnel.start(try configuration(server, key: rsa, destinationPort: echoServer.port))) { error in
            XCTAssertEqual("\(error)", "ssh tunnel to bastion 127.0.0.1:\(server.port): authentication as \"\(NSUserName())\" failed: the bastion refused "
                + "the RSA key \(rsa.fingerprint) offered with rsa-sha2-512, rsa-sha2-256, ssh-rsa signatures: it is not in the user's "
                + "authorized_keys, or the server accepts none of these algorithms")
        }
        let tunnel = try SSHTunnel.start(try configuration(server, key: try SSHTestKeys.key("ed25519"), destinationPort: echoServer.port))
        try echo(tunnel, count: 1000)
        tunnel.stop()
    }

    private func handshake(_ server: TestSSHD) throws -> (OpaquePointer, Int32) {
        XCTAssertTrue(LibSSH2.initialised)
        let fd = try Sockets.connect(try Sockets.resolve(host: "127.0.0.1", port: server.port), deadline: .now + .seconds(10), label: "sshd")
        let session = try XCTUnwrap(libssh2_session_init_ex(nil, nil, nil, nil))
        libssh2_session_set_timeout(session, 10_000)
        XCTAssertEqual(libssh2_session_handshake(session, fd), 0)
        return (session, fd)
    }

    func testManyConnectionsAtOnce() throws {
        let server = try TestSSHD.shared()
        let echoServer = try EchoServer()
        let tunnel = try SSHTunnel.start(try configuration(server, key: try SSHTestKeys.key("ed25519"), destinationPort: echoServer.port))
        defer { tunnel.stop() }
        let failures = Failures()
        let group = DispatchGroup()
        for index in 0..<24 {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                do {
                    let client = try TestClient(port: tunnel.localPort)
                    let payload = randomBytes(200_000 + index * 10_000)
                    let received = ResultBox()
                    Thread.detachNewThread { received.set(Result { try client.receiveAll() }) }
                    // In pieces, with pauses, so that connections interleave.
                    for start in stride(from: 0, to: payload.count, by: 50_000) {
                        try client.send(Array(payload[start..<min(payload.count, start + 50_000)]))
                        usleep(2_000)
                    }
                    client.finishSending()
                    let echoed = try received.wait().get()
                    if echoed != payload { failures.add("connection \(index): \(echoed.count) of \(payload.count) bytes, or different bytes") }
                } catch {
                    failures.add("connection \(index): \(error)")
                }
            }
        }
        XCTAssertEqual(group.wait(timeout: .now() + 120), .success, "connections still running after 2 minutes")
        XCTAssertEqual(failures.all, [])
        XCTAssertNil(tunnel.failure)
    }

    /// A 64 MiB stream arrives intact, and a client that reads slowly gets everything (the buffers apply backpressure).
    func testLargeStreamAndSlowReader() throws {
        let server = try TestSSHD.shared()
        let size = 64 << 20
        let blaster = try EchoServer(blast: size)
        let tunnel = try SSHTunnel.start(try configuration(server, key: try SSHTestKeys.key("ecdsa"), destinationPort: blaster.port))
        defer { tunnel.stop() }
        let started = ContinuousClock.now
        let data = try TestClient(port: tunnel.localPort).receiveAll()
        let seconds = Double((ContinuousClock.now - started) / .milliseconds(1)) / 1000
        XCTAssertEqual(data.count, size)
        let pattern = (0..<(64 << 10)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let intact = data.withUnsafeBytes { bytes in
            pattern.withUnsafeBytes { expected in
                stride(from: 0, to: bytes.count, by: expected.count).allSatisfy { memcmp(bytes.baseAddress! + $0, expected.baseAddress!, min(expected.count, bytes.count - $0)) == 0 }
            }
        }
        XCTAssertTrue(intact, "stream corrupted")
        print("tunnel throughput: \(size >> 20) MiB in \(String(format: "%.2f", seconds)) s = \(String(format: "%.0f", Double(size) / seconds / 1e6)) MB/s")

        // A reader taking 64 KiB every 10 ms for its first second, while the server could send everything at once.
        let slow = try TestClient(port: tunnel.localPort)
        var total = 0
        var reads = 0
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        let rssBefore = residentKiB()
        while true {
            reads += 1
            let count = buffer.withUnsafeMutableBytes { recv(slow.fd, $0.baseAddress, reads <= 100 ? 64 << 10 : $0.count, 0) }
            if count <= 0 { break }
            total += count
            if reads <= 100 { usleep(10_000) }
        }
        XCTAssertEqual(total, size)
        XCTAssertLessThan(residentKiB() - rssBefore, 48 << 10, "memory grew with a slow reader: buffers are not bounded")
    }

    /// sshd re-keys every megabyte here: libssh2 must carry on in non-blocking mode.
    func testRekeyingMidStream() throws {
        let server = try TestSSHD.start(self, options: ["RekeyLimit 1M"])
        let echoServer = try EchoServer()
        let tunnel = try SSHTunnel.start(try configuration(server, key: try SSHTestKeys.key("rsa-openssh"), destinationPort: echoServer.port))
        defer { tunnel.stop() }
        try echo(tunnel, count: 12 << 20)
        try echo(tunnel, count: 3 << 20)
        XCTAssertNil(tunnel.failure)
    }

    /// An idle tunnel survives a bastion that drops silent clients (ClientAliveInterval 1, ClientAliveCountMax 1: gone
    /// after about two seconds without a word from the client), because the tunnel's keepalives are words. Without
    /// them (a 30 s interval) the bastion drops it, and the tunnel says so.
    func testKeepalivesKeepAnIdleTunnelOpen() throws {
        let server = try TestSSHD.start(self, options: ["ClientAliveInterval 1", "ClientAliveCountMax 1"])
        let echoServer = try EchoServer()
        var configuration = try configuration(server, key: try SSHTestKeys.key("ed25519"), destinationPort: echoServer.port)
        configuration.keepaliveInterval = .seconds(1)
        let tunnel = try SSHTunnel.start(configuration)
        defer { tunnel.stop() }
        try echo(tunnel, count: 1000)
        sleep(5)
        XCTAssertNil(tunnel.failure)
        try echo(tunnel, count: 1000)

        configuration.keepaliveInterval = .seconds(30)
        let silent = try SSHTunnel.start(configuration)
        defer { silent.stop() }
        try echo(silent, count: 1000)
        let deadline = Date(timeIntervalSinceNow: 15)
        while silent.failure == nil && Date() < deadline { usleep(100_000) }
        XCTAssertEqual(silent.failure?.kind, .closed, "the bastion should have dropped the silent tunnel")
        XCTAssertTrue(silent.failure?.message.hasPrefix("ssh tunnel to bastion 127.0.0.1:\(server.port) closed: ") ?? false, "\(String(describing: silent.failure))")
    }

    func testWrongKeyIsAnAuthenticationError() throws {
        let server = try TestSSHD.shared()
        for name in ["stranger-ed25519", "stranger-rsa-pem"] {
            let key = try SSHTestKeys.key(name)
            XCTAssertThrowsError(try SSHTunnel.start(try configuration(server, key: key, destinationPort: 9))) { error in
                let error = error as! SSHTunnelError
                XCTAssertEqual(error.kind, .authentication, "\(error)")
                XCTAssertTrue(error.message.hasPrefix("ssh tunnel to bastion 127.0.0.1:\(server.port): authentication as \"\(NSUserName())\" failed: "
                    + "the bastion refused the \(name.contains("rsa") ? "RSA" : "ED25519") key \(key.fingerprint)"), error.message)
                XCTAssertTrue(error.message.contains("authorized_keys"), error.message)
                for line in key.privateKey.split(separator: "\n").dropFirst().dropLast() {
                    XCTAssertFalse(error.message.contains(line), "the error shows the private key")
                }
            }
        }
    }

    func testHostKeyIsChecked() throws {
        let server = try TestSSHD.shared()
        let echoServer = try EchoServer()
        let key = try SSHTestKeys.key("ed25519")
        let hostKeyLine = try server.hostKeyLine
        let hostFingerprint = try server.hostKeyFingerprint
        let ecdsaLine = try String(contentsOf: server.directory.appendingPathComponent("ssh_host_ecdsa_key.pub"), encoding: .utf8)
        // Accepted: the known_hosts line, the fingerprint, and a known_hosts line of another type the server has.
        for hostKey in [hostKeyLine, String(hostFingerprint), ecdsaLine, "# keyscan\n" + ecdsaLine + hostKeyLine] {
            let tunnel = try SSHTunnel.start(try configuration(server, key: key, hostKey: hostKey, destinationPort: echoServer.port))
            try echo(tunnel, count: 1000)
            tunnel.stop()
        }
        // Refused: another key.
        let wrong = try SSHTestKeys.key("stranger-ed25519")
        for hostKey in [wrong.publicLine, wrong.fingerprint] {
            XCTAssertThrowsError(try SSHTunnel.start(try configuration(server, key: key, hostKey: hostKey, destinationPort: echoServer.port))) { error in
                let error = error as! SSHTunnelError
                XCTAssertEqual(error.kind, .hostKeyMismatch, "\(error)")
                XCTAssertTrue(error.message.hasPrefix("ssh tunnel to bastion 127.0.0.1:\(server.port): host key mismatch: the bastion presented ssh-ed25519 \(hostFingerprint), "
                    + "but hostKey allows only"), error.message)
                XCTAssertTrue(error.message.contains(wrong.fingerprint) && error.message.contains("refusing to connect"), error.message)
            }
        }
    }

    func testConnectionErrorsNameWhatFailed() throws {
        let key = try SSHTestKeys.key("ed25519")
        let closedPort = Loopback.freePort()
        let cases: [(String, SSHTunnelError.Kind, String)] = [
            ("ssh://root@127.0.0.1:\(closedPort)", .connect, "ssh tunnel to bastion 127.0.0.1:\(closedPort): TCP connect to 127.0.0.1:\(closedPort) failed: Connection refused"),
            ("ssh://root@no-such-host.invalid", .dns, "ssh tunnel to bastion no-such-host.invalid:22: DNS lookup of \"no-such-host.invalid\" failed: "),
        ]
        for (endpoint, kind, prefix) in cases {
            let configuration = try SSHTunnel.Configuration(endpoint: endpoint, privateKey: key.privateKey, destinationHost: "127.0.0.1", destinationPort: 9)
            XCTAssertThrowsError(try SSHTunnel.start(configuration)) { error in
                XCTAssertEqual((error as? SSHTunnelError)?.kind, kind, "\(error)")
                XCTAssertTrue("\(error)".hasPrefix(prefix), "\(error)")
            }
        }
        // Something that is not an SSH server: a TCP server that closes at once.
        let blaster = try EchoServer(blast: 0)
        let configuration = try SSHTunnel.Configuration(endpoint: "ssh://root@127.0.0.1:\(blaster.port)", privateKey: key.privateKey,
                                                        destinationHost: "127.0.0.1", destinationPort: 9)
        XCTAssertThrowsError(try SSHTunnel.start(configuration)) { error in
            XCTAssertEqual((error as? SSHTunnelError)?.kind, .handshake, "\(error)")
            XCTAssertTrue("\(error)".contains("SSH handshake failed") && "\(error)".contains("is an SSH server listening at 127.0.0.1:\(blaster.port)?"), "\(error)")
        }
        // A TCP connect that never completes: a listener whose accept queue is full drops further SYNs.
        let full = try SilentListener(backlog: 0)
        var queued: [Int32] = []
        defer { queued.forEach { close($0) } }
        for _ in 0..<4 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            var address = full.address
            _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            queued.append(fd)
        }
        usleep(200_000)
        var slow = try SSHTunnel.Configuration(endpoint: "ssh://root@127.0.0.1:\(full.port)", privateKey: key.privateKey, destinationHost: "127.0.0.1", destinationPort: 9)
        slow.connectTimeout = .seconds(1)
        var started = ContinuousClock.now
        XCTAssertThrowsError(try SSHTunnel.start(slow)) { error in
            XCTAssertEqual((error as? SSHTunnelError)?.kind, .connect, "\(error)")
            XCTAssertEqual("\(error)", "ssh tunnel to bastion 127.0.0.1:\(full.port): TCP connect to 127.0.0.1:\(full.port) failed: timed out")
        }
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(5))

        // A server that accepts TCP but never says a word: the handshake times out.
        let silent = try SilentListener(backlog: 16)
        var mute = try SSHTunnel.Configuration(endpoint: "ssh://root@127.0.0.1:\(silent.port)", privateKey: key.privateKey, destinationHost: "127.0.0.1", destinationPort: 9)
        mute.connectTimeout = .seconds(1)
        started = ContinuousClock.now
        XCTAssertThrowsError(try SSHTunnel.start(mute)) { error in
            XCTAssertEqual((error as? SSHTunnelError)?.kind, .handshake, "\(error)")
            XCTAssertEqual("\(error)", "ssh tunnel to bastion 127.0.0.1:\(silent.port): SSH handshake timed out")
        }
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(5))
    }

    func testRefusedForwardingIsReported() throws {
        let server = try TestSSHD.start(self, forwarding: false)
        let echoServer = try EchoServer()
        let tunnel = try SSHTunnel.start(try configuration(server, key: try SSHTestKeys.key("rsa-pem"), destinationPort: echoServer.port))
        defer { tunnel.stop() }
        let client = try TestClient(port: tunnel.localPort)
        try client.send(Array("hello".utf8))
        XCTAssertEqual(try client.receiveAll(), [], "a refused connection is closed")
        let error = try XCTUnwrap(tunnel.forwardFailure)
        XCTAssertEqual(error.kind, .forwardRefused)
        XCTAssertEqual(error.message, "ssh tunnel to bastion 127.0.0.1:\(server.port): the bastion refused to forward to 127.0.0.1:\(echoServer.port): "
            + "Channel open failure (administratively prohibited) (its sshd has AllowTcpForwarding no, or PermitOpen excludes this destination)")
        XCTAssertNil(tunnel.failure, "the tunnel itself lives on")
        XCTAssertEqual(tunnel.problem, error)
    }

    func testUnreachableDestinationIsReported() throws {
        let server = try TestSSHD.shared()
        let closedPort = Loopback.freePort()
        let tunnel = try SSHTunnel.start(try configuration(server, key: try SSHTestKeys.key("ed25519"), destinationPort: closedPort))
        defer { tunnel.stop() }
        XCTAssertEqual(try TestClient(port: tunnel.localPort).receiveAll(), [])
        XCTAssertEqual(tunnel.forwardFailure?.message,
                       "ssh tunnel to bastion 127.0.0.1:\(server.port): the bastion could not connect to 127.0.0.1:\(closedPort): Channel open failure (connect failed)")
        // The tunnel still forwards elsewhere... to the same destination once it listens: not here; it stays usable.
        XCTAssertNil(tunnel.failure)
    }

    /// The bastion dies mid-stream: the tunnel fails, says so, calls its handler, and closes its clients.
    func testBastionDeathFailsTheTunnel() throws {
        let server = try TestSSHD.start(self)
        let blaster = try EchoServer(blast: 1 << 40)
        let tunnel = try SSHTunnel.start(try configuration(server, key: try SSHTestKeys.key("ed25519"), destinationPort: blaster.port))
        defer { tunnel.stop() }
        let reported = ResultBox()
        tunnel.onFailure { error in reported.set(.success(Array(error.message.utf8))) }
        let client = try TestClient(port: tunnel.localPort)
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var total = 0
        while total < 8 << 20 {
            let count = buffer.withUnsafeMutableBytes { recv(client.fd, $0.baseAddress, $0.count, 0) }
            XCTAssertGreaterThan(count, 0)
            total += max(0, count)
        }
        try server.kill()
        let message = String(decoding: try reported.wait(seconds: 30).get(), as: UTF8.self)
        XCTAssertTrue(message.hasPrefix("ssh tunnel to bastion 127.0.0.1:\(server.port) closed: "), message)
        XCTAssertEqual(tunnel.failure?.kind, .closed)
        XCTAssertEqual(tunnel.failure?.message, message)
        // The client's stream ends (after what was in flight).
        while buffer.withUnsafeMutableBytes({ recv(client.fd, $0.baseAddress, $0.count, 0) }) > 0 {}
        XCTAssertThrowsError(try TestClient(port: tunnel.localPort), "the listener is closed")
        tunnel.onFailure { error in XCTAssertEqual(error.message, message, "a late handler runs at once") }
    }

    /// stop() delivers what clients sent before it, closes the listener, and is idempotent; no descriptor leaks.
    func testStopIsCleanAndIdempotent() throws {
        let server = try TestSSHD.shared()
        let echoServer = try EchoServer()
        let descriptorsBefore = openDescriptors()
        for _ in 0..<3 {
            let tunnel = try SSHTunnel.start(try configuration(server, key: try SSHTestKeys.key("ecdsa-pem"), destinationPort: echoServer.port))
            try echo(tunnel, count: 50_000)
            let idle = try TestClient(port: tunnel.localPort)
            try idle.send(Array("still open".utf8))
            XCTAssertEqual(try idle.receiveAll(limit: 10).count, 10)
            tunnel.stop()
            tunnel.stop()
            XCTAssertEqual(try idle.receiveAll(), [], "an open connection is closed by stop()")
            XCTAssertThrowsError(try TestClient(port: tunnel.localPort))
            XCTAssertNil(tunnel.failure)
        }
        XCTAssertLessThanOrEqual(openDescriptors(), descriptorsBefore + 2, "descriptors leak")
    }
}

/// A listening socket that never accepts.
final class SilentListener {
    let fd: Int32
    let port: Int
    var address = sockaddr_in()

    init(backlog: Int32) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let status = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                guard bind(fd, pointer, length) == 0, listen(fd, backlog) == 0 else { return -1 }
                return getsockname(fd, pointer, &length)
            }
        }
        guard status == 0 else { throw TestSupportError("cannot listen") }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(fd) }
}

private func openDescriptors() -> Int { (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0 }

private func residentKiB() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        return Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "") ?? 0
    }
    return 0
}

/// A result handed from one thread to another.
final class ResultBox: @unchecked Sendable {
    private let condition = NSCondition()
    private var result: Result<[UInt8], Error>?

    func set(_ value: Result<[UInt8], Error>) {
        condition.lock()
        if result == nil { result = value }
        condition.broadcast()
        condition.unlock()
    }

    func wait(seconds: Double = 120) -> Result<[UInt8], Error> {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date(timeIntervalSinceNow: seconds)
        while result == nil { if !condition.wait(until: deadline) { return .failure(TestSupportError("timed out after \(seconds) s")) } }
        return result!
    }
}

final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func add(_ text: String) { lock.lock(); list.append(text); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return list }
}
