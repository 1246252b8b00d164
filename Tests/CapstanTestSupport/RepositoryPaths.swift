import Foundation

/// Paths inside the Capstan repository, found once from this file's location (the only place the tests use
/// `#filePath` to find the repository).
public enum RepositoryPaths {
    /// The repository's root: `Tests/CapstanTestSupport/RepositoryPaths.swift`, three folders up.
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The URL of `relative` (such as `protocol/examples`) inside the repository.
    public static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    /// The absolute path of `relative` inside the repository.
    public static func path(_ relative: String) -> String { url(relative).path }

    /// `Tests/<target>`, the folder of a test target (where its fixtures and `Snapshots/` are).
    public static func testTarget(_ target: String) -> URL { url("Tests/\(target)") }

    /// The scripted test connector of the runtime tests (`Tests/CaptureRuntimeTests/Connectors/scripted-connector.py`).
    public static var scriptedConnector: String { path("Tests/CaptureRuntimeTests/Connectors/scripted-connector.py") }
}
