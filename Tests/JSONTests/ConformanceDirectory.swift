import Foundation
import XCTest

/// Locates `../shared/conformance` (or `$CAPSTAN_CONFORMANCE_DIR`) and decides what its absence means.
enum ConformanceDirectory {
    /// The conformance folder, whether or not it exists.
    static var url: URL {
        if let override = ProcessInfo.processInfo.environment["CAPSTAN_CONFORMANCE_DIR"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        // Tests/JSONTests/ConformanceDirectory.swift → repository root → ../shared/conformance
        let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/conformance")
    }

    /// The suite folder `name` inside the conformance folder; fails (in CI) or skips loudly when absent.
    static func require(_ name: String) throws -> URL {
        let suite = url.appendingPathComponent(name)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: suite.path, isDirectory: &isDirectory), isDirectory.boolValue {
            return suite
        }
        let message = "\(name) not found at \(suite.path) (set CAPSTAN_CONFORMANCE_DIR)"
        if ProcessInfo.processInfo.environment["CAPSTAN_REQUIRE_CONFORMANCE"] == "1" {
            XCTFail("REQUIRED conformance suite missing: \(message)")
            throw XCTSkip("failed: \(message)")
        }
        print("SKIPPED: \(message)")
        throw XCTSkip("SKIPPED: \(message)")
    }
}
