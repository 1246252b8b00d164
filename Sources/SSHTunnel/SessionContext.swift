import Synchronization

/// What libssh2's callbacks reach through the session's abstract pointer: the bastion's disconnect reason.
final class SessionContext: Sendable {
    private let reason = Mutex<String?>(nil)

    /// SSH_MSG_DISCONNECT's reason, which libssh2 otherwise reports only as "socket disconnect".
    var disconnectReason: String? { reason.withLock { $0 } }

    func recordDisconnect(_ text: String) {
        reason.withLock { $0 = text }
    }

    /// The context of `session` (whose abstract pointer is an unretained SessionContext).
    static func of(_ abstract: UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> SessionContext? {
        guard let pointer = abstract?.pointee else { return nil }
        return Unmanaged<SessionContext>.fromOpaque(pointer).takeUnretainedValue()
    }
}
