import CapstanTestSupport
import Foundation
import XCTest

@testable import Catalog

/// Paths of the fixture files and helpers to load them.
enum Fixtures {
    /// `Tests/CatalogTests/Fixtures`.
    static let directory: String = RepositoryPaths.testTarget("CatalogTests").appendingPathComponent("Fixtures").path

    /// The absolute path of a fixture.
    static func path(_ relative: String) -> String { directory + "/" + relative }

    /// Loads a fixture that must fail; returns its problems' lines with the fixtures directory left out.
    static func problems(_ relative: String, file: StaticString = #filePath, line: UInt = #line) -> [String] {
        do {
            let catalog = try Catalog.load(path: path(relative))
            XCTFail("expected problems, loaded \(catalog.captures.count) captures", file: file, line: line)
            return []
        } catch {
            return error.description.replacingOccurrences(of: directory + "/", with: "").split(separator: "\n").map(String.init)
        }
    }

    /// A fresh temporary directory, removed at the end of the test.
    static func temporaryDirectory(_ test: XCTestCase) throws -> String {
        let path = NSTemporaryDirectory() + "capstan-catalog-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    /// Writes `files` (relative path → text) under a fresh temporary directory and returns it.
    static func write(_ files: [String: String], test: XCTestCase) throws -> String {
        let root = try temporaryDirectory(test)
        for (relative, text) in files {
            let path = root + "/" + relative
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        return root
    }
}
