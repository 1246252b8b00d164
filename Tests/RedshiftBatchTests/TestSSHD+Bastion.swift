import CapstanTestSupport
import JSON

extension TestSSHD {
    /// The endpoint config of `db` with a `networkTunnel` through this server as the bastion, signing in with `key`;
    /// `hostKey` (a known_hosts line or a fingerprint) pins the bastion's host key when given.
    func config(_ db: CaptureDatabase, key: SSHTestKey, hostKey: String? = nil) -> JSON {
        var object = db.config().objectValue ?? JSONObject()
        var forwarding: JSONObject = ["sshEndpoint": .string(endpoint), "privateKey": .string(key.privateKey)]
        if let hostKey { forwarding["hostKey"] = .string(hostKey) }
        object["networkTunnel"] = ["sshForwarding": .object(forwarding)]
        return .object(object)
    }
}
