import CapstanTestSupport
import Foundation
@testable import SSHTunnel
import XCTest

/// Parsing of the tunnel's settings: endpoint, host key, private key (no server needed).
final class SSHTunnelSettingsTests: XCTestCase {
    func testEndpoints() throws {
        XCTAssertEqual(try SSHEndpoint(parsing: "ssh://ec2-user@bastion.example.com"), SSHEndpoint(user: "ec2-user", host: "bastion.example.com", port: 22))
        XCTAssertEqual(try SSHEndpoint(parsing: "ssh://me@10.0.0.1:2222/"), SSHEndpoint(user: "me", host: "10.0.0.1", port: 2222))
        XCTAssertEqual(try SSHEndpoint(parsing: "ssh://me@[::1]:2200"), SSHEndpoint(user: "me", host: "::1", port: 2200))
        XCTAssertEqual(try SSHEndpoint(parsing: "ssh://me@[::1]").address, "[::1]:22")
        XCTAssertEqual(try SSHEndpoint(parsing: "ssh://a@b@host:22").user, "a@b")
        for bad in ["bastion:22", "ssh://bastion", "ssh://@host", "ssh://me@", "ssh://me@host:0", "ssh://me@host:x", "ssh://me@host/path"] {
            XCTAssertThrowsError(try SSHEndpoint(parsing: bad), bad) { error in
                XCTAssertEqual((error as? SSHTunnelError)?.kind, .configuration)
                XCTAssertTrue("\(error)".contains("ssh://user@host[:port]"), "\(error)")
            }
        }
    }

    func testHostKeys() throws {
        let key = try SSHTestKeys.key("ed25519")
        let fields = key.publicLine.split(separator: " ")
        let blob = try XCTUnwrap(SSHFingerprint.decodeBase64(fields[1]))
        XCTAssertEqual(SSHFingerprint.sha256(blob), key.fingerprint, "our fingerprint is ssh-keygen's")

        let forms = [
            key.publicLine,                                       // as in authorized_keys / a .pub file
            "[bastion.example.com]:2222 \(fields[0]) \(fields[1])", // as ssh-keyscan prints it
            "|1|hashedhost= \(fields[0]) \(fields[1]) comment",   // hashed known_hosts
            key.fingerprint,                                      // as ssh-keygen -l prints it
            "# from ssh-keyscan\n\n" + key.fingerprint + "\n",
        ]
        for form in forms {
            let check = try HostKeyCheck(parsing: form)
            XCTAssertTrue(check.matches(blob: blob), form)
            let other = try SSHTestKeys.key("ecdsa")
            XCTAssertFalse(check.matches(blob: try XCTUnwrap(SSHFingerprint.decodeBase64(other.publicLine.split(separator: " ")[1]))), form)
        }
        XCTAssertEqual(try HostKeyCheck(parsing: key.publicLine).requiredKeyTypes, ["ssh-ed25519"])
        XCTAssertNil(try HostKeyCheck(parsing: key.fingerprint).requiredKeyTypes, "a fingerprint allows any key type")
        let two = try HostKeyCheck(parsing: key.publicLine + "\n" + (try SSHTestKeys.key("ecdsa")).publicLine)
        XCTAssertEqual(two.requiredKeyTypes, ["ssh-ed25519", "ecdsa-sha2-nistp256"])

        for (bad, expected) in [
            ("", "empty"), ("SHA256:tooshort", "43 base64"), ("MD5:12:34", "MD5"),
            ("12:34:56:78:9a:bc:de:f0:12:34:56:78:9a:bc:de:f0", "MD5"),
            ("@cert-authority *.example.com \(fields[0]) \(fields[1])", "markers"),
            ("bastion ssh-ed25519 not-base64!", "not valid base64"), ("just some text", "neither"),
            ("bastion ssh-rsa \(fields[1])", "not valid base64 of a ssh-rsa key"),
        ] {
            XCTAssertThrowsError(try HostKeyCheck(parsing: bad), bad) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(bad): \(error)")
            }
        }
    }

    /// Every format ssh-keygen writes, with its type and (for the message) ssh-keygen's own fingerprint.
    func testPrivateKeyFormats() throws {
        let expected = ["rsa-pem": "RSA", "rsa-openssh": "RSA", "rsa-pkcs8": "RSA", "ed25519": "ED25519", "ecdsa": "ECDSA", "ecdsa-pem": "ECDSA"]
        for key in try SSHTestKeys.all.get() {
            let parsed = try PrivateKey(parsing: key.privateKey)
            XCTAssertEqual(parsed.typeLabel, expected[key.name], key.name)
            XCTAssertEqual(parsed.fingerprint, key.fingerprint, key.name)
            XCTAssertEqual(parsed.rsa != nil, parsed.typeLabel == "RSA", key.name)
            XCTAssertEqual("\(parsed)", "\(expected[key.name]!) key \(key.fingerprint)", "the description is all a message may say")
            // Pasted text survives: CRLF, indentation, and the whole key on one line.
            for variant in [key.privateKey.replacingOccurrences(of: "\n", with: "\r\n"),
                            key.privateKey.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"),
                            key.privateKey.replacingOccurrences(of: "\n", with: " ")] {
                XCTAssertEqual(try PrivateKey(parsing: variant).fingerprint, key.fingerprint, "\(key.name) pasted")
            }
        }
    }

    func testUnusablePrivateKeysSayWhy() throws {
        let directory = SSHTestKeys.directory
        let encrypted = directory.appendingPathComponent("encrypted").path
        let encryptedPEM = directory.appendingPathComponent("encrypted-pem").path
        if !FileManager.default.fileExists(atPath: encrypted) {
            try Subprocess.checkedOutput("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "secret passphrase", "-f", encrypted])
            try Subprocess.checkedOutput("/usr/bin/ssh-keygen", ["-q", "-t", "rsa", "-b", "2048", "-m", "PEM", "-N", "secret passphrase", "-f", encryptedPEM])
        }
        let rsa = try SSHTestKeys.key("rsa-pem")
        let cases: [(String, String)] = [
            (try String(contentsOfFile: encrypted, encoding: .utf8), "encrypted with a passphrase"),
            (try String(contentsOfFile: encryptedPEM, encoding: .utf8), "encrypted with a passphrase"),
            (rsa.publicLine, "this is a public key"),
            ("PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\n", "PuTTY"),
            ("hello", "not a PEM or OpenSSH private key"),
            ("-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----", "openssh-key-v1"),
            ("-----BEGIN RSA PRIVATE KEY-----\n%%%%\n-----END RSA PRIVATE KEY-----", "not base64"),
            ("-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAK\n-----END RSA PRIVATE KEY-----", "cannot read the PEM RSA PRIVATE KEY"),
            (String(rsa.privateKey.prefix(400)), "not a PEM or OpenSSH private key"),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try PrivateKey(parsing: text), expected) { error in
                XCTAssertEqual((error as? SSHTunnelError)?.kind, .configuration)
                XCTAssertTrue("\(error)".contains(expected), "\(expected): \(error)")
                XCTAssertFalse("\(error)".contains(String(rsa.privateKey.split(separator: "\n")[1])), "the error shows key material")
            }
        }
    }

    /// The RSA signatures verify with OpenSSH's own tools: `ssh-keygen -Y sign` is not usable here, so the signature
    /// is checked against the public key by OpenSSL through `openssl dgst -verify`.
    func testRSASignaturesVerify() throws {
        for name in ["rsa-pem", "rsa-openssh", "rsa-pkcs8"] {
            let key = try SSHTestKeys.key(name)
            let signer = try XCTUnwrap(try PrivateKey(parsing: key.privateKey).rsa)
            let data = Array("session id and userauth request".utf8)
            let pem = SSHTestKeys.directory.appendingPathComponent(name + ".pub.pem").path
            try Subprocess.checkedOutput("/bin/sh", ["-c", "ssh-keygen -e -m PKCS8 -f '\(SSHTestKeys.directory.appendingPathComponent(name).path).pub' > '\(pem)'"])
            for (algorithm, digest) in [("rsa-sha2-512", "-sha512"), ("rsa-sha2-256", "-sha256"), ("ssh-rsa", "-sha1")] {
                let signature = try XCTUnwrap(data.withUnsafeBytes { signer.sign($0, algorithm: algorithm) })
                let signaturePath = SSHTestKeys.directory.appendingPathComponent("\(name).\(algorithm).sig")
                let dataPath = SSHTestKeys.directory.appendingPathComponent("\(name).data")
                try Data(signature).write(to: signaturePath)
                try Data(data).write(to: dataPath)
                let output = try Subprocess.checkedOutput("/usr/bin/openssl", ["dgst", digest, "-verify", pem, "-signature", signaturePath.path, dataPath.path])
                XCTAssertTrue(output.contains("Verified OK"), "\(name) \(algorithm): \(output)")
            }
            // The blob for the request: the key's e and n under the algorithm's name.
            let trueBlob = try XCTUnwrap(SSHFingerprint.decodeBase64(key.publicLine.split(separator: " ")[1]))
            XCTAssertEqual(signer.publicBlob(algorithm: "ssh-rsa"), trueBlob)
            var relabelled = SSHReader(signer.publicBlob(algorithm: "rsa-sha2-512"))
            XCTAssertEqual(try relabelled.text(), "rsa-sha2-512")
            XCTAssertEqual(Array(trueBlob.dropFirst(4 + 7)), Array(signer.publicBlob(algorithm: "rsa-sha2-512").dropFirst(4 + 12)))
        }
    }
}
