import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Socket helpers: DNS, TCP connect with a deadline, the local listener.
enum Sockets {
    /// Linux's POLLRDHUP (the peer shut down its side), which Glibc's module leaves out (it needs _GNU_SOURCE).
    static let POLLRDHUP: Int32 = 0x2000

    /// Non-blocking and close-on-exec.
    static func makeNonBlocking(_ fd: Int32) {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        _ = fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC)
    }

    static func errorText(_ code: Int32) -> String { String(cString: strerror(code)) }

    /// Resolves `host`; the error says DNS failed, with the resolver's reason.
    static func resolve(host: String, port: Int) throws(SSHTunnelError) -> [(family: Int32, address: [UInt8])] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_protocol = Int32(IPPROTO_TCP)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let list else {
            let reason = status == EAI_SYSTEM ? errorText(errno) : String(cString: gai_strerror(status))
            throw SSHTunnelError(.dns, "DNS lookup of \"\(host)\" failed: \(reason)")
        }
        defer { freeaddrinfo(list) }
        var addresses: [(Int32, [UInt8])] = []
        var entry: UnsafeMutablePointer<addrinfo>? = list
        while let current = entry {
            if let address = current.pointee.ai_addr {
                let bytes = UnsafeRawBufferPointer(start: address, count: Int(current.pointee.ai_addrlen))
                addresses.append((current.pointee.ai_family, Array(bytes)))
            }
            entry = current.pointee.ai_next
        }
        if addresses.isEmpty { throw SSHTunnelError(.dns, "DNS lookup of \"\(host)\" returned no address") }
        return addresses
    }

    /// A connected, non-blocking TCP socket to one of `addresses`, tried in order until `deadline`.
    static func connect(_ addresses: [(family: Int32, address: [UInt8])], deadline: ContinuousClock.Instant, label: String) throws(SSHTunnelError) -> Int32 {
        var failures: [String] = []
        for (family, address) in addresses {
            let fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            guard fd >= 0 else {
                failures.append(errorText(errno))
                continue
            }
            let started = address.withUnsafeBytes { bytes in
                Glibc.connect(fd, bytes.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(bytes.count))
            }
            var failure: String?
            if started != 0 && errno != EINPROGRESS {
                failure = errorText(errno)
            } else if started != 0 {
                var descriptor = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                while true {
                    let remaining = ContinuousClock.now.duration(to: deadline)
                    if remaining <= .zero {
                        failure = "timed out"
                        break
                    }
                    let milliseconds = Int32(min(remaining / .milliseconds(1), 60_000).rounded(.up))
                    let ready = poll(&descriptor, 1, max(1, milliseconds))
                    if ready < 0 && errno == EINTR { continue }
                    if ready < 0 { failure = errorText(errno); break }
                    if ready == 0 { continue }
                    var code: Int32 = 0
                    var length = socklen_t(MemoryLayout<Int32>.size)
                    getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length)
                    if code != 0 { failure = errorText(code) }
                    break
                }
            }
            if let failure {
                close(fd)
                failures.append(failure)
                if failure == "timed out" { break }
                continue
            }
            return fd
        }
        let unique = failures.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        throw SSHTunnelError(.connect, "TCP connect to \(label) failed: \(unique.joined(separator: "; "))")
    }

    static func setOption(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32) {
        var value = value
        setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size))
    }

    /// A non-blocking listening socket on 127.0.0.1 and an ephemeral port.
    static func listenOnLoopback() throws(SSHTunnelError) -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw SSHTunnelError(.listener, "cannot create the local listening socket: \(errorText(errno))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 128) == 0 else {
            let reason = errorText(errno)
            close(fd)
            throw SSHTunnelError(.listener, "cannot listen on 127.0.0.1: \(reason)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }
}
