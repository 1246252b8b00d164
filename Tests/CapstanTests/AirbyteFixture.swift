import CapstanTestSupport
import Foundation
import JSON
import XCTest

/// A scratch folder with a catalog for an Airbyte connector installed by scripts/setup, and helpers to run
/// capstan on it.
final class AirbyteFixture {
    let folder: URL
    var catalog: String { folder.appendingPathComponent("flow.yaml").path }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("airbyte-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// A connector scripts/setup should have installed is missing.
    struct Missing: Error, CustomStringConvertible {
        let description: String
    }

    /// The console script of an Airbyte connector's venv (`.cache/venvs/<package>/bin/<script>`).
    static func connector(_ package: String, _ script: String) throws -> String {
        let path = RepositoryPaths.path(".cache/venvs/\(package)/bin/\(script)")
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw Missing(description: "\(package) is not installed at \(path): run scripts/setup")
        }
        return path
    }

    /// The scripted test connector.
    static var scripted: String { RepositoryPaths.path("Tests/CapstanTests/Connectors/scripted_airbyte.py") }

    func write(_ yaml: String, to name: String = "flow.yaml") throws {
        try yaml.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    /// Runs capstan with `arguments` and `--source` (except for `read`, which takes it too).
    @discardableResult
    func capstan(_ arguments: [String], timeout: TimeInterval = 180) throws -> SubprocessOutcome {
        try Subprocess.run(product: "capstan", arguments + ["--source", catalog], timeout: timeout)
    }

    /// The documents of a collection.
    func read(_ collection: String, latest: Bool = false) throws -> [JSON] {
        let outcome = try capstan(["read", collection] + (latest ? ["--latest"] : []))
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        return try outcome.stdout.split(separator: "\n").map { try JSON.parse(String($0)) }
    }

    /// The committed connector state.
    func state() throws -> JSON {
        try JSON.parse(try capstan(["state", "show"]).stdout)
    }
}
