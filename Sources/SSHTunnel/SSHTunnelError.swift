/// Why a tunnel could not start, or why it stopped. The message names the bastion and what failed;
/// it never contains the private key.
public struct SSHTunnelError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What failed.
    public enum Kind: String, Sendable, Equatable {
        /// The tunnel's own settings (endpoint, key, host key) are unusable.
        case configuration
        /// The bastion's name did not resolve.
        case dns
        /// No TCP connection to the bastion.
        case connect
        /// The SSH handshake (banner, key exchange) failed.
        case handshake
        /// The bastion's host key does not match `hostKey`.
        case hostKeyMismatch
        /// The bastion refused the user or the key.
        case authentication
        /// The bastion refused to open a forwarding channel to the destination.
        case forwardRefused
        /// The local listening socket could not be set up.
        case listener
        /// The SSH connection ended while the tunnel was open.
        case closed
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
