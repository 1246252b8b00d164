import CapstanTestSupport
import Foundation

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
        guard status == 0 else { throw TestSupportError("echo server: cannot listen") }
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
