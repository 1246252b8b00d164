import CapstanTestSupport
import Foundation
import JSON
import XCTest

/// A connector built on Estuary's Python CDK (estuary-cdk from PyPI, installed by scripts/setup) accepts what
/// capstan sends — discover, then open with the complete CaptureSpec and the state it checkpointed — unchanged.
final class EstuaryCDKTests: XCTestCase {
    func testDiscoverRunAndResumeAnEstuaryCDKConnector() throws {
        try discoverRunAndResume(storage: .local)
    }

    func testDiscoverRunAndResumeAnEstuaryCDKConnectorPostgres() throws {
        let storage = try TestStorage.postgres()
        defer { try? storage.reset(catalogFolder: URL(fileURLWithPath: "/")) }
        try discoverRunAndResume(storage: storage)
    }

    private func discoverRunAndResume(storage: TestStorage) throws {
        let python = RepositoryPaths.path(".cache/venvs/estuary-cdk/bin/python")
        guard FileManager.default.isExecutableFile(atPath: python) else {
            return XCTFail("estuary-cdk is not installed at \(python): run scripts/setup")
        }
        let connector = RepositoryPaths.path("Tests/CaptureRuntimeTests/Connectors/cdk_items.py")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cdk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let catalog = folder.appendingPathComponent("flow.yaml").path
        try """
            captures:
              acme/cdk:
                endpoint:
                  local:
                    command: [\(python), \(connector)]
                    config: {count: 2500}
                bindings: []
            \(storage.yaml)
            """.write(toFile: catalog, atomically: true, encoding: .utf8)

        let discover = try Subprocess.run(product: "capstan", ["discover", "--source", catalog], timeout: 120)
        XCTAssertEqual(discover.status, 0, discover.stderr)
        XCTAssertTrue(discover.stderr.contains("added   items     acme/items"), discover.stderr)

        let first = try Subprocess.run(product: "capstan", ["run", "--source", catalog, "--once"], timeout: 120)
        XCTAssertEqual(first.status, 0, first.stderr)
        let read = try Subprocess.run(product: "capstan", ["read", "--source", catalog, "acme/items"])
        let documents = try read.stdout.split(separator: "\n").map { try JSON.parse(String($0)) }
        XCTAssertEqual(documents.count, 2500)
        XCTAssertEqual(Set(documents.compactMap { $0["id"]?.numberValue?.int64Value }).count, 2500)
        XCTAssertNotNil(documents.first?["_meta"]?["uuid"]?.stringValue)

        // The CDK's own state, reduced from its merge-patch checkpoints, is handed back: nothing new to capture.
        let second = try Subprocess.run(product: "capstan", ["run", "--source", catalog, "--once"], timeout: 120)
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stderr.contains(#""documents":0"#), second.stderr)
        XCTAssertEqual(try Subprocess.run(product: "capstan", ["read", "--source", catalog, "acme/items"]).stdout.split(separator: "\n").count, 2500)
        let state = try JSON.parse(try Subprocess.run(product: "capstan", ["state", "show", "--source", catalog]).stdout)
        XCTAssertNotNil(state["bindingStateV1"]?["items"]?["last_initialized"], "\(state)")
        XCTAssertNil(state["bindingStateV1"]?["items"]?["backfill"], "the finished backfill was removed by a null merge patch")
    }
}
