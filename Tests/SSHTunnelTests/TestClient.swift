import CapstanTestSupport
import Foundation

/// A blocking TCP client connection to 127.0.0.1.
final class TestClient: @unchecked Sendable {
    let fd: Int32

    init(port: Int) throws {
        guard let fd = Loopback.connect(port: port) else {
            throw TestSupportError("cannot connect to 127.0.0.1:\(port): \(String(cString: strerror(errno)))")
        }
        self.fd = fd
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw TestSupportError("send failed: \(String(cString: strerror(errno)))") }
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
            guard count > 0 else { throw TestSupportError("recv failed: \(String(cString: strerror(errno)))") }
            result += buffer[0..<count]
        }
        return result
    }
}
