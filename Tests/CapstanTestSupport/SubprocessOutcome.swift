/// What a finished subprocess left: its exit status and everything it wrote.
public struct SubprocessOutcome: Sendable {
    /// The exit status (or the signal number when it was killed by one).
    public let status: Int32
    /// Everything it wrote on stdout, decoded as UTF-8.
    public let stdout: String
    /// Everything it wrote on stderr, decoded as UTF-8.
    public let stderr: String

    /// An outcome with these parts.
    public init(status: Int32, stdout: String, stderr: String) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }
}
