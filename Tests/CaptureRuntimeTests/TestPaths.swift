import Foundation

/// Paths the runtime tests use.
enum TestPaths {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let scriptedConnector = repository.appendingPathComponent("Tests/CaptureRuntimeTests/Connectors/scripted-connector.py").path

    /// The built products folder (`.build/debug`), where `source-redshift-batch` is.
    static var products: URL {
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return bundle.bundleURL.deletingLastPathComponent()
        }
        return repository.appendingPathComponent(".build/debug")
    }
}
