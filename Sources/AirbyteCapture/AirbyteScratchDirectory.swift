#if canImport(Glibc)
import Glibc
#endif
import CaptureRuntime
import Foundation
import JSON

/// A private temporary directory (mode 0700) for the files a connector command reads: the config
/// (which holds secrets, so files are 0600), the configured catalog and the state. Removed on ``remove()``.
final class AirbyteScratchDirectory {
    let path: String

    init() throws(RuntimeError) {
        var template = Array((NSTemporaryDirectory() + "/capstan-airbyte-XXXXXX").utf8CString)
        guard let created = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw RuntimeError("cannot create a temporary directory for the connector's files: \(String(cString: strerror(errno)))")
        }
        path = String(cString: created)
    }

    /// Writes `value` as JSON to `name` (mode 0600) and returns the file's path.
    func write(_ name: String, _ value: JSON) throws(RuntimeError) -> String {
        let file = "\(path)/\(name)"
        let bytes = value.serialized()
        let fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw RuntimeError("cannot write \(file): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw RuntimeError("cannot write \(file): \(String(cString: strerror(errno)))")
            }
            offset += written
        }
        return file
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
