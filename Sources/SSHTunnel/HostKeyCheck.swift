import Foundation

/// The `hostKey` setting: the keys the bastion may present. One or more lines, each either an OpenSSH
/// known_hosts line (`[host]:port ssh-ed25519 AAAA…`; the host field is optional and not compared, since
/// the setting belongs to this bastion) or a `SHA256:` fingerprint as `ssh-keygen -lf` prints it.
/// Blank lines and `#` comments are ignored. The bastion's key must match one of them.
struct HostKeyCheck: Sendable, Equatable {
    enum Entry: Sendable, Equatable {
        case key(type: String, blob: [UInt8])
        case fingerprint(String)
    }

    let entries: [Entry]

    /// Host key types OpenSSH may present (certificates are not supported).
    static let keyTypes: Set<String> = [
        "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa", "ssh-dss",
    ]

    init(parsing text: String) throws(SSHTunnelError) {
        var entries: [Entry] = []
        for (number, rawLine) in text.split(whereSeparator: \.isNewline).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            func invalid(_ why: String) -> SSHTunnelError {
                SSHTunnelError(.configuration, "hostKey line \(number + 1): \(why)")
            }
            if line.hasPrefix("SHA256:") {
                guard let digest = SSHFingerprint.decodeBase64(line.dropFirst(7)), digest.count == 32 else {
                    throw invalid("a SHA256: fingerprint must be 43 base64 characters, as `ssh-keygen -lf` prints it")
                }
                entries.append(.fingerprint("SHA256:" + SSHFingerprint.unpaddedBase64(digest)))
                continue
            }
            let hexPairs = line.split(separator: ":")
            if line.hasPrefix("MD5:") || !line.contains(" ") && hexPairs.count == 16 && hexPairs.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isHexDigit) }) {
                throw invalid("MD5 fingerprints are not supported; give the SHA256: fingerprint or a known_hosts line")
            }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if let marker = fields.first, marker.hasPrefix("@") {
                throw invalid("known_hosts markers (\(marker)) are not supported: give the bastion's own key")
            }
            guard let typeIndex = fields.firstIndex(where: { Self.keyTypes.contains(String($0)) }) else {
                throw invalid("neither a known_hosts line (with a key type such as ssh-ed25519) nor a SHA256: fingerprint")
            }
            let type = String(fields[typeIndex])
            guard typeIndex + 1 < fields.count, let blob = SSHFingerprint.decodeBase64(fields[typeIndex + 1]),
                  SSHFingerprint.typeName(ofBlob: blob) == type else {
                throw invalid("the \(type) key after the key type is not valid base64 of a \(type) key")
            }
            entries.append(.key(type: type, blob: blob))
        }
        guard !entries.isEmpty else {
            throw SSHTunnelError(.configuration, "hostKey is empty: give a known_hosts line or a SHA256: fingerprint, or leave it out")
        }
        self.entries = entries
    }

    /// The key types named by known_hosts lines, or nil when a fingerprint allows any type. The handshake asks the
    /// bastion for one of these types, so that it presents a key that can match.
    var requiredKeyTypes: [String]? {
        var types: [String] = []
        for entry in entries {
            switch entry {
            case .fingerprint: return nil
            case .key(let type, _): if !types.contains(type) { types.append(type) }
            }
        }
        return types
    }

    func matches(blob: [UInt8]) -> Bool {
        let fingerprint = SSHFingerprint.sha256(blob)
        return entries.contains { entry in
            switch entry {
            case .key(_, let expected): expected == blob
            case .fingerprint(let expected): expected == fingerprint
            }
        }
    }

    /// What `hostKey` allows, for an error message: `ssh-ed25519 SHA256:…` per entry.
    var summary: String {
        entries.map { entry in
            switch entry {
            case .key(let type, let blob): "\(type) \(SSHFingerprint.sha256(blob))"
            case .fingerprint(let fingerprint): fingerprint
            }
        }.joined(separator: ", ")
    }
}
