import Foundation
import XCTest

// A real OpenSSH server for the tests: the one `scripts/sshd` runs (scripts/test starts it and exports
// CAPSTAN_TEST_SSHD_PORT and CAPSTAN_TEST_SSHD_DIR), or private ones these tests start and stop themselves.
// Key pairs are made with ssh-keygen at test time. Without a reachable server the tests fail; they never skip.

struct SSHTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs a program; throws with its output when it fails.
@discardableResult
func runProgram(_ path: String, _ arguments: [String], environment: [String: String] = [:]) throws -> String {
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
    guard process.terminationStatus == 0 else {
        throw SSHTestError("\(path) \(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(text)")
    }
    return text
}

/// A key pair made by ssh-keygen.
struct TestKey {
    let name: String
    let privateKey: String
    let publicLine: String
    /// `SHA256:…` as ssh-keygen prints it.
    let fingerprint: String
}

/// Key pairs for every supported type and format, made once per test process.
enum TestKeys {
    static let directory: URL = {
        let url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("capstan-ssh-keys-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    static func make(_ name: String, _ options: [String]) throws -> TestKey {
        let path = directory.appendingPathComponent(name).path
        if !FileManager.default.fileExists(atPath: path) {
            try runProgram("/usr/bin/ssh-keygen", ["-q", "-N", "", "-C", "capstan-test-\(name)", "-f", path] + options)
        }
        let fingerprint = try runProgram("/usr/bin/ssh-keygen", ["-l", "-E", "sha256", "-f", path + ".pub"])
            .split(separator: " ").first { $0.hasPrefix("SHA256:") }.map(String.init) ?? ""
        return TestKey(name: name, privateKey: try String(contentsOfFile: path, encoding: .utf8),
                       publicLine: try String(contentsOfFile: path + ".pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
                       fingerprint: fingerprint)
    }

    static let all: Result<[TestKey], Error> = Result {
        [
            try make("rsa-pem", ["-t", "rsa", "-b", "3072", "-m", "PEM"]),
            try make("rsa-openssh", ["-t", "rsa", "-b", "3072"]),
            try make("ed25519", ["-t", "ed25519"]),
            try make("ecdsa", ["-t", "ecdsa", "-b", "256"]),
            try make("ecdsa-pem", ["-t", "ecdsa", "-b", "384", "-m", "PEM"]),
            try make("rsa-pkcs8", ["-t", "rsa", "-b", "2048", "-m", "PKCS8"]),
        ]
    }

    /// Keys no authorized_keys lists.
    static let strangers: Result<[TestKey], Error> = Result {
        [try make("stranger-ed25519", ["-t", "ed25519"]), try make("stranger-rsa-pem", ["-t", "rsa", "-b", "2048", "-m", "PEM"])]
    }

    static func key(_ name: String) throws -> TestKey {
        guard let key = try (all.get() + strangers.get()).first(where: { $0.name == name }) else { throw SSHTestError("no test key \(name)") }
        return key
    }

    static var authorizedKeysText: String {
        get throws { try all.get().map(\.publicLine).joined(separator: "\n") + "\n" }
    }
}

/// The repository's root (for scripts/).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// An sshd run by `scripts/sshd`: the shared one, or a private one (own directory and port) that the test stops.
final class TestSSHD {
    let port: Int
    let directory: URL
    private let environment: [String: String]
    private let owned: Bool

    var endpoint: String { "ssh://\(NSUserName())@127.0.0.1:\(port)" }

    /// The host key sshd presents to libssh2 first (Ed25519), as a known_hosts line.
    var hostKeyLine: String {
        get throws {
            let key = try String(contentsOf: directory.appendingPathComponent("ssh_host_ed25519_key.pub"), encoding: .utf8)
            return "[127.0.0.1]:\(port) " + key.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    private init(port: Int, directory: URL, environment: [String: String], owned: Bool) {
        self.port = port
        self.directory = directory
        self.environment = environment
        self.owned = owned
    }

    /// The server of `scripts/sshd` (CAPSTAN_TEST_SSHD_PORT), with the test keys authorized; fails the test when unreachable.
    static func shared(file: StaticString = #filePath, line: UInt = #line) throws -> TestSSHD {
        let environment = ProcessInfo.processInfo.environment
        guard let portText = environment["CAPSTAN_TEST_SSHD_PORT"], let port = Int(portText) else {
            let message = "CAPSTAN_TEST_SSHD_PORT is not set: run `scripts/sshd start` and export CAPSTAN_TEST_SSHD_PORT=$(scripts/sshd port) "
                + "and CAPSTAN_TEST_SSHD_DIR=$(scripts/sshd dir) (or run scripts/test, which does all that)"
            XCTFail(message, file: file, line: line)
            throw SSHTestError(message)
        }
        let directory = URL(fileURLWithPath: environment["CAPSTAN_TEST_SSHD_DIR"] ?? "/tmp/capstan-sshd")
        let server = TestSSHD(port: port, directory: directory, environment: [:], owned: false)
        try server.checkReachable(file: file, line: line)
        try server.authorize(file: file, line: line)
        return server
    }

    /// A server of its own on a free port, stopped when the test ends.
    /// `options`: sshd_config lines that override the defaults.
    static func start(_ test: XCTestCase, forwarding: Bool = true, options: [String] = [], file: StaticString = #filePath, line: UInt = #line) throws -> TestSSHD {
        let port = freePort()
        let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("capstan-sshd-\(port)-\(UInt32.random(in: 0...UInt32.max))")
        var environment = ["CAPSTAN_SSHD_DIR": directory.path, "CAPSTAN_SSHD_PORT": "\(port)", "CAPSTAN_SSHD_FORWARDING": forwarding ? "yes" : "no"]
        if !options.isEmpty { environment["CAPSTAN_SSHD_OPTIONS"] = options.joined(separator: "\n") }
        let server = TestSSHD(port: port, directory: directory, environment: environment, owned: true)
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

    @discardableResult
    func script(_ command: String) throws -> String {
        try runProgram(repositoryRoot.appendingPathComponent("scripts/sshd").path, [command], environment: environment)
    }

    /// Kills the server and its sessions with SIGKILL, as a crash would.
    func kill() throws { try script("kill") }

    func restart() throws { try script("start"); try authorize() }

    private func checkReachable(file: StaticString, line: UInt) throws {
        if connectsTCP(port: port) { return }
        let message = "no sshd on 127.0.0.1:\(port) (CAPSTAN_TEST_SSHD_PORT): run `scripts/sshd start` (or scripts/test)"
        XCTFail(message, file: file, line: line)
        throw SSHTestError(message)
    }

    /// Adds the test keys to the server's authorized_keys (once per key).
    func authorize(file: StaticString = #filePath, line: UInt = #line) throws {
        let url = directory.appendingPathComponent("authorized_keys")
        do {
            let existing = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
            let missing = try TestKeys.all.get().map(\.publicLine).filter { !existing.contains($0) }
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

/// Whether something accepts TCP connections on 127.0.0.1:`port`.
func connectsTCP(port: Int) -> Bool {
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

/// A port nothing listens on now (bound and released).
func freePort() -> Int {
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

/// A TCP server on 127.0.0.1 that echoes every connection (or streams `blast` bytes then closes), a thread each.
final class EchoServer: @unchecked Sendable {
    let port: Int
    private let fd: Int32
    private let blast: Int?

    init(blast: Int? = nil) throws {
        self.blast = blast
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let status = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                guard bind(fd, pointer, length) == 0, listen(fd, 128) == 0 else { return -1 }
                return getsockname(fd, pointer, &length)
            }
        }
        guard status == 0 else { throw SSHTestError("echo server: cannot listen") }
        port = Int(UInt16(bigEndian: address.sin_port))
        let listener = fd
        let blast = self.blast
        Thread.detachNewThread {
            while true {
                let client = accept(listener, nil, nil)
                if client < 0 { if errno == EINTR { continue }; return }
                Thread.detachNewThread { Self.serve(client, blast: blast) }
            }
        }
    }

    deinit { shutdown(fd, Int32(SHUT_RDWR)); close(fd) }

    private static func serve(_ client: Int32, blast: Int?) {
        defer { close(client) }
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        if let blast {
            for index in buffer.indices { buffer[index] = UInt8(truncatingIfNeeded: index &* 31 &+ 7) }
            var remaining = blast
            while remaining > 0 {
                let count = buffer.withUnsafeBytes { send(client, $0.baseAddress, min($0.count, remaining), Int32(MSG_NOSIGNAL)) }
                if count <= 0 { return }
                remaining -= count
            }
            return
        }
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            var sent = 0
            while sent < count {
                let written = buffer.withUnsafeBytes { send(client, $0.baseAddress! + sent, count - sent, Int32(MSG_NOSIGNAL)) }
                if written <= 0 { return }
                sent += written
            }
        }
        shutdown(client, Int32(SHUT_WR))
    }
}

/// A blocking TCP client connection to 127.0.0.1.
final class TestClient: @unchecked Sendable {
    let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard status == 0 else {
            close(fd)
            throw SSHTestError("cannot connect to 127.0.0.1:\(port): \(String(cString: strerror(errno)))")
        }
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw SSHTestError("send failed: \(String(cString: strerror(errno)))") }
            sent += count
        }
    }

    func finishSending() { shutdown(fd, Int32(SHUT_WR)) }

    /// Reads until EOF (or `limit` bytes).
    func receiveAll(limit: Int = .max) throws -> [UInt8] {
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 256 << 10)
        while result.count < limit {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, min($0.count, limit - result.count), 0) }
            if count == 0 { break }
            guard count > 0 else { throw SSHTestError("recv failed: \(String(cString: strerror(errno)))") }
            result += buffer[0..<count]
        }
        return result
    }
}

func randomBytes(_ count: Int) -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    var bytes = [UInt8](repeating: 0, count: count)
    bytes.withUnsafeMutableBytes { buffer in
        var index = 0
        while index + 8 <= buffer.count {
            buffer.storeBytes(of: generator.next() as UInt64, toByteOffset: index, as: UInt64.self)
            index += 8
        }
        while index < buffer.count { buffer[index] = UInt8.random(in: 0...255, using: &generator); index += 1 }
    }
    return bytes
}
