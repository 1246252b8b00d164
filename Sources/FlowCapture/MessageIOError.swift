/// A failure to read or write protocol lines on a file descriptor.
public enum MessageIOError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A system call failed; `operation` is `read` or `write`.
    case system(operation: String, errno: Int32, detail: String)
    /// A line grew past the reader's limit without a newline.
    case lineTooLong(lineNumber: Int, limit: Int)

    public var description: String {
        switch self {
        case .system(let operation, let errno, let detail): return "\(operation) failed: \(detail) (errno \(errno))"
        case .lineTooLong(let line, let limit): return "line \(line) is longer than \(limit) bytes"
        }
    }
}
