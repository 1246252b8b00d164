import Foundation

/// What libssh2's callbacks reach through the session's abstract pointer: the bastion's disconnect reason.
final class SessionContext: @unchecked Sendable {
    private let lock = NSLock()
    private var reason: String?

    /// SSH_MSG_DISCONNECT's reason, which libssh2 otherwise reports only as "socket disconnect".
    var disconnectReason: String? {
        lock.lock()
        defer { lock.unlock() }
        return reason
    }

    func recordDisconnect(_ text: String) {
        lock.lock()
        reason = text
        lock.unlock()
    }

    /// The context of `session` (whose abstract pointer is an unretained SessionContext).
    static func of(_ abstract: UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> SessionContext? {
        guard let pointer = abstract?.pointee else { return nil }
        return Unmanaged<SessionContext>.fromOpaque(pointer).takeUnretainedValue()
    }
}
