import Foundation

/// Paths inside the repository, found from this file's location.
enum RepositoryPaths {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let protocolExamples = root.appendingPathComponent("protocol/examples")
    static let snapshots = root.appendingPathComponent("Tests/FlowCaptureTests/Snapshots")
    /// Set `CAPSTAN_RECORD_SNAPSHOTS=1` to rewrite golden files instead of comparing with them.
    static var recording: Bool { ProcessInfo.processInfo.environment["CAPSTAN_RECORD_SNAPSHOTS"] == "1" }
}
