import Foundation

/// Key pairs for every key type and format the SSH tunnel supports, made with ssh-keygen once per test process.
public enum SSHTestKeys {
    /// The folder the keys are written to (private to this process).
    public static let directory: URL = {
        let url = URL(fileURLWithPath: NSTemporaryDirectory())
            .appendingPathComponent("capstan-ssh-keys-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    private static func make(_ name: String, label: String, _ options: [String]) throws -> SSHTestKey {
        let path = directory.appendingPathComponent(name).path
        if !FileManager.default.fileExists(atPath: path) {
            try Subprocess.checkedOutput("/usr/bin/ssh-keygen", ["-q", "-N", "", "-C", "capstan-test-\(name)", "-f", path] + options)
        }
        let fingerprint = try Subprocess.checkedOutput("/usr/bin/ssh-keygen", ["-l", "-E", "sha256", "-f", path + ".pub"])
            .split(separator: " ").first { $0.hasPrefix("SHA256:") }.map(String.init) ?? ""
        return SSHTestKey(name: name, label: label, privateKey: try String(contentsOfFile: path, encoding: .utf8),
                          publicLine: try String(contentsOfFile: path + ".pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
                          fingerprint: fingerprint)
    }

    /// The keys ``TestSSHD`` authorizes: RSA in PEM, OpenSSH and PKCS8 formats, Ed25519, ECDSA (OpenSSH and PEM).
    public static let all: Result<[SSHTestKey], Error> = Result {
        [
            try make("rsa-pem", label: "RSA", ["-t", "rsa", "-b", "3072", "-m", "PEM"]),
            try make("rsa-openssh", label: "RSA", ["-t", "rsa", "-b", "3072"]),
            try make("ed25519", label: "ED25519", ["-t", "ed25519"]),
            try make("ecdsa", label: "ECDSA", ["-t", "ecdsa", "-b", "256"]),
            try make("ecdsa-pem", label: "ECDSA", ["-t", "ecdsa", "-b", "384", "-m", "PEM"]),
            try make("rsa-pkcs8", label: "RSA", ["-t", "rsa", "-b", "2048", "-m", "PKCS8"]),
        ]
    }

    /// Keys no authorized_keys lists.
    public static let strangers: Result<[SSHTestKey], Error> = Result {
        [
            try make("stranger-ed25519", label: "ED25519", ["-t", "ed25519"]),
            try make("stranger-rsa-pem", label: "RSA", ["-t", "rsa", "-b", "2048", "-m", "PEM"]),
        ]
    }

    /// The key named `name`, authorized or stranger.
    public static func key(_ name: String) throws -> SSHTestKey {
        guard let key = try (all.get() + strangers.get()).first(where: { $0.name == name }) else {
            throw TestSupportError("no test key \(name)")
        }
        return key
    }

    /// The keys named `names`, in that order.
    public static func keys(_ names: [String]) throws -> [SSHTestKey] { try names.map(key) }
}
