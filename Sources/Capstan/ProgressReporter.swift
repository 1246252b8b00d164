import CaptureRuntime
import Foundation
import Logging

/// Logs a progress line (documents and bytes per collection, and their rates) at most every few seconds.
// Unchecked: `last` and `previous` are touched only by the session runner's thread, which reports progress.
final class ProgressReporter: @unchecked Sendable {
    private let capture: String
    private let logger: Logger
    private var last = ContinuousClock.now
    private var previous = CaptureSessionRunner.Progress()
    private let every: Duration = .seconds(5)

    init(capture: String, logger: Logger) {
        self.capture = capture
        self.logger = logger
    }

    func report(_ progress: CaptureSessionRunner.Progress) {
        let now = ContinuousClock.now
        guard now - last >= every else { return }
        let seconds = Double((now - last).components.seconds) + Double((now - last).components.attoseconds) / 1e18
        var metadata: Logger.Metadata = ["capture": .string(capture)]
        for (collection, documents) in progress.documents.sorted(by: { $0.key < $1.key }) {
            let newDocuments = documents - (previous.documents[collection] ?? 0)
            let newBytes = (progress.bytes[collection] ?? 0) - (previous.bytes[collection] ?? 0)
            metadata[collection] = .dictionary([
                "documents": .stringConvertible(documents), "bytes": .stringConvertible(progress.bytes[collection] ?? 0),
                "documentsPerSecond": .stringConvertible(Int(Double(newDocuments) / seconds)),
                "bytesPerSecond": .stringConvertible(Int(Double(newBytes) / seconds)),
            ])
        }
        logger.info("progress", metadata: metadata)
        previous = progress
        last = now
    }
}
