#if canImport(Glibc)
import Glibc
#endif
import Concurrency
import Foundation
import JSON
import Logging
import Synchronization

/// A running connector: its own process group, a pipe on each standard stream.
///
/// Stderr is read on a thread of its own; each line is decoded (``ConnectorLogLine``), handed to
/// `onLog`, and the last one is kept, because it is a failed connector's user-facing error.
public final class ConnectorProcess: Sendable {
    /// How the process ended.
    public enum Termination: Sendable, Equatable, CustomStringConvertible {
        case exited(Int32)
        case signaled(Int32)

        public var isSuccess: Bool { self == .exited(0) }

        public var description: String {
            switch self {
            case .exited(let code): return "exit status \(code)"
            case .signaled(let signal): return "signal \(signal) (\(String(cString: strsignal(signal))))"
            }
        }
    }

    public let pid: pid_t
    /// The write end of the connector's stdin, until ``closeStdin()`` (then -1).
    public var stdin: Int32 { stdinDescriptor.withLock { $0 } }
    private let stdinDescriptor: Mutex<Int32>
    /// The read end of the connector's stdout.
    public let stdout: Int32
    private let lastLine = LastLine()
    /// Closed once stderr has been read to the end.
    private let stderrFinished = BlockingQueue<Void>(capacity: 1)
    /// How the process ended, once known.
    private let termination = Mutex<Termination?>(nil)

    /// Starts `command` (`command[0]` is looked up on `PATH` unless it contains a `/`) with `environment`
    /// added to (or replacing entries of) this process's environment.
    public init(command: [String], environment: [String: String] = [:],
                onLog: @escaping @Sendable (ConnectorLogLine) -> Void) throws(RuntimeError) {
        guard let executable = command.first, !executable.isEmpty else { throw RuntimeError("connector command is empty") }
        var inPipe: [Int32] = [0, 0], outPipe: [Int32] = [0, 0], errPipe: [Int32] = [0, 0]
        guard pipe(&inPipe) == 0, pipe(&outPipe) == 0, pipe(&errPipe) == 0 else {
            throw RuntimeError("cannot create pipes for the connector: \(String(cString: strerror(errno)))")
        }
        // Our ends must not leak into the child.
        for fd in [inPipe[1], outPipe[0], errPipe[0]] { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        // A 1 MiB stdout pipe (Linux's F_SETPIPE_SZ, 1031; best effort) lets the connector run ahead while a
        // document batch is validated or a commit fsyncs, instead of blocking every 64 KiB.
        _ = fcntl(outPipe[0], 1031, Int32(1 << 20))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A process group of its own, so that stopping the connector stops everything it started.
        posix_spawnattr_setpgroup(&attributes, 0)
        // Ignored signals survive exec: capstan ignores SIGINT/SIGTERM (it handles them itself) and SIGPIPE,
        // but the connector must get the default actions, or it could never be stopped.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT] { sigaddset(&defaults, number) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        // Blocked signals survive exec too, and the thread that starts a connector may block them (a dispatch
        // worker thread blocks SIGTERM): the connector starts with none blocked, or SIGTERM would wait forever.
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        let argv = command.map { strdup($0) } + [nil]
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var child: pid_t = 0
        let spawnStatus = executable.contains("/")
            ? posix_spawn(&child, executable, &actions, &attributes, argv, envp)
            : posix_spawnp(&child, executable, &actions, &attributes, argv, envp)
        for fd in [inPipe[0], outPipe[1], errPipe[1]] { close(fd) }
        guard spawnStatus == 0 else {
            for fd in [inPipe[1], outPipe[0], errPipe[0]] { close(fd) }
            throw RuntimeError("cannot start connector \(executable): \(String(cString: strerror(spawnStatus)))")
        }
        pid = child
        stdinDescriptor = Mutex(inPipe[1])
        stdout = outPipe[0]
        let errFD = errPipe[0]
        let finished = stderrFinished
        let memory = lastLine
        let stderrReader = Thread {
            let handle = FileHandle(fileDescriptor: errFD, closeOnDealloc: true)
            var pending = Data()
            func emit(_ bytes: Data) {
                var text = String(decoding: bytes, as: UTF8.self)
                if text.hasSuffix("\r") { text.removeLast() }
                guard !text.isEmpty else { return }
                let line = ConnectorLogLine(decoding: text)
                memory.line.withLock { $0 = line }
                onLog(line)
            }
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: 0x0A) {
                    emit(pending[pending.startIndex..<newline])
                    pending.removeSubrange(pending.startIndex...newline)
                }
            }
            if !pending.isEmpty { emit(pending) }
            finished.close()
        }
        stderrReader.name = "connector-stderr"
        stderrReader.start()
    }

    /// The last line the connector wrote on stderr, once stderr has closed (or so far, if it has not).
    public var lastLogLine: ConnectorLogLine? { lastLine.line.withLock { $0 } }

    /// The last stderr line, shared with the thread that reads stderr.
    private final class LastLine: Sendable {
        let line = Mutex<ConnectorLogLine?>(nil)
    }

    /// Closes the connector's stdin (a unary request is complete; or acknowledgements are not wanted).
    public func closeStdin() {
        stdinDescriptor.withLock { stdin in
            if stdin >= 0 {
                close(stdin)
                stdin = -1
            }
        }
    }

    /// Writes all of `bytes` to the connector's stdin.
    public func writeStdin(_ bytes: [UInt8]) throws(RuntimeError) {
        let stdin = self.stdin
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(stdin, $0.baseAddress! + offset, $0.count - offset) }
            if written > 0 { offset += written; continue }
            if written < 0 && errno == EINTR { continue }
            throw RuntimeError("writing to the connector's stdin: \(String(cString: strerror(errno)))")
        }
    }

    /// Sends `signal` to the connector's whole process group.
    public func signal(_ signal: Int32) {
        _ = kill(-pid, signal)
    }

    /// Waits for the process to end and its stderr to be read to the end.
    @discardableResult
    public func wait() -> Termination {
        if let known = termination.withLock({ $0 }) { return known }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let result: Termination = (status & 0x7F) == 0 ? .exited((status >> 8) & 0xFF) : .signaled(status & 0x7F)
        _ = stderrFinished.take()
        termination.withLock { $0 = result }
        return result
    }

    /// Stops the connector: SIGTERM to its process group, then SIGKILL after `grace` seconds.
    public func stop(grace: Double = 5) {
        signal(SIGTERM)
        let deadline = Date().addingTimeInterval(grace)
        var status: Int32 = 0
        while Date() < deadline {
            if waitpid(pid, &status, WNOHANG) == pid {
                let ended: Termination = (status & 0x7F) == 0 ? .exited((status >> 8) & 0xFF) : .signaled(status & 0x7F)
                termination.withLock { $0 = ended }
                signal(SIGKILL)
                return
            }
            usleep(20_000)
        }
        signal(SIGKILL)
        wait()
    }

    deinit {
        let stdin = self.stdin
        if stdin >= 0 { close(stdin) }
        close(stdout)
    }
}
