import Foundation
import Logging

/// An SSH tunnel in this process: connects to a bastion over SSH (libssh2), authenticates with a private key,
/// listens on 127.0.0.1 and an ephemeral port, and forwards every connection accepted there through a
/// `direct-tcpip` channel to a destination host and port as the bastion resolves them.
///
/// ```swift
/// let tunnel = try SSHTunnel.start(.init(endpoint: "ssh://user@bastion:22", privateKey: key,
///                                        destinationHost: "cluster.internal", destinationPort: 5439))
/// defer { tunnel.stop() }
/// connect(to: tunnel.localHost, port: tunnel.localPort)
/// ```
///
/// One thread owns the SSH session and serves every connection, with keepalives. `start` returns once the
/// bastion accepted the key, or throws an ``SSHTunnelError`` naming what failed. If the SSH connection ends
/// while the tunnel is open, ``failure`` says why (recorded before the local connections are closed) and
/// the ``onFailure(_:)`` handler runs. ``stop()`` closes everything; it is idempotent.
// Unchecked: only for `thread` (Foundation's Thread is not Sendable), compared by stop() and never changed; the rest is Sendable.
public final class SSHTunnel: @unchecked Sendable {
    public struct Configuration: Sendable {
        public var endpoint: SSHEndpoint
        /// OpenSSH or PEM private key text; never logged, written to a file, or put in an error.
        public var privateKey: String
        /// Known_hosts line(s) or `SHA256:` fingerprint(s) the bastion's host key must match; nil: not checked.
        public var hostKey: String?
        /// Where the bastion connects each forwarded connection.
        public var destinationHost: String
        public var destinationPort: Int
        /// For DNS, TCP connect, handshake and authentication together.
        public var connectTimeout: Duration = .seconds(30)
        /// How often to send a keepalive (a packet the bastion ignores). The tunnel reads nothing while no connection is
        /// open (libssh2 reads only through channels), so the bastion's own keepalive probes go unanswered then; any
        /// packet from the client resets OpenSSH's ClientAliveCountMax count, so these keep an idle tunnel open against
        /// ClientAliveInterval × ClientAliveCountMax down to this interval.
        public var keepaliveInterval: Duration = .seconds(15)

        public init(endpoint: SSHEndpoint, privateKey: String, hostKey: String? = nil, destinationHost: String, destinationPort: Int) {
            self.endpoint = endpoint
            self.privateKey = privateKey
            self.hostKey = hostKey
            self.destinationHost = destinationHost
            self.destinationPort = destinationPort
        }

        /// With the endpoint as `ssh://user@host[:port]`.
        public init(endpoint: String, privateKey: String, hostKey: String? = nil, destinationHost: String, destinationPort: Int) throws(SSHTunnelError) {
            self.init(endpoint: try SSHEndpoint(parsing: endpoint), privateKey: privateKey, hostKey: hostKey,
                      destinationHost: destinationHost, destinationPort: destinationPort)
        }
    }

    public let localHost = "127.0.0.1"
    public let localPort: Int
    public let endpoint: SSHEndpoint
    /// The bastion's host key as `type SHA256:…`.
    public let hostKey: String
    /// `ssh tunnel to bastion host:port`: how messages name this tunnel.
    public let name: String

    private let shared: TunnelShared
    private let forwarder: Forwarder
    private let thread: Thread

    private init(localPort: Int, endpoint: SSHEndpoint, hostKey: String, name: String, shared: TunnelShared, forwarder: Forwarder, thread: Thread) {
        self.localPort = localPort
        self.endpoint = endpoint
        self.hostKey = hostKey
        self.name = name
        self.shared = shared
        self.forwarder = forwarder
        self.thread = thread
    }

    deinit {
        stop()
    }

    /// Connects, authenticates and starts forwarding.
    public static func start(_ configuration: Configuration, logger: Logger = Logger(label: "ssh-tunnel")) throws(SSHTunnelError) -> SSHTunnel {
        let endpoint = configuration.endpoint
        let name = "ssh tunnel to bastion \(endpoint.address)"
        func fail(_ error: SSHTunnelError) -> SSHTunnelError { SSHTunnelError(error.kind, "\(name): \(error.message)") }
        let key: PrivateKey
        let hostKeyCheck: HostKeyCheck?
        do {
            key = try PrivateKey(parsing: configuration.privateKey)
            hostKeyCheck = try configuration.hostKey.map(HostKeyCheck.init(parsing:))
        } catch {
            throw fail(error)
        }
        let bastion = try BastionConnection.open(endpoint: endpoint, key: key, hostKeyCheck: hostKeyCheck,
                                                 timeout: configuration.connectTimeout, logger: logger)
        let listener: (fd: Int32, port: Int)
        do {
            listener = try Sockets.listenOnLoopback()
        } catch {
            bastion.sayGoodbye()
            bastion.free()
            throw fail(error)
        }
        let shared = TunnelShared()
        let settings = Forwarder.Settings(destinationHost: configuration.destinationHost, destinationPort: configuration.destinationPort,
                                          keepaliveSeconds: max(1, Int(configuration.keepaliveInterval / .seconds(1))))
        let forwarder: Forwarder
        do {
            forwarder = try Forwarder(bastion: bastion, listener: listener.fd, settings: settings, shared: shared, name: name, logger: logger)
        } catch {
            close(listener.fd)
            bastion.sayGoodbye()
            bastion.free()
            throw error
        }
        let thread = Thread { forwarder.run() }
        thread.name = "ssh-tunnel"
        thread.stackSize = 1 << 20
        logger.info("ssh tunnel open", metadata: [
            "bastion": "\(endpoint.address)", "user": "\(endpoint.user)", "key": "\(key)", "hostKey": "\(bastion.hostKey)",
            "hostKeyChecked": "\(hostKeyCheck != nil)", "cipher": "\(bastion.algorithms.cipher)", "mac": "\(bastion.algorithms.mac)",
            "listening": "127.0.0.1:\(listener.port)",
            "destination": "\(configuration.destinationHost):\(configuration.destinationPort)",
        ])
        thread.start()
        return SSHTunnel(localPort: listener.port, endpoint: endpoint, hostKey: bastion.hostKey, name: name,
                         shared: shared, forwarder: forwarder, thread: thread)
    }

    /// Why the tunnel died, once it has (never set by ``stop()``).
    public var failure: SSHTunnelError? { shared.failure }

    /// The last refusal by the bastion to forward a connection (each refused connection is closed).
    public var forwardFailure: SSHTunnelError? { shared.forwardFailure }

    /// How many connections the bastion refused to forward: compare before and after a connection attempt to
    /// know whether ``forwardFailure`` explains its failure.
    public var forwardFailureCount: Int { shared.forwardFailureCount }

    /// What to report when a connection through the tunnel failed: its failure, else the last forwarding refusal.
    public var problem: SSHTunnelError? { shared.failure ?? shared.forwardFailure }

    /// Connections accepted and bytes forwarded each way, once the tunnel has stopped.
    public var statistics: (connections: Int, bytesUp: Int, bytesDown: Int) { shared.statistics }

    /// Runs `handler` once, on the tunnel's thread, when the tunnel dies (not when it is stopped); at once if it already died.
    public func onFailure(_ handler: @escaping @Sendable (SSHTunnelError) -> Void) {
        shared.onFailure(handler)
    }

    /// Closes the listener, lets data from clients that closed reach the bastion (for up to two seconds),
    /// then closes every connection and the SSH session. Returns when done; idempotent.
    public func stop() {
        if shared.requestStop() {
            forwarder.wake()
            if Thread.current != thread { shared.waitUntilFinished() }
        }
    }
}
