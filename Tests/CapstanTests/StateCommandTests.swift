import CapstanTestSupport
import Foundation
import JSON
import XCTest

/// `capstan state show|reset`, on the state a real run committed.
final class StateCommandTests: XCTestCase {
    private var folder: URL!
    private let committed: JSON = ["bindingStateV1": ["things": ["cursor": 5], "gone": ["cursor": 7]], "n": 1]

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("state-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    /// A catalog whose capture `test/state` commits `committed` with one document, run once.
    private func ranCatalog() throws -> String {
        let path = folder.appendingPathComponent("flow.yaml").path
        let script = #"[{"docs":1},{"checkpoint":\#(committed.serializedString())}]"#
        try ScriptedCatalog.yaml(capture: "test/state", command: "[python3, \(RepositoryPaths.scriptedConnector)]", env: "{SCRIPT: '\(script)'}")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let run = try Subprocess.run(product: "capstan", ["run", "--source", path, "--once"])
        XCTAssertEqual(run.status, 0, run.stderr)
        return path
    }

    private func shownState(_ arguments: [String]) throws -> JSON {
        let show = try Subprocess.run(product: "capstan", ["state", "show"] + arguments)
        XCTAssertEqual(show.status, 0, show.stderr)
        return try JSON.parse(show.stdout)
    }

    func testTheCaptureIsNamedByArgumentOrOption() throws {
        let source = try ranCatalog()
        XCTAssertEqual(try shownState(["--source", source]), committed)
        XCTAssertEqual(try shownState(["--source", source, "test/state"]), committed)
        XCTAssertEqual(try shownState(["--source", source, "--capture", "test/state"]), committed)
        XCTAssertEqual(try shownState(["--source", source, "--capture", "test/state", "test/state"]), committed)

        let two = try Subprocess.run(product: "capstan", ["state", "show", "--source", source, "--capture", "test/state", "test/other"])
        XCTAssertEqual(two.status, 2, two.stderr)
        XCTAssertTrue(two.stderr.contains("two captures named: --capture test/state and test/other"), two.stderr)
        let unknown = try Subprocess.run(product: "capstan", ["state", "show", "--source", source, "test/other"])
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.stderr.contains("test/other"), unknown.stderr)
    }

    func testResetForgetsOneBindingOrAll() throws {
        let source = try ranCatalog()
        let wrong = try Subprocess.run(product: "capstan", ["state", "reset", "--source", source, "test/state", "--binding", "nope"])
        XCTAssertEqual(wrong.status, 2, wrong.stderr)
        XCTAssertTrue(wrong.stderr.contains("capture test/state has no binding nope; it has: things"), wrong.stderr)
        XCTAssertEqual(try shownState(["--source", source]), committed, "a failed reset changes nothing")

        let one = try Subprocess.run(product: "capstan", ["state", "reset", "--source", source, "test/state", "--binding", "things"])
        XCTAssertEqual(one.status, 0, one.stderr)
        XCTAssertTrue(one.stderr.contains("reset the state of binding things of test/state"), one.stderr)
        XCTAssertEqual(try shownState(["--source", source]), ["bindingStateV1": ["gone": ["cursor": 7]], "n": 1])

        let all = try Subprocess.run(product: "capstan", ["state", "reset", "--source", source])
        XCTAssertEqual(all.status, 0, all.stderr)
        XCTAssertEqual(try shownState(["--source", source, "test/state"]), [:])
        // The committed documents stay.
        XCTAssertEqual(try Subprocess.run(product: "capstan", ["read", "--source", source, "test/things"]).stdout.split(separator: "\n").count, 1)
    }
}
