/// libpq's `sslmode`: whether and how strictly to use TLS.
public enum SSLMode: String, Sendable, CaseIterable {
    /// Plain connection only.
    case disable
    /// Plain first, TLS if the server insists.
    case allow
    /// TLS first, plain if the server has no TLS (libpq's default).
    case prefer
    /// TLS required; the certificate is not verified.
    case require
    /// TLS required; the certificate must be signed by a trusted CA.
    case verifyCA = "verify-ca"
    /// TLS required; the certificate must be trusted and match the host name.
    case verifyFull = "verify-full"
}
