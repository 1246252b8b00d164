import CapstanTestSupport
import FlowCapture
import Foundation
import JSON
import JSONSchema
import XCTest

/// The wire contract in protocol/schemas holds for what our code writes: every golden output and
/// every example validates with our own validator, and every counterexample is rejected.
final class ProtocolSchemaTests: XCTestCase {
    private static let schemaFolder = RepositoryPaths.url("protocol/schemas")
    private static let base = "https://capstan.dev/protocol/capture/"

    private func registry() throws -> SchemaRegistry {
        var registry = SchemaRegistry()
        for name in try FileManager.default.contentsOfDirectory(atPath: Self.schemaFolder.path) where name.hasSuffix(".schema.json") {
            let json = try JSON.parse(bytes: Data(contentsOf: Self.schemaFolder.appendingPathComponent(name)))
            XCTAssertEqual(json["$id"]?.stringValue, Self.base + name, "\(name) has an unexpected $id")
            registry.add(json, uri: Self.base + name)
        }
        return registry
    }

    private func compile(_ name: String, _ registry: SchemaRegistry) throws -> Schema {
        let json = try JSON.parse(bytes: Data(contentsOf: Self.schemaFolder.appendingPathComponent(name)))
        return try Schema(json, registry: registry, options: SchemaOptions(assertFormat: true))
    }

    /// Validates each line of `folder`'s request.*/response.* files against its envelope and message schemas.
    private func validateMessages(in folder: URL, registry: SchemaRegistry) throws -> Int {
        var checked = 0
        let envelopes = ["request": try compile("request.schema.json", registry), "response": try compile("response.schema.json", registry)]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() where name.hasSuffix(".ndjson") {
            let parts = name.dropLast(".ndjson".count).split(separator: ".")
            guard parts.count == 2, let envelope = envelopes[String(parts[0])] else { continue }
            let inner = try compile("\(parts[0]).\(parts[1]).schema.json", registry)
            for (number, line) in try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8).split(separator: "\n").enumerated() {
                let message = try JSON.parse(String(line))
                let outer = envelope.validate(message)
                XCTAssertTrue(outer.isValid, "\(name):\(number + 1): \(outer.errors.map(\.description))")
                let body = message[String(parts[1])] ?? .null
                let result = inner.validate(body)
                XCTAssertTrue(result.isValid, "\(name):\(number + 1): \(result.errors.map(\.description))")
                checked += 1
            }
        }
        return checked
    }

    func testGoldenOutputsValidateAgainstTheProtocolSchemas() throws {
        let checked = try validateMessages(in: GoldenFiles(target: "FlowCaptureTests", subfolder: "protocol").directory, registry: registry())
        XCTAssertGreaterThan(checked, 30)
    }

    func testExamplesValidate() throws {
        let checked = try validateMessages(in: RepositoryPaths.url("protocol/examples"), registry: registry())
        XCTAssertGreaterThan(checked, 30)
    }

    func testCounterexamplesAreRejected() throws {
        let registry = try registry()
        let folder = RepositoryPaths.url("protocol/counterexamples")
        var rejected = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".ndjson") {
            for line in try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8).split(separator: "\n") {
                let case_ = try JSON.parse(String(line))
                guard let schemaName = case_["schema"]?.stringValue, let instance = case_["instance"] else { return XCTFail("bad counterexample \(line)") }
                let schema = try compile(schemaName, registry)
                XCTAssertFalse(schema.isValid(instance), "accepted by \(schemaName): \(case_["why"]?.stringValue ?? "")")
                rejected += 1
            }
        }
        XCTAssertGreaterThan(rejected, 20)
    }

    func testConnectorStateExamplesValidate() throws {
        let registry = try registry()
        let schema = try compile("redshift-batch-state.schema.json", registry)
        for line in try String(contentsOf: RepositoryPaths.url("protocol/examples").appendingPathComponent("redshift-batch-state.ndjson"), encoding: .utf8).split(separator: "\n") {
            XCTAssertTrue(schema.isValid(try JSON.parse(String(line))), String(line))
        }
    }
}
