import Foundation

/// Drains a child's stdout and stderr on background threads so that it never blocks on a full pipe.
public final class OutputCollector: @unchecked Sendable {
    private var out = Data(), err = Data()
    private let group = DispatchGroup()

    /// Starts reading `stdout` and `stderr` to their ends.
    public init(stdout: Pipe, stderr: Pipe) {
        for (pipe, isOut) in [(stdout, true), (stderr, false)] {
            group.enter()
            DispatchQueue.global().async { [self] in
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                if isOut { out = data } else { err = data }
                group.leave()
            }
        }
    }

    /// Waits for both pipes to reach their ends; returns stdout and stderr as text.
    public func finish() -> (stdout: String, stderr: String) {
        group.wait()
        return (String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }
}
