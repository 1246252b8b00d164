import CLibSSH2
import Concurrency
import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A fixed-size byte buffer: filled at the tail, drained at the head; allocated once per connection.
final class ByteQueue {
    private let storage: UnsafeMutableRawPointer
    let capacity: Int
    private var head = 0
    private var tail = 0

    init(capacity: Int) {
        self.capacity = capacity
        storage = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    }

    deinit { storage.deallocate() }

    var count: Int { tail - head }
    var isEmpty: Bool { head == tail }

    /// Room at the tail, moving the contents to the front when that makes room.
    var freeSpace: Int {
        if head == tail {
            head = 0
            tail = 0
        } else if head > 0 && capacity - tail < capacity / 2 {
            storage.copyMemory(from: storage + head, byteCount: tail - head)
            tail -= head
            head = 0
        }
        return capacity - tail
    }

    /// Calls `body` with the free space at the tail (call `freeSpace` first); it returns how much it filled, or a negative code.
    func fill(_ body: (UnsafeMutableRawPointer, Int) -> Int) -> Int {
        let filled = body(storage + tail, capacity - tail)
        if filled > 0 { tail += filled }
        return filled
    }

    /// Calls `body` with the bytes at the head; it returns how many it used, or a negative code.
    func drain(_ body: (UnsafeRawPointer, Int) -> Int) -> Int {
        let used = body(storage + head, tail - head)
        if used > 0 { head += used }
        return used
    }

    func removeAll() {
        head = 0
        tail = 0
    }
}

/// One forwarded TCP connection: a local client socket and its `direct-tcpip` channel.
final class ForwardedConnection {
    enum Phase { case waiting, opening, open, closing, done }

    let id: Int
    let fd: Int32
    let clientPort: Int
    var phase = Phase.waiting
    var channel: OpaquePointer?
    /// Client to bastion.
    let up: ByteQueue
    /// Bastion to client.
    let down: ByteQueue
    /// poll() reported the client socket readable (or hung up).
    var readable = true
    var clientReadClosed = false
    var clientWriteClosed = false
    /// The client socket failed (reset); nothing more goes to or comes from it.
    var clientGone = false
    var eofSent = false
    var channelEOF = false
    /// The channel failed; data for it is dropped.
    var channelBroken = false
    /// The last channel read stopped for want of buffer space, so libssh2 may hold more data (already read from the
    /// socket, which poll() will not report again).
    var channelMayHaveData = false
    var bytesUp = 0
    var bytesDown = 0

    init(id: Int, fd: Int32, clientPort: Int, bufferSize: Int) {
        self.id = id
        self.fd = fd
        self.clientPort = clientPort
        up = ByteQueue(capacity: bufferSize / 4)
        down = ByteQueue(capacity: bufferSize)
    }

    /// Nothing more can flow: the client is gone, or the channel ended and everything reached the client, which closed too.
    var isFinished: Bool {
        if clientGone { return true }
        if channelBroken { return down.isEmpty || clientWriteClosed }
        return channelEOF && down.isEmpty && clientReadClosed
    }
}

/// State shared between the tunnel's thread and its owner.
final class TunnelShared: Sendable {
    private struct State {
        var failure: SSHTunnelError?
        var forwardFailure: SSHTunnelError?
        var forwardFailureCount = 0
        var handler: (@Sendable (SSHTunnelError) -> Void)?
        var stopRequested = false
        var finished = false
        var connections = 0
        var bytesUp = 0
        var bytesDown = 0
    }

    private let state = Mutex(State())
    /// Closed when the thread finishes.
    private let finished = BlockingQueue<Void>(capacity: 1)

    var failure: SSHTunnelError? { state.withLock { $0.failure } }
    var forwardFailure: SSHTunnelError? { state.withLock { $0.forwardFailure } }
    var forwardFailureCount: Int { state.withLock { $0.forwardFailureCount } }
    var stopRequested: Bool { state.withLock { $0.stopRequested } }
    var statistics: (connections: Int, bytesUp: Int, bytesDown: Int) {
        state.withLock { ($0.connections, $0.bytesUp, $0.bytesDown) }
    }

    func recordFailure(_ error: SSHTunnelError) {
        state.withLock { state in
            if state.failure == nil { state.failure = error }
        }
    }

    func recordForwardFailure(_ error: SSHTunnelError) {
        state.withLock { state in
            state.forwardFailure = error
            state.forwardFailureCount += 1
        }
    }

    func count(connections: Int = 0, up: Int = 0, down: Int = 0) {
        state.withLock { state in
            state.connections += connections
            state.bytesUp += up
            state.bytesDown += down
        }
    }

    /// Installs the failure handler; when the tunnel has already failed it is called at once.
    func onFailure(_ body: @escaping @Sendable (SSHTunnelError) -> Void) {
        let failed = state.withLock { state -> SSHTunnelError? in
            let failed = state.finished ? state.failure : nil
            if failed == nil { state.handler = body }
            return failed
        }
        if let failed { body(failed) }
    }

    /// Marks the tunnel's thread finished and returns the handler to call (when it failed).
    func finish() -> (SSHTunnelError, (@Sendable (SSHTunnelError) -> Void))? {
        defer { finished.close() }
        return state.withLock { state -> (SSHTunnelError, (@Sendable (SSHTunnelError) -> Void))? in
            state.finished = true
            guard let failure = state.failure, !state.stopRequested, let handler = state.handler else { return nil }
            state.handler = nil
            return (failure, handler)
        }
    }

    /// Asks the thread to stop; returns false when it already finished.
    func requestStop() -> Bool {
        state.withLock { state in
            state.stopRequested = true
            return !state.finished
        }
    }

    func waitUntilFinished() {
        _ = finished.take()
    }
}

/// The tunnel's thread: owns the SSH session (libssh2 sessions are not thread-safe), accepts local connections and
/// copies bytes both ways between each and its `direct-tcpip` channel, with non-blocking I/O and one poll().
///
/// libssh2 1.10 in non-blocking mode: after a call returns EAGAIN with a packet half sent (block direction outbound),
/// that same call must be repeated before any other call that sends, or libssh2 fails with LIBSSH2_ERROR_BAD_USE. So
/// such a call is remembered (`blocked`) and retried first, alone. Calls whose packet lives on libssh2's stack
/// (channel EOF, keepalive, channel close before EOF) could never be resumed, so they are only made when poll() says
/// the socket has room. Only one channel open can be in flight per session.
// Unchecked: all its state belongs to the tunnel's thread; other threads only call wake(), which writes to a pipe.
final class Forwarder: @unchecked Sendable {
    struct Settings {
        var destinationHost: String
        var destinationPort: Int
        var keepaliveSeconds: Int
        /// The receive window offered per channel: large enough for a fast link, bounded so memory is.
        var windowSize: UInt32 = 4 << 20
        /// libssh2 1.10 cannot receive packets above 35000 bytes; OpenSSH sends at most 32 KiB of data per packet.
        var packetSize: UInt32 = 32_768
        /// The bastion-to-client buffer of each connection (the other way gets a quarter).
        var bufferSize = 256 << 10
        var maxConnections = 256
    }

    private enum Operation { case open, write, read, eof, free }

    private let bastion: BastionConnection
    private let session: OpaquePointer
    private let listener: Int32
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let settings: Settings
    private let shared: TunnelShared
    private let logger: Logger
    /// `ssh tunnel to bastion host:port`.
    private let name: String

    private var connections: [ForwardedConnection] = []
    private var opening: ForwardedConnection?
    private var blocked: (connection: ForwardedConnection, operation: Operation)?
    private var nextID = 0
    private var bastionHungUp = false
    private var nextKeepalive = ContinuousClock.now
    private var pollSet: [pollfd] = []

    init(bastion: BastionConnection, listener: Int32, settings: Settings, shared: TunnelShared, name: String, logger: Logger) throws(SSHTunnelError) {
        var pipeFDs: [Int32] = [0, 0]
        guard pipe(&pipeFDs) == 0 else {
            throw SSHTunnelError(.listener, "\(name): cannot create a pipe: \(Sockets.errorText(errno))")
        }
        for fd in pipeFDs { Sockets.makeNonBlocking(fd) }
        self.bastion = bastion
        self.session = bastion.session
        self.listener = listener
        self.wakeRead = pipeFDs[0]
        self.wakeWrite = pipeFDs[1]
        self.settings = settings
        self.shared = shared
        self.name = name
        self.logger = logger
    }

    deinit {
        close(wakeRead)
        close(wakeWrite)
    }

    /// Wakes the thread (to notice a stop request).
    func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    // MARK: - The loop

    func run() {
        libssh2_session_set_blocking(session, 0)
        libssh2_keepalive_config(session, 0, UInt32(settings.keepaliveSeconds))
        var failure: SSHTunnelError?
        var drainDeadline: ContinuousClock.Instant?
        while true {
            if drainDeadline == nil && shared.stopRequested {
                drainDeadline = .now + .seconds(2)
            }
            do {
                try step(accepting: drainDeadline == nil)
            } catch {
                failure = error
                break
            }
            if let drainDeadline, isQuiescent || ContinuousClock.now >= drainDeadline { break }
            waitForEvents(accepting: drainDeadline == nil)
        }
        finish(failure)
    }

    /// Everything the clients sent has gone to the bastion, with EOF for those that closed.
    private var isQuiescent: Bool {
        blocked == nil && connections.allSatisfy { connection in
            switch connection.phase {
            case .waiting, .opening: false
            case .done, .closing: true
            case .open: connection.channelBroken || connection.up.isEmpty && (!connection.clientReadClosed || connection.eofSent)
            }
        }
    }

    private func step(accepting: Bool) throws(SSHTunnelError) {
        if accepting && listenerReadable {
            listenerReadable = false
            acceptClients()
        }
        for connection in connections where connection.readable && !connection.clientReadClosed && !connection.clientGone {
            readFromClient(connection)
        }
        if let (connection, operation) = blocked {
            blocked = nil
            try perform(operation, on: connection)
        }
        if blocked == nil { try startOpening() }
        for connection in connections where blocked == nil && connection.phase == .open {
            try writeToChannel(connection)
            if blocked == nil && connection.clientReadClosed && connection.up.isEmpty && !connection.eofSent && !connection.channelBroken {
                try sendEOF(connection)
            }
            if blocked == nil { try readFromChannel(connection) }
        }
        if blocked == nil { try keepalive() }
        if bastionHungUp {
            throw closed(bastion.context.disconnectReason ?? "the bastion closed the connection")
        }
        for connection in connections {
            flushToClient(connection)
            if connection.phase == .open && connection.channelEOF && connection.down.isEmpty && !connection.clientWriteClosed && !connection.clientGone {
                shutdown(connection.fd, Int32(SHUT_WR))
                connection.clientWriteClosed = true
            }
            if connection.phase == .open && connection.isFinished { beginClosing(connection) }
            if connection.phase == .waiting && connection.clientGone {
                close(connection.fd)  // reset before its channel was asked for
                connection.phase = .done
            }
            if connection.phase == .closing && blocked == nil { try freeChannel(connection) }
        }
        connections.removeAll { $0.phase == .done }
    }

    private func perform(_ operation: Operation, on connection: ForwardedConnection) throws(SSHTunnelError) {
        switch operation {
        case .open: try open(connection)
        case .write: try writeToChannel(connection)
        case .read: try readFromChannel(connection)
        case .eof: try sendEOF(connection)
        case .free: try freeChannel(connection)
        }
    }

    private func waitForEvents(accepting: Bool) {
        pollSet.removeAll(keepingCapacity: true)
        pollSet.append(pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0))
        let acceptMore = accepting && connections.count < settings.maxConnections
        pollSet.append(pollfd(fd: acceptMore ? listener : -1, events: Int16(POLLIN), revents: 0))
        var bastionEvents = Int16(Sockets.POLLRDHUP)
        let directions = libssh2_session_block_directions(session)
        if blocked != nil || directions & LIBSSH2_SESSION_BLOCK_OUTBOUND != 0 { bastionEvents |= Int16(POLLOUT) }
        if blocked == nil && wantsBastionInput { bastionEvents |= Int16(POLLIN) }
        pollSet.append(pollfd(fd: bastion.socket, events: bastionEvents, revents: 0))
        for connection in connections {
            var events: Int16 = 0
            if !connection.clientReadClosed && !connection.clientGone && connection.up.freeSpace > 0 && connection.phase != .closing {
                events |= Int16(POLLIN)
            }
            if !connection.down.isEmpty && !connection.clientGone { events |= Int16(POLLOUT) }
            pollSet.append(pollfd(fd: events == 0 ? -1 : connection.fd, events: events, revents: 0))
        }
        var timeout = Int32(max(1, min(30, ContinuousClock.now.duration(to: nextKeepalive) / .seconds(1))) * 1000)
        if shared.stopRequested { timeout = 50 }
        if blocked == nil && connections.contains(where: { $0.phase == .open && $0.channelMayHaveData && $0.down.freeSpace > 0 }) {
            timeout = 0
        }
        let ready = poll(&pollSet, nfds_t(pollSet.count), timeout)
        guard ready > 0 else { return }
        if pollSet[0].revents != 0 {
            var sink = [UInt8](repeating: 0, count: 64)
            while read(wakeRead, &sink, sink.count) > 0 {}
        }
        if pollSet[1].revents != 0 { listenerReadable = true }
        let bastionEventsSeen = Int32(pollSet[2].revents)
        if bastionEventsSeen & (Sockets.POLLRDHUP | POLLHUP | POLLERR) != 0 && !wantsBastionInput && blocked == nil {
            // Nothing will read the socket: the bastion is gone (an SSH server never half-closes a live session).
            bastionHungUp = true
        } else if bastionEventsSeen & (Sockets.POLLRDHUP | POLLHUP | POLLERR) != 0 {
            // Let the reads find the error (and any DISCONNECT reason) first; give up if they do not.
            hangUpSeen += 1
            if hangUpSeen > 100 { bastionHungUp = true }
        }
        for (index, connection) in connections.enumerated() where pollSet[3 + index].revents != 0 {
            if pollSet[3 + index].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 { connection.readable = true }
        }
    }

    private var hangUpSeen = 0
    /// poll() reported the listener readable (accepting otherwise would only cost a failing accept() per wake-up).
    private var listenerReadable = true
    private var accepted = 0
    private var bytesUp = 0
    private var bytesDown = 0

    /// Some channel wants libssh2 to read: an open or close awaiting the bastion's answer, data wanted, a window to wait for.
    private var wantsBastionInput: Bool {
        connections.contains { connection in
            switch connection.phase {
            case .opening, .closing: true
            case .open: !connection.channelBroken && (!connection.channelEOF && connection.down.freeSpace > 0 || !connection.up.isEmpty)
            case .waiting, .done: false
            }
        }
    }

    // MARK: - Local side

    private func acceptClients() {
        while connections.count < settings.maxConnections {
            var address = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let fd = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { accept(listener, $0, &length) }
            }
            if fd < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                if errno == EMFILE || errno == ENFILE {
                    // Out of descriptors: the listener stays readable, so do not spin on it.
                    logger.warning("ssh tunnel: cannot accept a connection: \(Sockets.errorText(errno))")
                    usleep(100_000)
                }
                return
            }
            Sockets.makeNonBlocking(fd)
            Sockets.setOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
            nextID += 1
            connections.append(ForwardedConnection(id: nextID, fd: fd, clientPort: Int(UInt16(bigEndian: address.sin_port)), bufferSize: settings.bufferSize))
            accepted += 1
            logger.trace("ssh tunnel: accepted a connection", metadata: ["connection": "\(nextID)"])
        }
    }

    private func readFromClient(_ connection: ForwardedConnection) {
        connection.readable = false
        while connection.up.freeSpace > 0 {
            let count = connection.up.fill { pointer, length in recv(connection.fd, pointer, length, 0) }
            if count > 0 { continue }
            if count == 0 {
                connection.clientReadClosed = true
            } else if errno == EINTR {
                continue
            } else if errno != EAGAIN && errno != EWOULDBLOCK {
                connection.clientGone = true
            }
            return
        }
    }

    private func flushToClient(_ connection: ForwardedConnection) {
        while !connection.down.isEmpty && !connection.clientGone {
            let count = connection.down.drain { pointer, length in send(connection.fd, pointer, length, Int32(MSG_NOSIGNAL)) }
            if count > 0 { continue }
            if count < 0 && errno == EINTR { continue }
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return }
            connection.clientGone = true
            connection.down.removeAll()
        }
    }

    // MARK: - SSH side

    private var isBlockedOutbound: Bool { libssh2_session_block_directions(session) & LIBSSH2_SESSION_BLOCK_OUTBOUND != 0 }

    /// poll() says a small packet would be sent whole.
    private var bastionHasRoom: Bool {
        var descriptor = pollfd(fd: bastion.socket, events: Int16(POLLOUT), revents: 0)
        return poll(&descriptor, 1, 0) == 1 && descriptor.revents & Int16(POLLOUT) != 0
    }

    private static let channelErrors: Set<Int32> = [
        LIBSSH2_ERROR_CHANNEL_OUTOFORDER, LIBSSH2_ERROR_CHANNEL_FAILURE, LIBSSH2_ERROR_CHANNEL_REQUEST_DENIED,
        LIBSSH2_ERROR_CHANNEL_UNKNOWN, LIBSSH2_ERROR_CHANNEL_WINDOW_EXCEEDED, LIBSSH2_ERROR_CHANNEL_PACKET_EXCEEDED,
        LIBSSH2_ERROR_CHANNEL_CLOSED, LIBSSH2_ERROR_CHANNEL_EOF_SENT, LIBSSH2_ERROR_CHANNEL_WINDOW_FULL,
    ]

    private func closed(_ reason: String) -> SSHTunnelError { SSHTunnelError(.closed, "\(name) closed: \(reason)") }

    /// A libssh2 error on `connection`'s channel: the channel breaks, or (a session error) the tunnel fails.
    private func channelFailed(_ code: Int, _ connection: ForwardedConnection, _ what: String) throws(SSHTunnelError) {
        let (lastCode, message) = LibSSH2.lastError(session)
        if Self.channelErrors.contains(Int32(code)) {
            logger.debug("ssh tunnel: channel failed", metadata: ["connection": "\(connection.id)", "operation": "\(what)", "error": "\(message)"])
            connection.channelBroken = true
            connection.up.removeAll()
            return
        }
        var reason = bastion.context.disconnectReason ?? "\(message) (libssh2 error \(lastCode))"
        if lastCode == LIBSSH2_ERROR_SOCKET_RECV || lastCode == LIBSSH2_ERROR_SOCKET_DISCONNECT || code == Int(LIBSSH2_ERROR_SOCKET_RECV) {
            reason = bastion.context.disconnectReason ?? "the bastion closed the connection"
        }
        throw closed(reason)
    }

    private func startOpening() throws(SSHTunnelError) {
        while blocked == nil {
            if opening == nil, let next = connections.first(where: { $0.phase == .waiting && !$0.clientGone }) {
                next.phase = .opening
                opening = next
            }
            guard let connection = opening else { return }
            try open(connection)
            if opening === connection { return }  // still in flight
        }
    }

    private func open(_ connection: ForwardedConnection) throws(SSHTunnelError) {
        var message = SSHWriter()
        message.string(settings.destinationHost)
        message.uint32(UInt32(settings.destinationPort))
        message.string("127.0.0.1")
        message.uint32(UInt32(connection.clientPort))
        let channel = message.bytes.withUnsafeBytes { bytes in
            libssh2_channel_open_ex(session, "direct-tcpip", 12, settings.windowSize, settings.packetSize,
                                    bytes.baseAddress?.assumingMemoryBound(to: CChar.self), UInt32(bytes.count))
        }
        if let channel {
            opening = nil
            connection.channel = channel
            connection.phase = connection.clientGone ? .closing : .open
            return
        }
        let code = libssh2_session_last_errno(session)
        if code == LIBSSH2_ERROR_EAGAIN {
            if isBlockedOutbound { blocked = (connection, .open) }
            return
        }
        opening = nil
        let (_, text) = LibSSH2.lastError(session)
        guard code == LIBSSH2_ERROR_CHANNEL_FAILURE || code == LIBSSH2_ERROR_CHANNEL_REQUEST_DENIED else {
            try channelFailed(Int(code), connection, "open")
            return
        }
        let destination = "\(settings.destinationHost):\(settings.destinationPort)"
        let detail = if text.contains("administratively prohibited") {
            "the bastion refused to forward to \(destination): \(text) (its sshd has AllowTcpForwarding no, or PermitOpen excludes this destination)"
        } else if text.contains("connect failed") {
            "the bastion could not connect to \(destination): \(text)"
        } else {
            "the bastion refused to forward to \(destination): \(text)"
        }
        let error = SSHTunnelError(.forwardRefused, "\(name): \(detail)")
        // Recorded before the client's socket closes, so whoever sees the close can find the reason.
        shared.recordForwardFailure(error)
        logger.warning("\(error.message)")
        connection.phase = .done
        close(connection.fd)
    }

    private func writeToChannel(_ connection: ForwardedConnection) throws(SSHTunnelError) {
        guard let channel = connection.channel else { return }
        while !connection.up.isEmpty && !connection.channelBroken {
            let count = connection.up.drain { pointer, length in
                libssh2_channel_write_ex(channel, 0, pointer.assumingMemoryBound(to: CChar.self), length)
            }
            if count > 0 {
                connection.bytesUp += count
                bytesUp += count
                continue
            }
            if count == Int(LIBSSH2_ERROR_EAGAIN) {
                if isBlockedOutbound { blocked = (connection, .write) }
                return
            }
            try channelFailed(count, connection, "write")
        }
    }

    private func sendEOF(_ connection: ForwardedConnection) throws(SSHTunnelError) {
        guard let channel = connection.channel, bastionHasRoom else { return }
        let status = libssh2_channel_send_eof(channel)
        if status == 0 {
            connection.eofSent = true
        } else if status == LIBSSH2_ERROR_EAGAIN {
            if isBlockedOutbound { blocked = (connection, .eof) }
        } else {
            try channelFailed(Int(status), connection, "eof")
            connection.eofSent = true
        }
    }

    private func readFromChannel(_ connection: ForwardedConnection) throws(SSHTunnelError) {
        guard let channel = connection.channel else { return }
        var rounds = 0
        connection.channelMayHaveData = true
        defer { if connection.channelEOF || connection.channelBroken { connection.channelMayHaveData = false } }
        while !connection.channelEOF && !connection.channelBroken && connection.down.freeSpace > 0 && rounds < 64 {
            rounds += 1
            let count = connection.down.fill { pointer, length in
                libssh2_channel_read_ex(channel, 0, pointer.assumingMemoryBound(to: CChar.self), length)
            }
            if count > 0 {
                connection.bytesDown += count
                bytesDown += count
                flushToClient(connection)
                continue
            }
            if count == 0 {
                if libssh2_channel_eof(channel) != 0 { connection.channelEOF = true }
                connection.channelMayHaveData = false
                return
            }
            if count == Int(LIBSSH2_ERROR_EAGAIN) {
                if isBlockedOutbound { blocked = (connection, .read) } else { connection.channelMayHaveData = false }
                return
            }
            try channelFailed(count, connection, "read")
        }
    }

    private func beginClosing(_ connection: ForwardedConnection) {
        logger.trace("ssh tunnel: connection finished", metadata: [
            "connection": "\(connection.id)", "bytesUp": "\(connection.bytesUp)", "bytesDown": "\(connection.bytesDown)",
        ])
        close(connection.fd)
        connection.clientGone = true
        connection.down.removeAll()
        connection.up.removeAll()
        connection.phase = .closing
    }

    /// Closes and frees the channel; libssh2 waits for the bastion's CLOSE (EAGAIN until then).
    private func freeChannel(_ connection: ForwardedConnection) throws(SSHTunnelError) {
        guard let channel = connection.channel else {
            if opening !== connection { connection.phase = .done }
            return
        }
        // Freeing sends EOF first if it was not sent, from a packet on libssh2's stack.
        if !connection.eofSent && !bastionHasRoom { return }
        let status = libssh2_channel_free(channel)
        if status == LIBSSH2_ERROR_EAGAIN {
            connection.eofSent = true
            if isBlockedOutbound { blocked = (connection, .free) }
            return
        }
        if status != 0 && !Self.channelErrors.contains(status) {
            try channelFailed(Int(status), connection, "close")
        }
        // On a channel error the channel stays allocated until the session is freed.
        connection.channel = nil
        connection.phase = .done
    }

    private func keepalive() throws(SSHTunnelError) {
        guard ContinuousClock.now >= nextKeepalive, bastionHasRoom else { return }
        var next: Int32 = 0
        let status = libssh2_keepalive_send(session, &next)
        if status != 0 && status != LIBSSH2_ERROR_EAGAIN {
            throw closed(bastion.context.disconnectReason ?? "sending a keepalive failed: \(LibSSH2.lastError(session).message)")
        }
        nextKeepalive = .now + .seconds(max(1, Int(next)))
    }

    // MARK: - The end

    private func finish(_ failure: SSHTunnelError?) {
        close(listener)
        if let failure {
            // Recorded before the clients' sockets close, so that whoever sees them close finds the reason.
            shared.recordFailure(failure)
            // A warning: the tunnel's owner reports the failure as the error it causes.
            logger.warning("\(failure.message)")
        }
        for connection in connections where connection.phase != .done && connection.phase != .closing {
            close(connection.fd)
        }
        if failure == nil { bastion.sayGoodbye() }
        bastion.free()
        shared.count(connections: accepted, up: bytesUp, down: bytesDown)
        logger.info("ssh tunnel closed", metadata: [
            "connections": "\(accepted)", "bytesUp": "\(bytesUp)", "bytesDown": "\(bytesDown)",
        ])
        if let (error, handler) = shared.finish() { handler(error) }
    }
}
