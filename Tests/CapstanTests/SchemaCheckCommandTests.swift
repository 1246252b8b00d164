import CapstanTestSupport
import Foundation
import XCTest

/// `capstan schema check`, run as users run it.
final class SchemaCheckCommandTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("schema-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private func file(_ name: String, _ text: String) throws -> String {
        let url = folder.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    private let schema = #"{"type":"object","required":["id"],"properties":{"id":{"type":"integer"},"amount":{"type":"number"},"at":{"type":"string","format":"date-time"}}}"#

    func testValidDocumentsExitZero() throws {
        let schemaPath = try file("s.json", schema)
        let docs = try file("docs.ndjson", "{\"id\":1}\n\n{\"id\":2,\"amount\":1.5}\n")
        let outcome = try Subprocess.run(product: "capstan", ["schema", "check", "--schema", schemaPath, docs])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        XCTAssertEqual(outcome.stdout, "")
        XCTAssertEqual(outcome.stderr, "2 valid, 0 invalid\n")
    }

    func testInvalidDocumentsAreListedByLineWithPointerAndSchemaLocation() throws {
        let schemaPath = try file("s.json", schema)
        let input = "{\"id\":1}\n{\"id\":\"x\",\"amount\":\"3\"}\n[1,\n{\"amount\":2}\n"
        let outcome = try Subprocess.run(product: "capstan", ["schema", "check", "--schema", schemaPath, "-"], input: input)
        XCTAssertEqual(outcome.status, 1)
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 3, outcome.stdout)
        XCTAssertEqual(lines[0], #"line 2: /id: expected type "integer", got "string" (at #/properties/id/type); /amount: expected type "number", got "string" (at #/properties/amount/type)"#)
        XCTAssertTrue(lines[1].hasPrefix("line 3: invalid JSON at byte 3"), lines[1])
        XCTAssertTrue(lines[2].hasPrefix("line 4: "), lines[2])
        XCTAssertTrue(lines[2].contains("id"), lines[2])
        XCTAssertEqual(outcome.stderr, "1 valid, 3 invalid\n")
    }

    func testFormatsAreAnnotationsUnlessAsserted() throws {
        let schemaPath = try file("s.json", schema)
        let input = "{\"id\":1,\"at\":\"yesterday\"}\n"
        XCTAssertEqual(try Subprocess.run(product: "capstan", ["schema", "check", "--schema", schemaPath], input: input).status, 0)
        let asserted = try Subprocess.run(product: "capstan", ["schema", "check", "--assert-format", "--schema", schemaPath], input: input)
        XCTAssertEqual(asserted.status, 1)
        XCTAssertTrue(asserted.stdout.contains("/at"), asserted.stdout)
    }

    func testBadSchemaOrUnreadableInputExitTwo() throws {
        let bad = try file("bad.json", #"{"type":12}"#)
        let badOutcome = try Subprocess.run(product: "capstan", ["schema", "check", "--schema", bad], input: "{}\n")
        XCTAssertEqual(badOutcome.status, 2)
        XCTAssertTrue(badOutcome.stderr.contains("#/type"), badOutcome.stderr)
        let missing = try Subprocess.run(product: "capstan", ["schema", "check", "--schema", folder.appendingPathComponent("nope.json").path])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("no such file"), missing.stderr)
        let schemaPath = try file("s.json", schema)
        let missingDocs = try Subprocess.run(product: "capstan", ["schema", "check", "--schema", schemaPath, folder.appendingPathComponent("none.ndjson").path])
        XCTAssertEqual(missingDocs.status, 2)
        XCTAssertTrue(missingDocs.stderr.contains("No such file"), missingDocs.stderr)
    }

    func testBadUsageExitsTwo() throws {
        let outcome = try Subprocess.run(product: "capstan", ["schema", "check"])
        XCTAssertEqual(outcome.status, 2)
        XCTAssertTrue(outcome.stderr.contains("--schema"), outcome.stderr)
        XCTAssertEqual(try Subprocess.run(product: "capstan", ["schema", "frobnicate"]).status, 2)
        XCTAssertEqual(try Subprocess.run(product: "capstan", ["--help"]).status, 0)
    }
}
