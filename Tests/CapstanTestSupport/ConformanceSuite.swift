import Foundation
import XCTest

/// The shared conformance suites (JSON-Schema-Test-Suite, JSONTestSuite, …), read in place from the `conformance`
/// folder: `$CAPSTAN_CONFORMANCE_DIR` when set, else the first `<ancestor>/../shared/conformance` walking up from the
/// repository root (so `/work/main` and worktrees beside it all find `/work/shared/conformance`). A missing suite
/// skips the test loudly (`SKIPPED:` on stdout), or fails it when `CAPSTAN_REQUIRE_CONFORMANCE=1` (as in CI).
public enum ConformanceSuite {
    /// The conformance folder, whether or not it exists.
    public static var directory: URL {
        if let override = ProcessInfo.processInfo.environment["CAPSTAN_CONFORMANCE_DIR"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        var folder = RepositoryPaths.root
        while folder.path != "/" {
            let candidate = folder.deletingLastPathComponent().appendingPathComponent("shared/conformance")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            folder.deleteLastPathComponent()
        }
        return RepositoryPaths.root.deletingLastPathComponent().appendingPathComponent("shared/conformance")
    }

    /// The suite folder `name` of the conformance folder, which must hold `marker` (a file or folder) when given.
    /// When it is missing: fails the test under `CAPSTAN_REQUIRE_CONFORMANCE=1`, else prints `SKIPPED: …`; either
    /// way throws `XCTSkip` so that the test goes no further.
    public static func require(_ name: String, containing marker: String? = nil,
                               file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        let suite = directory.appendingPathComponent(name)
        let probe = marker.map { suite.appendingPathComponent($0) } ?? suite
        if FileManager.default.fileExists(atPath: probe.path) { return suite }
        let message = "\(name) not found at \(probe.path) (set CAPSTAN_CONFORMANCE_DIR)"
        if ProcessInfo.processInfo.environment["CAPSTAN_REQUIRE_CONFORMANCE"] == "1" {
            XCTFail("REQUIRED conformance suite missing (CAPSTAN_REQUIRE_CONFORMANCE=1): \(message)", file: file, line: line)
            throw XCTSkip("failed: \(message)")
        }
        print("SKIPPED: \(message)")
        throw XCTSkip("SKIPPED: \(message)")
    }
}
