import Foundation
import XCTest

/// The executables this package builds (`capstan`, `source-redshift-batch`, …), found the one way every test uses:
/// beside the running test bundle (SwiftPM puts `<Package>PackageTests.xctest` in the products folder), else in the
/// repository's `.build/debug`.
public enum BuiltProducts {
    /// The folder holding the built products (normally `.build/debug`).
    public static let directory: URL = {
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return bundle.bundleURL.deletingLastPathComponent()
        }
        if let argument = ProcessInfo.processInfo.arguments.first {
            // On Linux the test bundle is an executable in the products folder; on macOS, a folder in it.
            var folder = URL(fileURLWithPath: argument).resolvingSymlinksInPath()
            while folder.path != "/" {
                if folder.lastPathComponent.hasSuffix(".xctest") { return folder.deletingLastPathComponent() }
                folder.deleteLastPathComponent()
            }
        }
        return RepositoryPaths.url(".build/debug")
    }()

    /// The URL of product `name` (which may not be built).
    public static func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    /// The path of product `name` (which may not be built).
    public static func path(_ name: String) -> String { url(name).path }

    /// The URL of product `name`; fails the test (and throws) when it is not built.
    public static func require(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        let url = url(name)
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            let message = "\(name) is not built at \(url.path): run `swift build --build-tests` before `swift test --skip-build`"
            XCTFail(message, file: file, line: line)
            throw TestSupportError(message)
        }
        return url
    }
}
