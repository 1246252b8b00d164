import CLibSSH2
import Foundation
import Logging

/// libssh2_init, once per process (it is not thread-safe).
enum LibSSH2 {
    static let initialised: Bool = libssh2_init(0) == 0

    /// libssh2's last error message for `session`.
    static func lastError(_ session: OpaquePointer) -> (code: Int32, message: String) {
        var message: UnsafeMutablePointer<CChar>?
        var length: Int32 = 0
        let code = libssh2_session_last_error(session, &message, &length, 0)
        return (code, message.map { String(cString: $0) } ?? "error \(code)")
    }

    /// Host key algorithms, most preferred first, as OpenSSH's client orders them; libssh2 1.10 would pick ECDSA first.
    /// (libssh2 1.10 cannot verify RSA host keys with rsa-sha2-*, only ssh-rsa, which OpenSSH 8.8+ no longer offers.)
    static let hostKeyPreference = ["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa", "ssh-dss"]

    /// MACs, fastest first. libssh2 1.10 has no encrypt-then-MAC, UMAC, GCM or ChaCha20-Poly1305, so the MAC is a
    /// plain HMAC computed over every packet at both ends. Measured on x86-64 without SHA extensions (400 MB through one
    /// channel, libssh2's CPU): hmac-sha1 2.0-3.0 s, hmac-sha2-512 3.0-3.9 s, hmac-sha2-256 3.7-4.1 s. HMAC-SHA1 stays a
    /// sound MAC (its strength does not rest on SHA-1's collision resistance; OpenSSH 9 still enables it by default),
    /// and a server that disables it gets the SHA-2 ones.
    static let macPreference = "hmac-sha1,hmac-sha2-512,hmac-sha2-256"

    static func supported(_ session: OpaquePointer, _ method: Int32) -> [String] {
        var algorithms: UnsafeMutablePointer<UnsafePointer<CChar>?>?
        let count = libssh2_session_supported_algs(session, method, &algorithms)
        guard count > 0, let algorithms else { return [] }
        defer { libssh2_free(session, algorithms) }
        return (0..<Int(count)).compactMap { algorithms[$0].map { String(cString: $0) } }
    }
}

private let disconnectCallback: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, Int32, UnsafePointer<CChar>?, Int32,
                                                UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> Void = { _, reason, message, length, _, _, abstract in
    guard let context = SessionContext.of(abstract) else { return }
    var text = "the bastion disconnected (reason \(reason))"
    if let message, length > 0 {
        let bytes = UnsafeRawBufferPointer(start: message, count: Int(length))
        text += ": " + String(decoding: bytes, as: UTF8.self)
    }
    context.recordDisconnect(text)
}

/// libssh2's socket reads, plus a quick ACK for what was read.
///
/// sshd sets TCP_NODELAY on its connection only when a shell or command starts (ssh_packet_set_interactive), never
/// for a connection that only forwards. So Nagle holds back the tail of each burst it sends until everything before is
/// acknowledged, and Linux's delayed ACK makes that up to 40 ms: once per database response, which cut the tunnel's
/// throughput by half in `scripts/bench tunnel`. Acknowledging at once (TCP_QUICKACK, which Linux clears again by
/// itself, hence after every read) releases the tail after one round trip.
let receiveWithQuickAck: @convention(c) (Int32, UnsafeMutableRawPointer?, Int, Int32, UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> Int = {
    socket, buffer, length, flags, _ in
    let count = recv(socket, buffer, length, flags)
    if count < 0 { return errno == EWOULDBLOCK ? -Int(EAGAIN) : -Int(errno) }
    if count > 0 { Sockets.setOption(socket, Int32(IPPROTO_TCP), TCP_QUICKACK, 1) }
    return count
}

/// An SSH connection to the bastion: TCP, handshake, host key check, authentication.
// Unchecked: the libssh2 session it holds is used by one thread at a time (the starter's, then the tunnel's).
final class BastionConnection: @unchecked Sendable {
    let session: OpaquePointer
    let socket: Int32
    let context: SessionContext
    /// The bastion's host key, `ssh-ed25519 SHA256:…`.
    private(set) var hostKey = ""
    private let retainedContext: Unmanaged<SessionContext>

    private init(session: OpaquePointer, socket: Int32, context: SessionContext, retainedContext: Unmanaged<SessionContext>) {
        self.session = session
        self.socket = socket
        self.context = context
        self.retainedContext = retainedContext
    }

    /// The negotiated cipher and MAC from the bastion to us (the direction the data mostly flows), e.g.
    /// `("aes128-ctr", "hmac-sha1")`.
    var algorithms: (cipher: String, mac: String) {
        func method(_ type: Int32) -> String { libssh2_session_methods(session, type).map { String(cString: $0) } ?? "?" }
        return (method(LIBSSH2_METHOD_CRYPT_SC), method(LIBSSH2_METHOD_MAC_SC))
    }

    /// Frees the session (without a goodbye: call ``sayGoodbye()`` first for that) and closes the socket.
    func free() {
        libssh2_session_free(session)
        close(socket)
        retainedContext.release()
    }

    /// Says goodbye to the bastion, waiting at most a second.
    func sayGoodbye() {
        libssh2_session_set_blocking(session, 1)
        libssh2_session_set_timeout(session, 1000)
        _ = libssh2_session_disconnect_ex(session, SSH_DISCONNECT_BY_APPLICATION, "tunnel closed", "")
    }

    static func open(endpoint: SSHEndpoint, key: PrivateKey, hostKeyCheck: HostKeyCheck?, timeout: Duration, logger: Logger) throws(SSHTunnelError) -> BastionConnection {
        let prefix = "ssh tunnel to bastion \(endpoint.address): "
        func fail(_ error: SSHTunnelError) -> SSHTunnelError { SSHTunnelError(error.kind, prefix + error.message) }
        guard LibSSH2.initialised else { throw SSHTunnelError(.handshake, prefix + "libssh2_init failed") }
        let deadline = ContinuousClock.now + timeout

        let fd: Int32
        do {
            let addresses = try Sockets.resolve(host: endpoint.host, port: endpoint.port)
            fd = try Sockets.connect(addresses, deadline: deadline, label: endpoint.address)
        } catch {
            throw fail(error)
        }
        Sockets.setOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
        // A bastion that vanishes without a FIN: TCP keepalive when idle, and a limit on unacknowledged data otherwise
        // (the SSH keepalives every 30 s guarantee there is some), so the tunnel fails in about two minutes, not fifteen.
        Sockets.setOption(fd, SOL_SOCKET, SO_KEEPALIVE, 1)
        Sockets.setOption(fd, Int32(IPPROTO_TCP), TCP_KEEPIDLE, 60)
        Sockets.setOption(fd, Int32(IPPROTO_TCP), TCP_KEEPINTVL, 10)
        Sockets.setOption(fd, Int32(IPPROTO_TCP), TCP_KEEPCNT, 6)
        Sockets.setOption(fd, Int32(IPPROTO_TCP), TCP_USER_TIMEOUT, 120_000)

        let context = SessionContext()
        let retained = Unmanaged.passRetained(context)
        guard let session = libssh2_session_init_ex(nil, nil, nil, retained.toOpaque()) else {
            close(fd)
            retained.release()
            throw SSHTunnelError(.handshake, prefix + "cannot create an SSH session (out of memory)")
        }
        _ = libssh2_session_callback_set(session, LIBSSH2_CALLBACK_DISCONNECT, unsafeBitCast(disconnectCallback, to: UnsafeMutableRawPointer.self))
        _ = libssh2_session_callback_set(session, LIBSSH2_CALLBACK_RECV, unsafeBitCast(receiveWithQuickAck, to: UnsafeMutableRawPointer.self))
        let connection = BastionConnection(session: session, socket: fd, context: context, retainedContext: retained)
        do {
            connection.hostKey = try connection.handshake(endpoint: endpoint, hostKeyCheck: hostKeyCheck, deadline: deadline, logger: logger)
            try connection.authenticate(user: endpoint.user, key: key, deadline: deadline, logger: logger)
            return connection
        } catch {
            connection.free()
            throw fail(error)
        }
    }

    private func setTimeout(until deadline: ContinuousClock.Instant) throws(SSHTunnelError) {
        let remaining = ContinuousClock.now.duration(to: deadline)
        guard remaining > .zero else { throw SSHTunnelError(.handshake, "timed out") }
        libssh2_session_set_timeout(session, max(1, Int(remaining / .milliseconds(1))))
    }

    /// Key exchange, then the host key check; returns the host key as `type SHA256:…`.
    private func handshake(endpoint: SSHEndpoint, hostKeyCheck: HostKeyCheck?, deadline: ContinuousClock.Instant, logger: Logger) throws(SSHTunnelError) -> String {
        libssh2_session_set_blocking(session, 1)
        try setTimeout(until: deadline)
        let supported = LibSSH2.supported(session, LIBSSH2_METHOD_HOSTKEY)
        var wanted = LibSSH2.hostKeyPreference.filter(supported.contains)
        if let required = hostKeyCheck?.requiredKeyTypes {
            wanted = required.filter(supported.contains)
            if wanted.isEmpty {
                throw SSHTunnelError(.configuration, "hostKey names key types (\(required.joined(separator: ", "))) that libssh2 cannot verify")
            }
        }
        _ = libssh2_session_method_pref(session, LIBSSH2_METHOD_HOSTKEY, wanted.joined(separator: ","))
        _ = libssh2_session_method_pref(session, LIBSSH2_METHOD_MAC_CS, LibSSH2.macPreference)
        _ = libssh2_session_method_pref(session, LIBSSH2_METHOD_MAC_SC, LibSSH2.macPreference)

        let status = libssh2_session_handshake(session, socket)
        if status != 0 {
            let (code, message) = LibSSH2.lastError(session)
            var text = "SSH handshake failed: \(message)"
            if code == LIBSSH2_ERROR_TIMEOUT || code == LIBSSH2_ERROR_SOCKET_TIMEOUT {
                text = "SSH handshake timed out"
            } else if code == LIBSSH2_ERROR_KEX_FAILURE || code == LIBSSH2_ERROR_KEY_EXCHANGE_FAILURE || code == LIBSSH2_ERROR_METHOD_NONE {
                text += " (libssh2 1.10 offers host keys \(wanted.joined(separator: ", ")); ciphers aes128/192/256-ctr and -cbc; "
                    + "MACs hmac-sha2-256, hmac-sha2-512, hmac-sha1: the bastion may accept none of them)"
            } else if code == LIBSSH2_ERROR_BANNER_RECV || code == LIBSSH2_ERROR_SOCKET_RECV || code == LIBSSH2_ERROR_SOCKET_DISCONNECT {
                text += " (is an SSH server listening at \(endpoint.address)?)"
            }
            throw SSHTunnelError(.handshake, text)
        }
        var length = 0
        var type: Int32 = 0
        guard let pointer = libssh2_session_hostkey(session, &length, &type), length > 0 else {
            throw SSHTunnelError(.handshake, "the bastion presented no host key")
        }
        let blob = Array(UnsafeRawBufferPointer(start: pointer, count: length).bindMemory(to: UInt8.self))
        let presented = "\(SSHFingerprint.typeName(ofBlob: blob) ?? "unknown") \(SSHFingerprint.sha256(blob))"
        if let hostKeyCheck {
            guard hostKeyCheck.matches(blob: blob) else {
                throw SSHTunnelError(.hostKeyMismatch, "host key mismatch: the bastion presented \(presented), but hostKey allows only "
                    + "\(hostKeyCheck.summary); refusing to connect (if the bastion's key was changed on purpose, update hostKey)")
            }
        } else {
            logger.info("ssh tunnel: bastion host key not checked (no hostKey configured)", metadata: ["bastion": "\(endpoint.address)", "hostKey": "\(presented)"])
        }
        return presented
    }

    private func authenticate(user: String, key: PrivateKey, deadline: ContinuousClock.Instant, logger: Logger) throws(SSHTunnelError) {
        try setTimeout(until: deadline)
        let userLength = UInt32(user.utf8.count)
        let methods = libssh2_userauth_list(session, user, userLength).map { String(cString: $0) }
        if libssh2_userauth_authenticated(session) != 0 { return }
        guard let methods else {
            let (code, message) = LibSSH2.lastError(session)
            throw SSHTunnelError(code == LIBSSH2_ERROR_TIMEOUT ? .handshake : .authentication,
                                 "cannot ask the bastion how \"\(user)\" may authenticate: \(message)")
        }
        guard methods.split(separator: ",").contains("publickey") else {
            throw SSHTunnelError(.authentication, "authentication as \"\(user)\" failed: the bastion does not accept public-key authentication "
                + "for this user (it offers: \(methods))")
        }
        if let rsa = key.rsa {
            try SSHAuthentication.rsa(session: session, user: user, signer: rsa, key: key, logger: logger)
        } else {
            let status = key.text.withUnsafeBytes { text in
                libssh2_userauth_publickey_frommemory(session, user, Int(userLength), nil, 0,
                                                      text.baseAddress?.assumingMemoryBound(to: CChar.self), text.count, "")
            }
            guard status != 0 else { return }
            let (code, message) = LibSSH2.lastError(session)
            switch code {
            case LIBSSH2_ERROR_AUTHENTICATION_FAILED:
                throw SSHTunnelError(.authentication, "authentication as \"\(user)\" failed: the bastion refused the \(key): it is not in the "
                    + "user's authorized_keys (or the server does not accept this key type)")
            case LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED:
                throw SSHTunnelError(.authentication, "authentication as \"\(user)\" failed: the bastion accepted the \(key) but rejected its signature (\(message))")
            case LIBSSH2_ERROR_FILE:
                throw SSHTunnelError(.configuration, "privateKey: libssh2 cannot use the \(key): \(message)")
            case LIBSSH2_ERROR_TIMEOUT:
                throw SSHTunnelError(.authentication, "authentication as \"\(user)\" timed out")
            default:
                throw SSHTunnelError(.authentication, "authentication as \"\(user)\" failed: \(message)")
            }
        }
    }
}

/// RSA user authentication that works with OpenSSH 8.8+ although libssh2 1.10 knows only `ssh-rsa` (SHA-1) signatures.
///
/// libssh2 1.10's `libssh2_userauth_publickey` takes the public key algorithm name it sends (in the request and in the
/// signature blob) from the type name at the start of the public key blob it is given; the sign callback supplies only
/// the raw signature. With the true blob (`ssh-rsa`) the request names `ssh-rsa`, which OpenSSH 8.8+ refuses before
/// looking at the key ("signature algorithm ssh-rsa not in PubkeyAcceptedAlgorithms"), so libssh2 reports
/// "Username/PublicKey combination invalid", as for a wrong key.
///
/// So the first attempts relabel the blob: type name `rsa-sha2-512` (then `rsa-sha2-256`) followed by the key's own
/// e and n, and this module signs with SHA-512 (SHA-256) through OpenSSL. The request then says `rsa-sha2-512`, and the
/// signature blob `rsa-sha2-512` + signature, as RFC 8332 wants. Only the key blob's name differs from RFC 8332 (which
/// keeps `ssh-rsa` there); OpenSSH (7.2 through 10.x) parses a blob named `rsa-sha2-512` as the same RSA key, so the
/// key matches authorized_keys and the signature verifies. A server that parses blobs strictly refuses these attempts;
/// the last attempt is then plain `ssh-rsa` with SHA-1, for servers that still accept it.
enum SSHAuthentication {
    static let rsaAlgorithms = ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"]

    final class SignContext {
        let signer: RSASigner
        let algorithm: String
        var failed = false

        init(signer: RSASigner, algorithm: String) {
            self.signer = signer
            self.algorithm = algorithm
        }
    }

    static let signCallback: @convention(c) (OpaquePointer?, UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?, UnsafeMutablePointer<Int>?,
                                              UnsafePointer<UInt8>?, Int, UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> Int32 = {
        _, signatureOut, lengthOut, data, dataLength, abstract in
        guard let signatureOut, let lengthOut, let data, let pointer = abstract?.pointee else { return -1 }
        let context = Unmanaged<SignContext>.fromOpaque(pointer).takeUnretainedValue()
        guard let signature = context.signer.sign(UnsafeRawBufferPointer(start: data, count: dataLength), algorithm: context.algorithm),
              let buffer = malloc(max(1, signature.count)) else {
            context.failed = true
            return -1
        }
        // libssh2 frees it with its allocator, which is malloc/free (libssh2_session_init_ex got none of its own).
        signature.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        signatureOut.pointee = buffer.assumingMemoryBound(to: UInt8.self)
        lengthOut.pointee = signature.count
        return 0
    }

    static func rsa(session: OpaquePointer, user: String, signer: RSASigner, key: PrivateKey, logger: Logger) throws(SSHTunnelError) {
        var refusals: [String] = []
        var rejectedSignatures: [String] = []
        for algorithm in rsaAlgorithms {
            let context = SignContext(signer: signer, algorithm: algorithm)
            let blob = signer.publicBlob(algorithm: algorithm)
            let retained = Unmanaged.passRetained(context)
            var abstract: UnsafeMutableRawPointer? = retained.toOpaque()
            let status = blob.withUnsafeBufferPointer { blob in
                libssh2_userauth_publickey(session, user, blob.baseAddress, blob.count, signCallback, &abstract)
            }
            retained.release()
            if status == 0 {
                logger.debug("ssh tunnel: authenticated", metadata: ["user": "\(user)", "key": "\(key)", "algorithm": "\(algorithm)"])
                return
            }
            let (code, message) = LibSSH2.lastError(session)
            if context.failed {
                throw SSHTunnelError(.authentication, "authentication as \"\(user)\" failed: OpenSSL could not sign with the \(key) (\(algorithm))")
            }
            switch code {
            case LIBSSH2_ERROR_AUTHENTICATION_FAILED:
                refusals.append(algorithm)  // refused when offered, before any signature
            case LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED:
                rejectedSignatures.append(algorithm)  // accepted when offered, refused once signed
            case LIBSSH2_ERROR_TIMEOUT:
                throw SSHTunnelError(.authentication, "authentication as \"\(user)\" timed out")
            default:
                throw SSHTunnelError(.authentication, "authentication as \"\(user)\" with the \(key) failed: \(message)")
            }
        }
        var text = "authentication as \"\(user)\" failed: the bastion refused the \(key)"
        if !refusals.isEmpty {
            text += " offered with \(refusals.joined(separator: ", ")) signatures: it is not in the user's authorized_keys, or the server accepts none of these algorithms"
        }
        if !rejectedSignatures.isEmpty {
            text += (refusals.isEmpty ? "" : ";") + " it accepted the key but rejected its \(rejectedSignatures.joined(separator: ", ")) signatures"
        }
        throw SSHTunnelError(.authentication, text)
    }
}
