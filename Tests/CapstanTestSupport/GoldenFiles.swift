import Foundation
import XCTest

/// Golden files (snapshots) in a test target's `Snapshots/` folder, compared byte for byte. With
/// `CAPSTAN_RECORD_SNAPSHOTS=1` the tests rewrite them instead (review the diff before committing).
public struct GoldenFiles: Sendable {
    /// The folder holding the golden files.
    public let directory: URL

    /// The golden files of test target `target`: `Tests/<target>/Snapshots`, or a folder `subfolder` in it.
    public init(target: String, subfolder: String? = nil) {
        let snapshots = RepositoryPaths.testTarget(target).appendingPathComponent("Snapshots")
        directory = subfolder.map { snapshots.appendingPathComponent($0) } ?? snapshots
    }

    /// Whether the tests rewrite golden files (`CAPSTAN_RECORD_SNAPSHOTS=1`) rather than compare with them.
    public static var isRecording: Bool { ProcessInfo.processInfo.environment["CAPSTAN_RECORD_SNAPSHOTS"] == "1" }

    /// Compares `text` with golden file `name`; when recording, writes it instead. A difference fails the test with
    /// the first line that differs, and leaves the actual output in the temporary folder.
    public func assertMatches(_ text: String, golden name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let url = directory.appendingPathComponent(name)
        if Self.isRecording {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            return XCTFail("missing golden file \(url.path); record it with CAPSTAN_RECORD_SNAPSHOTS=1 and review it", file: file, line: line)
        }
        guard text != expected else { return }
        let actual = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("actual-" + url.lastPathComponent)
        try? text.write(to: actual, atomically: true, encoding: .utf8)
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let actualLines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let first = zip(expectedLines, actualLines).enumerated().first { $0.element.0 != $0.element.1 }
        let detail = first.map { "first difference at line \($0.offset + 1):\n  expected: \($0.element.0)\n  actual:   \($0.element.1)" }
            ?? "line counts differ: expected \(expectedLines.count), actual \(actualLines.count)"
        XCTFail("\(name) differs from its golden file (actual output in \(actual.path)); \(detail)", file: file, line: line)
    }
}
