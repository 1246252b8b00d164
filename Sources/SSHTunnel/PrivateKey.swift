import CLibSSH2
import Foundation

/// The `privateKey` setting, parsed in memory (it is never written to a file, logged, or put in an error).
///
/// Accepted: OpenSSH format (`BEGIN OPENSSH PRIVATE KEY`, what `ssh-keygen` writes) and PEM (`BEGIN RSA PRIVATE KEY`,
/// `BEGIN EC PRIVATE KEY`, PKCS#8 `BEGIN PRIVATE KEY`), unencrypted. Pasted text is repaired: CRLF line ends,
/// indentation, a key flattened onto one line.
///
/// RSA keys are signed here with OpenSSL (see ``RSASigner``); Ed25519 and ECDSA keys are handed to libssh2.
// Unchecked: `text` is written only by deinit (wiping it); the key is read-only once parsed.
final class PrivateKey: @unchecked Sendable, CustomStringConvertible {
    /// `RSA`, `ED25519`, `ECDSA`, `DSA`: as OpenSSH names key types in its logs.
    let typeLabel: String
    /// The public key blob, when it could be derived (for the fingerprint in messages).
    let publicBlob: [UInt8]?
    /// For RSA keys: the key, which this module signs with.
    let rsa: RSASigner?
    /// For other keys: the normalised key text, which libssh2 parses.
    private(set) var text: [UInt8]

    var fingerprint: String? { publicBlob.map(SSHFingerprint.sha256) }

    /// `RSA key SHA256:…`: what messages may say about the key.
    var description: String { "\(typeLabel) key" + (fingerprint.map { " " + $0 } ?? "") }

    deinit {
        // Best effort: the caller's String copy is beyond reach.
        for index in text.indices { text[index] = 0 }
    }

    private init(typeLabel: String, publicBlob: [UInt8]?, rsa: RSASigner?, text: [UInt8]) {
        self.typeLabel = typeLabel
        self.publicBlob = publicBlob
        self.rsa = rsa
        self.text = text
    }

    convenience init(parsing raw: String) throws(SSHTunnelError) {
        func invalid(_ why: String) -> SSHTunnelError { SSHTunnelError(.configuration, "privateKey: \(why)") }
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { throw invalid("missing") }
        if trimmed.hasPrefix("PuTTY-User-Key-File") {
            throw invalid("PuTTY .ppk keys are not supported; convert it with `puttygen KEY.ppk -O private-openssh -o KEY`")
        }
        if trimmed.hasPrefix("ssh-") || trimmed.hasPrefix("ecdsa-sha2-") || trimmed.hasPrefix("sk-") {
            throw invalid("this is a public key; give the private key (the file without .pub)")
        }
        guard let (label, body) = Self.armor(trimmed) else {
            throw invalid("not a PEM or OpenSSH private key (expected -----BEGIN ... PRIVATE KEY----- ... -----END ... PRIVATE KEY-----)")
        }
        if label == "ENCRYPTED PRIVATE KEY" || body.contains("ENCRYPTED") {
            throw invalid("the key is encrypted with a passphrase, which is not supported; remove it with `ssh-keygen -p -N '' -f KEY`")
        }
        // Headers (`Name: value` lines) only appear in encrypted PEM keys, refused above.
        let base64 = body.filter { !$0.isWhitespace }
        guard let der = SSHFingerprint.decodeBase64(Substring(base64)), !der.isEmpty else {
            throw invalid("the text between the BEGIN and END lines is not base64")
        }
        var normalised = "-----BEGIN \(label)-----\n"
        var rest = Substring(base64)
        while !rest.isEmpty {
            normalised += rest.prefix(64) + "\n"
            rest = rest.dropFirst(64)
        }
        normalised += "-----END \(label)-----\n"
        let text = Array(normalised.utf8)

        if label == "OPENSSH PRIVATE KEY" {
            try self.init(openSSH: der, text: text)
        } else {
            try self.init(pem: text, label: label)
        }
    }

    /// The label and body of the first `-----BEGIN label-----` … `-----END label-----` block.
    private static func armor(_ text: String) -> (label: String, body: Substring)? {
        guard let begin = text.range(of: "-----BEGIN ") else { return nil }
        guard let labelEnd = text.range(of: "-----", range: begin.upperBound..<text.endIndex) else { return nil }
        let label = String(text[begin.upperBound..<labelEnd.lowerBound])
        guard label.hasSuffix("PRIVATE KEY"), let end = text.range(of: "-----END \(label)-----", range: labelEnd.upperBound..<text.endIndex) else {
            return nil
        }
        return (label, text[labelEnd.upperBound..<end.lowerBound])
    }

    /// The `openssh-key-v1` container (PROTOCOL.key in OpenSSH's sources).
    private convenience init(openSSH der: [UInt8], text: [UInt8]) throws(SSHTunnelError) {
        func invalid(_ why: String) -> SSHTunnelError { SSHTunnelError(.configuration, "privateKey: OpenSSH key \(why)") }
        let magic = Array("openssh-key-v1".utf8) + [0]
        guard der.starts(with: magic) else { throw invalid("lacks its openssh-key-v1 header") }
        var reader = SSHReader(der.dropFirst(magic.count))
        do {
            let cipher = try reader.text()
            _ = try reader.string()  // kdf name
            _ = try reader.string()  // kdf options
            if cipher != "none" {
                throw SSHTunnelError(.configuration, "privateKey: the key is encrypted with a passphrase (\(cipher)), which is not supported; "
                    + "remove it with `ssh-keygen -p -N '' -f KEY`")
            }
            let count = try reader.uint32()
            guard count >= 1 else { throw invalid("holds no key") }
            let publicBlob = try reader.string()
            for _ in 1..<count { _ = try reader.string() }
            var secret = SSHReader(try reader.string())
            guard try secret.uint32() == secret.uint32() else { throw invalid("is corrupt (check values differ)") }
            let type = try secret.text()
            guard SSHFingerprint.typeName(ofBlob: publicBlob) == type else { throw invalid("is corrupt (public and private parts differ)") }
            switch type {
            case "ssh-rsa":
                let n = try secret.string(), e = try secret.string(), d = try secret.string()
                let iqmp = try secret.string(), p = try secret.string(), q = try secret.string()
                let signer = try RSASigner(n: n, e: e, d: d, p: p, q: q, iqmp: iqmp)
                self.init(typeLabel: "RSA", publicBlob: publicBlob, rsa: signer, text: [])
            case "ssh-ed25519":
                self.init(typeLabel: "ED25519", publicBlob: publicBlob, rsa: nil, text: text)
            case let type where type.hasPrefix("ecdsa-sha2-"):
                self.init(typeLabel: "ECDSA", publicBlob: publicBlob, rsa: nil, text: text)
            case "ssh-dss":
                self.init(typeLabel: "DSA", publicBlob: publicBlob, rsa: nil, text: text)
            default:
                throw invalid("has type \(type), which is not supported (use an Ed25519, ECDSA or RSA key)")
            }
        } catch let error as SSHTunnelError {
            throw error
        } catch {
            throw invalid("is truncated")
        }
    }

    /// PEM keys, read by OpenSSL.
    private convenience init(pem text: [UInt8], label: String) throws(SSHTunnelError) {
        ERR_clear_error()
        let key: OpaquePointer? = text.withUnsafeBytes { bytes in
            guard let bio = BIO_new_mem_buf(bytes.baseAddress, Int32(bytes.count)) else { return nil }
            defer { BIO_free(bio) }
            // An empty passphrase rather than none: with none, OpenSSL would prompt on the terminal.
            return PEM_read_bio_PrivateKey(bio, nil, nil, UnsafeMutableRawPointer(mutating: ("" as StaticString).utf8Start))
        }
        guard let key else {
            throw SSHTunnelError(.configuration, "privateKey: cannot read the PEM \(label): \(OpenSSLError.last())")
        }
        switch EVP_PKEY_get_base_id(key) {
        case EVP_PKEY_RSA:
            let signer = RSASigner(key: key)
            self.init(typeLabel: "RSA", publicBlob: signer.publicBlob(algorithm: "ssh-rsa"), rsa: signer, text: [])
        case EVP_PKEY_ED25519:
            defer { EVP_PKEY_free(key) }
            self.init(typeLabel: "ED25519", publicBlob: Self.ed25519Blob(key), rsa: nil, text: text)
        case EVP_PKEY_EC:
            defer { EVP_PKEY_free(key) }
            self.init(typeLabel: "ECDSA", publicBlob: Self.ecdsaBlob(key), rsa: nil, text: text)
        case EVP_PKEY_DSA:
            EVP_PKEY_free(key)
            self.init(typeLabel: "DSA", publicBlob: nil, rsa: nil, text: text)
        default:
            EVP_PKEY_free(key)
            throw SSHTunnelError(.configuration, "privateKey: the PEM \(label) holds a key type SSH cannot use (use an Ed25519, ECDSA or RSA key)")
        }
    }

    private static func ed25519Blob(_ key: OpaquePointer) -> [UInt8]? {
        var raw = [UInt8](repeating: 0, count: 32)
        var length = 32
        guard EVP_PKEY_get_raw_public_key(key, &raw, &length) == 1, length == 32 else { return nil }
        var writer = SSHWriter()
        writer.string("ssh-ed25519")
        writer.string(raw)
        return writer.bytes
    }

    private static func ecdsaBlob(_ key: OpaquePointer) -> [UInt8]? {
        var group = [CChar](repeating: 0, count: 64)
        var groupLength = 0
        guard EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, &group, group.count, &groupLength) == 1 else { return nil }
        let curves = ["prime256v1": "nistp256", "P-256": "nistp256", "secp384r1": "nistp384", "P-384": "nistp384",
                      "secp521r1": "nistp521", "P-521": "nistp521"]
        guard let curve = curves[String(decoding: group.prefix(groupLength).map { UInt8(bitPattern: $0) }, as: UTF8.self)] else { return nil }
        var point = [UInt8](repeating: 0, count: 256)
        var pointLength = 0
        guard EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, &point, point.count, &pointLength) == 1 else { return nil }
        var writer = SSHWriter()
        writer.string("ecdsa-sha2-" + curve)
        writer.string(curve)
        writer.string(point.prefix(pointLength))
        return writer.bytes
    }
}

/// An RSA private key held by OpenSSL, which signs user authentication with rsa-sha2-512, rsa-sha2-256
/// (RFC 8332) or ssh-rsa (SHA-1).
// Unchecked: it holds an OpenSSL EVP_PKEY pointer, immutable once loaded; signing only reads the key.
final class RSASigner: @unchecked Sendable {
    private let key: OpaquePointer
    /// The public exponent and modulus, as big-endian magnitudes.
    private let e: [UInt8]
    private let n: [UInt8]

    /// Takes ownership of an `EVP_PKEY` holding an RSA key.
    init(key: OpaquePointer) {
        self.key = key
        e = Self.bignumParameter(key, OSSL_PKEY_PARAM_RSA_E)
        n = Self.bignumParameter(key, OSSL_PKEY_PARAM_RSA_N)
    }

    /// From the components of an OpenSSH-format key (the CRT exponents are derived).
    convenience init(n: [UInt8], e: [UInt8], d: [UInt8], p: [UInt8], q: [UInt8], iqmp: [UInt8]) throws(SSHTunnelError) {
        let failure = SSHTunnelError(.configuration, "privateKey: the OpenSSH RSA key is not a valid RSA key")
        func bignum(_ bytes: [UInt8]) -> OpaquePointer? { bytes.withUnsafeBufferPointer { BN_bin2bn($0.baseAddress, Int32($0.count), nil) } }
        let numbers = [n, e, d, p, q, iqmp].map(bignum)
        let dmp1 = BN_new(), dmq1 = BN_new(), scratch = BN_new(), context = BN_CTX_new()
        defer {
            for number in numbers { BN_clear_free(number) }
            BN_clear_free(dmp1); BN_clear_free(dmq1); BN_clear_free(scratch); BN_CTX_free(context)
        }
        guard numbers.allSatisfy({ $0 != nil }), let dmp1, let dmq1, let scratch, let context else { throw failure }
        let (bn, be, bd, bp, bq, biqmp) = (numbers[0]!, numbers[1]!, numbers[2]!, numbers[3]!, numbers[4]!, numbers[5]!)
        // dmp1 = d mod (p - 1), dmq1 = d mod (q - 1)
        guard BN_sub(scratch, bp, BN_value_one()) == 1, BN_div(nil, dmp1, bd, scratch, context) == 1,
              BN_sub(scratch, bq, BN_value_one()) == 1, BN_div(nil, dmq1, bd, scratch, context) == 1 else { throw failure }

        guard let builder = OSSL_PARAM_BLD_new() else { throw failure }
        defer { OSSL_PARAM_BLD_free(builder) }
        // The builder keeps the name pointers until OSSL_PARAM_BLD_to_param, so they must be static strings. (The
        // OSSL_PKEY_PARAM_RSA_* macros would arrive as temporary Swift strings, and the numbered ones not at all.)
        let parameters: [(StaticString, OpaquePointer)] = [
            ("n", bn), ("e", be), ("d", bd), ("rsa-factor1", bp), ("rsa-factor2", bq),
            ("rsa-exponent1", dmp1), ("rsa-exponent2", dmq1), ("rsa-coefficient1", biqmp),
        ]
        for (name, value) in parameters {
            let key = UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: CChar.self)
            guard OSSL_PARAM_BLD_push_BN(builder, key, value) == 1 else { throw failure }
        }
        guard let params = OSSL_PARAM_BLD_to_param(builder) else { throw failure }
        defer { OSSL_PARAM_free(params) }
        guard let context = EVP_PKEY_CTX_new_from_name(nil, "RSA", nil) else { throw failure }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer?
        guard EVP_PKEY_fromdata_init(context) == 1, EVP_PKEY_fromdata(context, &key, capstan_EVP_PKEY_KEYPAIR, params) == 1, let key else {
            throw failure
        }
        self.init(key: key)
    }

    deinit { EVP_PKEY_free(key) }

    private static func bignumParameter(_ key: OpaquePointer, _ name: String) -> [UInt8] {
        var number: OpaquePointer?
        guard EVP_PKEY_get_bn_param(key, name, &number) == 1, let number else { return [] }
        defer { BN_free(number) }
        var bytes = [UInt8](repeating: 0, count: Int((BN_num_bits(number) + 7) / 8))
        _ = BN_bn2bin(number, &bytes)
        return bytes
    }

    /// The public key blob, with `algorithm` as its type name: `ssh-rsa` is the key's true name; see ``SSHAuthentication``
    /// for why libssh2 1.10 needs `rsa-sha2-512` there.
    func publicBlob(algorithm: String) -> [UInt8] {
        var writer = SSHWriter()
        writer.string(algorithm)
        writer.mpint(e)
        writer.mpint(n)
        return writer.bytes
    }

    /// A PKCS#1 v1.5 signature of `data` with the hash that `algorithm` names; nil when OpenSSL fails.
    func sign(_ data: UnsafeRawBufferPointer, algorithm: String) -> [UInt8]? {
        let digest = switch algorithm {
        case "rsa-sha2-512": EVP_sha512()
        case "rsa-sha2-256": EVP_sha256()
        default: EVP_sha1()
        }
        guard let context = EVP_MD_CTX_new() else { return nil }
        defer { EVP_MD_CTX_free(context) }
        var length = 0
        guard EVP_DigestSignInit(context, nil, digest, nil, key) == 1,
              EVP_DigestSign(context, nil, &length, data.baseAddress?.assumingMemoryBound(to: UInt8.self), data.count) == 1 else { return nil }
        var signature = [UInt8](repeating: 0, count: length)
        guard EVP_DigestSign(context, &signature, &length, data.baseAddress?.assumingMemoryBound(to: UInt8.self), data.count) == 1 else { return nil }
        return Array(signature.prefix(length))
    }
}

enum OpenSSLError {
    /// The reason of OpenSSL's last error on this thread (never key material), and clears the queue.
    static func last() -> String {
        let code = ERR_peek_last_error()
        defer { ERR_clear_error() }
        guard code != 0, let reason = ERR_reason_error_string(code) else { return "unrecognised key format" }
        return String(cString: reason)
    }
}
