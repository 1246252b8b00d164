import Foundation

/// Collects a subprocess's output lines from a readability handler.
final class LineCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var text = ""

    func append(_ data: Data) {
        lock.lock()
        text += String(decoding: data, as: UTF8.self)
        lock.unlock()
    }

    var all: [String] {
        lock.lock()
        defer { lock.unlock() }
        return text.split(separator: "\n").map(String.init)
    }
}
