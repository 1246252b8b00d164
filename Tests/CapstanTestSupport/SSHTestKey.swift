/// A key pair made by ssh-keygen for the tests.
public struct SSHTestKey: Sendable {
    /// The name it was made under (`rsa-pem`, `ed25519`, …).
    public let name: String
    /// Its type as OpenSSH and the tunnel's messages print it: `RSA`, `ED25519` or `ECDSA`.
    public let label: String
    /// The private key file's text.
    public let privateKey: String
    /// The public key as an authorized_keys line.
    public let publicLine: String
    /// `SHA256:…` as ssh-keygen prints it.
    public let fingerprint: String

    /// The private key's lines between its BEGIN and END lines: what must never appear in a program's output.
    public var privateKeyBody: [String] { privateKey.split(separator: "\n").dropFirst().dropLast().map(String.init) }
}
