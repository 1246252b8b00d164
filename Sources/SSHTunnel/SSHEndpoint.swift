/// A bastion address, `ssh://user@host[:port]` (port 22 when omitted; an IPv6 host is bracketed).
public struct SSHEndpoint: Sendable, Equatable, CustomStringConvertible {
    public var user: String
    public var host: String
    public var port: Int

    public init(user: String, host: String, port: Int = 22) {
        self.user = user
        self.host = host
        self.port = port
    }

    public init(parsing text: String) throws(SSHTunnelError) {
        func invalid(_ why: String) -> SSHTunnelError {
            SSHTunnelError(.configuration, "sshEndpoint \"\(text)\" is not ssh://user@host[:port]: \(why)")
        }
        guard text.hasPrefix("ssh://") else { throw invalid("it must start with ssh://") }
        var rest = Substring(text.dropFirst(6))
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard let at = rest.lastIndex(of: "@") else { throw invalid("missing user@") }
        let user = String(rest[..<at])
        var hostPort = rest[rest.index(after: at)...]
        guard !user.isEmpty else { throw invalid("empty user") }
        guard !hostPort.contains("/") else { throw invalid("unexpected path") }
        var port = 22
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { throw invalid("unclosed [ in the host") }
            let after = hostPort[hostPort.index(after: close)...]
            if after.hasPrefix(":") {
                guard let number = Int(after.dropFirst()), (1...65535).contains(number) else { throw invalid("bad port") }
                port = number
            } else if !after.isEmpty {
                throw invalid("unexpected text after ]")
            }
            hostPort = hostPort[hostPort.index(after: hostPort.startIndex)..<close]
        } else if let colon = hostPort.lastIndex(of: ":") {
            guard let number = Int(hostPort[hostPort.index(after: colon)...]), (1...65535).contains(number) else { throw invalid("bad port") }
            port = number
            hostPort = hostPort[..<colon]
        }
        guard !hostPort.isEmpty else { throw invalid("empty host") }
        self.init(user: user, host: String(hostPort), port: port)
    }

    /// `host:port`, bracketing an IPv6 host.
    public var address: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    public var description: String { "ssh://\(user)@\(address)" }
}
